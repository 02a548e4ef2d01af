"""bench/bulk_bench.py with 50 people and a plan of 30 objectives, so that the benchmark
cannot rot: every bulk job it measures runs to its end as the worker runs it (the
benchmark raises on a rejected file or a failed item) and states its transactions."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bulk_bench_runs_every_bulk_job_for_50_people(is_postgres):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    database = ["--database", "postgresql"] if is_postgres else []
    result = subprocess.run([sys.executable, "bench/bulk_bench.py", "--people", "50",
                             "--objectives", "30", *database],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    kinds = re.findall(r"^  (\S+) +\d+ transactions, ", result.stdout, re.MULTILINE)
    assert kinds == ["org.import", "org.import.apply", "org.import", "org.import.apply",
                     "rewards.compute", "plan.import", "plan.import_individual",
                     "plan.import_individual.apply", "cycle.start_monitoring"], result.stdout
