"""Sizes from a customer's measurements, for one person or several.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.conversation.catalogue import Catalogue, ProductView, format_money
from bot.conversation.decision import Decision
from bot.conversation.focus import _product_values
from bot.conversation.slots import Person
from replies import Fragment, Joined, Value


def _advise_size(
    d: Decision, product: ProductView, catalogue: Catalogue, height: float | None, weight: float | None,
    foot: float | None,
) -> str | None:
    """The size the product's chart gives for the measurements, said with them ("按您身高179cm、体重72.5kg…建议XL码");
    None (and nothing said) when the chart has no size for them."""
    size = catalogue.size_for(product, height, weight, foot)
    if foot and product.size_chart and all("foot_length" in row for row in product.size_chart.values()):
        height = weight = None  # (shoes are sized by the foot: the height and weight said earlier are not the measure)
    measure = Joined(tuple(part for part in (
        Fragment("part.height", {"height": _num(height)}) if height else None,
        Fragment("part.weight", {"weight": _num(weight)}) if weight else None,
        Fragment("part.foot", {"foot": _num(foot)}) if foot and not (height or weight) else None) if part), "、")
    if size:
        d.say(("consult.size_advice", {**_product_values(product), "size": size, "measure": measure}),
              buttons=("我要买", "有什么颜色"))
    elif measure.parts and product.size_chart:  # "有没有小孩的码？一米四": none fits — said, not a size made up
        d.say(("consult.size_out_of_range", {**_product_values(product), "measure": measure,
                                              "range": catalogue.chart_range(product)}),
              buttons=("看看热销款", "转人工"))
    return size


def _sizes_for_people(
    d: Decision, product: ProductView, people: tuple[Person, ...], catalogue: Catalogue, values: Mapping[str, Value]
) -> None:
    """"男的180 78公斤 女的160 96斤": a size for each, kept so "男款浅灰 女款浅粉" / "各一套" make one line each."""
    advice: list[Value] = []
    kept = []
    for person in people:
        size = person.size if person.size in product.sizes else catalogue.size_for(
            product, person.height, person.weight, person.foot)
        measure = Joined(tuple(part for part in (
            Fragment("part.person_height", {"height": _num(person.height)}) if person.height else None,
            Fragment("part.person_weight", {"weight": _num(person.weight)}) if person.weight else None,
            Fragment("part.foot", {"foot": _num(person.foot)}) if person.foot else None) if part), "、")
        advice.append(Fragment("part.person_said_size", {"who": person.who, "size": size}) if size and not measure.parts
                      else Fragment("part.person_size", {"who": person.who, "measure": measure, "size": size}) if size
                      else Fragment("part.person_no_size", {"who": person.who, "measure": measure}))
        kept.append({"who": person.who, "size": size})
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
