"""A customer talking to the REST channel (``POST /api/messages``): the helpers the REST conversation tests share."""

from __future__ import annotations

import re
from typing import Any


async def say(client: Any, customer: str, text: str) -> dict[str, Any]:
    """Send one message as ``customer``; the response body (the request must succeed)."""
    response = await client.post("/api/messages", json={"customer": customer, "text": text})
    assert response.status == 200, await response.text()
    return await response.json()


def texts(answer: dict[str, Any]) -> str:
    """Every reply's text, one per line."""
    return "\n".join(r["text"] for r in answer["replies"])


def buttons(answer: dict[str, Any]) -> list[str]:
    """Every button the replies offer."""
    return [b for r in answer["replies"] for b in r["buttons"]]


async def tasks(client: Any, statuses: tuple[str, ...] = ("queued", "intercepted")) -> list[dict[str, Any]]:
    """The warehouse's tasks in those statuses (``GET /api/shipping``)."""
    found: list[dict[str, Any]] = []
    for status in statuses:
        found += (await (await client.get("/api/shipping", params={"status": status})).json())["tasks"]
    return found


async def order_lines(client: Any) -> list[tuple[str, str, str, int]]:
    """Every line of the warehouse's open tasks as (name, colour, size, quantity), sorted."""
    return sorted((i["name"], i["colour"], i["size"], int(i["quantity"])) for t in await tasks(client) for i in t["items"])


async def place(client: Any, customer: str, address: str, yes: str = "确认") -> str:
    """Give the address, check the bot reads the order back (or offers to add to the last one), say yes; the order
    number the bot names (empty when it names none)."""
    readback = await say(client, customer, address)
    assert any(w in texts(readback) for w in ("核对", "订单信息", "加到订单")), texts(readback)
    done = await say(client, customer, yes)
    numbers = re.findall(r"KF\d{8,14}", texts(done))
    return numbers[0] if numbers else ""
