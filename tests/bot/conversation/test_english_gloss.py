"""English shopping words glossed into the Chinese the classifier and the slot reading know — whole words only,
case-insensitive, the longest phrase first; text without Latin letters untouched."""

from __future__ import annotations

import pytest

from bot.conversation.english import gloss
from bot.conversation.slots import extract


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("有没有black的", "有没有黑色的"),
        ("这个size偏大吗", "这个尺码偏大吗"),
        ("ship到上海要几天", "发货到上海要几天"),
        ("I want to buy a down jacket for my dad", "我想买 a 羽绒服 for 我爸"),
        ("Navy Blue L", "藏青 L"),
        ("what's that hat", "what's that 帽子"),  # (that/what hold no "hat")
        ("lol ordered", "lol ordered"),  # (no "red" inside "ordered")
        ("T-Shirt 白色", "t恤 白色"),
        ("还是要这个 没有英文", "还是要这个 没有英文"),
        ("thx!!", "谢谢!!"),
        ("ok ok", "好的 好的"),
    ],
)
def test_gloss(typed: str, read: str) -> None:
    assert gloss(typed) == read


@pytest.mark.parametrize(
    ("typed", "colour", "size", "quantity"),
    [
        ("ok L black 2 pcs", "黑色", "L", 2),
        ("white M one", "白色", "M", None),
        ("grey XL", "灰色", "XL", None),
    ],
)
def test_english_details_extracted(typed: str, colour: str, size: str, quantity: int | None) -> None:
    from bot.conversation.catalogue import DEMO_CATALOGUE, Catalogue, load_catalogue_file

    tee = Catalogue(load_catalogue_file(DEMO_CATALOGUE)).find("纯棉圆领短袖T恤")
    found = extract(gloss(typed), tee)
    assert (found.colour, found.size, found.quantity) == (colour, size, quantity)
