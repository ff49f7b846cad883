"""One order for several people, and the turns after it, as customers write them, on both databases: each
person's measurements get their own size; "男款浅灰 女款浅粉" or "每人两件" then make one line per person; a
confirmation sent twice is not a second order; "都寄我这里" is not a complaint; a customer waiting with a
complaint who buys the same item for a colleague is served while the complaint stays queued."""

from __future__ import annotations

import re
from typing import Any

from tests.bot.rest import say, texts

ADDRESS = "陈浩 13912345678 浙江省杭州市西湖区文三路100号3栋501"




async def lines_shipped(client: Any, order_no: str) -> list[tuple[str, str, str, int]]:
    tasks = (await (await client.get("/api/shipping", params={"status": "queued"})).json())["tasks"]
    [task] = [t for t in tasks if t["order_no"] == order_no]
    return sorted((i["name"], i["colour"], i["size"], int(i["quantity"])) for i in task["items"])


async def test_a_couple_gets_a_size_each_and_one_line_each(client: Any) -> None:
    await say(client, "pp-1", "睡衣套装能买情侣款吗")
    advice = await say(client, "pp-1", "男的180 78公斤 女的160 96斤 你们帮我选")
    assert "男的" in texts(advice) and "XXL" in texts(advice) and "女的" in texts(advice) and "M码" in texts(advice)
    assert "纯棉圆领" not in texts(advice), "a size for each person, not a list of other products"
    asked = await say(client, "pp-1", "男款浅灰 女款浅粉")
    assert "地址" in texts(asked) and "颜色" not in texts(asked), texts(asked)
    readback = await say(client, "pp-1", ADDRESS)
    assert "浅灰 XXL ×1" in texts(readback) and "浅粉 M ×1" in texts(readback), texts(readback)
    restated = await say(client, "pp-1", "对 浅灰那套大的 浅粉那套小的")  # the lines restated by half: a yes
    [number] = re.findall(r"KF\d{8,14}", texts(restated))
    assert await lines_shipped(client, number) == [("纯棉长袖睡衣套装", "浅灰", "XXL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_two_children_two_each_in_the_colour_chosen_first(client: Any) -> None:
    await say(client, "pp-2", "你好 孩子学校要统一穿白T 你们这个纯棉圆领的白色还有货吧")
    advice = await say(client, "pp-2", "哥哥172 62公斤 妹妹157 88斤 你们看穿什么码")
    assert "哥哥" in texts(advice) and "L码" in texts(advice) and "妹妹" in texts(advice) and "S码" in texts(advice)
    asked = await say(client, "pp-2", "每人两件 换着穿")
    assert "地址" in texts(asked), texts(asked)
    readback = await say(client, "pp-2", "王秀梅 13507551234 湖南省长沙市岳麓区麓山南路368号湘江小区3栋2单元401")
    assert "白色 L ×2" in texts(readback) and "白色 S ×2" in texts(readback), texts(readback)
    done = await say(client, "pp-2", "确认")
    [number] = re.findall(r"KF\d{8,14}", texts(done))
    assert await lines_shipped(client, number) == [("纯棉圆领短袖T恤", "白色", "L", 2), ("纯棉圆领短袖T恤", "白色", "S", 2)]
    asked_after = await say(client, "pp-2", "厚不厚啊 会不会透 学校说不能透的")
    assert "不透" in texts(asked_after) and "哪一款" not in texts(asked_after), "about what was just ordered"


async def test_after_the_order_a_second_yes_and_a_same_address_word_change_nothing(client: Any) -> None:
    await say(client, "pp-3", "碎花雪纺连衣裙 黄色碎花S")
    await say(client, "pp-3", ADDRESS)
    done = await say(client, "pp-3", "确认")
    [number] = re.findall(r"KF\d{8,14}", texts(done))
    again = await say(client, "pp-3", "确认")
    assert number in texts(again) and "下好" in texts(again) and "什么码" not in texts(again)
    same = await say(client, "pp-3", "都寄我这里")
    assert same["status"] == "bot", "not a logistics complaint"
    assert number in texts(same) and "文三路100号" in texts(same)
    tasks = (await (await client.get("/api/shipping", params={"status": "queued"})).json())["tasks"]
    assert len([t for t in tasks if t["order_no"] == number]) == 1 and len(tasks) == 1, "one order, not two"


async def test_waiting_with_a_complaint_the_same_item_bought_for_a_colleague(client: Any) -> None:
    first = await say(client, "pp-4", "大衣今天到了 外面箱子压得稀烂 衣服上还有一块黑色油渍")
    assert first["status"] == "waiting_agent"
    await say(client, "pp-4", "七百块的大衣啊 这让我怎么穿")
    asked = await say(client, "pp-4", "另外我同事看了也想要一件 黑色S还有吗")
    assert "地址" in texts(asked), texts(asked)
    readback = await say(client, "pp-4", "她的地址是 孙悦 13621876543 上海市静安区南京西路1266号恒隆广场二期28楼前台")
    assert "双面羊绒大衣" in texts(readback) and "黑色" in texts(readback) and "备注：无" in texts(readback)
    done = await say(client, "pp-4", "确认")
    [number] = re.findall(r"KF\d{8,14}", texts(done))
    assert await lines_shipped(client, number) == [("双面羊绒大衣", "黑色", "S", 1)]
    assert done["status"] == "waiting_agent", "the complaint is still queued for a person"


async def test_two_foot_lengths_when_asked_for_the_size_give_a_size_each(client: Any) -> None:
    await say(client, "pp-5", "帆布小白鞋买两双 我和我闺女一人一双")
    advice = await say(client, "pp-5", "我脚长24.2厘米 闺女22.6厘米 你们帮忙定码")
    assert "闺女" in texts(advice) and "39码" in texts(advice) and "36码" in texts(advice), texts(advice)
    await say(client, "pp-5", "我黑色 闺女白色")
    readback = await say(client, "pp-5", ADDRESS)
    assert "黑色 39 ×1" in texts(readback) and "白色 36 ×1" in texts(readback), texts(readback)


async def test_an_elderly_couple_and_a_colour_said_once_for_two(client: Any) -> None:
    await say(client, "pp-6", "纯棉圆领短袖T恤 我和老伴还有孙子一人一件")
    advice = await say(client, "pp-6", "我一米五五九十斤，老伴一米七八一百五十斤，孙子一米六五一百一十斤")
    assert "老伴" in texts(advice) and "XL码" in texts(advice) and "S码" in texts(advice), texts(advice)
    await say(client, "pp-6", "老伴和孙子要黑色 我要白色")
    readback = await say(client, "pp-6", ADDRESS)
    assert "白色 S ×1" in texts(readback) and "黑色 XL ×1" in texts(readback) and "黑色 M ×1" in texts(readback)


async def test_a_yes_for_three_when_two_are_read_back_is_not_placed(client: Any) -> None:
    await say(client, "pp-7", "冰丝短袖POLO衫 黑色L 藏青L")
    await say(client, "pp-7", ADDRESS)
    answer = await say(client, "pp-7", "对 就这三件")
    assert not re.findall(r"KF\d{8,14}", texts(answer)) and "2件" in texts(answer), texts(answer)
    tasks = (await (await client.get("/api/shipping", params={"status": "queued"})).json())["tasks"]
    assert tasks == []
