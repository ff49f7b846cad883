"""Customers' photos as evidence for agents (issue 3, "Dispute intake by the bot"): the photo route under
``/agent`` (the stored bytes, locked-down headers, a login required) and what the console's JSON says of the
evidence and the dispute record — through a real loopback server with real logins, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from tests.bot.desk.test_console import Agent, Shop
from tests.bot.engine.test_intake_service import buy_a_tee, png

BROKEN = "收到的T恤有个洞，太差了！！"
# Photos by their first bytes (the engine keeps the type it finds there, whatever the customer declared).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


async def post(shop: Shop, customer: str, text: str = "", **extra: Any) -> dict[str, Any]:
    response = await shop.customers.post("/api/messages", json={"customer": customer, "text": text, **extra})
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def photo(shop: Shop, customer: str, data: bytes, text: str = "") -> dict[str, Any]:
    return await post(shop, customer, text, image=base64.b64encode(data).decode())


async def conversation(agent: Agent, ident: int) -> dict[str, Any]:
    status, body = await agent.get_json(f"/agent/api/conversations/{ident}")
    assert status == 200, body
    return dict(body)


async def photo_ids(agent: Agent, ident: int) -> list[int]:
    return [a for m in (await conversation(agent, ident))["messages"] for a in m["attachments"]]


async def test_an_agent_gets_the_customers_photo_byte_for_byte_with_locked_down_headers(shop: Shop) -> None:
    await post(shop, "mia", BROKEN)
    sent = png(40, 30)
    answer = await photo(shop, "mia", sent)
    alice = await shop.agent("alice")
    [ident] = await photo_ids(alice, answer["conversation_id"])

    response = await alice.client.get(f"/agent/api/attachments/{ident}", allow_redirects=False)
    assert response.status == 200
    assert await response.read() == sent
    headers = response.headers
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("inline")
    assert headers["Cache-Control"] == "private, max-age=3600"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["ETag"] == f'"{hashlib.sha256(sent).hexdigest()}"'

    again = await alice.client.get(f"/agent/api/attachments/{ident}", headers={"If-None-Match": headers["ETag"]})
    assert again.status == 304 and await again.read() == b""


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
    ids=["jpeg", "gif", "webp"],
)
async def test_each_photo_is_served_as_the_type_found_in_its_bytes(
    shop: Shop, data: bytes, content_type: str
) -> None:
    answer = await post(shop, "kim", "转人工")
    await post(shop, "kim", "", image=f"data:image/png;base64,{base64.b64encode(data).decode()}")  # a wrong label
    alice = await shop.agent("alice")
    [ident] = await photo_ids(alice, answer["conversation_id"])
    response = await alice.client.get(f"/agent/api/attachments/{ident}")
    assert response.status == 200 and response.headers["Content-Type"] == content_type
    assert await response.read() == data
    assert response.headers["Content-Disposition"].endswith(f'.{content_type.split("/")[1].replace("jpeg", "jpg")}"')


async def test_without_a_login_the_photo_is_refused(shop: Shop) -> None:
    await post(shop, "mia", BROKEN)
    sent = png()
    answer = await photo(shop, "mia", sent)
    alice = await shop.agent("alice")
    [ident] = await photo_ids(alice, answer["conversation_id"])
    path = f"/agent/api/attachments/{ident}"

    # The REST channel's client has no session: it is sent to the login page, without the photo.
    response = await shop.customers.get(path, allow_redirects=False)
    assert response.status in (302, 303) and response.headers["Location"] == "/login"
    assert sent not in await response.read()
    # A made-up session cookie is no login either.
    forged = await shop.customers.get(path, allow_redirects=False, headers={"Cookie": "kefu_session=" + "x" * 43})
    assert forged.status in (302, 303) and forged.headers["Location"] == "/login"
    # And after logging out, the same browser is refused too.
    logout = await alice.client.post("/logout", data={"csrf_token": alice.csrf}, allow_redirects=False)
    assert logout.status in (302, 303)
    after = await alice.client.get(path, allow_redirects=False)
    assert after.status in (302, 303) and after.headers["Location"] == "/login"


@pytest.mark.parametrize("ident", ["999999", "0", "abc", "1e3", "9" * 30])
async def test_an_unknown_photo_is_a_json_404(shop: Shop, ident: str) -> None:
    alice = await shop.agent("alice")
    response = await alice.client.get(f"/agent/api/attachments/{ident}", allow_redirects=False)
    assert response.status == 404
    assert response.content_type == "application/json"
    assert (await response.json())["error"] == "no such attachment"


async def test_the_transcript_and_the_queue_carry_the_evidence_and_the_record(shop: Shop) -> None:
    order_no = await buy_a_tee(shop, "mia")
    alice = await shop.agent("alice")
    answer = await post(shop, "mia", BROKEN)
    [choice] = [b for r in answer["replies"] for b in r["buttons"] if b.startswith(order_no)]
    await post(shop, "mia", choice)
    first, second = png(4, 3), png(3, 4)
    shot = await photo(shop, "mia", first)
    both = await photo(shop, "mia", second, text="还有一张")
    await post(shop, "mia", "换货")

    chat = await conversation(alice, shot["conversation_id"])
    by_seq = {m["seq"]: m for m in chat["messages"]}
    ids = by_seq[shot["seq"]]["attachments"] + by_seq[both["seq"]]["attachments"]
    assert len(ids) == 2 and ids == sorted(ids)
    assert by_seq[shot["seq"]]["text"] == "[图片]" and by_seq[both["seq"]]["text"] == "还有一张"
    assert all(m["attachments"] == [] for m in chat["messages"] if m["seq"] not in (shot["seq"], both["seq"]))
    [dispute] = chat["disputes"]
    assert dispute["order_no"] == order_no and dispute["evidence"] == ids
    assert dispute["subtype_label"] == "商品有破损或质量问题" and dispute["expectation_label"] == "换货"
    assert dispute["details"]["intake"] == "done"
    assert dispute["details"]["facts"][0]["text"] == BROKEN
    for ident, data in zip(ids, (first, second), strict=True):
        response = await alice.client.get(f"/agent/api/attachments/{ident}")
        assert await response.read() == data

    [item] = (await alice.queue())["waiting"]
    assert item["id"] == chat["id"] and item["dispute_type"] == "product"
    assert item["emotion"] == {"level": dispute["details"]["emotion"]["level"],
                               "label": dispute["details"]["emotion"]["label"]}
    assert item["emotion"]["level"] in ("upset", "angry", "furious") and item["emotion"]["label"]
    assert item["expectation"] == "换货" and item["evidence_count"] == 2


async def test_a_photo_in_a_chat_without_a_dispute_is_shown_but_is_no_evidence(shop: Shop) -> None:
    answer = await post(shop, "leo", "转人工")
    shot = await photo(shop, "leo", png())
    alice = await shop.agent("alice")
    chat = await conversation(alice, answer["conversation_id"])
    assert chat["disputes"] == []
    assert len([m for m in chat["messages"] if m["seq"] == shot["seq"]][0]["attachments"]) == 1
    [item] = (await alice.queue())["waiting"]
    assert item["dispute_type"] is None and item["emotion"] is None and item["expectation"] is None
    assert item["evidence_count"] == 0


async def test_the_queue_shows_the_latest_disputes_record(shop: Shop) -> None:
    """A second complaint in the same chat: the queue reads the newer dispute, not the first one."""
    await post(shop, "ray", "你们发错货了")
    await photo(shop, "ray", png())
    alice = await shop.agent("alice")
    conv = await shop.conversation_of("ray")
    assert (await alice.take(conv.id))[0] == 200
    status, _ = await alice.post_json(f"/agent/api/conversations/{conv.id}/resolve", {"remedy": "reship"})
    assert status == 200
    answer = await post(shop, "ray", "快递怎么还没到？都好几天了，到底有没有人管？？？骗子！！！")
    assert answer["status"] == "waiting_agent"
    chat = await conversation(alice, conv.id)
    assert [d["status"] for d in chat["disputes"]] == ["resolved", "open"]
    assert len(chat["disputes"][0]["evidence"]) == 1 and chat["disputes"][1]["evidence"] == []
    [item] = (await alice.queue())["waiting"]
    assert item["dispute_type"] == "logistics" and item["evidence_count"] == 0
    assert item["emotion"]["level"] in ("angry", "furious")
