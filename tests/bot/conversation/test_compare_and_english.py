"""What the fourteenth session found left from the earlier sets: a question about the two or three items shown is
answered for each, a garment worn over the item is not the item asked about, 衬衣 is a shirt, and shoppers who type
English shopping words (or whole English sentences) are read — on both databases, through the REST API, with the
order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

ADDRESS = "林晓 13761529084 上海市徐汇区漕溪北路88号圣爱大厦12楼"


# ---------------------------------------------------------------- a question about every item shown


async def test_a_question_about_the_shirts_shown_is_answered_for_each(client: Any) -> None:
    await say(client, "ce-1", "有没有适合通勤的衬衫")
    answered = texts(await say(client, "ce-1", "这几件哪个不容易皱"))
    assert "男士牛津纺长袖衬衫的熨烫" in answered and "缎面垂感长袖衬衫的熨烫" in answered, answered
    assert "哪一款" not in answered and "哪件宝贝" not in answered, answered


async def test_see_through_and_pilling_for_the_two_tees_shown_with_what_is_not_known_said(client: Any) -> None:
    await say(client, "ce-2", "夏天的T恤推荐一下")
    answered = texts(await say(client, "ce-2", "会不会透 起球吗"))
    assert "纯棉圆领短袖T恤的透不透" in answered and "法式条纹长袖T恤的透不透" in answered, answered
    assert "没有写" in answered, answered  # (the striped tee's page says nothing of pilling)
    await say(client, "ce-2", "那就纯棉圆领的 白色 L")
    await place(client, "ce-2", ADDRESS)
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "L", 1)]


# ---------------------------------------------------------------- worn over it, and 衬衣


async def test_a_sweater_worn_over_the_shirt_is_not_the_item_asked_about(client: Any) -> None:
    await say(client, "ce-3", "男士牛津纺长袖衬衫 白色 L")
    answered = texts(await say(client, "ce-3", "冬天他外头还要套毛衣的 衬衫要不要买大一号"))
    assert "羊毛混纺圆领毛衣" not in answered, answered


async def test_a_shirt_called_chenyi_is_a_shirt(client: Any) -> None:
    shown = texts(await say(client, "ce-4", "想给老公买件衬衣 上班穿"))
    assert "男士牛津纺长袖衬衫" in shown, shown


# ---------------------------------------------------------------- English


async def test_english_colour_and_size_words_in_chinese_are_read(client: Any) -> None:
    found = texts(await say(client, "ce-5", "有没有black的T恤"))
    assert "黑色" in found, found
    sized = texts(await say(client, "ce-5", "这个size偏大吗 我170 60kg"))
    assert "M码" in sized and "版型" in sized, sized
    await say(client, "ce-5", "ok M black 2 pcs")
    await place(client, "ce-5", ADDRESS)
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "M", 2)]


async def test_a_shopper_writing_english_sentences_gets_the_order(client: Any) -> None:
    greeted = texts(await say(client, "ce-6", "Hi, anyone there? sorry my Chinese typing is slow"))
    assert "没太明白" not in greeted, greeted
    sized = texts(await say(client, "ce-6", "I want to buy a down jacket for my dad. he is about 1米7, 150斤"))
    assert "羽绒服" in sized and "L码" in sized, sized
    warm = texts(await say(client, "ce-6", "Is it warm enough? winter there is like -20"))
    assert "充绒" in warm or "保暖" in warm, warm
    await say(client, "ce-6", "black please")
    await place(client, "ce-6", "艾力 13579920418 新疆乌鲁木齐市天山区解放南路220号南门小区2号楼1单元501")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "L", 1)]


async def test_english_laughter_names_no_item(client: Any) -> None:
    answered = texts(await say(client, "ce-7", "can it arrive soon lol"))
    assert "POLO" not in answered, answered
