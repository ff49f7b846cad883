"""Sizes from a customer's measurements, for one person or several.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.conversation.catalogue import Catalogue, ProductView, format_money
from bot.conversation.decision import Decision
from bot.conversation.focus import _product_values
from bot.conversation.slots import Person
from replies import Fragment, Joined, Value

# What a shopper says of their build, and the words of a product's fit note that size up for it: "胯比较宽" and
# "胯宽的建议拍大一码", "脚背高" and "脚背高或脚宽的建议拍大一码", "里面要穿毛衣" and "想内搭毛衣建议拍大一码".
_BUILDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("hips", re.compile(r"(胯|屁股|臀)[部围]?(比较|有点|有些|偏|很|超|太|挺)?(宽|大|肥)"), re.compile(r"胯|臀")),
    ("thighs", re.compile(r"(大腿|腿)(比较|有点|有些|偏|很|超|太|挺)?粗"), re.compile(r"大腿|腿粗")),
    ("waist", re.compile(r"腰(比较|有点|有些|偏|很|超|太|挺)?粗|(有|小|大)肚子|肚子(比较|有点|偏|很|挺)?大|啤酒肚|水桶腰"),
     re.compile(r"腰粗|肚子")),
    ("arms", re.compile(r"(胳膊|手臂|臂)(比较|有点|有些|偏|很|超|太|挺)?粗|膀大"), re.compile(r"胳膊|手臂")),
    ("feet", re.compile(r"脚[背面掌]?(比较|有点|有些|偏|很|超|太|挺)?(宽|肥|高|胖|厚)"), re.compile(r"脚背|脚宽")),
    ("layers", re.compile(r"(里面|里头|里边|内搭)(要|还|得|会|再)?(穿|搭|套|加)[^，,。]{0,3}(毛衣|卫衣|厚|保暖|打底)"
                          r"|内搭[^，,。]{0,2}(毛衣|卫衣)|套[^，,。]{0,2}(毛衣|卫衣)"), re.compile(r"内搭")),
    ("loose", re.compile(r"(喜欢|想|爱|要)(穿)?(宽松|宽|大)(一)?(点|些)|穿(得)?宽松|喜欢宽松|oversize|宽松一?[点些](?![吗么嘛])"),
     re.compile(r"宽松一点|宽松")),
)


def builds_said(text: str) -> list[str]:
    """The builds a message tells of ("我胯比较宽" → hips), for the size the fit note gives."""
    return [name for name, said, _ in _BUILDS
            if any(not _NOT_SAID.search(text[max(0, m.start() - 3): m.start()]) for m in said.finditer(text))]


# A build said not to be so ("单穿不套毛衣", "里面不穿毛衣", "腰不粗"): no size up for it
_NOT_SAID = re.compile(r"(不|没|没有|别|不会|不用|不要|无需)[要会用穿再]?$")


def _sized_up(product: ProductView, size: str, builds: object) -> tuple[str, Value] | None:
    """The next size up and the fit note's words for it, when the item's fit note says to size up for a build the
    customer told of ("胯宽的建议拍大一码"); None when it does not, or the size is the largest."""
    fit = str(product.facts.get("fit") or "")
    if not isinstance(builds, list) or size not in product.sizes or product.sizes.index(size) + 1 >= len(product.sizes):
        return None
    up = product.sizes[product.sizes.index(size) + 1]
    for clause in re.split(r"[；;，,。]", fit):
        if "大一码" in clause and any(name in builds and note.search(clause) for name, _, note in _BUILDS):
            return up, clause.strip()
    if "loose" in builds and product.size_chart and not re.search(r"宽松|偏大|oversize", fit):
        return up, Fragment("part.fit_loose_up", {})  # (a loose cut is loose already: its own size)
    return None


def size_advised(
    product: ProductView, catalogue: Catalogue, height: float | None, weight: float | None, foot: float | None,
    builds: object,
) -> str | None:
    """The size ``_advise_size`` advises for these measurements and builds: the chart's, one up where the fit note
    says so for a build told; None when the chart has none for them."""
    size = catalogue.size_for(product, height, weight, foot)
    up = _sized_up(product, size, builds) if size else None
    return up[0] if up else size


def _advise_size(
    d: Decision, product: ProductView, catalogue: Catalogue, height: float | None, weight: float | None,
    foot: float | None,
) -> str | None:
    """The size the product's chart gives for the measurements, said with them ("按您身高179cm、体重72.5kg…建议XL码");
    one size up where the fit note says so for the build the customer told of ("胯比较宽": 胯宽的建议拍大一码); None
    (and nothing said) when the chart has no size for them."""
    size = catalogue.size_for(product, height, weight, foot)
    if foot and product.size_chart and all("foot_length" in row for row in product.size_chart.values()):
        height = weight = None  # (shoes are sized by the foot: the height and weight said earlier are not the measure)
    measure = Joined(tuple(part for part in (
        Fragment("part.height", {"height": _num(height)}) if height else None,
        Fragment("part.weight", {"weight": _num(weight)}) if weight else None,
        Fragment("part.foot", {"foot": _num(foot)}) if foot and not (height or weight) else None) if part), "、")
    if size and (up := _sized_up(product, size, d.slots.get("build"))):
        d.say(("consult.size_advice_up", {**_product_values(product), "size": size, "measure": measure, "up": up[0],
                                          "advice": up[1]}), buttons=("我要买", "有什么颜色"))
        return up[0]
    if size:
        d.say(("consult.size_advice", {**_product_values(product), "size": size, "measure": measure}),
              buttons=("我要买", "有什么颜色"))
    elif measure.parts and product.size_chart:  # "有没有小孩的码？一米四": none fits — said, not a size made up
        d.say(("consult.size_out_of_range", {**_product_values(product), "measure": measure,
                                              "range": catalogue.chart_range(product)}),
              buttons=("看看热销款", "转人工"))
    return size


def as_said(who: str) -> str:
    """A person as the bot names them back: 自己 is 您自己, 我老婆 is 老婆."""
    return "您自己" if who in ("我", "自己", "我自己") else who.removeprefix("我") or who


def people_advice(product: ProductView, people: tuple[Person, ...], catalogue: Catalogue
                  ) -> tuple[list[Value], list[dict[str, Any]]]:
    """Each person's size by the chart (or as said), as the reply says it and as the conversation keeps it."""
    advice: list[Value] = []
    kept = []
    for person in people:
        size = person.size if person.size in product.sizes else catalogue.size_for(
            product, person.height, person.weight, person.foot)
        measure = Joined(tuple(part for part in (
            Fragment("part.person_height", {"height": _num(person.height)}) if person.height else None,
            Fragment("part.person_weight", {"weight": _num(person.weight)}) if person.weight else None,
            Fragment("part.foot", {"foot": _num(person.foot)}) if person.foot else None) if part), "、")
        who = as_said(person.who)
        advice.append(Fragment("part.person_said_size", {"who": who, "size": size}) if size and not measure.parts
                      else Fragment("part.person_size", {"who": who, "measure": measure, "size": size}) if size
                      else Fragment("part.person_no_size", {"who": who, "measure": measure}))
        kept.append({"who": person.who, "size": size})
    return advice, kept


def _sizes_for_people(
    d: Decision, product: ProductView, people: tuple[Person, ...], catalogue: Catalogue, values: Mapping[str, Value]
) -> None:
    """"男的180 78公斤 女的160 96斤": a size for each, kept so "男款浅灰 女款浅粉" / "各一套" make one line each."""
    advice, kept = people_advice(product, people, catalogue)
    before = d.slots.get("people") if isinstance(d.slots.get("people"), dict) else None
    if before and before.get("sku") == product.sku and {p["who"] for p in kept} < {p.get("who") for p in before["who"]}:
        # ("小刘 165 58kg，老张 172 68kg" again, after five people were sized): those, the others kept
        now = {p["who"]: p for p in kept}
        kept = [now.get(str(p.get("who")), p) for p in before["who"]]
    d.slots["people"] = {"sku": product.sku, "who": kept}
    colours = product.colours or ("",)
    example = " ".join(f"{p['who']}{colours[i % len(colours)]}" for i, p in enumerate(kept[:2]))
    d.say(("consult.size_advice_people", {**values, "advice": Joined(tuple(advice), "；"), "example": example}),
          buttons=("我要买", "有什么颜色"))


def _num(value: Any) -> str:
    return format_money(Decimal(str(value)))
