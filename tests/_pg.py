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


class Cluster:
    """A running throw-away server that a fault test may stop and start again (same port, same data)."""

    def __init__(self, base: Path, port: int) -> None:
        self.base, self.port, self.data = base, port, base / "data"
        self.template = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{{db}}"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        pg_ctl = _bin("pg_ctl")
        assert pg_ctl
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop at once, as a crash or a lost host would (every connection is cut)."""
        pg_ctl = _bin("pg_ctl")
        assert pg_ctl
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """Start a server of its own; yield it (``.template`` is the admin URL template, as :func:`server` gives)."""
    initdb = _bin("initdb")
    assert initdb and _bin("pg_ctl"), "PostgreSQL is not installed: apt-get install -y postgresql"
    base = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    running = Cluster(base, _free_port())
    try:
        running._run(initdb, "-D", str(running.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a server; yield an admin URL template ``postgresql+asyncpg://postgres@127.0.0.1:PORT/{db}``."""
    with cluster() as running:
        yield running.template
