"""The restricted environment in which every BPMN expression runs: gateway conditions,
scripts, timer expressions, multi-instance expressions, DMN cells and due dates.

SpiffWorkflow evaluates them with plain eval/exec. Swapping the builtins is not enough
(`().__class__.__base__.__subclasses__()` escapes), so the code is compiled with
RestrictedPython, which refuses names and attributes starting with an underscore, and runs
with guarded attribute, item and iteration access. Scripts see task data, a short list of
builtins, and the functions registered here: functions only, never modules (a module
exposes its own imports, `uuid.os` for example).

RestrictedPython does not bound time or memory, so code runs in a child process under
limits (app.engine.script_runner says why and how), except expressions that cannot loop
or grow: names, constants, comparisons, `and`/`or`/`not`, `+`/`-`, subscripts and
attributes without calls. Those are nearly every gateway condition and due date, they
cost well under a microsecond in-process and would cost an exchange with the child.
Functions registered by services run in the parent, called back from the child."""
from __future__ import annotations

import ast
import operator
import textwrap
import types
from decimal import Decimal
from functools import lru_cache

from flask import current_app, has_app_context
from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from app.engine import script_runner
from app.engine.errors import ScriptPolicyError

DEFAULT_TIME_LIMIT_MS = 1000
DEFAULT_MEMORY_LIMIT_MB = 256

# Builtins that give access to the interpreter, the file system or object internals. They
# are absent at run time anyway; naming them is refused at deployment with a clear message.
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "globals", "locals", "vars", "dir", "getattr",
    "setattr", "delattr", "hasattr", "type", "object", "super", "input", "breakpoint",
    "help", "memoryview", "classmethod", "staticmethod", "property", "builtins", "exit",
    "quit", "print",
})

_EXTRA_BUILTINS = {
    "all": all, "any": any, "dict": dict, "enumerate": enumerate, "filter": filter,
    "frozenset": frozenset, "list": list, "map": map, "max": max, "min": min,
    "reversed": reversed, "set": set, "sorted": sorted, "sum": sum, "tuple": tuple, "zip": zip,
}
_BUILTINS = {
    name: value for name, value in {**safe_builtins, **_EXTRA_BUILTINS}.items()
    if name not in FORBIDDEN_NAMES and not name.startswith("_")
}

_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "|=": operator.ior, "&=": operator.iand,
}


def _inplacevar(op: str, target, value):
    """RestrictedPython routes `x += y` through this hook."""
    try:
        return _INPLACE[op](target, value)
    except KeyError:
        raise ScriptPolicyError(f"operator {op} is not allowed") from None


def _getattr(obj, name, default=None):
    """safer_getattr (no `_` names, no str.format) and never an attribute of a module."""
    if isinstance(obj, types.ModuleType):
        raise ScriptPolicyError(f"access to module attributes is not allowed ({name})")
    return safer_getattr(obj, name, default)


def decimal(value) -> Decimal:
    """An exact number from an int, a string or a Decimal (floats are refused)."""
    if isinstance(value, float):
        raise ScriptPolicyError("use a string or an integer for exact numbers, not a float")
    return Decimal(value)


# The sandbox's own functions run beside the script; registered ones run in the parent.
_FUNCTIONS: dict[str, types.FunctionType] = {"decimal": decimal}
_REGISTERED: dict[str, types.FunctionType] = {}
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType)


def register_function(name: str, function) -> None:
    """Expose a plain function to every expression and script. Modules, classes and other
    objects are refused because their attributes lead elsewhere. It runs in the
    application's process (it may use the database), called back from the script's."""
    if not isinstance(function, _FUNCTION_TYPES):
        raise ScriptPolicyError(f"only functions can be exposed to scripts, not {function!r}")
    if name.startswith("_") or name in FORBIDDEN_NAMES or name in _FUNCTIONS:
        raise ScriptPolicyError(f"{name!r} cannot be exposed to scripts")
    _REGISTERED[name] = function


def _base_globals() -> dict:
    return {
        "__builtins__": dict(_BUILTINS),
        "_getattr_": _getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        **_FUNCTIONS,
    }


def _globals() -> dict:
    return {**_base_globals(), **_REGISTERED}


def limits() -> tuple[float, int]:
    """(seconds, megabytes) from the application's SCRIPT_TIME_LIMIT_MS and
    SCRIPT_MEMORY_LIMIT_MB, or the defaults outside an application."""
    config = current_app.config if has_app_context() else {}
    milliseconds = int(config.get("SCRIPT_TIME_LIMIT_MS", DEFAULT_TIME_LIMIT_MS))
    return milliseconds / 1000, int(config.get("SCRIPT_MEMORY_LIMIT_MB", DEFAULT_MEMORY_LIMIT_MB))


def _static_problems(source: str, mode: str) -> list[str]:
    """What RestrictedPython would let through but we refuse anyway: imports, class
    definitions and the forbidden builtins."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        return [f"syntax error: {exc.msg}"]
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            problems.append("import statements are not allowed")
        elif isinstance(node, ast.ClassDef):
            problems.append("class definitions are not allowed")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            problems.append(f"{node.id!r} is not available in scripts")
    return problems


@lru_cache(maxsize=4096)
def compile_checked(source: str, mode: str):
    """Compile an expression (mode 'eval') or a script ('exec') under the policy; raise
    ScriptPolicyError listing every problem. Cached: models reuse the same sources."""
    if mode == "exec":
        source = textwrap.dedent(source)
    problems = _static_problems(source, mode)
    if not problems:
        compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
        result = compiler(source)
        problems = list(result.errors)
        if not problems:
            return result.code
    raise ScriptPolicyError("; ".join(dict.fromkeys(problems)))


_BOUNDED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Compare, ast.cmpop, ast.BoolOp,
    ast.boolop, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.BinOp, ast.Add, ast.Sub,
    ast.Subscript, ast.Slice, ast.Attribute, ast.Tuple, ast.List, ast.Dict, ast.IfExp,
)


@lru_cache(maxsize=4096)
def is_bounded(expression: str) -> bool:
    """Whether an expression takes time and memory in proportion to its inputs: no call,
    loop, comprehension, `*`, `**`, `%` or shift. Such expressions run in-process."""
    return all(isinstance(node, _BOUNDED_NODES)
               for node in ast.walk(ast.parse(expression, mode="eval")))


def _scope(plain: dict, callbacks: tuple) -> dict:
    """In the child: the sandbox's globals, the environment's own values, and a stand-in
    calling the parent for each registered function."""
    def stand_in(name):
        def call(*args, **kwargs):
            return script_runner.call_parent(name, args, kwargs)
        call.__name__ = name
        return call
    return {**_base_globals(), **plain, **{name: stand_in(name) for name in callbacks}}


def _evaluate_in_child(expression, context, external, plain, callbacks):
    code = compile_checked(expression, "eval")
    return eval(code, {**_scope(plain, callbacks), **external, **context})


def _execute_in_child(script, context, external, plain, callbacks):
    code = compile_checked(script, "exec")
    scope = _scope(plain, callbacks)
    context.update(scope)
    context.update(external)
    try:
        exec(code, context)  # noqa: S102 - restricted code, guarded globals
    finally:
        for name in [k for k, v in context.items()
                     if k in scope or k in external or k.startswith("_") or callable(v)]:
            context.pop(name)
    return context


class RestrictedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment with restricted compilation, guarded globals and limits."""

    def __init__(self):
        super().__init__(_globals())

    def _in_child(self, function, source, context, external_context):
        """Run in the child with what this environment adds to the sandbox's globals:
        functions as call-backs, other values (even a module, by name) as they are."""
        base = _base_globals()
        extra = {k: v for k, v in self.globals.items()
                 if k != "__builtins__" and base.get(k, base) is not v}
        callbacks = {k: v for k, v in extra.items() if isinstance(v, _FUNCTION_TYPES)}
        plain = {k: v for k, v in extra.items() if k not in callbacks}
        seconds, megabytes = limits()
        return script_runner.run(
            function, (source, context, external_context or {}, plain, tuple(callbacks)),
            callbacks=callbacks, seconds=seconds, memory_mb=megabytes)

    def evaluate(self, expression, context, external_context=None):
        expression = expression.strip()
        code = compile_checked(expression, "eval")
        if not is_bounded(expression):
            return self._in_child(_evaluate_in_child, expression, context, external_context)
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return eval(code, scope)

    def execute(self, script, context, external_context=None):
        compile_checked(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        result = self._in_child(_execute_in_child, script, context, external_context)
        context.clear()
        context.update(result)
        return True

    def call_service(self, context, **kwargs):
        raise ScriptPolicyError("service tasks are not supported")


class RestrictedScriptEngine(PythonScriptEngine):
    """The line of a script error comes from the child's traceback, carried over."""

    def get_error_line_number_and_content(self, script, err):
        line = getattr(err, "script_line", 0)
        lines = textwrap.dedent(script).splitlines()
        if 0 < line <= len(lines):
            return line, lines[line - 1]
        return super().get_error_line_number_and_content(script, err)


def script_engine() -> PythonScriptEngine:
    """A fresh restricted engine. SpiffWorkflow does not serialize the engine, so the
    facade sets one after every load; forgetting it would fall back to plain eval."""
    return RestrictedScriptEngine(environment=RestrictedEnvironment())
