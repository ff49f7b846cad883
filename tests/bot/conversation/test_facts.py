"""Questions about an item's qualities, as shoppers type them, read as the aspects they ask about; and the answer
comes from the catalogue or is honestly "not written down" — never a sentence about something else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.conversation.catalogue import FACT_FIELDS, ProductView, load_catalogue_file
from bot.conversation.facts import ASPECTS, BY_NAME, answer, asked

CASES = [
    # see-through
    ("白色的会不会透啊", ["see_through"]),
    ("这件透不透肉", ["see_through"]),
    ("夏天穿浅色的会透嗎", ["see_through"]),
    ("穿白色的里面要不要穿打底 会走光吗", ["see_through"]),
    ("会不会很透气", ["breath"]),  # breathable, not see-through
    ("透气性怎么样", ["breath"]),
    # breathable, material, iron, print
    ("夏天穿会不会闷 我出汗多", ["breath"]),
    ("50%羊绒是真的吗", ["material"]),
    ("呢件系咪真系有羊绒㗎", ["material"]),
    ("要熨吗 我不会熨衣服", ["iron"]),
    ("条纹是印上去的吗", ["print"]),
    ("我胯有点宽 L应该没问题吧", ["fit"]),
    # fit
    ("码数正吗", ["fit"]),
    ("这个偏大还是偏小", ["fit"]),
    ("尺码标准吗 要不要拍大一码", ["fit"]),
    ("版型偏大吗我平时穿M", ["fit"]),
    ("碼數準不準", ["fit"]),
    ("是修身的吗还是宽松", ["fit"]),
    # thickness / warmth
    ("厚不厚啊", ["thickness"]),
    ("这件薄吗 秋天穿会冷吗", ["thickness"]),
    ("零下十度够暖吗", ["thickness"]),
    ("保暖性怎么样", ["thickness"]),
    ("冬天能穿吗", ["thickness"]),
    ("啊没了啊 那羽绒服呢 哈尔滨冬天够不够", ["thickness"]),
    ("东北过冬够不够啊", ["thickness"]),
    ("再凑一件够不够包邮", []),
    # lining, stretch
    ("有没有内衬", ["lining"]),
    ("裙子有里衬吗", ["lining"]),
    ("有弹力吗 我腿粗", ["stretch"]),
    # pilling, fading, shrink
    ("会起球吗", ["pilling"]),
    ("洗了会不会掉色", ["fading"]),
    ("褪色吗", ["fading"]),
    ("会不会缩水", ["shrink"]),
    # washing
    ("能机洗吗", ["wash"]),
    ("可以直接丢洗衣机吗", ["wash"]),
    ("要干洗吗", ["wash"]),
    ("平时怎么洗", ["wash"]),
    # origin
    ("哪里产的", ["origin"]),
    ("是国产的吗", ["origin"]),
    ("產地是哪裡", ["origin"]),
    ("哪儿生产的呀", ["origin"]),
    # photos
    ("有实拍图吗", ["photos"]),
    ("能发几张真人上身图看看吗", ["photos"]),
    ("有买家秀吗", ["photos"]),
    # several at once, in the catalogue's order
    ("会透吗 能机洗吗 哪里产的 有实拍图吗", ["see_through", "wash", "origin", "photos"]),
    ("偏大吗？起球吗？", ["fit", "pilling"]),
    ("厚度怎么样 会不会掉色", ["thickness", "fading"]),
    # the fourteenth session's: who can wear it, slimming, keeping its shape, voice slips, warmth by place
    ("男女都能穿吗", ["unisex"]),
    ("男的能穿吗", ["unisex"]),
    ("阔腿裤遮胯吗 显瘦不", ["slimming"]),
    ("领口会不会洗松", ["keeps_shape"]),
    ("要不要汤啊 我儿子不会汤衣服", ["iron"]),
    ("汤圆好吃", []),
    ("靴子加绒吗", ["thickness", "lining"]),
    ("去哈尔滨够不够", ["thickness"]),
    ("冬天会不会太薄", ["thickness"]),
    ("夏天穿太热吗", ["breath"]),
    # nothing about qualities
    ("多少钱", []),
    ("有黑色吗", []),
    ("什么时候发货", []),
    ("从哪里发货", []),
    ("我要两件", []),
    ("包邮吗", []),
]


@pytest.mark.parametrize(("text", "aspects"), CASES, ids=[c[0] for c in CASES])
def test_the_qualities_a_question_asks_about(text: str, aspects: list[str]) -> None:
    assert [a.name for a in asked(text)] == aspects


def test_every_catalogue_fact_field_has_its_aspect() -> None:
    assert tuple(a.name for a in ASPECTS) == FACT_FIELDS


DEMO = {p.sku: p for p in load_catalogue_file()}


def test_the_shops_own_field_answers_first() -> None:
    assert answer(DEMO["DR-001"], BY_NAME["see_through"]).fact == "带内衬，不透"
    assert "广州" in (answer(DEMO["DR-001"], BY_NAME["origin"]).fact or "")


def test_washing_falls_back_to_the_care_label() -> None:
    care = DEMO["SN-001"].care
    assert answer(DEMO["SN-001"], BY_NAME["wash"]).fact == care.rstrip("。")


def test_a_description_sentence_answers_only_when_it_speaks_of_that_quality() -> None:
    plain = ProductView(sku="X-1", name="测试T恤", category="上衣", price=1, stock=1,  # type: ignore[arg-type]
                        description="面料做过预缩处理。领口不易变形。", selling_points=("色织条纹不掉色",))
    assert answer(plain, BY_NAME["shrink"]).fact == "面料做过预缩处理"
    assert answer(plain, BY_NAME["fading"]).fact == "色织条纹不掉色"
    assert answer(plain, BY_NAME["pilling"]).fact is None, "nothing says it: not a guess from another sentence"
    assert answer(plain, BY_NAME["origin"]).fact is None


def test_the_demo_catalogue_leaves_real_photos_unsaid() -> None:
    assert all(answer(p, BY_NAME["photos"]).fact is None for p in DEMO.values()), "the demo shop has no photo links"


def test_a_fact_field_that_is_not_text_is_a_clear_error() -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="X-2.*fit"):
        ProductView.from_record({"sku": "X-2", "name": "裤子", "price": 10, "stock": 1, "fit": {"a": 1}})


def test_warmth_not_written_down_is_answered_by_the_seasons_it_is_made_for_in_the_banks_words() -> None:
    from replies import PhraseBank

    plain = ProductView(sku="X-3", name="测试外套", category="外套", price=1, stock=1,  # type: ignore[arg-type]
                        description="版型利落。", season=("秋", "冬"))
    fact = answer(plain, BY_NAME["thickness"]).fact
    assert fact is not None and PhraseBank.from_yaml().fill(fact, {}) == "适合秋、冬季穿"


def test_what_the_catalogue_leaves_empty_is_said_in_the_banks_words() -> None:
    from bot.conversation.focus import _product_values
    from replies import PhraseBank

    bare = ProductView(sku="X-4", name="测试帽", category="配饰", price=Decimal(1), stock=1)
    bank = PhraseBank.from_yaml()
    said = {name: bank.fill(value, {}) for name, value in _product_values(bare).items()}
    assert (said["material"], said["sizes"], said["colours"], said["care"]) == (
        "详见商品详情页", "均码", "图片同款", "按水洗标打理即可")


def test_who_can_wear_it_comes_from_the_page_or_the_audience() -> None:
    from replies import PhraseBank

    bank = PhraseBank.from_yaml()
    assert answer(DEMO["KN-001"], BY_NAME["unisex"]).fact == "宽松版型男女都能穿"  # (the page says so)
    womens = answer(DEMO["CT-001"], BY_NAME["unisex"]).fact
    assert womens is not None and "女款" in bank.fill(womens, {})  # (made for women: said, never "unisex")
    unsaid = ProductView(sku="X-4", name="测试裤", category="裤装", price=1, stock=1)  # type: ignore[arg-type]
    assert answer(unsaid, BY_NAME["unisex"]).fact is None, "no audience, no page words: not a guess"


def test_the_likeliest_page_sentence_answers_first() -> None:
    assert answer(DEMO["SC-001"], BY_NAME["itch"]).fact == "不扎脖子"  # (before 含羊毛软糯保暖)
