"""The restricted environment in which every BPMN expression runs: gateway conditions,
scripts, timer expressions, multi-instance expressions, DMN cells and due dates.

SpiffWorkflow evaluates them with plain eval/exec. Swapping the builtins is not enough
(`().__class__.__base__.__subclasses__()` escapes), so the code is compiled with
RestrictedPython, which refuses names and attributes starting with an underscore, and runs
with guarded attribute, item and iteration access. Scripts see task data, a short list of
builtins, and the functions registered here: functions only, never modules (a module
exposes its own imports, `uuid.os` for example)."""
from __future__ import annotations

import ast
import operator
import textwrap
import types
from decimal import Decimal
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from app.engine.errors import ScriptPolicyError

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


_FUNCTIONS: dict[str, types.FunctionType] = {"decimal": decimal}


def register_function(name: str, function) -> None:
    """Expose a plain function to every expression and script. Modules, classes and other
    objects are refused because their attributes lead elsewhere."""
    if not isinstance(function, (types.FunctionType, types.BuiltinFunctionType)):
        raise ScriptPolicyError(f"only functions can be exposed to scripts, not {function!r}")
    if name.startswith("_") or name in FORBIDDEN_NAMES:
        raise ScriptPolicyError(f"{name!r} cannot be exposed to scripts")
    _FUNCTIONS[name] = function


def _globals() -> dict:
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


class RestrictedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment with restricted compilation and guarded globals."""

    def __init__(self):
        super().__init__(_globals())

    def evaluate(self, expression, context, external_context=None):
        code = compile_checked(expression.strip(), "eval")
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return eval(code, scope)

    def execute(self, script, context, external_context=None):
        code = compile_checked(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        context.update(external_context or {})
        try:
            exec(code, context)  # noqa: S102 - restricted code, guarded globals
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
            for name in [k for k in context if k.startswith("_")]:
                context.pop(name)
        return True

    def call_service(self, context, **kwargs):
        raise ScriptPolicyError("service tasks are not supported")


def script_engine() -> PythonScriptEngine:
    """A fresh restricted engine. SpiffWorkflow does not serialize the engine, so the
    facade sets one after every load; forgetting it would fall back to plain eval."""
    return PythonScriptEngine(environment=RestrictedEnvironment())
