"""Pinyin typed instead of characters, glossed into the Chinese the classifier and the slot reading know — whole
words only, so English, sizes and slang are left as typed."""

from __future__ import annotations

import pytest

from bot.conversation.pinyin import gloss
from bot.conversation.slots import extract


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("dui de", "对的"),
        ("duide", "对的"),
        ("hao de xie xie", "好的谢谢"),
        ("bao you ma", "包邮吗"),
        ("bai se tou ma", "白色透吗"),
        ("na jiu zang qing", "那就藏青"),  # (藏青 is zang qing, not the dictionary's first reading)
        ("polo衫 gei wo ba mai", "polo衫 给我爸买"),
        ("ta 178 75kg chuan sha ma", "他 178 75kg 穿啥码"),  # (a short word glossed beside a longer run; kg kept)
        ("you hei se de ma", "有黑色的吗"),
        ("duo shao qian", "多少钱"),
        ("mei wen ti", "没问题"),
        ("hao de 就它", "好的 就它"),
        ("wo yao hei se L", "我要黑色 L"),
        # left as typed: English, sizes, slang, a short word alone
        ("xl ok nb", "xl ok nb"),
        ("ok", "ok"),
        ("hao", "hao"),
        ("yyds", "yyds"),
        ("L", "L"),
        ("do you have black", "do you have black"),
        ("thank you", "thank you"),
        ("I want a black hoodie", "I want a black hoodie"),
        ("can you ship to beijing", "can you ship to beijing"),
        ("he is tall", "he is tall"),
        ("纯棉T恤 黑色 M", "纯棉T恤 黑色 M"),
    ],
)
def test_pinyin_is_glossed_and_nothing_else(typed: str, read: str) -> None:
    assert gloss(typed) == read


def test_a_glossed_colour_is_read_as_the_colour() -> None:
    assert extract(gloss("na jiu zang qing"), None).colour in ("藏青", "藏青色")
