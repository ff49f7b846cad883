"""What a flood does to everyone else, with the rate limits off and on (issue 9, item 9).

    python -m bench.limits [--customers 20] [--flood 100] [--guesses 50]

Each run starts a real ``python -m bot serve`` on loopback (SQLite) and plays ``--customers`` ordinary customers,
each a whole sale at a person's pace (a message every ~1.2 s, each from an address of its own: the server trusts
X-Forwarded-For here, as it would behind the shop's proxy), while

- a flooding customer sends ``--flood`` messages a second from its own address, for the whole run;
- or a guesser sends ``--guesses`` logins a second with unknown names — from one address, or each from an address of
  its own (a botnet: only the name lock-out and the cap on password checks stand in its way).

Both attackers are open-loop: they send at their rate whatever the answers, so "off" and "on" face the same load.

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
from collections.abc import Awaitable, Callable

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


async def _open_loop(rate: float, fire: Callable[[int], Awaitable[int]], stop: asyncio.Event,
                     outcome: dict[str, int]) -> None:
    """Fire requests at ``rate`` a second, whatever the answers (an attacker does not wait for them), until ``stop``;
    at most 500 in flight (beyond that the client counts them as not sent)."""
    in_flight: set[asyncio.Task[None]] = set()
    began = time.perf_counter()

    async def one(n: int) -> None:
        status = await fire(n)
        outcome[str(status)] = outcome.get(str(status), 0) + 1

    for n in itertools.count():
        if stop.is_set():
            break
        if len(in_flight) >= 500:
            outcome["not sent"] = outcome.get("not sent", 0) + 1
        else:
            task = asyncio.ensure_future(one(n))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.sleep(max(0.0, began + (n + 1) / rate - time.perf_counter()))
    await asyncio.gather(*in_flight)


async def _flood(http: aiohttp.ClientSession, base: str, rate: float, stop: asyncio.Event,
                 outcome: dict[str, int]) -> None:
    """One customer sending ``rate`` messages a second from its own address for the whole run."""
    headers = {"X-Forwarded-For": _address(7)}

    async def fire(n: int) -> int:
        async with http.post(f"{base}/api/messages", json={"customer": "flooder", "text": f"在吗{n}"},
                             headers=headers) as response:
            await response.read()
            return response.status

    await _open_loop(rate, fire, stop, outcome)


async def _guesses(http: aiohttp.ClientSession, base: str, rate: float, spread: bool, stop: asyncio.Event,
                   outcome: dict[str, int]) -> None:
    """Login guesses with unknown names at ``rate`` a second: from one address, or (``spread``) each from its own."""
    async with http.get(f"{base}/login") as page:
        token = _CSRF.search(await page.text()).group(1)  # type: ignore[union-attr]
    cookie = f"kefu_login_csrf={token}"  # the login form's double-submit cookie (the jar keeps none for an IP)

    async def fire(n: int) -> int:
        address = _address(20000 + n) if spread else _address(9)
        async with http.post(f"{base}/login", data={"name": f"ghost-{n}", "password": "guess-guess", "csrf_token": token},
                             headers={"X-Forwarded-For": address, "Cookie": cookie}, allow_redirects=False) as response:
            await response.read()
            return response.status

    await _open_loop(rate, fire, stop, outcome)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(name: str, settings: dict[str, str], customers: int, attack: str, size: float) -> None:
    environment = {"KEFU_TRUST_X_FORWARDED_FOR": "true", **settings}
    async with serving(environment) as (base, _process, _cold):
        latencies: list[float] = []
        outcome: dict[str, int] = {}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            stop = asyncio.Event()
            ordinary = asyncio.gather(*(_customer(http, base, i, latencies) for i in range(customers)))
            if attack == "flood":
                attacker = asyncio.ensure_future(_flood(http, base, size, stop, outcome))
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
    parser.add_argument("--flood", type=float, default=100, help="messages a second from the flooding customer")
    parser.add_argument("--guesses", type=float, default=50, help="login guesses a second")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.customers} ordinary customers")
    plan = [
        ("no attack, limits on", ON, "none", 0),
        (f"one customer, {args.flood:g} messages/s, limits off", OFF, "flood", args.flood),
        (f"one customer, {args.flood:g} messages/s, limits on", ON, "flood", args.flood),
        (f"{args.guesses:g} login guesses/s, one address, off", OFF, "guesses", args.guesses),
        (f"{args.guesses:g} login guesses/s, one address, on", ON, "guesses", args.guesses),
        (f"{args.guesses:g} login guesses/s, each address new, on", ON, "guesses-spread", args.guesses),
    ]
    for name, settings, attack, size in plan:
        asyncio.run(run(name, settings, args.customers, attack, size))


if __name__ == "__main__":
    main()
