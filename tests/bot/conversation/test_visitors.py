"""Visitors who are not (yet) buying, as the fifteenth session's sets found them: come in to look around, kindly
surprised someone answers late, asking to be told when a sold-out item is back, done with "没别的事了" — each served
for what it is (never a complaint, never "what do you mean?", never a promise nothing here keeps), on both
databases through the REST API.
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import buttons, say, texts


async def test_come_in_to_look_around_is_welcomed_with_the_best_sellers_offered(client: Any) -> None:
    welcomed = await say(client, "vi-1", "睡不着 来逛逛😂")
    assert "没太明白" not in texts(welcomed) and "下单哪一款" not in texts(welcomed), texts(welcomed)
    assert "看看热销款" in buttons(welcomed), buttons(welcomed)
    shown = await say(client, "vi-1", "看看热销款")
    assert "元" in texts(shown), texts(shown)


async def test_taking_time_after_a_list_is_not_welcomed_again(client: Any) -> None:
    await say(client, "vi-6", "有什么适合通勤的衬衫推荐吗")
    later = texts(await say(client, "vi-6", "我先看看"))
    assert "欢迎" not in later and "不着急" in later, later


async def test_kindly_surprised_someone_answers_late_is_no_complaint(client: Any) -> None:
    await say(client, "vi-2", "在吗")
    answered = await say(client, "vi-2", "你们客服这么晚还在啊")
    assert answered["status"] == "bot", texts(answered)
    assert "在的" in texts(answered) and "对不起" not in texts(answered), texts(answered)
    more = await say(client, "vi-2", "大半夜的还有人回消息 好敬业")
    assert more["status"] == "bot", texts(more)


async def test_a_late_complaint_about_the_service_still_reaches_a_person(client: Any) -> None:
    answered = await say(client, "vi-3", "这么晚了发消息一直没人回 你们客服态度也太差了")
    assert answered["status"] == "waiting_agent" or "给个解释" in buttons(answered), texts(answered)


async def test_to_be_told_when_a_sold_out_item_is_back_is_not_promised(client: Any) -> None:
    sold_out = texts(await say(client, "vi-4", "切尔西靴怎么买不了"))
    assert "卖完" in sold_out, sold_out
    asked = texts(await say(client, "vi-4", "那有货了通知我一下吧"))
    assert "没法帮您登记" in asked and "订单号" not in asked, asked
    assert "请同事确认" in asked, asked


async def test_nothing_else_after_a_sold_out_item_is_a_goodbye_not_more_goods(client: Any) -> None:
    await say(client, "vi-5", "切尔西靴还有吗")
    bye = await say(client, "vi-5", "没别的事了")
    assert "谢谢" in texts(bye) and "元" not in texts(bye), texts(bye)
