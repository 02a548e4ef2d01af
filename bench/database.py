"""The database a bench runs on: DATABASE_URL, or with `--database postgresql` and no
PostgreSQL URL the bench run again under scripts/with-postgres (a throwaway server), or a
temporary SQLite file removed at the end."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def bench_database(script: str, args, name: str):
    """Yield the URL to run on; `args` are the bench's parsed arguments (`database`;
    the others are passed on as they came), `name` prefixes the temporary SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if args.database == "postgresql" and not (url or "").startswith("postgresql"):
        wrapper = str(ROOT / "scripts" / "with-postgres")
        os.execvp(wrapper, [wrapper, sys.executable, script, *sys.argv[1:]])
    if url:
        yield url
        return
    handle, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".db")
    os.close(handle)
    try:
        yield f"sqlite:///{path}"
    finally:
        Path(path).unlink(missing_ok=True)
