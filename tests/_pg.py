"""A throw-away PostgreSQL server on loopback for the test session (Debian's postgresql package).

initdb refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> bool:
    return _bin("initdb") is not None and _bin("pg_ctl") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a server; yield an admin URL template ``postgresql+asyncpg://postgres@127.0.0.1:PORT/{db}``."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    assert initdb and pg_ctl, "PostgreSQL is not installed: apt-get install -y postgresql"
    root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
    data = base / "data"
    port = _free_port()

    def run(*args: str) -> None:
        command = list(args)
        if root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    if root:
        shutil.chown(base, "postgres")
    run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run(pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{{db}}"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)
