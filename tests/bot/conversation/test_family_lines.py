"""One item for a whole family, each person's colour said in turn and one person left out — at the read-back or
after ordering (the fifteenth session, from the sets of families that change things as they go): each person's
line keeps its own colour, the others' are asked for by name, and the one left out comes out alone. On both
databases through the REST API, with the lines the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

ADDRESS = "吴建国 13505316728 山东省济南市历下区解放路和平新村3号楼1单元402"
FAMILY = "自己178cm152斤，爱人165cm110斤，女儿158cm92斤"


async def _sized(client: Any, customer: str) -> None:
    await say(client, customer, "轻薄羽绒服 去哈尔滨够不够")
    sized = texts(await say(client, customer, FAMILY))
    assert "XL" in sized and "M码" in sized and "S码" in sized, sized


async def test_each_persons_colour_said_in_turn_is_theirs_and_the_rest_asked_by_name(client: Any) -> None:
    await _sized(client, "fl-1")
    asked = texts(await say(client, "fl-1", "要三件 我178 152斤 黑色"))
    assert "爱人" in asked and "女儿" in asked and "颜色" in asked, asked
    asked = texts(await say(client, "fl-1", "我爱人165 110斤 要奶白"))
    assert "女儿" in asked and "爱人" not in asked, asked
    await say(client, "fl-1", "闺女158 92斤 卡其")
    await place(client, "fl-1", ADDRESS)
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "S", 1), ("轻薄白鸭绒羽绒服", "奶白色", "M", 1),
                                   ("轻薄白鸭绒羽绒服", "黑色", "XL", 1)]


async def test_one_persons_line_left_out_at_the_read_back_is_read_back_without_it(client: Any) -> None:
    await _sized(client, "fl-2")
    await say(client, "fl-2", "我黑色 爱人奶白 女儿卡其")
    readback = texts(await say(client, "fl-2", ADDRESS))
    assert "奶白色 M" in readback, readback
    again = texts(await say(client, "fl-2", "我爱人说她去年买过了 那件白的不要了"))
    assert "核对" in again and "奶白色" not in again and "共2件" in again, again
    assert "下单成功" not in again and "提交好了" not in again, again
    await say(client, "fl-2", "对 两件 确认")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "S", 1), ("轻薄白鸭绒羽绒服", "黑色", "XL", 1)]


async def test_one_persons_line_left_out_after_ordering_comes_out_alone(client: Any) -> None:
    await _sized(client, "fl-3")
    await say(client, "fl-3", "我黑色 爱人奶白 女儿卡其")
    await place(client, "fl-3", ADDRESS)
    out = texts(await say(client, "fl-3", "闺女那件不要了 她说有一件了"))
    assert "卡其 S" in out and "取消" not in out, out
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "奶白色", "M", 1), ("轻薄白鸭绒羽绒服", "黑色", "XL", 1)]


async def test_two_people_measured_each_with_a_colour_and_a_size_question_make_two_lines(client: Any) -> None:
    await say(client, "fl-4", "你好我想买那个冰丝的保罗衫给我老公和我公公一人一件")
    asked = texts(await say(client, "fl-4", "我老公一米七八一百五十斤要藏清色的我公公一米六八一百二十斤他喜欢恢色的你帮我看看穿什么码"))
    assert "老公（178cm" in asked and "M码" in asked, asked  # (the sizes asked answered, not skipped for the address)
    assert "我老公" not in asked, asked  # (named back as 老公, not the customer's own "my husband")
    await place(client, "fl-4", "王秀兰 13957286641 浙江省金华市义乌市稠城街道工人北路128号3单元502")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "M", 1), ("冰丝短袖POLO衫", "藏青", "XL", 1)]


async def test_a_second_item_named_with_its_colour_before_a_question_about_it_is_a_line(client: Any) -> None:
    await say(client, "fl-5", "喂你好我要给我儿子买那个公装裤就是口袋很多的那个他一米七三一百三十二斤要君绿色的"
                               "他骑自行车还有再要一个鸭舌猫黑色的他头大不知道能不能戴")
    await place(client, "fl-5", "许子轩 15638209174 湖北省武汉市洪山区珞喻路152号华中师大一附中宿舍楼门卫室")
    assert await lines(client) == [("纯棉休闲工装裤", "军绿", "L", 1), ("纯棉软顶棒球帽", "黑色", "均码", 1)]
