"""Running sandboxed code under a time and a memory limit, in a child process.

RestrictedPython stops escapes, not exhaustion: `while True: pass`, `sum(range(10**12))`
or `'a' * 1500000000` pin or bloat the process that runs them. Two designs were weighed:

- an instruction budget in-process (sys.settrace plus guards on `*`, `**`, `range`, string
  methods...). Cheap, but never complete: `sum(range(10**12))` loops in C where no trace
  hook or signal handler runs, and every size-producing builtin or method needs a guard.
- a child process with kernel limits. Complete: RLIMIT_AS turns any oversized allocation
  into a MemoryError inside the child, and a wall-clock deadline in the parent kills the
  child whatever it is doing. The cost is an exchange with the child per script.

This module does the second, without forking per script: a child is forked once and
serves one job after another. Measured with bench/script_bench.py on the shared 2-core
machine: forking a child of the application takes about 8 ms (and killing one about
10 ms), while a script costs about 0.1 ms in a ready child against 3 us in-process
before; a fork per script would have added 8 ms to every script. Per job the
child lowers its own RLIMIT_AS to its current size plus the memory limit and sets
RLIMIT_CPU a little past the time limit, a backstop should the parent stop watching. A
child that hit a limit is killed and replaced; so is one that died.

Functions the parent registers (services that read the database, for example) must run
in the parent, in its transaction: the child calls them back through the same pipe, the
parent answers, and the time spent there does not count against the script.

Everything that comes back from the child is unpickled with a whitelist of classes
(plain data, Decimal, dates): code that escaped the sandbox inside the child still
cannot make the parent run anything. The child is forked, so it only works where fork
exists (Linux, as deployed)."""
from __future__ import annotations

import builtins
import contextlib
import decimal
import importlib
import io
import multiprocessing
import os
import pickle
import resource
import threading
import time
import traceback
import types
import weakref

from app.engine.errors import ScriptLimitError, ScriptPolicyError

_FORK = multiprocessing.get_context("fork")
_IDLE_WORKERS = 8
_SAFE_CLASSES = frozenset({
    ("decimal", "Decimal"), ("datetime", "date"), ("datetime", "datetime"),
    ("datetime", "time"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("zoneinfo", "ZoneInfo._unpickle"), ("builtins", "set"), ("builtins", "frozenset"),
    ("builtins", "complex"),
})


class _DataOnly(pickle.Unpickler):
    """Unpickles plain data only: nothing from the child can name a callable."""

    def find_class(self, module, name):
        if (module, name) in _SAFE_CLASSES:
            return super().find_class(module, name)
        raise ScriptPolicyError(f"a {module}.{name} value cannot leave the script")


class _ByName(pickle.Pickler):
    """Parent to child: a module travels as its name (the child imports it)."""

    def reducer_override(self, obj):
        if isinstance(obj, types.ModuleType):
            return importlib.import_module, (obj.__name__,)
        return NotImplemented


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _ByName(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _loads(data: bytes):
    return _DataOnly(io.BytesIO(data)).load()


# ---- the child -------------------------------------------------------------------------

_parent_pipe = None  # in a child: its end of the pipe, for call_parent


class _CallbackFailed(Exception):
    """In the child: the parent's function failed; the parent raises the real error."""


def call_parent(name: str, args: tuple, kwargs: dict):
    """In the child: run the parent's function `name` and return its result."""
    _parent_pipe.send_bytes(pickle.dumps(("call", (name, args, kwargs))))
    kind, value = pickle.loads(_parent_pipe.recv_bytes())
    if kind == "error":
        raise _CallbackFailed(f"{name}() failed")
    return value


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _set_limits(memory_mb: int, seconds: float) -> None:
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    wanted = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard < 0 else min(wanted, hard), hard))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    cpu = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if cpu_hard < 0 else min(cpu, cpu_hard), cpu_hard))


def _lift_limits() -> None:
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_CPU):
        hard = resource.getrlimit(limit)[1]
        resource.setrlimit(limit, (hard, hard))


def _describe(exc: BaseException) -> tuple:
    """An exception as plain data: class name, arguments, line in the script."""
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<string>":
            line = frame.lineno or 0
    args = exc.args if all(isinstance(a, (str, int)) for a in exc.args) else (str(exc),)
    return type(exc).__name__, args, line


def _close_inherited(keep: int) -> None:
    """Close every descriptor the fork copied from the parent but the child's own pipe
    (and the standard streams). A copy held here keeps the other end of a pipe or socket
    from ever seeing the parent close it: a sibling child, the browser driver of a test
    run, a database connection."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _serve(pipe, inherited) -> None:
    """The child's loop: one job at a time until the parent closes the pipe."""
    global _parent_pipe
    del inherited  # closed with every other inherited descriptor
    _close_inherited(pipe.fileno())
    _parent_pipe = pipe
    while True:
        try:
            function, args, memory_mb, seconds = pickle.loads(pipe.recv_bytes())
        except EOFError:
            return
        _set_limits(memory_mb, seconds)
        try:
            reply = pickle.dumps(("ok", function(*args)))
        except MemoryError:
            reply = pickle.dumps(("memory", None))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back as data
            reply = pickle.dumps(("error", _describe(exc)))
        _lift_limits()
        pipe.send_bytes(reply)


# ---- the parent ------------------------------------------------------------------------

class _Worker:
    def __init__(self):
        self.pipe, child_end = _FORK.Pipe()
        inherited = [w.pipe for w in list(_ALL)] + [self.pipe]
        self.process = _FORK.Process(target=_serve, args=(child_end, inherited),
                                     name="script-sandbox", daemon=True)
        self.process.start()
        child_end.close()
        _ALL.add(self)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.pipe.close()
        _ALL.discard(self)


_ALL: weakref.WeakSet[_Worker] = weakref.WeakSet()
_idle: list[_Worker] = []
_lock = threading.Lock()
_owner = os.getpid()


def _take() -> _Worker:
    global _owner
    with _lock:
        if _owner != os.getpid():  # forked (a server's workers): the children are not ours
            for inherited in list(_ALL):
                inherited.pipe.close()
            _idle.clear()
            _ALL.clear()
            _owner = os.getpid()
        while _idle:
            worker = _idle.pop()
            if worker.process.is_alive():
                return worker
            worker.stop()
    return _Worker()


def _give_back(worker: _Worker) -> None:
    with _lock:
        if _owner == os.getpid() and len(_idle) < _IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.stop()


def _rebuild(name: str, args: tuple, line: int) -> Exception:
    """The child's exception as the same class where it is a builtin or decimal one."""
    cls = getattr(builtins, name, None) or getattr(decimal, name, None)
    if name == "ScriptPolicyError":
        cls = ScriptPolicyError
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls, args = RuntimeError, (f"{name}: {', '.join(map(str, args))}",)
    exc = cls(*args)
    exc.script_line = line
    return exc


def run(function, args: tuple, *, callbacks: dict, seconds: float, memory_mb: int):
    """function(*args) in a child under the limits; `callbacks` are the parent's functions
    the child may call by name. Raises ScriptLimitError when a limit is hit, else what
    the function raised (rebuilt), and a callback's own error as it was."""
    worker = _take()
    healthy = False
    failure = None
    try:
        worker.pipe.send_bytes(_dumps((function, args, memory_mb, seconds)))
        deadline = time.monotonic() + seconds
        while True:
            if not worker.pipe.poll(max(deadline - time.monotonic(), 0)):
                raise ScriptLimitError(
                    f"stopped after {round(seconds * 1000)} ms (time limit)", "time")
            kind, value = _loads(worker.pipe.recv_bytes())
            if kind == "call":
                started = time.monotonic()
                try:
                    answer = ("ok", callbacks[value[0]](*value[1], **value[2]))
                except Exception as exc:  # noqa: BLE001 - re-raised below, as it was
                    failure, answer = failure or exc, ("error", None)
                worker.pipe.send_bytes(pickle.dumps(answer))
                deadline += time.monotonic() - started
                continue
            healthy = kind != "memory"
            if failure is not None:
                raise failure
            if kind == "memory":
                raise ScriptLimitError(f"stopped at {memory_mb} MB (memory limit)", "memory")
            if kind == "error":
                raise _rebuild(*value)
            return value
    except (EOFError, OSError):
        raise ScriptLimitError("the script's process ended abruptly", "crash") from None
    finally:
        if healthy:
            _give_back(worker)
        else:
            worker.stop()
