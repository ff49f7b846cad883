"""Malformed input, exposure and headers at the edge (issue 9, "Faults and bad input", "Exposure"): every bad
body, query string, path id and socket frame is a clear 400 (or an error frame) and the server keeps serving; the
REST API is closed to strangers by default; pages carry their security headers; the console's socket refuses
other sites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSServerHandshakeError

from bot import create_app
from tests.bot.desk.test_console import Shop
from tests.bot.rest import say
from tests.conftest import make_settings

DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = "9" * 4400


@pytest.mark.parametrize(
    ("body", "headers", "reason"),
    [
        (DEEP, {}, "JSON"),
        ('{"customer": "x", "text": "hi", "message_id": ' + LONG_NUMBER + "}", {}, "JSON"),
        ('{"customer": ' + LONG_NUMBER + ', "text": "hi"}', {}, "JSON"),
        ('{"customer": "x", "text": "hi"}', {"Content-Type": "application/json; charset=no-such-charset"}, None),
        ('{"customer": "x", "text": "\\ud800"}', {}, "text"),
        ('{"customer": "\\udfff", "text": "hi"}', {}, "customer"),
        ('{"customer": "x", "text": "hi", "message_id": "\\ud83d"}', {}, "message_id"),
        ('{"customer": "x", "text": "hi", "message_id": 1e400}', {}, "message_id"),
        ('{"customer": 18446744073709551616, "text": "hi"}', {}, "customer"),
        ('{"customer": "x", "text": "hi", "message_id": "' + "m" * 129 + '"}', {}, "128"),
        ('{"customer": "x", "text": "hi", "message_id": "  "}', {}, "message_id"),
        ('{"customer": "x", "text": "hi", "image": 5}', {}, "image"),
        ('{"customer": "x", "text": "hi", "image": "非base64"}', {}, "base64"),
        (b'{"customer": "x", "text": "\xff"}', {}, "JSON"),
    ],
)
async def test_malformed_bodies_are_a_clear_400(client: Any, body: str | bytes, headers: dict[str, str],
                                               reason: str | None) -> None:
    data = body.encode() if isinstance(body, str) else body
    response = await client.post("/api/messages", data=data,
                                 headers={"Content-Type": "application/json", **headers})
    if reason is None:  # a charset nobody knows: JSON is UTF-8 (RFC 8259), read as that
        assert response.status == 200, await response.text()
    else:
        assert response.status == 400, await response.text()
        assert reason in (await response.json())["error"]
    assert (await client.get("/healthz")).status == 200


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/messages", {"customer": "x", "after": "²"}, 400),
        ("/api/messages", {"customer": "x", "after": "٣"}, 400),
        ("/api/messages", {"customer": "x", "after": "9" * 30}, 400),
        ("/api/messages", {"customer": "x", "after": "-1"}, 400),
        ("/api/messages", {"customer": "x\x00", "after": "0"}, 400),
        ("/api/messages", {"customer": "x" * 129}, 400),
        ("/chat/history", {"customer": "abcdefgh\n"}, 400),
        ("/chat/ws", {"customer": "abcdefgh", "after": "²"}, 400),
        ("/api/shipping/%00/ship", None, 404),
        ("/api/invoices/²/issued", None, 404),
        ("/api/invoices/" + "9" * 30 + "/issued", None, 404),
    ],
)
async def test_bad_query_strings_and_path_ids_are_refused_plainly(client: Any, path: str, params: Any,
                                                                 status: int) -> None:
    if path.endswith(("/ship", "/issued")):
        response = await client.post(path, json={"tracking_no": "ZT1"})
    else:
        response = await client.get(path, params=params)
    assert response.status == status, await response.text()
    assert (await client.get("/healthz")).status == 200


async def test_the_web_chat_socket_answers_bad_frames_with_error_frames_and_keeps_serving(client: Any) -> None:
    ws = await client.ws_connect("/chat/ws?customer=edge-socket-1")
    for frame, reason in (
        ("not json", "JSON"),
        (DEEP, "JSON"),
        ('{"type": "message", "id": 7, "text": "hi"}', "id"),
        ('{"type": "message", "id": "a", "text": "\\ud800"}', "text"),
        ('{"type": "message", "id": "\\ud800", "text": "hi"}', "id"),
        ('{"type": "message", "id": "a", "text": "hi\\u0000"}', "text"),
        ('{"type": "message", "id": "' + "i" * 129 + '", "text": "hi"}', "128"),
        ('{"type": "message", "id": "a", "text": "hi", "n": ' + LONG_NUMBER + "}", "JSON"),
        ('{"type": "message", "id": "a", "text": 5}', "text"),
        ('{"type": "nope"}', "type"),
        ("[1]", "object"),
    ):
        await ws.send_str(frame)
        answer = await ws.receive_json(timeout=10)
        assert answer["type"] == "error" and reason in answer["error"], (frame[:60], answer)
    await ws.send_str(json.dumps({"type": "message", "id": "ok-1", "text": "在吗"}))
    kinds = set()
    while "ack" not in kinds:
        kinds.add((await ws.receive_json(timeout=10))["type"])
    await ws.close()


async def test_the_rest_api_is_closed_to_strangers_by_default(tmp_path: Path, sqlite_url: str) -> None:
    from bot.__main__ import exposure

    default = make_settings(tmp_path, sqlite_url)
    assert exposure(default, "127.0.0.1") is None and exposure(default, "::1") is None
    refusal = exposure(default, "0.0.0.0")
    assert refusal and "KEFU_API_KEY" in refusal and "KEFU_API_OPEN" in refusal
    assert exposure(make_settings(tmp_path, sqlite_url, api_key="k"), "0.0.0.0") is None
    assert exposure(make_settings(tmp_path, sqlite_url, api_open=True), "0.0.0.0") is None


def test_serve_refuses_a_public_address_without_a_key(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path)}
    env.pop("KEFU_API_KEY", None)
    env.pop("KEFU_API_OPEN", None)
    result = subprocess.run([sys.executable, "-m", "bot", "serve", "--host", "0.0.0.0", "--port", "1"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "KEFU_API_KEY" in result.stderr, result.stderr


async def test_the_warehouse_key_opens_the_shipping_queue_and_nothing_else(
    aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any
) -> None:
    settings = make_settings(tmp_path, sqlite_url, api_key="shop-key", warehouse_key="scanner-key")
    client = await aiohttp_client(create_app(settings, classifier=classifier))
    scanner = {"Authorization": "Bearer scanner-key"}
    assert (await client.get("/api/shipping", headers=scanner)).status == 200
    for call in (client.get("/api/messages", params={"customer": "a"}, headers=scanner),
                 client.post("/api/messages", json={"customer": "a", "text": "在吗"}, headers=scanner),
                 client.get("/api/invoices", headers=scanner),
                 client.get("/api/shipping")):
        assert (await call).status == 401
    # The scheme is case-insensitive (RFC 9110): "bearer" and "BEARER" work as "Bearer" does.
    for scheme in ("bearer", "BEARER", "Bearer"):
        answer = await client.post("/api/messages", json={"customer": "a", "text": "在吗"},
                                   headers={"Authorization": f"{scheme} shop-key"})
        assert answer.status == 200
    assert (await client.get("/api/shipping", headers={"Authorization": "bearer shop-key"})).status == 200


async def test_the_chat_page_carries_its_security_headers(client: Any) -> None:
    page = await client.get("/")
    assert page.status == 200
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    script = await client.get("/static/chat.js")
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    await say(client, "edge-h", "在吗")


async def test_the_consoles_socket_refuses_another_sites_page(shop: Shop) -> None:
    alice = await shop.agent("alice")
    with pytest.raises(WSServerHandshakeError) as refused:
        await alice.client.ws_connect("/agent/ws", headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403
    host = f"{alice.client.server.host}:{alice.client.server.port}"
    ws = await alice.client.ws_connect("/agent/ws", headers={"Origin": f"http://{host}"})
    assert (await ws.receive_json(timeout=10))["type"] == "queue"
    await ws.close()
