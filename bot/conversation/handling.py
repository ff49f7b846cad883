"""The handler of a message's intent, once ``decide`` (``routing``) has read it: the item's qualities it asks about
answered first, then the other requests of the message, and the question the bot was waiting on asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation.actions import Say
from bot.conversation.aftersales import (
    _invoice,
    _modify,
    _returns,
    _status,
)
from bot.conversation.arrival import ARRIVAL_KEYS, arrival_answer, asks_arrival
from bot.conversation.buttons import (
    _ASK_COLLEAGUE,
    AFTER_ANSWER,
    _menu_for,
)
from bot.conversation.catalogue import ProductView
from bot.conversation.cues import (
    _ASKS,
    _ASKS_A_DISCOUNT,
    _ASKS_PERK,
    _PRICE_WORDS,
)
from bot.conversation.decision import Decision, Turn
from bot.conversation.focus import (
    _choose,
    _focus,
    _order_for,
    _product_values,
)
from bot.conversation.orders import _affirm, _buy, _deny
from bot.conversation.readings import _GIFT_FOR, _HAGGLING, RETURN_WORRY
from bot.conversation.sales import (
    _answer_facts,
    _bargain,
    _consult,
    _custom,
    _doubt,
    _fact_parts,
    _greet,
    _other,
    _payment,
    _recommend,
    _shipping,
    _thanks,
    _total,
)
from bot.conversation.sizing import _advise_size
from bot.conversation.slots import (
    SIZE_QUESTION,
    Extracted,
    extract,
    mentions_any,
    simplify,
)
from bot.conversation.state import _ORDER_QUESTIONS, Pending, Stage, Status
from bot.conversation.views import Context, OrderView, Understanding

# A message that asks for items to be shown ("有没有别的推荐", "还有什么款") — not one that only asks about the item
_ASKS_FOR_OTHERS = re.compile(r"推荐|有没有|有没|还有(什么|别的|哪些|其他)|别的|其他|哪款|哪个好|什么好|适合|挑")
_SHIP_WORDS = ("包邮", "运费", "邮费", "快递", "发货", "几天", "多久", "到货", "顺丰", "物流", "寄", "送到", "能到", "什么时候")


@dataclass(frozen=True, slots=True)
class _Act:
    """What ``decide`` has made of a message, for the handler of its intent."""

    said: Understanding
    text: str
    intent: str
    clicked: bool  # a button offered was clicked
    pending: Any  # the question the bot had asked (``Pending``), or None
    product: ProductView | None  # the item this message names
    current: ProductView | None  # the item in focus
    found: Extracted
    noted: str | None  # a delivery note the message adds
    placed: Any  # the order just placed (``slots["order_no"]``)


def _act(d: Decision, ctx: Context, a: _Act) -> Decision:
    """The handler of the message's intent, with the item qualities it asks about answered first."""
    state, text, intent, pending, product, found, noted, placed = (
        d.slots, a.text, a.intent, a.pending, a.product, a.found, a.noted, a.placed)
    handler = _HANDLERS.get(intent, _other)
    start = len(d.says)
    focus = ctx.catalogue.get(state.get("product"))
    earlier = str(state.pop("asked_facts", "") or "")
    aspects = _facts.asked(text, ctx.catalogue.names) if not a.clicked and intent in _FACT_INTENTS and not (
        intent == "affirm" and not _ASKS.search(simplify(text))) else []  # ("是的 都要礼盒" says yes; it asks nothing)
    if intent == "buy" and not _ASKS.search(simplify(text)):  # ("那就按你说的拍大一码 四十二": a size chosen, not asked)
        aspects = [aspect for aspect in aspects if aspect.name != "fit"]
    if not aspects and earlier and pending == Pending.WHICH and product is not None:
        aspects, text = _facts.asked(earlier, ctx.catalogue.names), earlier  # the item named: the question asked before, answered
    turn = Turn(text, ctx, found, pending, product)
    if noted and focus is not None and intent in ("shipping_inquiry", "other", "greet", "affirm", "modify_order",
                                                  "thanks_bye") and not aspects:
        # "快递别放柜子 送之前打电话" while choosing: the note is taken, and the order goes on ("12月20号之前能收到吗
        # 送人的": when it comes, first)
        if intent == "shipping_inquiry" and asks_arrival(text, ctx.today):
            d.say(arrival_answer(text, ctx))
        d.say(("close.note_taken", {"notes": noted}))
        d.intent = "buy"
        _buy(d, turn)
        return d
    if aspects and product is not None and focus is not None and product.sku != focus.sku and product.sku in {
        line.get("sku") for line in state.get("lines") or []
    }:
        focus = product  # "那T恤黑色的洗了会不会掉色" about the tee beside the skirt in focus: the tee's answer
    if aspects and focus is None and placed and (ordered := _order_for(ctx, str(placed))) is not None:
        focus = _the_line_asked_about(ctx, ordered, aspects)  # "厚不厚啊 会不会透" right after ordering: what was ordered
    if aspects and focus is None and len(fitting := [p for p in ctx.catalogue.in_category(simplify(text))
                                                      if p.in_stock]) == 1:
        # "想给男朋友买件衬衫 他不会熨衣服 有没有不用熨的": the one item the words fit — it is the one asked about
        focus = fitting[0]
        _focus(state, focus)
    if aspects and product is None and (shown := _shown_compared(state, ctx, text, focus)):
        return _answer_for_each(d, turn, shown, aspects)
    if aspects and product is None and (both := _all_the_lines_asked(state, ctx, text, placed)):
        _answer_for_each(d, turn, both, aspects, choose=False)  # "两件一起拍 都是手洗是吧": each line's answer
        return _after_the_answer(d, ctx, a, start, focus, True)
    if aspects and focus is None:
        return _which_item_asked(d, turn, handler, intent)
    if aspects and focus is not None:
        # "会透吗 能机洗吗" about the item in focus: each asked quality answered from the catalogue, or honestly not
        _answer_facts(d, focus, aspects, text)
        if mentions_any(text, _PRICE_WORDS) and intent in _FACT_ONLY:  # "帽子多少钱 我头围58戴得下不": the price too
            d.say(("consult.price", _product_values(focus)), buttons=AFTER_ANSWER)
        if intent not in _FACT_ONLY and not (intent == "bargain" and not mentions_any(text, _HAGGLING)) \
                and not (intent == "shipping_inquiry" and not mentions_any(text, _SHIP_WORDS)) \
                and not (intent == "ask_recommendation" and not _ASKS_FOR_OTHERS.search(simplify(text))):
            handler(d, turn)  # "黑色L 会不会透": the choice goes on too ("能包个礼盒吗" haggles for nothing)
        elif (SIZE_QUESTION.search(simplify(text)) or (found.height and found.weight) or found.foot) and focus.size_chart and (
            found.height or found.weight or found.foot
        ) and (size := _advise_size(d, focus, ctx.catalogue, found.height, found.weight, found.foot)):
            _choose(state, focus, "size", size)  # "我165 110斤 穿啥码 会不会掉色" / "…透不透 我156 92斤": the size too
    else:
        handler(d, turn)
    return _after_the_answer(d, ctx, a, start, focus, bool(aspects))


def _after_the_answer(
    d: Decision, ctx: Context, a: _Act, start: int, focus: ProductView | None, facts_answered: bool
) -> Decision:
    """What follows the handler's answer: the note heard mid-order, the other requests of the message, and the
    question the bot was waiting on asked again."""
    said, intent, pending, current, noted = a.said, a.intent, a.pending, a.current, a.noted
    if noted and intent == "buy" and d.status == Status.BOT and d.slots.get("pending") in _ORDER_QUESTIONS - {"readback"} \
            and not any(key == "close.note_taken" for say in d.says for key, _ in say.parts):
        d.says.insert(start, Say((("close.note_taken", {"notes": noted}),)))  # the card's words heard, mid-order
    if not a.clicked and d.status == Status.BOT:
        _answer_the_rest(d, said, intent, ctx, current, start, facts_answered=facts_answered)
    if (pending in _ORDER_QUESTIONS and d.status == Status.BOT and d.slots.get("pending") is None and focus is not None
            and not d.actions
            and intent in _ANSWER_THEN_ASK and d.slots.get("product") == (current.sku if current else None)):
        if not any(key == "consult.size_advice_people" for say in d.says for key, _ in say.parts):
            _ask_again(d, str(pending), ctx, focus)  # mid-order: the question answered, the pending one asked again
    return d


def _the_line_asked_about(ctx: Context, order: OrderView, aspects: list[_facts.Aspect]) -> ProductView | None:
    """Of the items just ordered, the one a question about a quality is about: the only one; of several, the only
    one the catalogue answers it for ("腰是松紧的吗" after a tee and a skirt: the skirt); else None (which one?)."""
    skus = dict.fromkeys(line.sku for line in order.lines) or {order.sku: None}
    products = [p for sku in skus if (p := ctx.catalogue.get(sku))]
    if len(products) > 1:
        products = [p for p in products if any(_facts.answer(p, aspect).fact for aspect in aspects)]
    return products[0] if len(products) == 1 else None


# "这几件哪个…" / "两款都…": a question about every item shown, not about the one in focus
_EACH_SHOWN = re.compile(r"这[几两三俩]|那[几两三俩]|[两俩三]款|[两俩三]件|[两俩三]条|哪[个款件条一]|都[能会是有不可]|分别|各自|比较")

_ONE_OF_THEM = re.compile(r"[这那][件款个条双顶套]|它")


def _shown_compared(state: dict[str, Any], ctx: Context, text: str, focus: ProductView | None) -> list[ProductView]:
    """The two or three items shown that a question about qualities is about: all of them, when none is in focus
    or the message asks about several ("这两件哪个不容易皱"); else none."""
    shown = [p for sku in state.get("candidates") or [] if (p := ctx.catalogue.get(sku)) and p.in_stock]
    if not 2 <= len(shown) <= 3:
        return []
    plain = simplify(text)
    if (focus is not None or _ONE_OF_THEM.search(plain)) and not _EACH_SHOWN.search(plain):
        return []  # ("这件会起球吗" with three shown: which one?)
    if (kind := ctx.catalogue.in_category(plain)) and not any(p in shown for p in kind):
        return []  # ("有没有不起球的毛衣" among the tees shown: another kind of item)
    return shown


def _all_the_lines_asked(state: Mapping[str, Any], ctx: Context, text: str, placed: Any) -> list[ProductView]:
    """The items of the order being put together (or just placed) that a question about "都"/"两件" is about: all of
    them, when there are two or three; else none."""
    if not _EACH_SHOWN.search(simplify(text)):
        return []
    ordered = _order_for(ctx, str(placed)) if placed else None
    skus = [line.sku for line in ordered.lines] if ordered is not None else [
        str(sku) for sku in (*(line.get("sku") for line in state.get("lines") or []), state.get("product")) if sku]
    items = [p for sku in dict.fromkeys(skus) if (p := ctx.catalogue.get(sku))]
    return items if 2 <= len(items) <= 3 else []


def _answer_for_each(
    d: Decision, turn: Turn, shown: list[ProductView], aspects: list[_facts.Aspect], *, choose: bool = True
) -> Decision:
    """"这几件哪个不容易皱" / "能机洗吗" with two or three items shown: the catalogue's answer for each, in one
    bubble, and the items to choose from (``choose`` False: the items are the order's — nothing to choose)."""
    parts: list[tuple[str, Any]] = []
    unknown = []
    for p in shown:
        said, missing = _fact_parts(d, p, aspects, turn.text, named=True)
        parts.extend(said)
        unknown += [p.name] if missing else []
    if unknown:  # (the colleague is asked about every item the page leaves it unsaid for, not the last one only)
        d.slots["unknown_question"] = f"{'、'.join(unknown)}：{turn.text.strip()[:120]}"
    if not choose:
        d.say(*parts, buttons=(_ASK_COLLEAGUE,) if unknown else AFTER_ANSWER)
        return d
    d.stage = Stage.CONSULT
    d.slots["candidates"] = [p.sku for p in shown]
    d.slots["pending"] = Pending.WHICH
    d.say(*parts, buttons=(*_menu_for(shown), *((_ASK_COLLEAGUE,) if unknown else ())))
    return d


def _which_item_asked(d: Decision, turn: Turn, handler: Callable[[Decision, Turn], None], intent: str) -> Decision:
    """"能机洗吗" with no item in view: which one — and the question is kept for when they say."""
    state, ctx, text = d.slots, turn.ctx, turn.text
    shown = [p for sku in state.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
    ordered = _order_for(ctx, state.get("order_no")) if state.get("order_no") else None
    bought = [p for sku in dict.fromkeys(line.sku for line in ordered.lines) if (p := ctx.catalogue.get(sku))
              ] if ordered else []  # (about one of the items just ordered, most likely)
    choices = ctx.catalogue.in_category(simplify(text))[:3] or bought[:3] or shown[:3] or ctx.catalogue.best_sellers()
    if intent == "doubt":  # "会不会起球啊": the shop's guarantee now, the item's own answer once it is named
        handler(d, turn)
    state["candidates"], state["pending"], state["asked_facts"] = [p.sku for p in choices], Pending.WHICH, text[:200]
    d.stage = Stage.CONSULT
    d.say(("consult.which_product", {}), buttons=_menu_for(choices))
    return d


# Intents whose message may ask about an item's qualities; for the first set the qualities are the whole answer.
_FACT_ONLY = frozenset({"product_inquiry", "doubt", "other", "greet", "affirm"})
_FACT_INTENTS = _FACT_ONLY | {"buy", "bargain", "shipping_inquiry", "ask_recommendation"}
_ANSWER_THEN_ASK = frozenset({"greet", "other", "product_inquiry", "shipping_inquiry", "doubt", "invoice",
                              "affirm", "bargain", "payment", "custom", "total"})


def _ask_again(d: Decision, pending: str, ctx: Context, product: ProductView) -> None:
    """The order's open question, asked again after an answer to something else."""
    if pending == Pending.READBACK:
        d.slots["pending"] = Pending.READBACK
        d.stage = Stage.CONFIRM_ORDER
        d.say(("confirm.still_waiting", {}), buttons=("确认无误", "需要修改"))
        return
    _buy(d, Turn("", ctx, extract("", product), None))


# Requests a second clause of a message may make that get their own answer after the first one's.
_SECOND_ANSWERS = frozenset(
    {"product_inquiry", "shipping_inquiry", "bargain", "doubt", "invoice", "return_refund", "order_status", "payment"}
)


# A low price heard of as the reason to buy now ("我孙女说双十二便宜", "趁便宜囤两件"), not asked for
_HEARD_CHEAP = re.compile(r"(说|听说|趁|赶上|正好)[^，,。？?]{0,8}便宜(?!点|些|一点|吗|么|不|嘛|呢|多少)")


def _answer_the_rest(
    d: Decision, said: Understanding, intent: str, ctx: Context, current: ProductView | None, start: int,
    *, facts_answered: bool = False,
) -> None:
    """"这件有L吗 顺便问下什么时候发货": the other requests of the message, each answered in the order the message
    asks them (``start``: where the main request's answer begins).

    The main request's open question (a size the bot asked for…) stays the one the bot waits on.
    """
    pending, buttons = d.slots.get("pending"), dict(d.slots.get("buttons") or {})
    stage = d.stage
    answered = {intent}
    insert_at = start
    for request in said.also:
        other, clause = request.intent, request.text
        if intent == "buy" and other == "bargain" and not _ASKS_A_DISCOUNT.search(_HEARD_CHEAP.sub("", simplify(clause))):
            continue  # "行行行 黑色XL": the haggling is over once they order (not "…两件快八百了 能不能便宜点啊");
            # "我孙女说双十二便宜 我给…一人买一件": the sale they heard of is why they buy, not a haggle
        if other == "bargain" and _GIFT_FOR.search(simplify(clause)):
            continue  # "想送我妈": a present, not a freebie asked for
        if other == "bargain" and not mentions_any(clause, (*_HAGGLING, "价", "钱", "抹", "送", "块", "元")):
            continue  # "一百四十八斤": a weight, not haggling — a price talk says something of the price
        if other == "order_status" and not ctx.orders:
            other = "shipping_inquiry"  # "顺便问下什么时候发货" with no order yet: when the shop ships
        if other == "shipping_inquiry" and (intent in ("return_refund", "invoice") or not mentions_any(clause, _SHIP_WORDS)):
            continue  # "想退 运费谁出": the return's postage, answered with the return; "个人的": not about shipping
        if other in answered or other not in _SECOND_ANSWERS or (facts_answered and _facts.asked(clause, ctx.catalogue.names)):
            continue  # (the item's qualities asked in any clause are answered together, once)
        if intent in ("buy", "modify_order", "return_refund") and other == "product_inquiry" \
                and not _facts.asked(clause, ctx.catalogue.names):
            continue  # "围巾 灰色的有吗 要一条": going on with the order answers whether it is there; "衬衫还是黑的"
        answered.add(other)
        before = len(d.says)
        _HANDLERS[other](d, Turn(clause, ctx, extract(clause, current), pending))
        if len(d.says) > before:
            buttons.update(d.slots.get("buttons") or {})
            if request.first or pending is not None:
                # asked before the main request, or the main answer ends on a question: answered before it (the
                # question the customer must answer stays the last thing they read)
                added = d.says[before:]
                del d.says[before:]
                d.says[insert_at:insert_at] = added
                insert_at += len(added)
    if intent == "buy":
        _beside_the_order(d, said, ctx, current, answered, insert_at, (stage, pending))
    if pending is not None:  # the main request's question is still the one waited on, at its stage
        d.slots["pending"], d.stage = pending, stage
    d.slots["buttons"] = buttons


def _beside_the_order(
    d: Decision, said: Understanding, ctx: Context, current: ProductView | None, answered: set[str], insert_at: int,
    waiting: tuple[Stage, Any],
) -> None:
    """What a message that orders says beside it, answered before the order's next question: a perk asked for, a
    worry about returning it, when it comes (``waiting``: the stage and the question the order is at)."""
    stage, pending = waiting
    said_keys = {key for say in d.says for key, _ in say.parts}
    if _ASKS_PERK.search(simplify(said.text)) and not any(k.startswith("objection.") for k in said_keys):
        # "我要米白 女儿白色 老公黑色 买三双能送点什么吗": the order goes on, and what the shop can add is offered
        before = len(d.says)
        _bargain(d, Turn(said.text, ctx, extract(said.text, current), pending))
        added = d.says[before:]
        del d.says[before:]
        d.says[insert_at:insert_at] = added
        insert_at += len(added)
        d.stage = stage
        said_keys = {key for say in d.says for key, _ in say.parts}
    if not ctx.orders and RETURN_WORRY.search(simplify(said.text)) \
            and not any(k.startswith("objection.") or k.startswith("aftersales.") for k in said_keys):
        # "下单吧 收到不满意我可要退的": the order goes on, and the shop's return terms are said before its question
        d.says.insert(insert_at, Say((("objection.quality", {}),)))
        insert_at += 1
    if "shipping_inquiry" not in answered and asks_arrival(said.text, ctx.today) \
            and not said_keys & (ARRIVAL_KEYS | {"shipping.policy"}):
        # "咁我要一對黑色42 一對白色37 幾時可以到啊": the order goes on, and when it comes is said before the question
        d.says.insert(insert_at, Say((arrival_answer(said.text, ctx),)))


_HANDLERS = {
    "greet": _greet,
    "product_inquiry": _consult,
    "shipping_inquiry": _shipping,
    "ask_recommendation": _recommend,
    "bargain": _bargain,
    "doubt": _doubt,
    "buy": _buy,
    "affirm": _affirm,
    "deny": _deny,
    "modify_order": _modify,
    "order_status": _status,
    "return_refund": _returns,
    "invoice": _invoice,
    "thanks_bye": _thanks,
    "other": _other,
    # not labels — the flow's own answers to requests the labels share (the reported intent is set beside them)
    "payment": _payment,
    "custom": _custom,
    "total": _total,
}
