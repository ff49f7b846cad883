"""The REST channel's follow-up endpoint, the API key, and the warehouse queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot import create_app
from tests.conftest import make_settings

ADDRESS = "李四 13900001111 上海市浦东新区世纪大道88号"


async def say(client: Any, customer: str, text: str, **headers: str) -> dict[str, Any]:
    response = await client.post("/api/messages", json={"customer": customer, "text": text}, headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_get_messages_returns_what_was_sent_after_a_sequence_number(client: Any) -> None:
    first = await say(client, "poll-1", "在吗")
    second = await say(client, "poll-1", "包邮吗")
    everything = await (await client.get("/api/messages", params={"customer": "poll-1", "after": 0})).json()
    assert [m["text"] for m in everything["messages"]] == [r["text"] for r in first["replies"] + second["replies"]]
    assert all(m["from"] == "bot" for m in everything["messages"])
    after = first["replies"][-1]["seq"]
    later = await (await client.get("/api/messages", params={"customer": "poll-1", "after": after})).json()
    assert [m["seq"] for m in later["messages"]] == [r["seq"] for r in second["replies"]]
    bad = await client.get("/api/messages", params={"customer": "poll-1", "after": "-1"})
    assert bad.status == 400 and "after" in (await bad.json())["error"]
    unknown = await (await client.get("/api/messages", params={"customer": "nobody"})).json()
    assert unknown["messages"] == []


async def test_the_api_key_guards_every_api_call(aiohttp_client: Any, tmp_path: Path, sqlite_url: str, classifier: Any) -> None:
    app = create_app(make_settings(tmp_path, sqlite_url, api_key="k3fu-secret"), classifier=classifier)
    client = await aiohttp_client(app)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "k3fu-secret"}):
        response = await client.post("/api/messages", json={"customer": "a", "text": "在吗"}, headers=headers)
        assert response.status == 401 and "API key" in (await response.json())["error"]
    assert (await client.get("/api/shipping")).status == 401
    answer = await say(client, "a", "在吗", Authorization="Bearer k3fu-secret")
    assert answer["replies"]
    assert (await client.get("/healthz")).status == 200, "health and the chat page stay open"
    assert (await client.get("/")).status == 200


async def test_the_warehouse_sees_confirmed_orders_and_records_dispatch(client: Any) -> None:
    await say(client, "w-1", "纯棉圆领短袖T恤有货吗")
    answer = await say(client, "w-1", "我要一件L码黑色的")
    while answer["stage"] == "close" and answer["replies"][-1]["buttons"]:
        answer = await say(client, "w-1", answer["replies"][-1]["buttons"][0])
    await say(client, "w-1", ADDRESS)
    await say(client, "w-1", "备注：请用纸箱包装")
    done = await say(client, "w-1", "确认")
    assert done["stage"] == "shipping"

    queue = await (await client.get("/api/shipping")).json()
    [task] = queue["tasks"]
    assert task["status"] == "queued" and "纸箱" in task["notes"]
    assert task["items"][0]["size"] == "L" and task["phone"] == "13900001111"

    missing = await client.post(f"/api/shipping/{task['order_no']}/ship", json={})
    assert missing.status == 400
    shipped = await client.post(f"/api/shipping/{task['order_no']}/ship", json={"tracking_no": "ZT9988"})
    assert (await shipped.json())["status"] == "shipped"
    again = await client.post(f"/api/shipping/{task['order_no']}/ship", json={"tracking_no": "ZT9988"})
    assert again.status == 409
    assert (await client.post("/api/shipping/KF000/ship", json={"tracking_no": "x"})).status == 404

    status = await say(client, "w-1", "我的快递到哪了")
    assert "ZT9988" in status["replies"][0]["text"]
