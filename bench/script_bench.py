"""Sandbox benchmark: prints the time one script or expression takes in the restricted
environment, asserts nothing. Each figure is the median of REPEATS runs, in microseconds:

- condition: a gateway condition such as `plan_reviewed == True`
- expression: an expression with a call (`len(scores) > 2 and max(scores) > 3`)
- script: the objective_assignment diagram's `reminders = reminders + 1`
- loop script: a short loop over task data (sum of 100 scores)
- child start / stop: forking a fresh sandbox child, and killing one (paid once, and
  again after a script hit a limit)

Run: `.venv/bin/python bench/script_bench.py`.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine import script_runner
from app.engine.sandbox import RestrictedEnvironment

REPEATS = 2000
DATA = {"plan_reviewed": True, "reminders": 0, "scores": list(range(100)), "cycle_id": 1}
CASES = {
    "condition": ("evaluate", "plan_reviewed == True"),
    "expression": ("evaluate", "len(scores) > 2 and max(scores) > 3"),
    "script": ("execute", "reminders = reminders + 1"),
    "loop script": ("execute", "total = 0\nfor s in scores:\n    total += s\n"),
}


def measure(env, method: str, source: str) -> float:
    run = getattr(env, method)
    samples = []
    for _ in range(REPEATS):
        data = dict(DATA)
        start = time.perf_counter()
        run(source, data)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def main() -> None:
    env = RestrictedEnvironment()
    for name, (method, source) in CASES.items():
        measure(env, method, source)  # warm the compile cache and any worker
        print(f"{name:12s} {measure(env, method, source):9.1f} us")
    starts, stops = [], []
    for _ in range(20):
        start = time.perf_counter()
        worker = script_runner._Worker()
        starts.append(time.perf_counter() - start)
        start = time.perf_counter()
        worker.stop()
        stops.append(time.perf_counter() - start)
    print(f"{'child start':12s} {statistics.median(starts) * 1e6:9.1f} us (fork)")
    print(f"{'child stop':12s} {statistics.median(stops) * 1e6:9.1f} us (kill and reap)")


if __name__ == "__main__":
    main()
