"""Cantonese glossed into the Mandarin the classifier and the slot reading know — in Traditional and Simplified
characters, the longer turns of phrase first; Mandarin (and Taiwan's Traditional) without a Cantonese word
untouched."""

from __future__ import annotations

import pytest

from bot.conversation.cantonese import gloss
from bot.conversation.slots import extract


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("有冇毛衣啱送俾阿媽㗎", "有没有毛衣适合送给阿媽"),
        ("黃色碎花定藍色碎花好睇啲", "黃色碎花还是藍色碎花好看些"),  # 定 between two choices: or
        ("平時都係著M", "平時都是穿M"),
        ("會唔會好痕㗎", "會不會好痒"),
        ("另外頸巾都要埋 同色 一條", "另外围巾也要 同色 一條"),
        ("幫我包禮盒得唔得", "幫我包禮盒可不可以"),
        ("唔好放價錢牌入去呀 唔想佢知幾錢", "不要放價錢牌入去呀 不想佢知多少钱"),
        ("啱 冇問題 唔該", "对 没问题 谢谢"),
        ("佢下個禮拜六生日 趕唔趕得切?", "佢下個禮拜六生日 来不来得及?"),
        ("呢件係咪純棉", "这件是不是純棉"),
        ("我著L會唔會細", "我穿L會不會小"),
        ("仲有冇酒紅色", "还有没有酒紅色"),
        ("点样洗先唔会缩", "怎么样洗先不会缩"),
        ("沒關係 我再看看", "沒關係 我再看看"),  # (Taiwan's Traditional: no Cantonese word, nothing glossed)
        ("仲裁", "仲裁"),
        ("我唔認識呢個牌子", "我不認識这個牌子"),  # (認識 keeps its 識; 識 alone is 会)
        ("有划痕 係咪", "有划痕 是不是"),  # (a scratch stays a scratch)
    ],
)
def test_gloss(typed: str, read: str) -> None:
    assert gloss(typed) == read


def test_a_card_message_in_corner_quotes_and_a_price_tag_left_out_are_notes() -> None:
    assert extract(gloss("幫我包禮盒得唔得 張卡寫「媽咪生日快樂 身體健康」唔該🙏")).notes == \
        "幫我包禮盒；贺卡写：媽咪生日快樂 身體健康"
    assert extract("然後可以附一張卡片嗎 寫「爸 父親節快樂 少喝點酒」").notes == "贺卡写：爸 父親節快樂 少喝點酒"
    assert "價錢牌" in (extract(gloss("仲有 唔好放價錢牌同單據入去呀")).notes or "")
    assert extract("裡面不要放發票跟價格喔").notes == "裡面不要放發票跟價格喔"
