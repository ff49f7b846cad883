"""A message read as the answer to the question the bot is waiting on: one handler per ``Pending`` value.

``decide`` asks :func:`read_answer` after its invoice rule and before the rules for any message. What a handler
says is what the message is read as; the table's order means nothing, as only one value can be pending.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.conversation.catalogue import ProductView
from bot.conversation.cues import (
    _ADD_MORE,
    _CANCEL,
    _CHANGE_WORDS,
    _GO_AHEAD,
    _LEAVES_IT_TO_US,
    _ORDERED_BEFORE,
    _YES_FIRST,
    DISPUTE_TYPES,
    _chooses,
)
from bot.conversation.decision import Decision
from bot.conversation.focus import _choose, _product_values
from bot.conversation.sizing import _advise_size
from bot.conversation.slots import Extracted, mentions_any, simplify
from bot.conversation.state import Pending
from bot.conversation.views import Context


@dataclass(slots=True)
class Reading:
    """One message as ``decide`` has read it so far, for the rules that choose its intent."""

    d: Decision
    state: dict[str, Any]  # the slots being decided
    slots: Mapping[str, Any]  # the slots as stored before this message
    text: str
    intent: str
    found: Extracted
    current: ProductView | None  # the item in focus
    product: ProductView | None  # the item this message names
    progress: bool  # the message added a detail of the order being put together


#: A handler returns the intent the message is read as, the finished ``Decision`` when it has answered the
#: message itself, or None when the message is not read as an answer.
Handler = Callable[[Reading, Context], "str | Decision | None"]


def adds_an_item(r: Reading) -> bool:
    """"再配一条百褶裙 黑色 跟上衣一样的码": another item named with 再加/再配 is bought, however it reads."""
    return r.product is not None and bool(_ADD_MORE.search(simplify(r.text))) and r.intent not in DISPUTE_TYPES \
        and r.intent != "human"


def puts_the_order_together(r: Reading, ctx: Context) -> bool:
    """"再加一顶帽子" / "麻烦备注一下周末送" read as a change before any order: the order being put together."""
    return r.intent == "modify_order" and not ctx.orders and r.current is not None and (
        not mentions_any(r.text, _CANCEL) or bool(_CHANGE_WORDS.search(simplify(r.text)))
        or bool(r.found.colour) or bool(r.found.size)
    ) and not (r.slots.get("asked_order_no") and _ORDERED_BEFORE.search(simplify(r.text))) \
        and not _BOUGHT_EARLIER.search(simplify(r.text)) \
        and not (r.slots.get("intake") and re.search(r"换(一|个|件|条|双|新)|换货", simplify(r.text))) \
        and not (r.slots.get("last_intent") == "return_refund" and r.found.phone and not r.found.address)
    # ("早上买了条工装裤还没发货吧 想改个地址": that order; "希望能换一件" while a complaint waits: its remedy)


# An order placed before this chat, said so: "早上买了条…", "十分钟前拍的", "还没发货吧".
_BOUGHT_EARLIER = re.compile(r"(早上|上午|下午|中午|晚上|昨天|昨晚|前天|刚才|刚刚|之前|上周|几天前|分钟前|小时前)[^，,。]{0,4}"
                             r"(买|拍|下单|下的单|订)|还没发货|没发货吧|还没发吧")


def gives_an_address(r: Reading) -> bool:
    """An address given unasked while an item is in focus: the customer is ordering it."""
    return r.current is not None and bool(r.found.address) and r.intent not in DISPUTE_TYPES \
        and r.intent != "modify_order"


def _outranked(r: Reading, ctx: Context, *, by_address: bool) -> bool:
    # The rules for any message that outrank these answers (an item added, the order put together, and for
    # some an address given): the answer is read only when none of them holds.
    return adds_an_item(r) or puts_the_order_together(r, ctx) or (by_address and gives_an_address(r))


def _modify(r: Reading, ctx: Context) -> str | None:
    # the new value of a placed order's detail, or a cancel
    if (r.progress or mentions_any(r.text, _CANCEL)) and r.intent not in ("order_status",):
        return "modify_order"
    return None


def _size(r: Reading, ctx: Context) -> str | Decision | None:
    d, state, current, found = r.d, r.state, r.current, r.found
    if current is not None and not found.size and current.size_chart and not found.people and (
        found.height or found.weight or found.foot
    ) and (size := _advise_size(d, current, ctx.catalogue, found.height, found.weight, found.foot)):
        _choose(state, current, "size", size)  # "你给我定就行 我一米六六 一百一十二斤" when asked which size
        return "buy"
    if current is not None and not found.people and _LEAVES_IT_TO_US.search(simplify(r.text)) and (
        size := ctx.catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))
    ):
        _choose(state, current, "size", size)  # "你们建议的尺寸就好": the size their measurements give
        return "buy"
    if current is not None and current.size_chart and _LEAVES_IT_TO_US.search(simplify(r.text)) \
            and not (found.people or found.height or found.weight or found.foot):
        # "你帮我看着办 我不懂那些码" / "按你们尺码表给" with no measurements yet: ask for them
        d.intent = "product_inquiry"
        state["pending"] = Pending.MEASURE
        d.say(("consult.size_need_measure", _product_values(current)))
        return d
    return _detail(r, ctx)


def _detail(r: Reading, ctx: Context) -> str | None:
    # a detail of the order being put together (or the item to order)
    if r.progress or r.product or r.state.get("wanted"):
        return "buy"
    return None


def _which(r: Reading, ctx: Context) -> str | None:
    # which of the items shown: the one named (two items with their variants, though, are the order)
    if _outranked(r, ctx, by_address=False):
        return None
    items = r.found.items
    if r.product and not (len({item.sku for item in items}) >= 2 and all(item.colour or item.size for item in items)):
        # ("那要浅蓝的": the one made in that colour, chosen — bought)
        # (and the one of several chosen after a colour all of them have was said: "深蓝" then "高腰直筒牛仔裤")
        chosen = (r.found.colour or r.found.size) and _chooses(r.text)
        return "buy" if chosen or r.product.sku in (r.slots.get("colour_of_which") or {}) else "product_inquiry"
    return None


def _change(r: Reading, ctx: Context) -> str | None:
    # the new value of a detail changed at the read-back
    if _outranked(r, ctx, by_address=True):
        return None
    return "buy" if r.progress else None


def _readback(r: Reading, ctx: Context) -> str | None:
    plain = simplify(r.text)
    if r.progress and _GO_AHEAD.search(plain) and r.intent not in DISPUTE_TYPES and r.intent != "human" \
            and not mentions_any(r.text, _CANCEL):
        return "affirm"  # a change with a go-ahead ("地址对 但是数量改成两件 其他没问题可以下"): placed as changed
    if _outranked(r, ctx, by_address=True):
        return None
    if r.progress:  # a change at the read-back (a "对" that restates it changes nothing): read back again
        return "buy"
    if r.intent not in DISPUTE_TYPES and r.intent != "human" and (
        _YES_FIRST.search(plain) or r.intent == "buy" or _GO_AHEAD.search(plain)
    ) and (r.intent != "deny" or not _NOT_SO.search(plain.replace("唔该", ""))):
        # "对，就这样。谢谢你。" / "对 就两条" / "就这样下单吧": the yes, with thanks or a push — and "啱啦 唔该晒" (唔该 is
        # thanks, not a no) even when read as one
        return "affirm"
    return None


_NOT_SO = re.compile(r"不|没|别|错|改|唔|冇|未|换")


def _measure(r: Reading, ctx: Context) -> str | Decision | None:
    if _outranked(r, ctx, by_address=True):
        return None
    d, current, found = r.d, r.current, r.found
    if found.height or found.weight or found.foot:
        return "product_inquiry"
    if current is not None and current.size_chart and not found.size and _LEAVES_IT_TO_US.search(simplify(r.text)):
        # "就你说那个码" again when the measurements were asked for: without them there is no size to go by
        d.intent = "product_inquiry"
        r.state["pending"] = Pending.MEASURE
        d.say(("consult.size_need_measure", _product_values(current)), buttons=current.sizes[:6])
        return d
    return None


_HANDLERS: Mapping[Pending, Handler] = {
    Pending.MODIFY: _modify,
    Pending.SIZE: _size,
    Pending.COLOUR: _detail,
    Pending.QUANTITY: _detail,
    Pending.ADDRESS: _detail,
    Pending.PHONE: _detail,
    Pending.PRODUCT: _detail,
    Pending.WHICH: _which,
    Pending.CHANGE: _change,
    Pending.READBACK: _readback,
    Pending.MEASURE: _measure,
}


def read_answer(pending: object, r: Reading, ctx: Context) -> str | Decision | None:
    """The message read as the answer to the bot's open question.

    Args:
        pending: ``slots["pending"]`` as stored (a ``Pending`` value, its string, or None).

    Returns:
        The intent the message is read as; the finished ``Decision`` when the answer is a question asked back
        (the measurements for a size); or None — the message is not an answer, or nothing is pending, or the
        pending value has no handler here (``INVOICE``: the invoice rule before this one reads it;
        ``DISPUTE_CHECK`` and ``CSAT``: answered earlier in ``decide``; ``NEED`` and ``CLARIFY``: any message
        is the answer). Then ``decide`` goes on with the rules for any message, as when nothing is pending.
    """
    if not isinstance(pending, str) or pending not in _HANDLERS:
        return None
    return _HANDLERS[Pending(pending)](r, ctx)
