"""``python -m bot serve --workers N``: N worker processes serving one port (PostgreSQL only).

The master process does what must happen once, then forks the workers, each serving a listening socket of
its own bound to the same port with ``SO_REUSEPORT`` (the kernel spreads new connections over them by their
addresses; one shared socket would not: asyncio accepts a whole burst of connections in whichever worker wakes
first). aiohttp's pre-fork pattern (``web.run_app(app, sock=...)``):

1. refuses SQLite (one writer at a time, and its hub cannot reach another process): exit 2 with one line;
2. opens the N listening sockets — a port in use is reported once, before anything starts, and a connection
   that arrives while a worker starts waits in its socket's backlog;
3. migrates the database and seeds it (the demo catalogue, the phrase bank), so workers starting together do
   not race to fill an empty catalogue; loads the intent model (training it if it is stale), which the workers
   inherit instead of loading it N times;
4. forks N workers, each in a process group of its own (a terminal's Ctrl-C reaches the master only, which
   stops them in order) and, on Linux, sent SIGTERM by the kernel if the master dies;
5. waits until every worker has started. A worker that dies before that stops the rest: exit 1.
6. SIGTERM or SIGINT to the master is passed on as SIGTERM to every worker; each stops as ``serve`` does
   (sockets closed, Telegram's offset confirmed, connections closed) and the master exits 0 once all have.
   A worker that dies while serving takes the others down too (exit 1): the service restarts as one, under
   whatever supervises it (systemd, Docker's restart policy).

Across workers, live delivery goes through PostgreSQL (:mod:`bot.engine.relay`) and the Telegram channel runs in the
worker holding its lock (:mod:`bot.channels.telegram`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
from functools import partial
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.engine.engine import Classifier
from bot.engine.services import load_classifier, seed
from models import Database

log = logging.getLogger("kefu.start")
STOP_SECONDS = 75.0  # how long a stopping worker may take (aiohttp's shutdown timeout is 60 s) before it is killed
_PR_SET_PDEATHSIG = 1


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
    """Run ``workers`` processes on ``host:port`` until SIGTERM/SIGINT; returns the exit status.

    Returns:
        0 after a requested stop; 1 when a worker died (at start-up or later) or the port cannot be opened;
        2 with SQLite.
    """
    if make_url(settings.effective_database_url).get_backend_name() == "sqlite":
        print(f"kefu: --workers {workers} needs PostgreSQL (DATABASE_URL=postgresql+asyncpg://...); "
              "SQLite serves one worker", file=sys.stderr)
        return 2
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sockets.append(_listen(host, port))
    except OSError as exc:
        for sock in sockets:
            sock.close()
        print(f"kefu: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        classifier = _prepare(settings)
        print(f"kefu: starting {workers} workers on http://{host}:{port}  (web chat at /, health at /healthz)",
              file=sys.stderr)
        return _supervise(settings, sockets, classifier)
    finally:
        for sock in sockets:
            sock.close()


def _listen(host: str, port: int) -> socket.socket:
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                              flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _prepare(settings: Settings) -> Classifier:
    """What happens once, in the master: migrations, seeding, the intent model."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)

    async def database() -> None:
        db = Database(settings.effective_database_url)
        try:
            await db.migrate()
            await db.run(partial(seed, settings))
        finally:
            await db.dispose()

    asyncio.run(database())
    return load_classifier(settings)


def _supervise(settings: Settings, sockets: list[socket.socket], classifier: Classifier) -> int:
    context = multiprocessing.get_context("fork")
    stopping = False
    processes: list[Any] = []

    def stop_all(signum: int = signal.SIGTERM, _frame: FrameType | None = None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.pid is not None and process.exitcode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)

    previous = {s: signal.signal(s, stop_all) for s in (signal.SIGTERM, signal.SIGINT)}
    ready: dict[Connection, Any] = {}
    try:
        for number in range(len(sockets)):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(settings, sockets, number, classifier, writer, previous,
                                                            os.getpid()), name=f"kefu-worker-{number + 1}")
            process.start()
            writer.close()
            processes.append(process)
            ready[reader] = process
        for sock in sockets:  # each is the worker's now: when it ends, so does its socket, and the kernel skips it
            sock.close()
        started = _wait_started(processes, ready, lambda: stopping)
        if started:
            log.info("event=workers_ready workers=%d pids=%s", len(processes), ",".join(str(p.pid) for p in processes))
            wait([p.sentinel for p in processes])  # returns when one stops (on a signal, all of them do)
        failed = not stopping
        stop_all()
        for process in processes:
            process.join(STOP_SECONDS)
            if process.exitcode is None:
                process.kill()
                process.join()
        if failed:
            for process in [p for p in processes if p.exitcode != 0] or processes:
                print(f"kefu: worker {process.pid} {'died' if started else 'did not start'} (exit {process.exitcode}); "
                      "the others were stopped", file=sys.stderr)
        return 1 if failed else 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait_started(processes: list[Any], ready: dict[Connection, Any], stopping: Any) -> bool:
    """Wait for every worker's "started"; False as soon as one ends first (or a stop was asked for)."""
    waiting = dict(ready)
    while waiting and not stopping():
        for item in wait([*waiting, *(p.sentinel for p in processes)]):
            if not isinstance(item, Connection):  # a sentinel: a worker ended
                return False
            try:
                item.recv()
            except EOFError:  # it ended before it could say so
                return False
            item.close()
            del waiting[item]
    return not waiting


def _worker(settings: Settings, sockets: list[socket.socket], number: int, classifier: Classifier,
            started: Connection, handlers: dict[int, Any], master: int) -> None:
    """One worker: the app of ``python -m bot serve`` on its socket; tells the master once it serves."""
    for sig, handler in handlers.items():  # the master's handlers are not the worker's
        signal.signal(sig, handler)
    for other, sock in enumerate(sockets):
        if other != number:
            sock.close()
    os.setpgid(0, 0)  # a terminal's Ctrl-C goes to the master, which stops the workers one signal each
    _die_with(master)
    from bot.web.app import create_app

    app = create_app(settings, classifier=classifier)

    async def tell_master(_app: web.Application) -> None:  # after every cleanup context has started
        started.send(os.getpid())
        started.close()

    app.on_startup.append(tell_master)
    web.run_app(app, sock=sockets[number], print=None, access_log=None)


def _die_with(master: int) -> None:
    """On Linux, have the kernel send SIGTERM to this worker if the master dies (even by SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != master:  # the master died before the request took hold
            os.kill(os.getpid(), signal.SIGTERM)
