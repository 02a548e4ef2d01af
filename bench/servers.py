"""The production processes of bench/load_bench.py and bench/cluster_bench.py: gunicorn
app servers and `flask jobs work` workers on one database, started as an installation
starts them (APP_ENV=production, with its own SECRET_KEY, AUDIT_KEY and PUBLIC_URL), and
the checks the benches end with.

Every process of one run shares the settings of one `Installation`: the same SECRET_KEY
(a session cookie signed by one server is good on the other), the same AUDIT_KEY (the
audit chain stays one chain whoever writes it) and one anchor file in a temporary
folder, never the developer's instance/ folder. The cookie is not marked Secure: the
benches talk plain HTTP on loopback."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Installation:
    url: str
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-servers-")))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    audit_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    processes: list[subprocess.Popen] = field(default_factory=list)

    def env(self, port: int = 8000) -> dict[str, str]:
        return dict(os.environ, FLASK_APP="app", APP_ENV="production", DATABASE_URL=self.url,
                    SECRET_KEY=self.secret_key, AUDIT_KEY=self.audit_key,
                    PUBLIC_URL=f"http://127.0.0.1:{port}", SESSION_COOKIE_SECURE="0",
                    AUDIT_ANCHOR_PATH=str(self.folder / "audit-anchors.jsonl"),
                    PYTHONPATH=str(ROOT))

    def log(self, name: str):
        return open(self.folder / f"{name}.log", "w", encoding="utf-8")

    def app_server(self, port: int, workers: int) -> subprocess.Popen:
        """gunicorn as the README runs it in production; its log in the run's folder."""
        with self.log(f"gunicorn-{port}") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                 "--timeout", "120", "--graceful-timeout", "2", "--no-control-socket",
                 "app:create_app()"],
                cwd=ROOT, env=self.env(port), stdout=subprocess.DEVNULL, stderr=log)
        self.processes.append(process)
        return process

    def jobs_worker(self, name: str) -> subprocess.Popen:
        with self.log(name) as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "jobs", "work", "--interval", "2"],
                cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL, stderr=log)
        self.processes.append(process)
        return process

    def wait_until_serving(self, port: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    sys.exit(f"the app server on port {port} did not start:\n"
                             + (self.folder / f"gunicorn-{port}.log").read_text()[-3000:])
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop every process: gunicorn at once (SIGINT; nothing is in flight any more),
        the jobs workers after their chunk (SIGTERM)."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT if "gunicorn" in process.args else signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def audit_verify(self) -> tuple[bool, str]:
        """`flask audit verify` as an operator runs it: passes, and its last line."""
        result = subprocess.run([sys.executable, "-m", "flask", "audit", "verify"], cwd=ROOT,
                                env=self.env(), capture_output=True, text=True, check=False)
        lines = (result.stdout + result.stderr).strip().splitlines()
        return result.returncode == 0, lines[-1] if lines else ""


def on_postgresql(script: str, argv: list[str]) -> None:
    """Run the script again under scripts/with-postgres (a throwaway server) unless
    DATABASE_URL already names a PostgreSQL database: app servers side by side need it."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        runner = str(ROOT / "scripts" / "with-postgres")
        os.execvp(runner, [runner, sys.executable, script, *argv])
