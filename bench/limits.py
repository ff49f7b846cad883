"""What a flood does to everyone else, with the rate limits off and on (issue 9, item 9).

    python -m bench.limits [--customers 20] [--flood 500] [--guesses 150]

Each run starts a real ``python -m bot serve`` on loopback (SQLite) and plays ``--customers`` ordinary customers,
each a whole sale at a person's pace (a message every ~1.2 s, each from an address of its own: the server trusts
X-Forwarded-For here, as it would behind the shop's proxy), while

- a flooding customer sends ``--flood`` messages as fast as 20 connections allow, from its own address;
- or a guesser sends waves of ``--guesses`` concurrent logins with unknown names — from one address, or each from
  an address of its own (a botnet: only the cap on password checks stands in its way).

It prints the ordinary customers' p50 / p95 per run, and what became of the flood. "off" is ``KEFU_RATE_LIMITS=false``
with ``KEFU_LOGIN_CHECKS_AT_ONCE=64`` (password checks bounded only by the default thread pool, as before the cap).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import sys
import time

import aiohttp

from bench.__main__ import SALE, serving

PACE_SECONDS = 1.2
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
OFF = {"KEFU_RATE_LIMITS": "false", "KEFU_LOGIN_CHECKS_AT_ONCE": "64"}
ON: dict[str, str] = {}


def _address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


async def _customer(http: aiohttp.ClientSession, base: str, index: int, latencies: list[float]) -> None:
    rng = random.Random(index)
    buttons: list[str] = []
    headers = {"X-Forwarded-For": _address(1000 + index)}
    await asyncio.sleep(rng.uniform(0, PACE_SECONDS))
    for template in SALE:
        text = template
        if template in ("{size}", "{colour}"):
            if not buttons:
                continue
            text = buttons[0]
        started = time.perf_counter()
        async with http.post(f"{base}/api/messages", json={"customer": f"person-{index}", "text": text},
                             headers=headers) as response:
            body = await response.json()
            if response.status != 200:
                raise RuntimeError(f"an ordinary customer was refused: {response.status} {body}")
        latencies.append((time.perf_counter() - started) * 1000)
        buttons = [b for reply in body["replies"] for b in reply["buttons"]]
        await asyncio.sleep(PACE_SECONDS * rng.uniform(0.8, 1.2))


async def _flood(http: aiohttp.ClientSession, base: str, count: int, outcome: dict[str, int]) -> None:
    numbers = iter(range(count))
    headers = {"X-Forwarded-For": _address(7)}

    async def connection() -> None:
        for n in numbers:
            async with http.post(f"{base}/api/messages", json={"customer": "flooder", "text": f"在吗{n}"},
                                 headers=headers) as response:
                await response.read()
                outcome[str(response.status)] = outcome.get(str(response.status), 0) + 1

    await asyncio.gather(*(connection() for _ in range(20)))


async def _guesses(http: aiohttp.ClientSession, base: str, wave: int, spread: bool, stop: asyncio.Event,
                   outcome: dict[str, int]) -> None:
    async with http.get(f"{base}/login") as page:
        token = _CSRF.search(await page.text()).group(1)  # type: ignore[union-attr]
    numbers = itertools.count()

    async def guess(n: int) -> None:
        address = _address(20000 + n) if spread else _address(9)
        async with http.post(f"{base}/login", data={"name": f"ghost-{n}", "password": "guess-guess", "csrf_token": token},
                             headers={"X-Forwarded-For": address}, allow_redirects=False) as response:
            await response.read()
            outcome[str(response.status)] = outcome.get(str(response.status), 0) + 1

    while not stop.is_set():
        await asyncio.gather(*(guess(next(numbers)) for _ in range(wave)))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(name: str, settings: dict[str, str], customers: int, attack: str, size: int) -> None:
    environment = {"KEFU_TRUST_X_FORWARDED_FOR": "true", **settings}
    async with serving(environment) as (base, _process, _cold):
        latencies: list[float] = []
        outcome: dict[str, int] = {}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            stop = asyncio.Event()
            ordinary = asyncio.gather(*(_customer(http, base, i, latencies) for i in range(customers)))
            if attack == "flood":
                attacker = asyncio.ensure_future(_flood(http, base, size, outcome))
            elif attack.startswith("guesses"):
                attacker = asyncio.ensure_future(_guesses(http, base, size, attack.endswith("spread"), stop, outcome))
            else:
                attacker = asyncio.ensure_future(asyncio.sleep(0))
            began = time.perf_counter()
            await ordinary
            stop.set()
            await attacker
            elapsed = time.perf_counter() - began
    answers = ", ".join(f"{status}: {count}" for status, count in sorted(outcome.items())) or "-"
    print(f"{name:<44} p50 {_percentile(latencies, 0.5):7.1f} ms   p95 {_percentile(latencies, 0.95):7.1f} ms   "
          f"({len(latencies)} messages, {elapsed:.0f} s)   attacker got {answers}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.limits")
    parser.add_argument("--customers", type=int, default=20, help="ordinary customers, each a sale at a person's pace")
    parser.add_argument("--flood", type=int, default=500, help="messages from the flooding customer")
    parser.add_argument("--guesses", type=int, default=150, help="concurrent login guesses per wave")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.customers} ordinary customers")
    plan = [
        ("no attack, limits on", ON, "none", 0),
        (f"{args.flood} messages from one customer, limits off", OFF, "flood", args.flood),
        (f"{args.flood} messages from one customer, limits on", ON, "flood", args.flood),
        (f"waves of {args.guesses} login guesses, one address, off", OFF, "guesses", args.guesses),
        (f"waves of {args.guesses} login guesses, one address, on", ON, "guesses", args.guesses),
        (f"waves of {args.guesses} login guesses, {args.guesses} addresses, on", ON, "guesses-spread", args.guesses),
    ]
    for name, settings, attack, size in plan:
        asyncio.run(run(name, settings, args.customers, attack, size))


if __name__ == "__main__":
    main()
