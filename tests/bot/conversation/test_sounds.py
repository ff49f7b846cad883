"""Slips of pinyin keyboards and voice input, put right by the shop's own words — and words that only sound like
them left alone. The slips here are new ones (not in the catalogue's synonym list): what makes them right is their
sound, not a table of known slips."""

from __future__ import annotations

import pytest

from bot.conversation.catalogue import Catalogue, load_catalogue_file
from bot.conversation.slots import extract
from bot.conversation.sounds import respell

CATALOGUE = Catalogue(load_catalogue_file())
BY_NAME = {p.name: p for p in CATALOGUE}


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("公装裤还有卡其色吗", "纯棉休闲工装裤"),
        ("那个羊绒大一多少钱", "双面羊绒大衣"),  # 大一 alone is a first-year student; 羊绒大一 is the coat
        ("想看看棒球冒", "纯棉软顶棒球帽"),
        ("切尔西短笑有37吗", "真皮切尔西短靴"),
        ("碎花雪纺连一裙", "碎花雪纺连衣裙"),
        ("阔腿酷黑色", "冰丝垂感阔腿裤"),
        ("羊毛针织为巾送人", "羊毛针织围巾"),
        ("帆布小白些有没有36", "经典帆布小白鞋"),
        ("牛津纺衬山男生穿", "男士牛津纺长袖衬衫"),
    ],
)
def test_a_product_typed_by_sound_is_the_product(text: str, product: str) -> None:
    found = CATALOGUE.find(text)
    assert found is not None and found.name == product, f"{text}: {found and found.name}"


@pytest.mark.parametrize(
    ("text", "product", "colour"),
    [
        ("前蓝的 L", "水洗牛仔夹克", "浅蓝"),
        ("要那个燕卖色", "羊毛混纺圆领毛衣", "燕麦色"),
        ("脏青色M码", "冰丝短袖POLO衫", "藏青"),
        ("九红的吧 送我妈", "羊毛针织围巾", "酒红"),
        ("君绿的来一条", "纯棉休闲工装裤", "军绿"),
        ("香滨色S", "缎面垂感长袖衬衫", "香槟色"),
        ("深宗 38", "真皮切尔西短靴", "深棕"),
    ],
)
def test_a_colour_typed_by_sound_is_the_products_colour(text: str, product: str, colour: str) -> None:
    assert extract(text, BY_NAME[product], catalogue=CATALOGUE).colour == colour


@pytest.mark.parametrize(
    "text",
    [
        "我是大一学生 预算不多",  # 大一 (first year), not 大衣
        "唯一的要求是别起球",  # 唯一, not 卫衣
        "寄到广西百色市右江区",  # 百色 is a city
        "我是做贸易的 要开发票",  # 贸易, not 毛衣
        "大意了 拍错了",  # 大意, not 大衣
        "好的谢谢",
        "一件灰色一件藏青",  # 一件 is a count: 浅 has the rare reading jiān, but 件灰 is not 浅灰
        "两条黑的",
    ],
)
def test_words_that_only_sound_like_the_shops_stay_as_they_are(text: str) -> None:
    assert respell(text, CATALOGUE.vocabulary) == text


def test_a_name_and_an_address_are_kept_as_written_and_do_not_name_a_product() -> None:
    hoodie = BY_NAME["加绒连帽卫衣"]
    found = extract("黑色L 魏怡 13800138000 广西百色市右江区中山路1号", hoodie, catalogue=CATALOGUE)
    assert (found.name, found.address, found.colour, found.size) == ("魏怡", "广西百色市右江区中山路1号", "黑色", "L")
    assert not found.items


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("那就叉L吧", "XL"),  # X said as 叉 by voice input
        ("叉叉L的", "XXL"),
        ("穿多大马", None),  # "what size" (马 for 码), not 大码 (L)
        ("什么马合适", None),
        ("穿多大码", None),
    ],
)
def test_a_size_said_by_voice_is_read_and_a_size_question_is_no_size(text: str, size: str | None) -> None:
    assert extract(text, BY_NAME["冰丝短袖POLO衫"], catalogue=CATALOGUE).size == size


def test_the_pineapple_shirt_is_the_polo() -> None:
    found = CATALOGUE.find("我想买那个冰丝的菠萝衫 就是带领子的那种短袖")
    assert found is not None and found.name == "冰丝短袖POLO衫"
