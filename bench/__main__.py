"""Benchmarks, on this machine: classifier latency, end-to-end throughput over the REST API on
SQLite and on PostgreSQL with one and two workers (``serve --workers 2``; a throw-away server from
tests/_pg.py, when PostgreSQL is installed), the server's peak memory, and cold start to a ready /healthz.

    python -m bench [--customers 50] [--rounds 3]

The server runs as a real process on loopback with a throw-away var/ directory (the trained model
is copied in, as a deployed server would have it). Every request loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
SALE = [
    "在吗", "有什么推荐的吗", "送男朋友，冬天穿，300以内", "第一个", "他175，140斤穿什么码", "太贵了", "能便宜点吗",
    "好的，我要了", "{size}", "{colour}", "张三 13800138000 浙江省杭州市西湖区文三路100号", "确认无误",
    "我的快递到哪了", "谢谢",
]


def classifier_latency(rounds: int) -> tuple[float, float, int]:
    from intents import IntentClassifier
    from intents._corpus import DEFAULT_DATA_DIR

    clf = IntentClassifier.load(model_dir=ROOT / "var" / "models")
    texts = [
        line.strip()
        for path in sorted((DEFAULT_DATA_DIR / "test").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for text in texts[:50]:
        clf.predict(text)  # warm up
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter_ns()
            clf.predict(text)
            timings.append((time.perf_counter_ns() - started) / 1e6)
    timings.sort()
    return statistics.fmean(timings), timings[int(len(timings) * 0.99)], len(timings)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _wait_ready(url: str, deadline: float) -> None:
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.02)
    raise TimeoutError("the server did not become ready")


async def _customer(http: aiohttp.ClientSession, base: str, name: str, latencies: list[float]) -> int:
    sent = 0
    buttons: list[str] = []
    for template in SALE:
        text = template
        if template in ("{size}", "{colour}"):
            if not buttons:
                continue
            text = buttons[0]
        started = time.perf_counter()
        async with http.post(f"{base}/api/messages", json={"customer": name, "text": text}) as response:
            body = await response.json()
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {body}")
        latencies.append((time.perf_counter() - started) * 1000)
        buttons = [b for reply in body["replies"] for b in reply["buttons"]]
        sent += 1
    return sent


# The benchmark clients send at machine speed from one address, far beyond any person: the limits stay on (their cost
# is in the figures) but never refuse. python -m bench.limits measures them.
GENEROUS_LIMITS = {
    "KEFU_MESSAGE_RATE": "1000", "KEFU_MESSAGE_BURST": "10000", "KEFU_ADDRESS_RATE": "100000",
    "KEFU_ADDRESS_BURST": "1000000",
}


@contextlib.asynccontextmanager
async def serving(
    environment: dict[str, str] | None = None, database_url: str | None = None, workers: int = 1
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process, float]]:
    """A real ``python -m bot serve`` on loopback with a throw-away var/ (the trained model copied in, as a
    deployed server would have it): yields its base URL, the process and the seconds it took to be ready.
    ``environment``: settings for this server (default: limits that never refuse the benchmark's clients); without
    ``database_url``, the embedded default (a SQLite file in that var/)."""
    var = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    (var / "models").mkdir()
    for model in (ROOT / "var" / "models").glob("*"):
        shutil.copy(model, var / "models" / model.name)
    port = _free_port()
    env = {**os.environ, "KEFU_VAR_DIR": str(var), "KEFU_LOG_LEVEL": "WARNING"}
    env.update(GENEROUS_LIMITS if environment is None else environment)
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(f"{base}/healthz", time.monotonic() + 60)
        yield base, process, time.monotonic() - started
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)
        shutil.rmtree(var, ignore_errors=True)


async def server_figures(customers: int, database_url: str | None = None, workers: int = 1) -> dict[str, float]:
    async with serving(database_url=database_url, workers=workers) as (base, process, cold):
        latencies: list[float] = []
        connector = aiohttp.TCPConnector(limit=customers)
        async with aiohttp.ClientSession(connector=connector) as http:
            await _customer(http, base, "warm-up", [])
            began = time.perf_counter()
            counts = await asyncio.gather(*(_customer(http, base, f"bench-{i}", latencies) for i in range(customers)))
            elapsed = time.perf_counter() - began
        latencies.sort()
        return {
            "cold_start_s": cold,
            "messages": sum(counts),
            "throughput": sum(counts) / elapsed,
            "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[int(len(latencies) * 0.99)],
            "rss_mb": _peak_rss_mb(process.pid),
        }


def postgres_figures(customers: int) -> dict[int, dict[str, float]] | None:
    """The same load on PostgreSQL (a throw-away server), with one worker and with two; None when PostgreSQL is
    not installed here."""
    import asyncpg

    from tests import _pg

    if not _pg.available():
        return None
    figures = {}
    with _pg.server() as template:
        for workers in (1, 2):
            name = f"kefu_bench_{workers}"

            async def create(name: str = name) -> None:
                admin = await asyncpg.connect(template.format(db="postgres").replace("+asyncpg", ""))
                try:
                    await admin.execute(f'CREATE DATABASE "{name}"')
                finally:
                    await admin.close()

            asyncio.run(create())
            figures[workers] = asyncio.run(server_figures(customers, template.format(db=name), workers))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--customers", type=int, default=50, help="concurrent customers, each a whole sale")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the test split for latency")
    args = parser.parse_args()
    mean, p99, count = classifier_latency(args.rounds)
    figures = asyncio.run(server_figures(args.customers))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"classifier latency   mean {mean:.3f} ms   p99 {p99:.3f} ms   ({count} predictions)")
    print(
        f"REST on SQLite       {figures['throughput']:.0f} messages/s   ({args.customers} concurrent customers, "
        f"{figures['messages']:.0f} messages in whole sales; p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms)"
    )
    on_postgres = postgres_figures(args.customers)
    if on_postgres is None:
        print("REST on PostgreSQL   skipped: PostgreSQL is not installed here (apt-get install -y postgresql)")
    for workers, pg in (on_postgres or {}).items():
        print(
            f"REST on PostgreSQL   {pg['throughput']:.0f} messages/s with {workers} worker{'s' if workers > 1 else ''}   "
            f"(p50 {pg['p50_ms']:.1f} ms, p99 {pg['p99_ms']:.1f} ms)"
        )
    print(f"server peak RSS      {figures['rss_mb']:.0f} MB")
    print(f"cold start           {figures['cold_start_s']:.2f} s to a ready /healthz")


if __name__ == "__main__":
    main()
