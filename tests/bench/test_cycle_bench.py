"""The cycle benchmark in smoke mode (50 people), so that it cannot rot: it runs a whole
cycle with a real jobs worker on the suite's kind of database and prints every figure."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_cycle_bench_runs_a_whole_cycle_for_50_people(is_postgres):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    database = ["--database", "postgresql"] if is_postgres else []
    result = subprocess.run([sys.executable, "bench/cycle_bench.py", "--people", "50", *database],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "People to evaluate: 59" in out  # the demo has more than 50 already
    for phase in ("job cycle.start_assignments", "job cycle.start_evaluations",
                  "Pubblica e chiudi il ciclo", "peak RSS", "whole cycle:", "database size",
                  "per task completion (ms)", "engine / raw"):
        assert phase in out, out
    assert len(re.findall(r" = \d+x$", out, re.MULTILINE)) == 3  # the raw baseline's ratios
