"""Lines of one item said in one message the way the fifteenth session's shoppers wrote them: a count run on after
each colour ("白的两件黑的一件"), and a clause turning one colour down before the colours bought ("不要白的 藏青跟灰色
各一件") — while a correction alone ("不要黑色了换成白的") still orders one thing."""

from __future__ import annotations

import pytest

from bot.conversation.catalogue import Catalogue, load_catalogue_file
from bot.conversation.slots import extract

CATALOGUE = Catalogue(load_catalogue_file())


@pytest.mark.parametrize(
    ("item", "text", "lines", "colour"),
    [
        ("纯棉圆领短袖T恤", "白的两件黑的一件 洗多了会不会缩", [("白色", 2), ("黑色", 1)], None),
        ("纯棉圆领短袖T恤", "白色的两件黑色的一件", [("白色", 2), ("黑色", 1)], None),
        ("纯棉圆领短袖T恤", "两件白的 一件黑的", [("白色", 2), ("黑色", 1)], None),
        ("冰丝短袖POLO衫", "喔那不要白的 藏青跟灰色各一件好了 同一個size", [("藏青", 1), ("灰色", 1)], None),
        ("冰丝短袖POLO衫", "黑色不要了 白色和灰色各一件", [("白色", 1), ("灰色", 1)], None),
        ("冰丝短袖POLO衫", "不要黑色了换成白的", [], "白色"),
        ("冰丝短袖POLO衫", "不要白的要黑的", [], "黑色"),
    ],
)
def test_lines(item: str, text: str, lines: list[tuple[str, int]], colour: str | None) -> None:
    product = next(p for p in CATALOGUE if p.name == item)
    found = extract(text, product, catalogue=CATALOGUE)
    assert [(i.colour.removesuffix("色") if i.colour == "藏青色" else i.colour, i.quantity) for i in found.items] \
        == lines
    assert found.colour == colour


def test_about_before_a_height_is_no_person() -> None:
    """"佢平時著M 大概160 50kg": 大概 is "about", not a second person called 大概."""
    product = next(p for p in CATALOGUE if p.name == "缎面垂感长袖衬衫")
    found = extract("佢平時著M 大概160 50kg 瘦瘦地", product, catalogue=CATALOGUE)
    assert found.people == () and found.size == "M" and found.height == 160
