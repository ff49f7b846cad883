"""The REST channel, as a shop's backend uses it (CONTRACT.md "Server")."""

from __future__ import annotations

import os
from typing import Any

import pytest


async def say(client: Any, customer: str, text: str, **extra: Any) -> dict[str, Any]:
    response = await client.post("/api/messages", json={"customer": customer, "text": text, **extra})
    assert response.status == 200, await response.text()
    return await response.json()


async def test_health(client: Any) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}, "the body as CONTRACT.md has it"
    assert response.headers["X-Kefu-Worker"] == str(os.getpid()), "the worker that answered is named"


async def test_greeting_is_answered_warmly_with_choices(client: Any) -> None:
    answer = await say(client, "c1", "在吗")
    assert answer["intent"] == "greet"
    assert answer["stage"] == "greet" and answer["status"] == "bot"
    assert 0.0 <= answer["confidence"] <= 1.0
    reply = answer["replies"][0]
    assert "亲" in reply["text"] and reply["buttons"]
    assert reply["seq"] > answer["seq"]


async def test_repeated_message_id_is_answered_once(client: Any) -> None:
    first = await say(client, "c2", "这件T恤有L码吗", message_id="m-1")
    again = await say(client, "c2", "这件T恤有L码吗", message_id="m-1")
    assert again["replies"] == first["replies"]
    assert again["duplicate"] is True
    history = await (await client.get("/api/messages", params={"customer": "c2", "after": 0})).json()
    assert len(history["messages"]) == len(first["replies"])


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "JSON"),
        ("[1, 2]", "object"),
        ('{"text": "hi"}', "customer"),
        ('{"customer": "", "text": "hi"}', "customer"),
        ('{"customer": "x", "text": 5}', "text"),
        ('{"customer": "x"}', "text"),
        ('{"customer": "x", "text": "' + "长" * 4097 + '"}', "4096"),
    ],
)
async def test_bad_input_is_a_clear_400_and_the_server_keeps_serving(client: Any, body: str, reason: str) -> None:
    response = await client.post("/api/messages", data=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert reason in (await response.json())["error"]
    assert (await client.get("/healthz")).status == 200


async def test_empty_text_gets_a_gentle_prompt(client: Any) -> None:
    answer = await say(client, "c3", "   ")
    assert answer["replies"] and answer["replies"][0]["text"]


async def test_every_answer_reports_a_label_from_intents_md(client: Any) -> None:
    from intents import LABELS

    for text in ["在吗", "4分 满意", "转人工", "", "？？？", "KF261123000001"]:
        answer = await say(client, "labels-1", text)
        assert answer["intent"] in LABELS, answer["intent"]
        assert answer["stage"] in {"greet", "consult", "recommend", "objection", "close", "confirm_order", "farewell", "shipping"}
        assert answer["status"] in {"bot", "waiting_agent", "agent", "closed"}
