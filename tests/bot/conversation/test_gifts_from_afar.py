"""Gifts bought from Hong Kong and Taiwan for someone on the mainland (the fifteenth session's set BA): Cantonese
read, the card's words and "no price inside" put on the order after it is placed, a second item "同色" taken in
the first one's colour, two colours "各一件" after turning a third down, and "来得及吗" about the order answered
with its timing — on both databases through the REST API, with what the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, tasks, texts

SHENZHEN = "陳美玲 13823456781 廣東省深圳市福田區景田北路景蜜村3棟1204"
XIAMEN = "林國榮 13959201847 福建省廈門市思明區湖濱南路388號7樓B室"


async def test_a_scarf_in_the_same_colour_and_a_card_after_ordering_in_cantonese(client: Any) -> None:
    await say(client, "gf-1", "羊毛毛衣 酒红 M")
    await place(client, "gf-1", SHENZHEN)
    itchy = texts(await say(client, "gf-1", "會唔會好痕㗎 佢皮膚好敏感"))
    assert "不扎" in itchy, itchy
    added = texts(await say(client, "gf-1", "另外頸巾都要埋 同色 一條"))
    assert "羊毛针织围巾 酒红" in added, added
    await say(client, "gf-1", "啱 冇問題 唔該")
    noted = texts(await say(client, "gf-1", "仲有 唔好放價錢牌同單據入去呀 唔想佢知幾錢😂"))
    assert "价格已经很实在" not in noted and "备注" in noted, noted
    assert await lines(client) == [("羊毛混纺圆领毛衣", "酒红", "M", 1), ("羊毛针织围巾", "酒红", "均码", 1)]
    assert "價錢牌" in (await tasks(client))[0]["notes"]
    timing = texts(await say(client, "gf-1", "佢下個禮拜六生日 趕唔趕得切?"))
    assert "2–4天" in timing and "没太明白" not in timing, timing


async def test_two_colours_each_after_turning_one_down_and_notes_after_ordering(client: Any) -> None:
    await say(client, "gf-2", "想請問一下 那個冰絲polo是什麼材質 我爸172 68公斤")
    await say(client, "gf-2", "喔那不要白的 藏青跟灰色各一件好了 同一個size L")
    await place(client, "gf-2", XIAMEN, yes="對 沒問題")
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "L", 1), ("冰丝短袖POLO衫", "藏青", "L", 1)]
    card = texts(await say(client, "gf-2", "然後可以附一張卡片嗎 寫「爸 父親節快樂 少喝點酒」"))
    assert "父親節快樂" in card, card
    await say(client, "gf-2", "裡面不要放發票跟價格喔 謝謝")
    notes = (await tasks(client))[0]["notes"]
    assert "父親節快樂" in notes and "發票" in notes, notes
