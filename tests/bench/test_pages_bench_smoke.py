"""bench/pages_bench.py with 200 people, so that the benchmark cannot rot: it builds its
data, every role signs in and every page it may open answers 200 (the benchmark raises
on anything else), and it prints its table."""
from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "pages_bench.py"


def test_pages_bench_runs_with_200_people(capsys):
    spec = importlib.util.spec_from_file_location("pages_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    handle, path = tempfile.mkstemp(prefix="pages-bench-smoke-", suffix=".db")
    os.close(handle)
    try:
        figures = bench.run(200, 1, f"sqlite:///{path}")
    finally:
        Path(path).unlink(missing_ok=True)
    timed = {(role, page) for role, page, *_times in figures}
    assert {role for role, _page in timed} == set(bench.ROLES)
    assert ("SupportUnit", "/dashboard/2022") in timed and ("Manager", "/team/2022") in timed
    assert ("Admin", "/admin/users") in timed and ("Employee", "/tasks") in timed
    out = capsys.readouterr().out
    assert "Slowest p95" in out
    assert "Drawn after the page was sent (the dashboard's figures, kept 30 s)" in out
