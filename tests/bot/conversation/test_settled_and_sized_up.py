"""What the seventeenth session mended from the sixteenth's sets: a build told after a size was advised from a
foot length ("脚背有点高") sizes up as the fit note says, and "那拍啥码" gets that size again; "算了就围巾吧" after
weighing a sweater settles on the scarf (and "哪个颜色显气色" lists its colours without a made-up verdict); "会钻毛吗"
about a down jacket is answered from its lining, while down coming out of one received stays a complaint. Each on
both databases through the REST API, checking the reply and the order the warehouse gets."""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

ADDRESS = "何静 13922408651 广东省东莞市南城区鸿福路96号 3栋207"


async def test_a_high_instep_told_after_the_foot_length_sizes_up_and_the_size_asked_is_said_again(client: Any) -> None:
    await say(client, "su-1", "小白鞋")
    await say(client, "su-1", "米白的")
    first = texts(await say(client, "su-1", "我脚长242"))
    assert "39码" in first, first
    instep = texts(await say(client, "su-1", "脚背有点高"))
    assert "40码" in instep and instep.count("脚背高或脚宽的建议拍大一码") == 1, instep
    asked = texts(await say(client, "su-1", "那拍啥码"))
    assert "40码" in asked, asked
    assert await place(client, "su-1", ADDRESS)
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "40", 1)]


async def test_a_size_chosen_against_the_advice_is_not_advised_over(client: Any) -> None:
    await say(client, "su-2", "小白鞋 米白色")
    await say(client, "su-2", "我脚长242")
    await say(client, "su-2", "我要41")
    await say(client, "su-2", "脚背有点高")
    assert await place(client, "su-2", ADDRESS)
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "41", 1)], "the customer's own size stays"


async def test_settling_on_the_scarf_after_weighing_a_sweater_makes_the_scarf_the_item(client: Any) -> None:
    await say(client, "su-3", "想给我妈买个生日礼物 围巾跟那个圆领毛衣纠结 送妈妈哪个好")
    looks = texts(await say(client, "su-3", "毛衣还得猜尺码 算了就围巾吧 哪个颜色显气色"))
    assert "酒红" in looks and "燕麦色" in looks and "码" not in looks.split("～")[0], looks
    await say(client, "su-3", "酒红吧 我妈喜欢红的")
    assert await place(client, "su-3", ADDRESS)
    assert await lines(client) == [("羊毛针织围巾", "酒红", "均码", 1)]


async def test_down_coming_through_is_answered_from_the_lining_before_buying_and_is_a_complaint_after(
    client: Any,
) -> None:
    await say(client, "su-4", "羽绒服")
    asked = texts(await say(client, "su-4", "会钻毛吗"))
    assert "防钻绒" in asked and "包退包换" not in asked, asked
    complaint = await say(client, "su-5", "我上周买的羽绒服 钻毛钻得厉害 满身都是毛")
    assert complaint["status"] == "waiting_agent", texts(complaint)
