"""The fault suite: kefu under the failures a shop meets, on real servers (issue 9, "Done when").

- A worker killed with ``kill -9`` in the middle of conversations while its clients retry (each message by its own
  ``message_id``, as a shop's backend or the web chat does): after a restart nothing is lost and nothing is doubled,
  orders included.
- PostgreSQL stopped for ten seconds under load: every message meanwhile is a 503 that says nothing was stored,
  ``/healthz`` says 503, and once the database is back kefu serves again without a restart — no customer left
  failing, nothing half-written.

Run alone with ``.venv/bin/python -m pytest tests/faults``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests import _pg

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "周晓雯 13816247590 上海市徐汇区漕溪北路88号2号楼1203室"
# A whole sale, as a customer who knows what they want types it; the last message places the order.
SALE = ("在吗", "纯棉圆领短袖T恤 白色 M码 一件", ADDRESS, "确认")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``python -m bot serve`` as a process of its own, which a test may kill and start again."""

    def __init__(self, var: Path, database_url: str | None) -> None:
        self.var, self.port = var, _free_port()
        self.env = {**os.environ, "KEFU_VAR_DIR": str(var), "KEFU_LOG_LEVEL": "INFO"}
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen[str] | None = None
        self.logs: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.var / f"server-{len(self.logs)}.log", "w")  # closed below: the process keeps its own descriptor
        self.logs.append(log.name)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(self.port)], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=log, text=True,
        )
        log.close()

    async def ready(self, session: aiohttp.ClientSession) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                async with session.get(f"{self.base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("the server never became ready\n" + self.log())

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown, no flush, as a crash
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)

    def log(self) -> str:
        return "\n".join(Path(name).read_text(errors="replace") for name in self.logs)


@pytest.fixture
def var(tmp_path: Path) -> Path:
    """A var/ directory holding the already-trained model, as a deployed server has it."""
    (tmp_path / "models").mkdir()
    for model in (ROOT / "var" / "models").glob("intents.*"):
        shutil.copy(model, tmp_path / "models" / model.name)
    return tmp_path


@dataclass
class Shopper:
    """One customer going through :data:`SALE`, each message retried by its id until it is answered."""

    name: str
    progress: asyncio.Condition
    answers: list[dict[str, Any]] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)

    async def shop(self, session: aiohttp.ClientSession, server: Server, *, pause: float, deadline: float) -> None:
        for i, text in enumerate(SALE):
            body = {"customer": self.name, "text": text, "message_id": f"{self.name}-{i}"}
            while True:
                assert time.monotonic() < deadline, f"{self.name} was never answered: {dict(self.refusals)}"
                try:
                    async with session.post(f"{server.base}/api/messages", json=body) as response:
                        if response.status == 200:
                            self.answers.append(await response.json())
                            async with self.progress:
                                self.progress.notify_all()
                            break
                        reply = await response.json()
                        if response.status == 429:  # retried too fast for the rate limit: wait as told
                            self.refusals["429"] += 1
                            await asyncio.sleep(float(response.headers["Retry-After"]))
                            continue
                        assert response.status == 503, (response.status, reply)
                        assert "not stored" in reply["error"] or "nothing was changed" in reply["error"], reply
                        self.refusals["503"] += 1
                except (TimeoutError, aiohttp.ClientError):
                    self.refusals["connection"] += 1
                await asyncio.sleep(0.2)
            await asyncio.sleep(pause)


async def answered(progress: asyncio.Condition, shoppers: list[Shopper], messages: int) -> None:
    """Wait until the shoppers have had ``messages`` of their messages answered between them."""
    async with progress:
        await progress.wait_for(lambda: sum(len(s.answers) for s in shoppers) >= messages)


async def check_nothing_lost_or_doubled(session: aiohttp.ClientSession, server: Server, shoppers: list[Shopper]) -> None:
    """Every message answered once, with its replies stored; one order per shopper, confirmed in its own chat."""
    async with session.get(f"{server.base}/api/shipping") as response:
        tasks = (await response.json())["tasks"]
    orders = Counter(t["order_no"] for t in tasks)
    assert len(tasks) == len(shoppers) and all(n == 1 for n in orders.values()), orders
    for shopper in shoppers:
        assert len(shopper.answers) == len(SALE)
        assert all(a["replies"] for a in shopper.answers), shopper.name
        placed = "\n".join(r["text"] for r in shopper.answers[-1]["replies"])
        assert any(number in placed for number in orders), (shopper.name, placed)
        async with session.get(f"{server.base}/api/messages", params={"customer": shopper.name}) as response:
            sent = (await response.json())["messages"]
        seqs = [m["seq"] for m in sent]
        assert len(seqs) == len(set(seqs))
        # The replies the shopper was given are the replies stored: none lost, none doubled.
        given = [r["seq"] for a in shopper.answers for r in a["replies"]]
        assert sorted(set(given)) == seqs, (shopper.name, given, seqs)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_worker_killed_mid_conversation_loses_and_doubles_nothing(
    var: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    url = None
    if backend == "postgresql":
        import asyncpg

        template: str = request.getfixturevalue("postgres")
        name = f"kefu_kill_{os.getpid()}"
        connection = await asyncpg.connect(template.format(db="postgres").replace("postgresql+asyncpg", "postgresql"))
        await connection.execute(f'CREATE DATABASE "{name}"')
        await connection.close()
        url = template.format(db=name)
    server = Server(var, url)
    progress = asyncio.Condition()
    shoppers = [Shopper(f"kill-{i}", progress) for i in range(12)]
    timeout = aiohttp.ClientTimeout(total=15)
    server.start()
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await server.ready(session)
            deadline = time.monotonic() + 120
            running = asyncio.gather(*(s.shop(session, server, pause=0.3, deadline=deadline) for s in shoppers))
            for third in (1, 2):  # a third and two thirds of the way through
                await answered(progress, shoppers, len(shoppers) * len(SALE) * third // 3)
                server.kill()
                await asyncio.sleep(0.5)
                server.start()
                await server.ready(session)
            await running
            assert sum(s.refusals["connection"] for s in shoppers) > 0, "the kills happened under load"
            await check_nothing_lost_or_doubled(session, server, shoppers)
    finally:
        server.stop()


@pytest.fixture
def own_postgres() -> Iterator[_pg.Cluster]:
    if not _pg.available():
        pytest.skip("PostgreSQL is not installed here (apt-get install -y postgresql)")
    with _pg.cluster() as running:
        yield running


async def test_postgresql_stopped_for_ten_seconds_under_load(var: Path, own_postgres: _pg.Cluster) -> None:
    import asyncpg

    admin = own_postgres.template.format(db="postgres").replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(admin)
    await connection.execute('CREATE DATABASE "kefu_faults"')
    await connection.close()
    server = Server(var, own_postgres.template.format(db="kefu_faults"))
    progress = asyncio.Condition()
    shoppers = [Shopper(f"pg-{i}", progress) for i in range(10)]
    server.start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
            await server.ready(session)
            deadline = time.monotonic() + 120
            running = asyncio.gather(*(s.shop(session, server, pause=0.5, deadline=deadline) for s in shoppers))
            await answered(progress, shoppers, len(shoppers))
            own_postgres.stop()
            health, reads = [], []
            outage_ends = time.monotonic() + 10
            while time.monotonic() < outage_ends:
                async with session.get(f"{server.base}/healthz") as response:
                    health.append(response.status)
                async with session.get(f"{server.base}/api/messages", params={"customer": "pg-0"}) as response:
                    reads.append((response.status, (await response.json()).get("error", "")))
                await asyncio.sleep(1)
            refused_while_down = sum(s.refusals["503"] for s in shoppers)
            own_postgres.start()
            await running
            assert server.process is not None and server.process.poll() is None, "kefu was never restarted"
            assert set(health) == {503}, health
            assert {status for status, _ in reads} == {503} and all("nothing was changed" in e for _, e in reads), reads
            assert refused_while_down > 0
            async with session.get(f"{server.base}/healthz") as response:
                assert response.status == 200
            await check_nothing_lost_or_doubled(session, server, shoppers)
    finally:
        server.stop()
    log = server.log()
    assert "Traceback" not in log, log[-3000:]
