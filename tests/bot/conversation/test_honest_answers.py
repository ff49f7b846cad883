"""Questions the shop's settings and catalogue do not answer — a remote area's surcharge, shipping abroad, another
courier, a restock date, how to pay — get what the settings do say and an honest "I don't know" with a colleague
offered, never an invented number; and questions they do answer get it (dispatch after the cut-off, the size
beside a quality question). Through the REST API on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.rest import buttons, say, texts


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("你好 西藏那曲能寄吗 运费要加多少", "中通"),
        ("寄到香港可以吗 运费多少", "香港"),
        ("我想要发顺丰 可以吗 加钱也行", "顺丰"),
    ],
)
async def test_what_the_settings_do_not_say_about_shipping_is_not_made_up(client: Any, question: str, says: str) -> None:
    answer = await say(client, "ha-1", question)
    assert answer["status"] == "bot" and says in texts(answer), texts(answer)
    assert "请同事确认" in buttons(answer)
    assert not any(word in texts(answer) for word in ("3到5天", "多3", "补一点", "加收")), "no invented surcharge or days"


async def test_asking_a_colleague_queues_the_question_itself(client: Any) -> None:
    await say(client, "ha-2", "新疆喀什发货要几天 要不要加运费")
    handed = await say(client, "ha-2", "请同事确认")
    assert handed["status"] == "waiting_agent"


async def test_a_restock_date_nobody_knows_is_not_promised(client: Any) -> None:
    await say(client, "ha-3", "加绒连帽卫衣还有吗")
    answer = await say(client, "ha-3", "那什么时候补货啊")
    assert "补货" in texts(answer) and "请同事确认" in buttons(answer), texts(answer)


async def test_how_to_pay_is_said_to_be_unknown_and_the_order_goes_on(client: Any) -> None:
    await say(client, "ha-4", "纯棉圆领短袖T恤 白色")
    answer = await say(client, "ha-4", "M码来一件 可以货到付款吗")
    assert "货到付款" in texts(answer) and "请同事确认" in buttons(answer), texts(answer)
    assert "地址" in texts(answer), "the order still asks for the address"
    assert answer["intent"] == "buy"


async def test_an_order_after_the_cut_off_is_said_to_leave_the_next_day(client: Any) -> None:
    answer = await say(client, "ha-5", "晚上八点拍的话什么时候能发货")
    assert "第二天" in texts(answer) and answer["intent"] == "shipping_inquiry", texts(answer)


async def test_a_size_asked_beside_a_quality_gets_both(client: Any) -> None:
    await say(client, "ha-6", "水洗牛仔夹克")
    answer = await say(client, "ha-6", "我175 130斤穿啥码 洗了会掉色吗")
    assert "掉色" in texts(answer) and "码" in texts(answer) and "建议" in texts(answer), texts(answer)


async def test_the_total_of_the_order_just_placed_and_its_postage(client: Any) -> None:
    await say(client, "ha-7", "纯棉圆领短袖T恤 白色L一件 高腰直筒牛仔裤浅蓝M一条")
    await say(client, "ha-7", "吴敏 13566778899 江苏省苏州市姑苏区人民路88号锦绣苑5栋301")
    await say(client, "ha-7", "确认")
    answer = await say(client, "ha-7", "一共多少钱啊 这样包邮的吧")
    assert "198" in texts(answer) and "已经很实在" not in texts(answer), texts(answer)


async def test_made_to_order_is_not_promised(client: Any) -> None:
    await say(client, "ha-8", "纯棉圆领短袖T恤 白色")
    answer = await say(client, "ha-8", "能在胸口印我们公司的logo吗")
    assert "请同事确认" in buttons(answer) and "可以印" not in texts(answer), texts(answer)


@pytest.mark.parametrize("text", ["好的 我先加购物车 晚点跟别的一起买", "没事 就是无聊 晚安啦"])
async def test_leaving_for_now_gets_a_kind_word_not_a_sales_pitch(client: Any, text: str) -> None:
    await say(client, "ha-9", "羊毛针织围巾有什么颜色")
    answer = await say(client, "ha-9", text)
    assert answer["status"] == "bot" and "我在的" not in texts(answer) and "挑几件" not in texts(answer), texts(answer)


async def test_while_a_complaint_waits_what_can_be_said_now_is_said(client: Any) -> None:
    """Who pays the postage of a wrong item, how to send a photo, whether an exchange is possible: answered while
    the chat stays in the queue for a person — not only "收到，已留言"."""
    first = await say(client, "ha-10", "你们发错货了！我买的黑色XL工装裤 寄来个卡其色L的")
    assert first["status"] == "waiting_agent"
    for answer_to_intake in ("订单号KF202405180937", "换货"):
        if (await say(client, "ha-10", answer_to_intake))["status"] != "waiting_agent":
            break
    postage = await say(client, "ha-10", "来回运费谁出")
    assert postage["status"] == "waiting_agent" and "运费" in texts(postage) and "我们承担" in texts(postage)
    photo = await say(client, "ha-10", "照片怎么发给你们")
    assert "相机" in texts(photo) or "照片" in texts(photo)
    exchange = await say(client, "ha-10", "能给我换吗")
    assert exchange["status"] == "waiting_agent" and "记" in texts(exchange), texts(exchange)


async def test_working_days_leave_out_the_weekend(client: Any) -> None:
    await say(client, "ha-11", "我前天把订单取消了 钱啥时候退回来")
    answer = await say(client, "ha-11", "周六周日算不算啊")
    assert "工作日" in texts(answer) and "周六周日" in texts(answer) and answer["status"] == "bot", texts(answer)


async def test_how_many_are_left_is_answered_and_not_now_gets_no_push(client: Any) -> None:
    await say(client, "ha-12", "缎面垂感长袖衬衫")
    answer = await say(client, "ha-12", "还剩几件啊？我先看看，还没想好")
    assert "剩" in texts(answer) and "慢慢考虑" in texts(answer) and "包退包换" not in texts(answer), texts(answer)


@pytest.mark.parametrize(
    ("product", "question", "says"),
    [
        ("羊毛针织围巾", "想送我妈 能包个礼盒吗", "礼盒"),  # the catalogue says it can
        ("纯棉圆领短袖T恤", "能包个礼盒吗", "请同事确认"),  # it does not say: a colleague
        ("高腰直筒牛仔裤", "是九分的吗 我怕太长", "长度"),
    ],
)
async def test_gift_boxes_and_lengths_are_answered_from_the_catalogue_or_honestly_not(
    client: Any, product: str, question: str, says: str
) -> None:
    await say(client, "ha-13", product)
    answer = await say(client, "ha-13", question)
    assert says in texts(answer) + " ".join(buttons(answer)) and "已经很实在" not in texts(answer), texts(answer)


async def test_a_gift_cards_words_are_kept_whole(client: Any) -> None:
    await say(client, "ha-14", "羊毛针织围巾 酒红 一条")
    await say(client, "ha-14", "帮我写张贺卡：妈妈生日快乐，天天开心！别放价格单")
    await say(client, "ha-14", "吴敏 13566778899 江苏省苏州市姑苏区人民路88号锦绣苑5栋301")
    await say(client, "ha-14", "确认")
    [task] = (await (await client.get("/api/shipping", params={"status": "queued"})).json())["tasks"]
    assert "妈妈生日快乐" in task["notes"] and "天天开心" in task["notes"] and "价格单" in task["notes"], task["notes"]
