"""Property-based fuzzing of every way in (issue 9, item 7), on both databases: REST bodies, query strings and path
ids, web-chat socket frames, Telegram update shapes and the login form. Whatever arrives: never a 5xx, never a
traceback (nor any error) in the log, and the server serves a normal customer afterwards.

Example counts are bounded so that ``make test`` stays quick; raise ``KEFU_FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bot.rest import say

EXAMPLES = int(os.environ.get("KEFU_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text as people and programs send it: Chinese, ASCII, emoji, control characters, lone surrogates, and very long.
chars = st.characters(codec=None, exclude_categories=())
texts = st.one_of(
    st.text(chars, max_size=40),
    st.sampled_from(["在吗", "T恤M码白色一件", "确认", "转人工", "退款", "\x00", "\ud800", "", " ", "KF2612010000001"]),
    st.text(st.sampled_from("在吗要一件白色M码的T恤确认退款０１２３🙂\n\t"), max_size=60),
    st.builds(lambda c, n: c * n, st.sampled_from(["长", "a", "\u200b"]), st.integers(4000, 4200)),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
                    st.floats(allow_nan=False), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                           max_leaves=12)
message_bodies = st.fixed_dictionaries(
    {"customer": st.one_of(st.sampled_from(["fz-1", "fz-2"]), scalars)},
    optional={"text": st.one_of(texts, scalars), "message_id": st.one_of(texts, scalars, st.just("")),
              "image": st.one_of(texts, scalars, st.just("data:image/png;base64,iVBORw0KGgo="))},
)


class Errors(logging.Handler):
    """Every log record at ERROR or above, and every record carrying a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def check(self) -> None:
        assert not self.records, [self.format(r) for r in self.records[:3]]


@pytest.fixture
def errors() -> Iterator[Errors]:
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


async def still_serving(client: Any, errors: Errors) -> None:
    errors.check()
    assert (await client.get("/healthz")).status == 200
    answer = await say(client, "fz-after", "在吗")
    assert answer["replies"]


def examples(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """Hypothesis's examples of ``strategy`` (a bounded, reproducible list), to send one by one to a server that
    runs on the test's event loop."""
    drawn: list[Any] = []

    @FUZZ
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


async def test_rest_bodies(client: Any, errors: Errors) -> None:
    bodies = st.one_of(message_bodies, json_values, st.binary(max_size=64))
    charsets = st.sampled_from(["", "; charset=utf-8", "; charset=latin-1", "; charset=no-such"])
    for body, charset in examples(st.tuples(bodies, charsets)):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
        response = await client.post("/api/messages", data=data,
                                     headers={"Content-Type": "application/json" + charset})
        assert response.status in (200, 400, 413), (body, response.status, await response.text())
        errors.check()
    await still_serving(client, errors)


async def test_rest_bodies_with_the_rate_limits_on(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, errors: Errors
) -> None:
    from bot import create_app
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, db_url, rate_limits=True, message_burst=1000, address_burst=1000)
    client = await aiohttp_client(create_app(settings, classifier=classifier))
    await test_rest_bodies(client, errors)


async def test_query_strings_and_path_ids(client: Any, errors: Errors) -> None:
    numbers = st.one_of(texts, st.integers().map(str))
    for customer, after, row in examples(st.tuples(texts, numbers, numbers)):
        for path, params in (("/api/messages", {"customer": customer, "after": after}),
                             ("/api/messages", {"customer": customer}),
                             ("/chat/history", {"customer": customer}),
                             ("/chat/ws", {"customer": customer, "after": after})):
            try:
                response = await client.get(path, params=params)
            except UnicodeEncodeError:
                continue  # (an unpaired surrogate cannot even be put in a URL by the client)
            assert response.status in (200, 400, 426), (path, params, response.status, await response.text())
        safe = re.sub(r"[/?#%\ud800-\udfff]", "", row) or "x"
        response = await client.post(f"/api/invoices/{safe}/issued", json={})
        assert response.status in (400, 404), (safe, response.status)
        errors.check()
    await still_serving(client, errors)


frames = st.one_of(
    st.fixed_dictionaries({"type": st.one_of(st.just("message"), scalars)},
                          optional={"id": st.one_of(texts, scalars), "text": st.one_of(texts, scalars),
                                    "image": st.one_of(texts, scalars)}),
    json_values,
)


@pytest.mark.parametrize("limits", [False, True])
async def test_socket_frames(aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any, errors: Errors,
                             limits: bool) -> None:
    from bot import create_app
    from tests.conftest import make_settings

    # With the limits on, a burst of 4 lets the fuzzer meet the rate-limit refusal too.
    settings = make_settings(tmp_path, db_url, rate_limits=limits, message_burst=4, address_burst=1000)
    client = await aiohttp_client(create_app(settings, classifier=classifier))
    ws = await client.ws_connect("/chat/ws?customer=fuzz-socket-1")
    for frame in examples(st.one_of(frames.map(lambda f: json.dumps(f, ensure_ascii=False)), texts)):
        try:
            await ws.send_str(frame)
        except UnicodeEncodeError:
            continue  # the client cannot send an unpaired surrogate
        while True:  # each frame gets an ack or an error (messages may come before the ack)
            answer = await ws.receive_json(timeout=20)
            if answer["type"] in ("ack", "error"):
                break
    assert not ws.closed
    answer: dict[str, Any] = {}
    while answer.get("type") != "ack":
        await ws.send_str(json.dumps({"type": "message", "id": "fuzz-last", "text": "在吗"}))
        answer = await ws.receive_json(timeout=20)
        while answer["type"] == "message":
            answer = await ws.receive_json(timeout=20)
        if answer["type"] == "error":
            assert answer.get("reason") == "rate_limited", answer
            await asyncio.sleep(answer["retry_after"])
    await ws.close()
    await still_serving(client, errors)


async def test_the_login_form(client: Any, errors: Errors) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]*)"', await page.text())
    assert token

    fields = st.dictionaries(st.sampled_from(["name", "password", "csrf_token", "x"]), texts, max_size=4)
    for form, keep_token in examples(st.tuples(fields, st.booleans())):
        if keep_token:
            form = {**form, "csrf_token": token.group(1)}
        try:
            response = await client.post("/login", data=form, allow_redirects=False)
        except UnicodeEncodeError:
            continue
        assert response.status < 500, (form, response.status)
    await still_serving(client, errors)


# ------------------------------------------------------------------ Telegram


def _updates() -> st.SearchStrategy[dict[str, Any]]:
    chat_type = st.sampled_from(["private", "group", "supergroup", "channel", "mystery"])
    photo = st.fixed_dictionaries({"file_id": st.text(max_size=8), "file_unique_id": st.text(max_size=8),
                                   "width": st.integers(0, 5000), "height": st.integers(0, 5000)},
                                  optional={"file_size": st.integers(0, 2**40)})
    content = st.fixed_dictionaries({}, optional={
        "text": texts, "caption": texts, "photo": st.lists(photo, max_size=3),
        "document": st.fixed_dictionaries({"file_id": st.text(max_size=8), "file_unique_id": st.text(max_size=8)},
                                          optional={"mime_type": st.sampled_from(["image/png", "text/plain", ""])}),
        "sticker": st.just({"file_id": "s", "file_unique_id": "us", "type": "regular", "width": 1, "height": 1,
                            "is_animated": False, "is_video": False}),
        "location": st.just({"latitude": 31.2, "longitude": 121.5}),
        "unknown_field": json_values,
    })
    return st.tuples(chat_type, content, st.booleans()).map(lambda t: {"chat_type": t[0], "content": t[1],
                                                                        "with_user": t[2]})


async def test_telegram_update_shapes(tmp_path: Path, db_url: str, classifier: Any, aiohttp_server: Any,
                                      monkeypatch: pytest.MonkeyPatch, errors: Errors) -> None:
    from bot.channels.telegram import channel, notices, outbox
    from tests.bot.channels.test_telegram import shop
    from tests.bot.telegram_server import FakeBotApi

    for module, name, value in ((outbox, "SWEEP_SECONDS", 0.2), (notices, "ESCALATION_SECONDS", 0.1),
                                (channel, "RETRY_SECONDS", 0.2)):
        monkeypatch.setattr(module, name, value)
    api = FakeBotApi()
    server = await aiohttp_server(api.app(), access_log=None)
    api.url = str(server.make_url("/"))
    shapes = examples(_updates())
    chat = 6001
    async with shop(tmp_path, db_url, api, classifier):
        for shape in shapes:
            message = api.message(chat if shape["chat_type"] == "private" else -chat, chat_type=shape["chat_type"],
                                  **shape["content"])
            if not shape["with_user"]:
                message.pop("from")
            try:
                json.dumps(message)
            except UnicodeEncodeError:
                continue
            api.push(json.loads(json.dumps(message, ensure_ascii=True)))
        api.text(chat, "在吗")  # after all of them, in the same chat: answered once they are all handled
        await api.wait_until(lambda: any("亲" in s.text for s in api.to(chat)), within=60,
                             what="the customer after the fuzzed updates")
        await asyncio.sleep(0.2)
    errors.check()
