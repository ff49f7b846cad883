"""After the order: its status, changes and cancels, returns and exchanges, invoices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.conversation import invoicing as _invoicing
from bot.conversation.actions import (
    _CHANGE_FIELDS,
    AnnounceQueue,
    CancelOrder,
    ChangeOrder,
    RecordInvoice,
    describe_changes,
)
from bot.conversation.catalogue import Catalogue, ProductView, format_money
from bot.conversation.cues import (
    _CANCEL,
    _CHANGE_WORDS,
    _CONDITION,
    _INVOICE_WORDS,
    _NO_FAULT,
    _REFUND_WHEN,
    COURIER_NAMES,
    _chooses,
    _reports_fault,
)
from bot.conversation.decision import Decision, Turn
from bot.conversation.disputes import _escalate
from bot.conversation.focus import (
    _fits_most,
    _lines_text,
    _named_elsewhere,
    _order_for,
    _person_named,
    _product_values,
    _switched_to,
)
from bot.conversation.slots import Extracted, _everyday, extract, mentions_any, name_tails, simplify
from bot.conversation.state import Pending, Stage, Status
from bot.conversation.views import Context, OrderLineView, OrderView
from replies import Fragment, Joined, Value


def _edit(d: Decision, detail: str, ctx: Context) -> Decision:
    """A 改尺码 / 改地址 … button: ask for that detail again (before the order, or for a placed one)."""
    s = d.slots
    if s.get("pending") == Pending.MODIFY:  # a placed order: the next message carries the new value
        order = _order_for(ctx, s.get("modify_order"))
        ordered = ctx.catalogue.get(order.sku) if order else None
        values = _product_values(ordered) if ordered else {"product": "", "sizes": "", "colours": ""}
        buttons = {"size": ordered.sizes, "colour": ordered.colours}.get(detail, ()) if ordered else ()
        d.say((f"close.ask_{detail}", values), buttons=tuple(buttons)[:8])
        return d
    product = ctx.catalogue.get(s.get("product"))
    values = _product_values(product) if product else {"product": "", "sizes": "", "colours": ""}
    s.pop(detail, None)
    if detail in ("size", "colour", "quantity"):
        s.pop("lines", None)  # the customer says it again, for the whole order
    d.stage, s["pending"] = Stage.CLOSE, detail
    buttons = {"size": product.sizes if product else (), "colour": product.colours if product else ()}.get(detail, ())
    d.say((f"close.ask_{detail}", values), buttons=tuple(buttons)[:8])
    return d


def _confirm_cancel(d: Decision, ctx: Context) -> Decision:
    """"不要了" right after ordering: ask before cancelling (it may just mean "nothing else, thanks")."""
    order = _order_for(ctx, d.slots.get("order_no"))
    if order is None or order.status == "cancelled":
        d.stage = Stage.FAREWELL
        d.say(("farewell.sale", {}))
        return d
    d.slots["modify_order"], d.slots["pending"] = order.order_no, Pending.MODIFY
    d.say(("modify.confirm_cancel", {"order_no": order.order_no}), buttons=("取消订单", "保留订单"))
    return d


def _line_meant(text: str, order: OrderView, catalogue: Catalogue) -> OrderLineView | None:
    """The one line of a several-item order a change is for: the item the message names ("毛衣换成L"), or, naming
    none, the only item the size or colour it gives can be for ("换成酒红" when only the sweater comes in 酒红).
    None when that is not one line (two of the same item, or nothing to tell them apart)."""
    plain = simplify(text)
    named = [line for line in order.lines if (p := catalogue.get(line.sku)) is not None and (
        p.name.lower() in plain or catalogue.find(plain) is p or any(tail in plain for tail in name_tails(p)))]
    if not named:  # the lines of the item that fits what is said ("换成酒红 XL": the sweater, not the scarf)
        items = [item for line in order.lines if (item := catalogue.get(line.sku)) is not None]
        fitting = {p.sku for p in _fits_most(text, items)}
        named = [line for line in order.lines if line.sku in fitting]
    if len(named) > 1 and (turn := _TURN_TO.search(plain)):  # the same item twice: "黑色那件改成XL" is the black one
        before = plain[:turn.start()]
        named = [line for line in named if any(v and v.lower() in before for v in (line.colour, line.size))]
    if len(named) > 1 and (down := _TURNED_DOWN.search(plain)):  # "他刚说不要蓝的 要浅灰": the blue one
        word = down.group(1)
        named = [line for line in named if line.colour and (word in line.colour.lower() or (
            len(word.removesuffix("色")) == 1 and word.removesuffix("色") in _everyday(line.colour)))]
    return named[0] if len(named) == 1 else None


_TURN_TO = re.compile(r"改成|换成|改为|换为|改到|换到|改|换")
_TURNED_DOWN = re.compile(r"(?:不要|不想要|别要|不喜欢)(?:那个|那件|那套)?([\u4e00-\u9fa5]{1,4}?)(?:色)?的")


def _new_values(text: str) -> str:
    """What a change asks for: the words after "改成/换成" when the words before say which line ("黑色那件改成XL")."""
    turn = _TURN_TO.search(simplify(text))
    return text[turn.end():] if turn and turn.start() > 0 else text


def _postage_after(ctx: Context, order: OrderView, subtotal: Decimal) -> tuple[Decimal, Decimal]:
    """The postage and discount of ``order`` once its lines come to ``subtotal``, by the shop's rules: a
    free-shipping concession stays; a coupon stays while the lines still reach its minimum."""
    policy = ctx.policy
    before = Decimal(order.details.get("subtotal") or "0")
    fee_before = Decimal(order.details.get("shipping_fee") or "0")
    discount = before + fee_before - Decimal(order.details.get("total") or "0")
    conceded = not fee_before and before - discount < policy.free_shipping_threshold
    if subtotal < policy.coupon_min_total:
        discount = Decimal("0")
    fee = Decimal("0") if conceded or subtotal - discount >= policy.free_shipping_threshold else policy.shipping_fee
    return fee, discount


def _take_out(d: Decision, ctx: Context, order: OrderView, gone: OrderLineView, kept: list[OrderLineView],
              becomes: Mapping[str, str] | None = None) -> None:
    """One line taken out of an order that has not left: its stock back, the total and postage worked out again by
    the shop's rules (a free-shipping concession stays; a coupon stays while the rest still reaches its minimum)."""
    policy = ctx.policy
    fee_before = Decimal(order.details.get("shipping_fee") or "0")
    subtotal = sum((line.unit_price * line.quantity for line in kept), Decimal("0"))
    fee, discount = _postage_after(ctx, order, subtotal)
    if any(line.sku == gone.sku for line in kept):  # (one person's line of the item: that line alone)
        d.actions.append(ChangeOrder(order.order_no, {}, drop_lines=((gone.sku, gone.colour, gone.size),),
                                     shipping_fee=fee, discount=discount))
    else:
        d.actions.append(ChangeOrder(order.order_no, {}, drop=(gone.sku,), shipping_fee=fee, discount=discount))
    fee_note: Value = Fragment("part.shipping_free") if not fee else Fragment("part.shipping_fee",
                                                                              {"fee": format_money(fee)})
    if fee and not fee_before:
        fee_note = Joined((fee_note, Fragment("part.below_free_line", {
            "free_shipping_threshold": format_money(policy.free_shipping_threshold)})))
    left = [{"sku": line.sku, "colour": line.colour, "size": line.size, **(becomes or {})} for line in kept]
    d.say(("modify.line_removed", {
        "order_no": order.order_no, "changes": _lines_text([{"sku": gone.sku, "colour": gone.colour,
                                                             "size": gone.size}], ctx.catalogue),
        "lines": _lines_text(left, ctx.catalogue), "total": format_money(subtotal - discount + fee),
        "price_note": fee_note,
    }), buttons=("查看订单状态", "继续逛逛"))


def _change_by_person(d: Decision) -> None:
    """A change or cancel of an order the bot cannot find: a colleague gets the request (the customer's words)."""
    d.slots.pop("modify_order", None)
    for detail in ("product", "size", "colour", "quantity", "lines"):  # ("订单是毛衣 燕麦色M": the order, not a sale)
        d.slots.pop(detail, None)
    if d.status == Status.WAITING_AGENT:  # handed over already: this message waits with the rest
        d.slots.pop("change_request", None)
        d.actions.append(AnnounceQueue(again=True))
        return
    _escalate(d, "human", ("modify.by_person", {}), opening=str(d.slots.pop("change_request", "")) or None)
    d.slots["change_waiting"] = True


def _status(d: Decision, t: Turn) -> None:
    ctx, found = t.ctx, t.found
    order = _order_for(ctx, found.order_no or d.slots.get("order_no"))
    if order is None and ctx.looked_up is not None and found.order_no == ctx.looked_up.order_no:
        order = ctx.looked_up
    if order is None and d.slots.get("change_request"):  # "我也不知道单号 你们帮我查查" after asking for a change
        d.slots["change_request"] = f"{d.slots['change_request']}\n{t.text}"[-400:]
        _change_by_person(d)
        return
    if order is None:
        d.say(("order.none", {}), buttons=("转人工",))
        return
    values = {"order_no": order.order_no, "product": order.product, "tracking_no": order.tracking_no or "—"}
    if order.status == "cancelled" or order.task_status == "cancelled":
        d.say(("order.status_cancelled", values))
    elif order.task_status == "shipped":
        d.say(("order.status_shipped", values))
    elif order.task_status == "intercepted":
        d.say(("order.status_intercepted", values), buttons=("修改订单",))
    else:
        d.say(("order.status_queued", values), buttons=("修改订单", "取消订单"))


_ITEM_FIELDS = frozenset({"size", "colour", "quantity"})  # what belongs to one line of an order, not the whole


def _order_not_found(d: Decision, text: str) -> None:
    """The order to change is not among the customer's: asked for once; asked again and still not found, it may
    be on another account — a person looks, now."""
    again, d.slots["asked_order_no"] = d.slots.get("asked_order_no"), True
    if not any(d.slots.get(k) for k in ("lines", "size", "colour", "order_no")):
        d.slots.pop("product", None)  # ("早上买了条工装裤 想改个地址": the item of that order, not one to buy now)
    d.slots["change_request"] = "\n".join(w for w in (d.slots.get("change_request"), text) if w)[-400:]
    if again:
        _change_by_person(d)
        return
    d.say(("order.none", {}), buttons=("转人工",))


def _too_late_to_change(d: Decision, order: OrderView, values: Mapping[str, str]) -> bool:
    """An order cancelled ("确认取消" after it was: it is done) or shipped: said so, and True."""
    if order.status == "cancelled" or order.task_status == "cancelled":
        d.slots["modify_order"] = None
        d.say(("modify.already_cancelled", values), buttons=("继续逛逛", "转人工"))
        return True
    if order.task_status == "shipped":
        d.slots["modify_order"] = None
        d.say(("modify.already_shipped", values), buttons=("转人工",))
        return True
    return False


def _take_held(changes: dict[str, object], order: OrderView, line: OrderLineView | None) -> dict[str, object]:
    """Takes out of ``changes`` what the order already is, and returns it.

    An order of several items keeps its lines' variants apart: a size, colour or count is for the line the
    message names (or the only line it can be for); what it already is is no change.
    """
    several = len(order.lines) > 1
    now_is = dict(order.details)
    if line is not None:
        now_is.update(size=line.size or "", colour=line.colour or "", quantity=str(line.quantity))
    held = {}
    for name, value in list(changes.items()):  # "还是M 就一件" / "鞋子要米白色37號 一雙": what it already is is no change
        now = now_is.get(name) if line is not None or name not in _ITEM_FIELDS or not several else None
        if (now is not None and (now == str(value) or (name == "address" and now.endswith(str(value))))) or (
            several and line is None and name in _ITEM_FIELDS
            and any(str(getattr(each, name)) == str(value) for each in order.lines)
        ):
            held[name] = changes.pop(name)
    return held


def _line_of_person(text: str, order: OrderView, state: Mapping[str, Any]) -> OrderLineView | None:
    """The line of a several-item order bought for the person a message names ("我那件還是換杏色")."""
    if (person := _person_named(text, state)) is None:
        return None
    lines = [line for line in order.lines if (line.sku, line.size) == person]
    return lines[0] if len(lines) == 1 else None


def _not_in_the_order(d: Decision, text: str, order: OrderView, values: Mapping[str, str], catalogue: Catalogue) -> bool:
    """A change to an item the order does not hold ("围巾换成灰色吧" of a sweater-only order): nothing of it is changed
    — said so, with what the order holds. False when the message names no such item."""
    named = catalogue.find(simplify(text))
    if named is None or named.sku in {line.sku for line in order.lines}:
        return False
    d.slots["modify_order"] = None
    lines = [{"sku": each.sku, "colour": each.colour, "size": each.size} for each in order.lines]
    d.say(("modify.change_not_in_order", {**values, "product": named.name, "lines": _lines_text(lines, catalogue)}),
          buttons=("查看订单状态", "继续逛逛"))
    return True


def _line_and_its_words(
    text: str, order: OrderView, state: Mapping[str, Any], catalogue: Catalogue
) -> tuple[OrderLineView | None, str]:
    """The line of a several-item order a change is for — by the item named, else by the person it was bought for
    (then with only the words about them: "173那位要浅蓝的，其他两件还是白色")."""
    if (line := _line_meant(text, order, catalogue)) is not None:
        return line, text
    if (line := _line_of_person(text, order, state)) is not None:
        return line, _person_s_words(text, state)
    return None, text


def _person_s_words(text: str, state: Mapping[str, Any]) -> str:
    """The clauses of a message about the one person it names ("173那位要浅蓝的" of "…，其他两件还是白色")."""
    person = _person_named(text, state)
    clauses = [c for c in re.split(r"[，,。；;！!？?\s]+", text) if c and _person_named(c, state) == person]
    return "，".join(clauses) or text


def _changes_asked(text: str, fresh: Extracted, product: ProductView | None) -> dict[str, object]:
    """The details a change message gives new values for."""
    changes: dict[str, object] = {k: v for k, v in fresh.as_slots().items() if k in _CHANGE_FIELDS}
    _colour_meant(changes, fresh, product, text)
    if "quantity" in changes and not mentions_any(text, ("数量", "件", "条", "双", "套", "份", "顶", "盒", "包")):
        changes.pop("quantity")  # "电话也换一个" is not a quantity of one
    return changes


def _one_line_by_clauses(
    text: str, order: OrderView, catalogue: Catalogue
) -> tuple[OrderLineView | None, ProductView | None, dict[str, object], str] | None:
    """A change to a several-item order read clause by clause, each naming its own line ("裤子改成灰色吧，衬衫还是黑的"):
    the one line that changes, its product, its changes and what is already so (described) — or None when a clause
    gives a variant without saying which line, or more than one line would change (a colleague sees to those)."""
    changing: list[tuple[OrderLineView, ProductView, dict[str, object]]] = []
    kept: list[str] = []
    for clause in re.split(r"[，,。；;！!？?~～\s]+", text):
        if re.search(r"不爱|不喜欢|不要|不想要|别要|讨厌", clause) and not _TURN_TO.search(clause):
            continue  # ("我爸不爱红的": a colour turned down, said why — no line's new value)
        meant = _line_meant(clause, order, catalogue) if clause else None
        product = catalogue.get(meant.sku) if meant is not None else None
        if meant is None or product is None:
            if clause and any(extract(clause, p).colour or extract(clause, p).size
                              for line in order.lines if (p := catalogue.get(line.sku))):
                return None
            continue
        fresh = extract(_new_values(clause), product)
        changes = {k: v for k, v in fresh.as_slots().items() if k in ("colour", "size")}
        _drop_unmade(changes, product)
        held = _take_held(changes, order, meant)
        kept += [f"{product.name}{value}" for value in held.values()]
        if changes:
            changing.append((meant, product, changes))
    if len({(m.sku, m.colour, m.size) for m, _p, _c in changing}) > 1 or not (changing or kept):
        return None
    if not changing:
        return None, None, {}, "、".join(dict.fromkeys(kept))
    meant, product, changes = changing[0]
    return meant, product, changes, ""


def _drop_unmade(changes: dict[str, object], product: ProductView) -> None:
    """A size or colour the item is not made in is no change."""
    if "size" in changes and changes["size"] not in product.sizes:
        changes.pop("size")
    if "colour" in changes and changes["colour"] not in product.colours:
        changes.pop("colour")


def _cancel(d: Decision, t: Turn, order: OrderView, values: Mapping[str, str]) -> None:
    """A cancel of the order — or of an item that is not in it."""
    d.slots["modify_order"] = None
    if (elsewhere := _named_elsewhere(t.text, order, d.slots, t.ctx.catalogue)) is not None:
        # "条纹那件算了 先不要了 就只要裙子" when the order is the skirt alone: nothing of it to take out — said so
        lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in order.lines]
        d.say(("modify.not_in_order", {"order_no": order.order_no, "product": elsewhere.name,
                                       "lines": _lines_text(lines, t.ctx.catalogue)}), buttons=("查看订单状态", "继续逛逛"))
        return
    d.actions.append(CancelOrder(order.order_no))
    d.say(("modify.cancelled", values))


def _modify(d: Decision, t: Turn) -> None:
    text, ctx, found = t.text, t.ctx, t.found
    order = _order_for(ctx, found.order_no or d.slots.get("modify_order"))
    if order is None:
        _order_not_found(d, text)
        return
    values = {"order_no": order.order_no, "tracking_no": order.tracking_no or "—"}
    if _too_late_to_change(d, order, values):
        return
    if mentions_any(text, _CANCEL) and text != "修改订单" and not _CHANGE_WORDS.search(simplify(text)):
        _cancel(d, t, order, values)
        return
    several = len(order.lines) > 1
    line, text = _line_and_its_words(text, order, d.slots, ctx.catalogue) if several else (None, text)
    product = ctx.catalogue.get(line.sku if line else order.sku)
    fresh = extract(_new_values(text) if line else text, product)
    changes = _changes_asked(text, fresh, product)
    if _ITEM_FIELDS & changes.keys() and _not_in_the_order(d, text, order, values, ctx.catalogue):
        return
    held = _take_held(changes, order, line)
    if several and line is None and (_ITEM_FIELDS & (changes.keys() | held.keys())) and (
        by_clause := _one_line_by_clauses(text, order, ctx.catalogue)
    ) is not None:
        # "裤子改成灰色吧，跟黑衬衫撞色了，衬衫还是黑的": each clause about its own item — at most one line changes
        line, product, changes, already = by_clause
        held = {} if changes else {"": already}
    if held and not changes:  # "换成黄色碎花吧 还是M" when it already is: said so, nothing changed
        d.slots["modify_order"] = None
        d.say(("modify.already_so", {**values, "changes": "、".join(str(v) for v in held.values())}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    if several and line is None and _ITEM_FIELDS & changes.keys():
        # one item's size, colour or count, and the message does not say which: a colleague, who sees which (never
        # a guess at the first line)
        d.slots["modify_order"] = None
        _escalate(d, "human", ("modify.lines_by_person", values), order=order, opening=text)
        return
    if product:
        _drop_unmade(changes, product)
    last = d.slots.get("last_change") or {}
    if not changes and last.get("order_no") == order.order_no and not re.search(
        r"再改|还要改|还想改|另外|改成|改为|换成|\d", simplify(text)
    ):
        # "麻烦快点改" right after the change was made: it is made; say what it was
        d.slots["modify_order"] = None
        d.say(("modify.done_already", {**values, "changes": str(last.get("changes") or "")}), buttons=("查看订单状态",))
        return
    if not changes:
        d.slots["modify_order"] = order.order_no
        d.slots["pending"] = Pending.MODIFY
        d.say(("modify.ask_what", values), buttons=("改地址", "改尺码", "改颜色", "取消订单"))
        return
    d.slots["modify_order"] = None
    item_changes = line is not None and bool(_ITEM_FIELDS & changes.keys())
    d.actions.append(ChangeOrder(order.order_no, changes,
                                 line=(line.sku, line.colour, line.size) if item_changes and line else None))
    described: Value = describe_changes(changes)
    if item_changes and product is not None:
        described = Joined((product.name, described), "")
    d.say(("modify.updated", {**values, "changes": described}), buttons=("查看订单状态",))


_NEW_ONE_WHEN = re.compile(r"(多久|几天|什么时候|啥时候|几时|哪天).{0,6}(发新|寄新|换好|换到|发过来|新的)|(新的|换的).{0,6}(多久|几天|什么时候|啥时候|几时)")
_POSTAGE_WORDS = ("运费", "邮费", "快递费", "谁出", "谁承担", "谁付", "要钱吗", "收费吗", "免费退")
_RETURN_ADDRESS_WORDS = ("地址", "寄到哪", "寄哪", "寄回哪", "退到哪", "发到哪", "寄去哪")
_EXCHANGE_TO_SIZE = re.compile(r"换(?:成|到)?\s*(xxl|xl|l|m|s|\d{2})(?![a-z\d])")  # "想换S"
_EXCHANGE = re.compile(r"换货|换码|换尺码|换个码|换一个码|换大|换小|换颜色|换色|换个颜色|调换|换一件|换成|"
                       + _EXCHANGE_TO_SIZE.pattern)
_RETURN_ADDRESS = "要退货地址"


def _returns(d: Decision, t: Turn) -> None:
    """A return or exchange that is no one's fault: the shop's process from its settings — days, condition, who pays
    the postage, where it goes (or a colleague gives the address), when the money comes back."""
    ctx, plain = t.ctx, simplify(t.text)
    order = _order_for(ctx, t.found.order_no or d.slots.get("order_no"))
    if order is not None and order.status != "cancelled" and order.unshipped:
        if mentions_any(t.text, _CANCEL + ("退了", "退掉", "不买了")) and not _REFUND_WHEN.search(plain):
            if re.search(r"这单|这个订单|刚才(那|的|下的)?单|刚下的|订单", plain):
                # "这单退了吧 不要了": the order named and taken back — cancelled, not asked about again
                d.actions.append(CancelOrder(order.order_no))
                d.say(("modify.cancelled", {"order_no": order.order_no, "tracking_no": "—"}), buttons=("继续逛逛",))
            else:
                _confirm_cancel(d, ctx)  # "不要了" alone may mean "nothing else": asked once
            return
        values = {"order_no": order.order_no, "product": order.product}
        if _REFUND_WHEN.search(plain) or "原路" in plain:
            d.say(("returns.cancel_refund", values), buttons=("取消订单", "保留订单"))
            return
        d.say(("returns.not_shipped", values), buttons=("取消订单", "修改订单"))  # nothing to send back yet
        return
    asks_address = t.text == _RETURN_ADDRESS or any(w in plain for w in _RETURN_ADDRESS_WORDS)
    returning = d.slots.get("last_intent") == "return_refund"  # (a return under way, whether or not we see the order)
    if asks_address and not ctx.policy.return_address:
        if ctx.orders or t.text == _RETURN_ADDRESS:
            _escalate(d, "human", ("returns.address_by_person", {}), opening=t.text)  # never a guessed address
            return
        if not returning:  # asked before buying: who gives it, and when — nothing to hand over yet
            d.say(("returns.address_later", {}), buttons=("转人工", "看看热销款"))
            return
    parts: list[tuple[str, Mapping[str, str]]] = []
    if _CONDITION.search(_NO_FAULT.sub("", plain)) and not _reports_fault(t.text):
        parts.append(("returns.conditions_ok", {}))  # "没洗没穿 吊牌在的": it can go back — and how
    elif _NO_FAULT.search(plain) and not _reports_fault(t.text):
        parts.append(("returns.no_fault_ok", {}))  # "没有质量问题 就是不太适合我": it can go back, on its conditions
    if any(w in plain for w in _POSTAGE_WORDS):
        parts.append(("returns.postage", {}))
    if asks_address:  # (with no address in the settings: a colleague gives it, one click away)
        parts.append(("returns.address", {}) if ctx.policy.return_address else ("returns.address_ask", {}))
    if _REFUND_WHEN.search(plain):
        parts.append(("returns.refund_time", {}))
    if _NEW_ONE_WHEN.search(plain):
        parts.append(("returns.exchange_when", {}))  # "寄回去到你们那边多久能发新的"
    if not parts and not ctx.policy.return_address and (mentions_any(plain, COURIER_NAMES)
                                                         or (t.found.phone and not t.found.address)):
        parts.append(("returns.courier_by_person", {}))  # "那我寄中通可以吧" / the order's phone: the colleague's part
    to_size = _EXCHANGE_TO_SIZE.search(plain)
    to_colour = t.found.colour if t.found.colour and not re.search(re.escape(simplify(t.found.colour)) + r".{0,2}不变", plain) \
        and re.search(r"换(?:成|到)?.{0,3}" + re.escape(simplify(t.found.colour)), plain) else None
    wanted = "".join(v for v in (to_colour, to_size.group(1).upper() if to_size else None) if v)
    if not parts and wanted:
        parts.append(("returns.exchange_to", {"wanted": wanted}))  # "现在是M 想换S": the exchange as they want it
    if not parts:
        parts.append(("returns.exchange" if _EXCHANGE.search(plain) else "returns.policy", {}))
        if ctx.policy.return_address:
            parts.append(("returns.address", {}))
    buttons = ("查订单", "转人工") if ctx.policy.return_address else (_RETURN_ADDRESS, "转人工")
    d.say(*parts, buttons=buttons)


def _invoice(d: Decision, t: Turn) -> None:
    """Invoice details collected once, over as many messages as the customer likes, then stored on the order
    as a request the shop's staff see (``GET /api/invoices``); before an order exists they wait for it."""
    s, ctx = d.slots, t.ctx
    details = _invoicing.merged(s.get("invoice") or {}, _invoicing.read(t.text))
    order = _order_for(ctx, t.found.order_no or s.get("order_no"))
    if order is not None and order.status == "cancelled":
        order = None
    invoiced: Mapping[str, str] = s.get("invoiced") or {}
    if order is None and not s.get("lines") and (
        _EARLIER_ORDER.search(simplify(t.text)) or (t.found.order_no and not any(s.get(k) for k in ("size", "colour")))
    ):
        s["invoice_earlier"] = True  # ("上周买了两件衬衫 需要开发票": an order from before this chat, not one to buy)
        for detail in ("product", "size", "colour"):  # ("…买了二十件白T恤": the tee's white is no choice)
            s.pop(detail, None)
    earlier = order is None and bool(s.get("invoice_earlier"))
    if not _invoicing.read(t.text) and mentions_any(t.text, ("电子", "纸质", "专票", "普票", "什么发票", "哪种")):
        d.say(("invoice.kinds", {}))
        return
    if order is not None and order.order_no in invoiced:
        d.say(("invoice.already", {"order_no": order.order_no, "invoice": invoiced[order.order_no]}))
        return
    if not details:
        s["pending"] = Pending.INVOICE
        d.say(("invoice.info" if order is not None or s.get("product") or earlier else "invoice.no_order", {}))
        return
    if details == (s.get("invoice") or {}) and s.get("invoice"):  # nothing new: "电子还是纸质的"
        d.say(("invoice.kinds", {}))
        return
    s["invoice"] = details
    need = _invoicing.missing(details)
    if need:
        s["pending"] = Pending.INVOICE
        d.say(("invoice.ask_missing", {"missing": Joined(tuple(need), "、")}))
        return
    summary = _invoicing.describe(details)
    if earlier and d.status != Status.WAITING_AGENT:  # an order this account does not hold: a colleague finds it
        s["invoice_earlier"] = False
        _escalate(d, "human", ("invoice.by_person", {"invoice": summary}),
                  opening=" / ".join(v for v in (t.text.strip()[:200], details.get("title"), details.get("tax_no"),
                                                   details.get("email")) if v))
        return
    if order is None:  # kept for the order the customer is putting together (or will)
        d.say(("invoice.noted", {"invoice": summary}))
        return
    d.actions.append(_record_invoice(order.order_no, details))
    d.say(("invoice.recorded", {"order_no": order.order_no, "invoice": summary}))
    note = t.found.notes
    if note and order.unshipped and not mentions_any(note, _INVOICE_WORDS) \
            and note not in str(order.details.get("notes") or "") and not _reports_fault(note):
        _note_on_order(d, order.order_no, note)  # "快递送到公司前台就行。发票抬头…": the delivery note, on the order too


# An order placed before this chat ("上周买的", "之前的订单", "补开", "订单尾号2290").
_EARLIER_ORDER = re.compile(r"之前的?订单|以前的?订单|上个?(周|星期|礼拜|月)|[前昨]天|补开|尾号|已经收到|收到货|早上|几天前"
                            r"|(买|拍|下)了?的?(两|几|一)?[件条双套顶个]?.{0,6}(开|要|需要|能开)发票")


def _colour_meant(changes: dict[str, object], fresh: Extracted, product: ProductView | None, text: str) -> None:
    """The colour a change asks for, in ``changes``: the one switched to where the old one is named too ("颜色也换一下
    深蓝 黑的我有好几条了", "红条会不会太跳 还是换白底藏青条吧"); none where a colour is only weighed ("黑色是不是更显瘦")."""
    if fresh.items and product is not None and "colour" not in changes and (
        first := _switched_to(text, product) or (next((i.colour for i in fresh.items if i.colour in product.colours), None)
                                                 if _CHANGE_WORDS.search(simplify(text)) else None)
    ):
        changes["colour"] = first
    if "colour" in changes and _only_weighed(text, str(changes["colour"])):
        changes.pop("colour")


_WEIGHING = re.compile(r"再想想|想一想|考虑|纠结|是不是|好看但|好看是好看|吗|么|呢|还是.{0,6}还是")


def _only_weighed(text: str, colour: str) -> bool:
    """Whether every clause naming ``colour`` only weighs it ("黑色是不是更显瘦", "浅蓝好看但现在冬天了") — and the
    message weighs the colour at all (颜色…想想) rather than choosing one."""
    plain, word = simplify(text), simplify(colour).removesuffix("色")
    clauses = [c for c in re.split(r"[，,。.!！?？~～…\s]+", plain) if word in c]
    return bool(clauses) and all(_WEIGHING.search(c) or (not _chooses(c) and not _SWITCH.search(c)) for c in clauses) \
        and bool(re.search(r"想想|考虑|纠结|是不是|好看但", plain))


_SWITCH = re.compile(r"换|改|就要|就|要")


def _note_on_order(d: Decision, order_no: str, note: str) -> None:
    """A delivery note added to an order that has not left, and said (the reply stands only if the change commits)."""
    d.actions.append(ChangeOrder(order_no, {"notes": note}))
    d.say(("modify.note_added", {"order_no": order_no, "notes": note}))


def _record_invoice(order_no: str | None, details: Mapping[str, str]) -> RecordInvoice:
    return RecordInvoice(order_no=order_no, kind=details.get("kind") or "personal",
                         title=details.get("title") or "个人", tax_no=details.get("tax_no"),
                         email=details.get("email") or "")
