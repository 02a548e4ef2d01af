"""bench/load_bench.py and bench/cluster_bench.py in smoke mode, so that they cannot rot:
the production set-up (gunicorn, `flask jobs work`, locust) on a throwaway PostgreSQL
server of their own, with a few people. Each run fails (exit 1) when a consistency check
fails or a request fails unexpectedly; the tests read the printed verdicts too."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The benches start a PostgreSQL server of their own (the production set-up: gunicorn,
# locust, two app servers on one database), whatever the suite's database: they run once,
# in the SQLite half of `make test`, which is the shorter one.
SKIP = "runs once, in the SQLite half, on a throwaway PostgreSQL server of its own"


def _free_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def _run(script: str, *args: str) -> str:
    # The bench starts its own empty PostgreSQL server: the suite's database stays apart.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    result = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    return result.stdout


def test_the_load_bench_serves_evaluators_and_employees_and_stays_consistent(is_postgres):
    if is_postgres:
        pytest.skip(SKIP)
    out = _run("load_bench.py", "--people", "50", "--users", "5", "--duration", "20s",
               "--port", _free_port())
    assert "POST /tasks/<id> [complete]" in out and "GET /dashboard/<year>" in out
    steady = out.split("After the last sign-in", 1)[1].split("time inside the app", 1)[0]
    assert re.search(r"(GET|POST) /\S+.*\s(page|completion)\s+\d+", steady), out  # at work
    assert re.search(r"\n +0-15 +s +[\d.]+/s +pages .* sign-ins +\d+\n", out), out  # timeline
    # where the CPU went: the client, the servers, PostgreSQL read in /proc, the idle cores
    assert re.search(r"CPU over the run's \d+ s .*locust \d+ s .*PostgreSQL \d+ s .*idle \d+ s; "
                     r"taken by the host \(steal\) \d+ s", out), out
    assert re.search(r"Errors: 0 unexpected; deliberate 409s \(double submits answered 409\): [1-9]", out)
    for verdict in ("PASS  every completed task advanced its instance",
                    "PASS  open inbox rows equal the READY tasks of each running instance",
                    "PASS  flask audit verify"):
        assert verdict in out, out


def test_two_servers_and_two_workers_complete_a_cycle_with_nothing_lost_or_done_twice(is_postgres):
    if is_postgres:
        pytest.skip(SKIP)
    out = _run("cluster_bench.py", "--people", "30", "--ports", _free_port(), _free_port())
    completions = [int(n) for n in re.findall(r"http://127\.0\.0\.1:\d+: (\d+) completions", out)]
    assert len(completions) == 2 and min(completions) > 0, out  # both servers took part
    assert "FAIL" not in out and out.count("  PASS  ") == 7, out
