"""A throwaway OpenLDAP server for the directory sign-in tests.

slapd runs as a normal child process on a free loopback port, from a minimal slapd.conf
and an mdb database filled with slapadd in a temporary directory; it never touches the
system's own slapd configuration, so Debian's default database does not matter."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")
SUFFIX = "dc=example,dc=org"
READER_DN = f"cn=reader,{SUFFIX}"
READER_PASSWORD = "reader-secret"

_CONF = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {schema}/nis.schema
pidfile {work}/slapd.pid
argsfile {work}/slapd.args
modulepath {modules}
moduleload back_mdb
database mdb
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw admin-secret
directory {work}/data
maxsize 16777216
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
"""


def slapd_binary() -> str | None:
    """slapd's path, or None when the Debian package is not installed (/usr/sbin is
    often outside a normal user's PATH)."""
    return shutil.which("slapd") or next(
        (str(p) for p in [Path("/usr/sbin/slapd")] if p.exists()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Slapd:
    process: subprocess.Popen
    url: str
    port: int
    workdir: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_until_listening(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"slapd did not listen on port {port}:\n{log.read_text()}")


def start(binary: str, ldif: str) -> Slapd:
    """Write the configuration, load `ldif` offline with slapadd, start slapd in the
    foreground (so the process handle is the server) and wait until it accepts
    connections. The caller stops it and removes `workdir`."""
    workdir = Path(tempfile.mkdtemp(prefix="perf-ldap-"))
    try:
        (workdir / "data").mkdir()
        conf = workdir / "slapd.conf"
        conf.write_text(_CONF.format(schema=SCHEMA_DIR, work=workdir, modules=MODULE_DIR,
                                     suffix=SUFFIX))
        (workdir / "data.ldif").write_text(ldif)
        subprocess.run([binary, "-T", "add", "-f", str(conf), "-l", str(workdir / "data.ldif")],
                       check=True, capture_output=True, text=True)
        port = free_port()
        log = workdir / "slapd.log"
        url = f"ldap://127.0.0.1:{port}"
        with log.open("w") as out:
            # -d 0: stay in the foreground without debug output
            process = subprocess.Popen([binary, "-d", "0", "-f", str(conf), "-h", url + "/"],
                                       stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_listening(process, port, log)
        except BaseException:
            process.kill()
            process.wait()
            raise
        return Slapd(process=process, url=url, port=port, workdir=workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
