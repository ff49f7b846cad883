"""What two more fresh sets of shoppers (AK and AL of 2026-12-07: a busy Saturday; small towns, voice input, people
in a hurry) wrote and the bot misread, on both databases: an address sent before anything is chosen; a phone number
put right after ordering; an item named by a word of its name ("百褶的那个"); three people measured without names;
a colour turned down in the same breath ("没有白的啊 那燕麦色吧", "唔好唔好…换返藏青"); "两件都要黑色S" for two items
talked about; a pack's name read as a count; "灰扑扑" read as grey; a sold-out item's restock; a size question
with "偏大" read as a return; the gifts haggled for taken as items. Each checks what the customer would notice:
the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "吴秀梅 13956240817 安徽省六安市霍邱县城关镇蓼城路阳光小区6栋2单元401"


async def place(client: Any, customer: str, address: str = ADDRESS) -> str:
    return await placed(client, customer, address)


async def test_an_address_sent_before_choosing_is_kept_for_the_order(client: Any) -> None:
    kept = await say(client, "wk-1", "你好 先把地址发你 省得等下忘了 陈秀梅 13706412259 山东省潍坊市奎文区东风东街366号金宝花园3号楼2单元501")
    assert kept["status"] == "bot" and "订单号" not in texts(kept) and "陈秀梅" in texts(kept), texts(kept)
    readback = await say(client, "wk-1", "条纹长袖 白底藏青条 S")
    assert "核对" in texts(readback) and "省得" not in texts(readback), texts(readback)
    assert "东风东街366号" in texts(readback), texts(readback)


async def test_a_phone_put_right_after_ordering_is_the_orders_phone(client: Any) -> None:
    await say(client, "wk-2", "双面羊绒大衣 驼色 S")
    await place(client, "wk-2", "郑淑芬 13857426601 浙江省宁波市海曙区中山西路138号天一家园12栋503")
    fixed = await say(client, "wk-2", "啊手机号打错了 最后三位是610不是601 正确的是13857426610")
    assert "改" in texts(fixed) and "我在的" not in texts(fixed), texts(fixed)
    assert [t["phone"] for t in await tasks(client)] == ["13857426610"]


async def test_an_item_named_by_a_word_of_its_name_is_that_item(client: Any) -> None:
    skirt = await say(client, "wk-3", "你好 想给女朋友买条裙子 百褶的那个 她大概一米六 95斤 买哪个码")
    assert "高腰百褶半身裙" in texts(skirt) and "M码" in texts(skirt), texts(skirt)
    pink = await say(client, "wk-4", "有粉色碎花的吗 想穿去三亚拍照📸")
    assert "碎花雪纺连衣裙" in texts(pink) and "没太明白" not in texts(pink), texts(pink)


async def test_three_people_measured_without_names_each_get_a_size_and_a_line(client: Any) -> None:
    await say(client, "wk-5", "我们部门三个人想穿同款牛仔夹克")
    sized = await say(client, "wk-5", "那就深蓝 尺码帮我看下：一个173 66公斤，一个185 86公斤，一个160 50公斤")
    assert all(s in texts(sized) for s in ("L码", "XXL码", "S码")) and "核对" not in texts(sized), texts(sized)
    await say(client, "wk-5", "可以 就按L、XXL、S各一件 都要深蓝")
    await place(client, "wk-5")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "L", 1), ("水洗牛仔夹克", "深蓝", "S", 1),
                                   ("水洗牛仔夹克", "深蓝", "XXL", 1)]


async def test_a_colour_turned_down_in_the_same_breath_is_not_ordered(client: Any) -> None:
    await say(client, "wk-6", "想买情侣毛衣 这款有白色的吗")
    sized = await say(client, "wk-6", "啊没有白的啊 那燕麦色吧 我160 96斤 他178 150斤 各穿什么码呀")
    assert "没有白色" not in texts(sized) and "S码" in texts(sized) and "XL码" in texts(sized), texts(sized)
    await say(client, "wk-6", "好嘞 就燕麦色 我S他XL 各一件")
    await place(client, "wk-6")
    changed = await say(client, "wk-6", "等下等下 我那件换成杏色 他的还是燕麦色 他说一模一样太腻了哈哈")
    assert "杏色" in texts(changed) and "想改哪里" not in texts(changed), texts(changed)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "杏色", "S", 1), ("羊毛混纺圆领毛衣", "燕麦色", "XL", 1)]


async def test_a_colour_taken_back_in_cantonese_leaves_the_one_chosen(client: Any) -> None:
    await say(client, "wk-7", "圆领毛衣 佢一米七五 一百三十斤 着咩码啱啊")
    await say(client, "wk-7", "要酒红啦……唔好唔好 佢话唔钟意红色 换返藏青")
    await place(client, "wk-7")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1)]


async def test_both_of_two_items_talked_about_in_one_variant_are_two_lines(client: Any) -> None:
    await say(client, "wk-8", "您好，想請問緞面襯衫香檳色會透嗎？上班要穿的")
    await say(client, "wk-8", "那我選黑色好了。我身高155，體重45公斤，要穿哪個尺寸？")
    await say(client, "wk-8", "另外冰絲闊腿褲還有貨嗎？黑色S還有嗎")
    await say(client, "wk-8", "好的，兩件都要黑色S，各一件。")
    await place(client, "wk-8")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "S", 1), ("缎面垂感长袖衬衫", "黑色", "S", 1)]


async def test_a_sold_out_wish_then_a_jacket_and_a_pack_of_socks(client: Any) -> None:
    await say(client, "wk-9", "老板 你们那个加绒卫衣灰色的还有吗 儿子天天念叨要")
    restock = await say(client, "wk-9", "啊没了啊 那什么时候有货 孩子等着穿呢")
    assert "补货" in texts(restock) and "包退包换" not in texts(restock), texts(restock)
    await say(client, "wk-9", "那这个牛仔夹克他能穿不 一米六七 一百一十六斤 男孩子")
    dark = await say(client, "wk-9", "要深蓝的吧 耐脏 浅的他两天就穿得灰扑扑 洗了会掉色不")
    assert "没有灰色" not in texts(dark), texts(dark)
    await say(client, "wk-9", "再给拿一包袜子 黑的 五双那个 一起发")
    await place(client, "wk-9")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1), ("纯棉中筒袜五双装", "全黑", "均码", 1)]


async def test_a_size_question_that_says_it_runs_large_is_no_return_and_gifts_haggled_for_are_no_items(
    client: Any,
) -> None:
    await say(client, "wk-10", "这个双面羊绒大衣真是羊绒的吗 含量多少")
    sized = await say(client, "wk-10", "我一米六三 一百零五斤 平时穿M 你们说偏大 那我穿啥")
    assert "M码" in texts(sized) and "无理由" not in texts(sized) and sized["status"] == "bot", texts(sized)
    await say(client, "wk-10", "六百九十九有点贵啊 便宜点呗 抹个零")
    await say(client, "wk-10", "那券和袜子两个都给我呗")
    chosen = await say(client, "wk-10", "行吧 那就用券 驼色M一件 地址发你")
    assert "袜子" not in texts(chosen) and "五双装" not in texts(chosen), texts(chosen)
    await place(client, "wk-10")
    assert await lines(client) == [("双面羊绒大衣", "驼色", "M", 1)]
