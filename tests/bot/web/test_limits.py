"""Rate limits (issue 9, item 9): a flooding customer or address is slowed down politely while everyone else is
served; login guesses are bounded per address and per name (unknown names too) without locking an agent out at
their usual address; over-long passwords and piles of password checks cost nothing. Through a real loopback server,
with a clock the test moves instead of sleeping."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import SERVICES, create_app, open_services
from bot.desk.accounts import Passwords, add_user
from bot.desk.sessions import Auth
from bot.web.limits import Buckets
from models import Customer, Database, Message, User
from replies import PhraseBank
from tests.bot.channels.test_telegram import telegram_settings, transcript
from tests.bot.desk.test_auth import PASSWORD, Browser, Clock, error_of
from tests.bot.telegram_server import FakeBotApi
from tests.conftest import make_settings

SLOW_DOWN = set(PhraseBank.from_yaml().entry("other.slow_down").variants)
LOCKED = "登录失败次数过多，账号已暂时锁定，请在 15 分钟后再试。"


async def post(client: Any, customer: str, text: str, **extra: Any) -> Any:
    headers = extra.pop("headers", {})
    return await client.post("/api/messages", json={"customer": customer, "text": text, **extra}, headers=headers)


async def inbound_texts(db: Database, customer: str) -> list[str]:
    def work(session: Any) -> list[str]:
        return list(session.execute(
            select(Message.text).join(Customer, Customer.id == Message.customer_id)
            .where(Customer.external_id == customer, Message.direction == "in").order_by(Message.seq)
        ).scalars())

    return await db.run(work)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def limited(tmp_path: Path, url: str, **overrides: Any) -> Any:
    """Settings with the limits on (the other tests run with them off)."""
    return make_settings(tmp_path, url, **{"rate_limits": True, **overrides})


async def app_client(aiohttp_client: Any, tmp_path: Path, url: str, classifier: Any, clock: Clock, **overrides: Any) -> Any:
    return await aiohttp_client(create_app(limited(tmp_path, url, **overrides), classifier=classifier, clock=clock))


# ------------------------------------------------------------------ customers' messages


async def test_a_flooding_customer_gets_429_with_the_polite_reply_while_another_is_served(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, clock: Clock
) -> None:
    client = await app_client(aiohttp_client, tmp_path, db_url, classifier, clock, message_burst=3)
    flood = [post(client, "flooder", f"在吗{i}", message_id=f"f{i}") for i in range(12)]
    neighbour = post(client, "neighbour", "包邮吗")
    *answers, served = await asyncio.gather(*flood, neighbour)

    assert served.status == 200 and "包邮" in "".join(r["text"] for r in (await served.json())["replies"])
    statuses = [a.status for a in answers]
    assert statuses.count(200) == 3 and statuses.count(429) == 9
    refused = [a for a in answers if a.status == 429]
    for answer in refused:
        body = await answer.json()
        assert answer.headers["Retry-After"] == "1" and body["retry_after"] == 1
        assert body["reason"] == "rate_limited" and body["reply"] in SLOW_DOWN and "not handled" in body["error"]
    db = client.server.app[SERVICES].db
    kept = await inbound_texts(db, "flooder")
    assert len(kept) == 3, "refused messages are not stored"

    # The customer waits as asked and sends a refused message again: it is answered, once.
    missing = next(i for i in range(12) if f"在吗{i}" not in kept)
    clock.advance(seconds=1)
    again = await post(client, "flooder", f"在吗{missing}", message_id=f"f{missing}")
    assert again.status == 200
    clock.advance(seconds=1)
    repeat = await post(client, "flooder", f"在吗{missing}", message_id=f"f{missing}")
    assert repeat.status == 200 and (await repeat.json())["replies"] == (await again.json())["replies"]
    assert (await inbound_texts(db, "flooder")).count(f"在吗{missing}") == 1


async def test_one_address_is_limited_across_customer_ids_and_others_are_not(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    client = await app_client(
        aiohttp_client, tmp_path, sqlite_url, classifier, clock, address_burst=4, trust_x_forwarded_for=True
    )
    office = {"X-Forwarded-For": "203.0.113.7"}
    for i in range(4):
        assert (await post(client, f"office-{i}", "在吗", headers=office)).status == 200
    refused = await post(client, "office-new", "在吗", headers=office)
    assert refused.status == 429 and (await refused.json())["reply"] in SLOW_DOWN
    elsewhere = await post(client, "home-1", "在吗", headers={"X-Forwarded-For": "198.51.100.2"})
    assert elsewhere.status == 200
    # Only the entry our proxy added counts: what the sender wrote before it cannot pick another address.
    spoofed = await post(client, "office-x", "在吗", headers={"X-Forwarded-For": "192.0.2.99, 203.0.113.7"})
    assert spoofed.status == 429


async def test_without_trusting_the_proxy_header_this_machine_is_limited_per_customer_only(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    # The peer is loopback (the shop's own backend, a script replaying chats, or a local proxy whose header is not
    # trusted): its customers are not lumped together as one address, and a header it sends picks none either.
    client = await app_client(aiohttp_client, tmp_path, sqlite_url, classifier, clock, address_burst=2,
                              message_burst=2)
    for i in range(5):
        assert (await post(client, f"a-{i}", "在吗", headers={"X-Forwarded-For": "192.0.2.1"})).status == 200
    assert (await post(client, "a-0", "包邮吗")).status == 200
    assert (await post(client, "a-0", "包邮吗")).status == 429, "each customer is still limited"


async def test_the_shops_own_backend_with_the_api_key_is_limited_per_customer_only(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    client = await app_client(
        aiohttp_client, tmp_path, sqlite_url, classifier, clock, api_key="k3fu-secret", address_burst=2, message_burst=2
    )
    key = {"Authorization": "Bearer k3fu-secret"}
    for i in range(5):
        assert (await post(client, f"shopper-{i}", "在吗", headers=key)).status == 200, "one address, many customers"
    assert (await post(client, "shopper-0", "包邮吗", headers=key)).status == 200
    assert (await post(client, "shopper-0", "包邮吗", headers=key)).status == 429


async def test_the_limits_can_be_turned_off(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    client = await app_client(aiohttp_client, tmp_path, sqlite_url, classifier, clock, rate_limits=False, message_burst=1)
    answers = await asyncio.gather(*(post(client, "eager", f"第{i}个问题") for i in range(6)))
    assert [a.status for a in answers] == [200] * 6


async def test_the_web_chat_refuses_a_burst_politely_and_takes_the_same_message_again(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    client = await app_client(aiohttp_client, tmp_path, sqlite_url, classifier, clock, message_burst=2)
    ws = await client.ws_connect("/chat/ws?customer=web-quick-1")
    try:
        for i in range(3):
            await ws.send_json({"type": "message", "id": f"m{i}", "text": f"在吗{i}"})
        frames: dict[str, dict[str, Any]] = {}
        while len(frames) < 3:
            frame = await ws.receive_json(timeout=30)
            if frame["type"] in ("ack", "error"):
                frames[frame["id"]] = frame
        assert frames["m0"]["type"] == frames["m1"]["type"] == "ack"
        refused = frames["m2"]
        assert refused["type"] == "error" and refused["reason"] == "rate_limited"
        assert refused["reply"] in SLOW_DOWN and refused["retry_after"] == 1

        clock.advance(seconds=1)
        await ws.send_json({"type": "message", "id": "m2", "text": "在吗2"})
        frame = await ws.receive_json(timeout=30)
        while frame["type"] != "ack":
            frame = await ws.receive_json(timeout=30)
        assert frame["id"] == "m2"
    finally:
        await ws.close()
    db = client.server.app[SERVICES].db
    assert await inbound_texts(db, "web-quick-1") == ["在吗0", "在吗1", "在吗2"]


async def test_telegram_says_slow_down_once_per_burst_not_once_per_message(
    tmp_path: Path, sqlite_url: str, api: FakeBotApi, classifier: Any, clock: Clock
) -> None:
    settings = telegram_settings(tmp_path, sqlite_url, api, message_burst=2, rate_limits=True)
    async with open_services(settings, classifier=classifier, clock=clock) as running:
        for i in range(6):
            api.text(5001, f"在吗{i}")
        await api.wait_until(lambda: not api.updates, what="the burst to be confirmed")
        await api.wait_until(lambda: any(s.text in SLOW_DOWN for s in api.to(5001)), what="the polite line")
        stored = await transcript(running.db, 5001)
        assert [t for _, d, t, _ in stored if d == "in"] == ["在吗0", "在吗1"]
        assert sum(1 for _, d, t, _ in stored if d == "out" and t in SLOW_DOWN) == 1

        clock.advance(seconds=1)
        api.text(5001, "在吗2")
        await api.wait_until(lambda: not api.updates, what="the resend to be confirmed")
        stored = await transcript(running.db, 5001)
        assert [t for _, d, t, _ in stored if d == "in"] == ["在吗0", "在吗1", "在吗2"]
        assert sum(1 for _, _, t, _ in stored if t in SLOW_DOWN) == 1


@pytest.fixture
async def api(aiohttp_server: Any) -> FakeBotApi:
    fake = FakeBotApi()
    server = await aiohttp_server(fake.app(), access_log=None)
    fake.url = str(server.make_url("/"))
    return fake


def test_buckets_refill_at_their_rate_and_forget_full_ones() -> None:
    now = [0.0]
    buckets = Buckets(rate=2, burst=3, clock=lambda: now[0], max_keys=100)
    for _ in range(3):
        assert buckets.wait("a") == 0
        buckets.take("a")
    assert buckets.wait("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert buckets.wait("a") == 0
    for key in range(50):
        buckets.take(key)
    now[0] += 10  # everyone has refilled: the next take drops them all
    buckets.take("b")
    assert len(buckets) == 1

    bounded = Buckets(rate=0.001, burst=1, clock=lambda: now[0], max_keys=10)
    for key in range(1000):
        bounded.take(key)
    assert len(bounded) == 10 and bounded.wait(999) > 0 and bounded.wait(0) == 0


# ------------------------------------------------------------------ logins


async def test_login_attempts_are_limited_per_address_unknown_names_included(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    browser = Browser(await app_client(
        aiohttp_client, tmp_path, sqlite_url, classifier, clock, login_address_burst=3, login_address_per_minute=1,
        trust_x_forwarded_for=True,
    ))
    await browser.add("alice")
    guesser = {"X-Forwarded-For": "203.0.113.66"}
    for name in ("ghost-1", "ghost-2", "ghost-3"):
        assert (await browser.login(name, "guess guess", **guesser)).status == 401
    refused = await browser.login("alice", PASSWORD, **guesser)
    assert refused.status == 429 and refused.headers["Retry-After"] == "60"
    assert "太频繁" in error_of(await refused.text()) and browser.session_token() is None
    ok = await browser.login("alice", PASSWORD, **{"X-Forwarded-For": "198.51.100.5"})
    assert ok.status == 303, "another address is not affected"
    browser.forget_cookies()
    clock.advance(minutes=1)
    assert (await browser.login("alice", PASSWORD, **guesser)).status == 303


async def test_an_unknown_name_is_locked_like_a_real_one(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    browser = Browser(await app_client(aiohttp_client, tmp_path, sqlite_url, classifier, clock))
    await browser.add("bob")
    for attempt in range(1, 8):
        real = await browser.login("bob", f"wrong password {attempt}")
        unknown = await browser.login("nobody", f"wrong password {attempt}")
        assert real.status == unknown.status == 401
        assert error_of(await real.text()) == error_of(await unknown.text()), attempt
    assert error_of(await unknown.text()) == LOCKED


async def test_guesses_elsewhere_do_not_lock_an_agent_out_at_their_usual_address(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, clock: Clock
) -> None:
    browser = Browser(await app_client(
        aiohttp_client, tmp_path, db_url, classifier, clock, trust_x_forwarded_for=True, login_address_burst=100,
    ))
    await browser.add("carol")
    desk, attacker, cafe = ({"X-Forwarded-For": a} for a in ("198.51.100.10", "203.0.113.9", "192.0.2.44"))
    assert (await browser.login("carol", PASSWORD, **desk)).status == 303
    browser.forget_cookies()

    answers = [await browser.login("carol", f"guess number {i}", **attacker) for i in range(40)]
    texts = [error_of(await a.text()) for a in answers]
    assert texts[:4] == ["用户名或密码不正确。"] * 4 and set(texts[4:]) == {LOCKED}, "five checked, the rest refused"
    # The attacker cannot pass for the agent's desk: only the entry our proxy added counts.
    assert (await browser.login("carol", PASSWORD, **{"X-Forwarded-For": "198.51.100.10, 203.0.113.9"})).status == 401
    assert (await browser.login("carol", PASSWORD, **cafe)).status == 401, "a new address waits out the lock"

    at_desk = await browser.login("carol", PASSWORD, **desk)
    assert at_desk.status == 303 and at_desk.headers["Location"] == "/agent", "the agent at their desk gets in"
    browser.forget_cookies()
    assert (await browser.login("carol", PASSWORD, **cafe)).status == 401, "their login does not lift the lock elsewhere"

    # Guessing at the agent's own address is limited there too, by the same rule.
    for i in range(5):
        await browser.login("carol", f"typo {i}", **desk)
    assert error_of(await (await browser.login("carol", PASSWORD, **desk)).text()) == LOCKED
    clock.advance(minutes=15, seconds=1)
    assert (await browser.login("carol", PASSWORD, **desk)).status == 303


class CountingPasswords(Passwords):
    """The real argon2 check, counted, with a gate the test opens (a check that takes as long as the test says)."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0
        self.running = 0
        self.most = 0
        self.gate = threading.Event()
        self._lock = threading.Lock()

    def verify(self, hashed: str | None, password: str) -> bool:
        with self._lock:
            self.checks += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            self.gate.wait(60)
            return super().verify(hashed, password)
        finally:
            with self._lock:
                self.running -= 1


async def test_an_over_long_password_is_refused_without_a_check(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, clock: Clock
) -> None:
    browser = Browser(await app_client(aiohttp_client, tmp_path, db_url, classifier, clock))
    await browser.add("dave")
    answer = await browser.login("dave", "x" * 100_000)
    assert answer.status == 400 and "密码太长" in error_of(await answer.text())
    failed = await browser.db.run(lambda s: s.execute(select(User.failed_logins)).scalar_one())
    assert failed == 0, "it did not count as a guess"

    passwords = CountingPasswords()
    passwords.gate.set()
    auth = Auth(limited(tmp_path, db_url), clock=clock, passwords=passwords)
    assert (await auth.login(browser.db, "dave", "x" * 1025)).too_long
    assert passwords.checks == 0
    assert (await auth.login(browser.db, "dave", PASSWORD)).login is not None and passwords.checks == 1


async def test_password_checks_run_one_at_a_time_and_a_pile_beyond_the_queue_is_refused_at_once(
    tmp_path: Path, sqlite_url: str, classifier: Any, clock: Clock
) -> None:
    settings = limited(tmp_path, sqlite_url, login_checks_at_once=1)
    async with open_services(settings, classifier=classifier) as running:
        await add_user(running.db, "erin", "agent", PASSWORD)
        passwords = CountingPasswords()
        auth = Auth(settings, clock=clock, passwords=passwords)
        logins = [
            asyncio.create_task(auth.login(running.db, f"guess-{i}", "guess guess", address=f"192.0.2.{i}"))
            for i in range(10)
        ]
        for _ in range(1000):  # one runs, four wait, five are refused without waiting
            if sum(t.done() for t in logins) == 5:
                break
            await asyncio.sleep(0.01)
        busy = [t.result() for t in logins if t.done()]
        assert len(busy) == 5 and all(r.busy and r.retry_after for r in busy)
        passwords.gate.set()
        results = await asyncio.gather(*logins)
        assert passwords.checks == 5 and passwords.most == 1
        assert sum(1 for r in results if r.busy) == 5
        assert await running.db.run(lambda s: s.execute(select(func.count()).select_from(User)).scalar_one()) == 1
