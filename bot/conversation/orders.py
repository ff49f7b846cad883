"""Ordering: collecting the details, the read-back, the customer's yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.conversation import invoicing as _invoicing
from bot.conversation.actions import Line, PlaceOrder
from bot.conversation.aftersales import _note_on_order, _record_invoice, _status
from bot.conversation.buttons import MENU, _menu_for
from bot.conversation.cart import _cart, _joined, _recipient, _terms
from bot.conversation.catalogue import Catalogue, ProductView, format_money
from bot.conversation.cues import _ADD_MORE, _ASKS, _LEAVES_IT_TO_US, _ORDER_PUSH, _WANT_WORDS, _YES_FIRST
from bot.conversation.decision import Decision, Turn
from bot.conversation.disputes import _escalate
from bot.conversation.focus import _choose, _focus, _lines_text, _order_for, _product_values, _said_count
from bot.conversation.sales import _recommend, _sold_out, _unavailable
from bot.conversation.sizing import _advise_size, _sizes_for_people, as_said
from bot.conversation.slots import SIZE_QUESTION, Extracted, extract, mentions_any, simplify
from bot.conversation.state import Pending, Stage
from bot.conversation.views import Context
from replies import Fragment, Joined, Value


def _coupon_asked(d: Decision, t: Turn, product: ProductView) -> None:
    """"好吧 那券给我用上 驼色M码一件": the coupon the shop gives to hagglers, applied — and the order goes on."""
    s, ctx, text = d.slots, t.ctx, t.text
    granted = list(s.get("concessions") or [])
    if "券" in text and "coupon" not in granted and ctx.policy.coupon_amount > 0 \
            and product.price * int(s.get("quantity") or 1) >= ctx.policy.coupon_min_total \
            and not re.search(r"没有券|不用券|不要券|券.{0,3}(不用|不要)", text):
        s["concessions"] = [*granted, "coupon"]
        d.say(("objection.bargain_coupon", {}))


def _placed_already(d: Decision, t: Turn) -> bool:
    """"没问题 下单" with nothing being chosen, once the order (and what joined it) is placed: it is placed (True)."""
    s, ctx, text = d.slots, t.ctx, t.text
    if s.get("order_no") and not s.get("lines") and (
            _ORDER_PUSH.search(simplify(text)) or _YES_FIRST.search(simplify(text))
            or re.search(r"去付款|去付钱|付款了|尽快发|快点发|早点发", simplify(text))) \
            and not (t.found.size or t.found.colour or t.found.items) \
            and (placed := _order_for(ctx, str(s["order_no"]))) is not None and placed.status == "confirmed":
        d.stage = Stage.SHIPPING
        d.say(("confirm.already_placed", {"order_no": placed.order_no}), buttons=("查看订单状态", "继续逛逛"))
        return True
    return False


def _lines_for_people(s: dict[str, Any], product: ProductView, lines: list[Any]) -> list[Any]:
    """The people's sizes given earlier, and the one colour chosen for all ("三件藏青色的"): a line each."""
    kept = s.get("people") if isinstance(s.get("people"), dict) else None
    sized = [p for p in (kept or {}).get("who") or [] if p.get("size")] if (kept or {}).get("sku") == product.sku else []
    if len(sized) >= 2 and all(not line.get("size") for line in lines):
        colour = s.get("colour") if s.get("colour") in product.colours else None
        s["lines"] = [line for line in s.get("lines") or [] if line.get("sku") != product.sku] + [
            {"sku": product.sku, "size": p["size"], "colour": colour, "quantity": 1} for p in sized]
        lines = [line for line in s["lines"] if line.get("sku") == product.sku]
    return lines


def _size_each_item(d: Decision, t: Turn, found: Extracted) -> bool:
    """"衬衫要一件白色一件浅蓝，牛仔裤要深蓝。尺码你帮我看看" (183, 160斤 said before): each item's size from its own
    chart, said. True when the lines of several items were sized so."""
    s, ctx = d.slots, t.ctx
    unsized = [line for line in s.get("lines") or [] if not line.get("size")]
    if not (len({line.get("sku") for line in s.get("lines") or []}) >= 2 and unsized and not t.found.people and (
            found.height or found.weight or found.foot)):
        return False
    advised: dict[str, str | None] = {}
    for line in unsized:
        sku = str(line.get("sku"))
        item = ctx.catalogue.get(sku)
        if sku not in advised and item is not None and item.size_chart:
            advised[sku] = _advise_size(d, item, ctx.catalogue, found.height, found.weight, found.foot)
        if advised.get(sku):
            line["size"] = advised[sku]
    return True


def _unpassed_kind(text: str) -> str:
    """The message without what it compares against ("码跟衬衫一样": the shirt is no kind asked for)."""
    return re.sub(r"(跟|和|同)[^，,。\s]{1,6}一样", " ", simplify(text))


def _size_by_measurements(
    d: Decision, t: Turn, product: ProductView, found: Extracted, lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The size the measurements give, for one line: taken where none is chosen, said beside the one chosen where
    the customer checks it ("M对吗")."""
    if not (len(lines) == 1 and product.size_chart and (found.height or found.weight or found.foot)):
        return lines
    if len(product.sizes) > 1 and not lines[0].get("size") and (
        size := _advise_size(d, product, t.ctx.catalogue, found.height, found.weight, found.foot)
    ):
        # "再给我妹妹来一件…一米五五九十斤左右你看拿什么码": the size her measurements give, said and taken
        # (the read-back shows it; any other is one word away)
        _choose(d.slots, product, "size", size)
        return [{**lines[0], "size": size}]
    if lines[0].get("size") and _CHECKS_SIZE.search(simplify(t.text)):
        # "那就要黑色，我161，102斤，M对吗": the size her measurements give, said beside the one she chose
        _advise_size(d, product, t.ctx.catalogue, found.height, found.weight, found.foot)
    return lines


_CHECKS_SIZE = re.compile(r"[a-z0-9](码|号)?\s*(是不是|对吗|对吧|对不对|合适吗|合不合适|行吗|行不行|可以吗|够吗|没错吧)")


def _asked_for_variant(
    d: Decision, t: Turn, product: ProductView, values: Mapping[str, Value], lines: list[Any]
) -> bool:
    """The size, then the colour, that a line of the item lacks: asked (True) — the same question a third time
    and still no answer that fits goes to a person, with everything said so far (never a fourth time)."""
    s = d.slots
    for detail, options in (("size", product.sizes), ("colour", product.colours)):
        for line in lines:  # ("蓝色" kept from a talk about another item, for a dress in 蓝色碎花: not this item's — asked)
            if line.get(detail) and line.get(detail) not in options and line.get("sku") in (None, product.sku):
                line[detail] = None
        if len(options) > 1 and any(not line.get(detail) for line in lines):
            asked = s.get("asked_again") or {}
            before = int(asked.get(detail) or 0)
            # (a message that asked something else, answered, or gave a note is no failed answer: not counted)
            times = (before if d.says or t.found.notes else before + 1) if t.asked == detail else 1
            s["asked_again"] = {detail: times}
            if times >= 3:
                s.pop("asked_again", None)
                _escalate(d, "human", ("close.loop_to_person", {"missing": "尺码" if detail == "size" else "颜色"}),
                          opening=t.text)
                return True
            s["pending"] = detail
            if detail == "colour" and (whose := _whose_colour_is_missing(s, product, lines)):
                # "要三件 我178 152斤 黑色": the customer's is black — the others' colours asked, by whom they are for
                d.say(("close.ask_colour_for", {**values, "who": "、".join(whose)}), buttons=options[:8])
                return True
            d.say(("close.ask_size" if detail == "size" else "close.ask_colour", values), buttons=options[:8])
            return True
    s.pop("asked_again", None)
    return False


def _whose_colour_is_missing(s: Mapping[str, Any], product: ProductView, lines: list[Any]) -> list[str]:
    """The people (sized before, for this item) whose line has no colour yet, by their size; none when the lines
    are not theirs."""
    kept = s.get("people") if isinstance(s.get("people"), dict) else None
    if not kept or kept.get("sku") != product.sku:
        return []
    who = [p for p in kept.get("who") or [] if p.get("size")]
    mine = [line for line in lines if line.get("sku") in (None, product.sku)]
    if len(who) != len(mine) or sorted(str(p["size"]) for p in who) != sorted(str(line.get("size")) for line in mine):
        return []
    lacking = {str(line.get("size")) for line in mine if not line.get("colour")}
    return [as_said(str(p["who"])) for p in who if str(p["size"]) in lacking]


def _asked_of_other_line(d: Decision, t: Turn, product: ProductView) -> bool:
    """"衬衫L，牛仔裤XL" with the shirt's colour never said: another item's missing size or colour asked for (True),
    never guessed."""
    s, ctx = d.slots, t.ctx
    for line in s.get("lines") or []:
        other = ctx.catalogue.get(line.get("sku"))
        if other is not None and other.sku != product.sku and (
            (len(other.sizes) > 1 and not line.get("size")) or (len(other.colours) > 1 and not line.get("colour"))
        ):
            _focus(s, other, adding=True)
            _buy(d, replace(t, found=Extracted()))
            return True
    return False


def _not_to_be_had(d: Decision, product: ProductView, catalogue: Catalogue, values: dict[str, Value]) -> bool:
    """The item sold out, or asked for in a size or colour it is not made in: said so, with what there is (True)."""
    if not product.in_stock:
        d.stage = Stage.CONSULT
        _sold_out(d, product, catalogue, values)
        return True
    wanted = d.slots.pop("wanted", None)
    if wanted:
        _unavailable(d, product, wanted, values, catalogue)
        d.slots["pending"] = wanted["kind"]
        return True
    return False


def _buy(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    s = d.slots
    if mentions_any(text, ("拍了", "已付款", "付款了", "已下单", "下单了", "付了", "已拍")) and ctx.orders and not s.get("product"):
        _status(d, t)
        return
    d.stage = Stage.CLOSE
    product = ctx.catalogue.get(s.get("product"))
    if product is not None:
        _coupon_asked(d, t, product)
    if product is None and _placed_already(d, t):
        return
    if product is None:
        candidates = [p for sku in s.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
        # ("再加条牛仔裤 黑的": the shop's jeans to choose from, not its best sellers)
        kind = [p for p in ctx.catalogue.in_category(_unpassed_kind(text)) if p.in_stock]
        choices = kind or candidates or ctx.catalogue.best_sellers()
        s["pending"] = Pending.PRODUCT
        d.say(("close.ask_product", {}), buttons=_menu_for(choices))
        return
    values = _product_values(product)
    if _not_to_be_had(d, product, ctx.catalogue, values):
        return
    lines = [line for line in s.get("lines") or [] if line.get("sku") == product.sku] or [
        {"size": s.get("size"), "colour": s.get("colour")}]
    if t.found.people and product.size_chart and any(not line.get("size") for line in lines):
        _sizes_for_people(d, product, t.found.people, ctx.catalogue, values)  # "男的180 78公斤 女的160 96斤"
        return
    lines = _lines_for_people(s, product, lines)
    found = t.found
    if not (found.height or found.weight or found.foot) and (
            SIZE_QUESTION.search(simplify(text)) or _LEAVES_IT_TO_US.search(simplify(text))
            # ("那换成纯棉T恤咯 燕麦色" after "我160 50kg 各穿么子码": her own measurements size the tee too)
            or (not s.get("people") and not found.size and not s.get("size") and product.size_chart
                and s.get("height") and s.get("weight"))):
        # "要卡其色的 他穿什么码" with his height and weight given before: those measurements
        found = replace(found, height=s.get("height"), weight=s.get("weight"), foot=s.get("foot"))
    if _size_each_item(d, t, found):
        lines = [line for line in s.get("lines") or [] if line.get("sku") == product.sku] or lines
    lines = _size_by_measurements(d, t, product, found, lines)
    if _asked_for_variant(d, t, product, values, lines) or _asked_of_other_line(d, t, product):
        return
    if not s.get("address"):
        s["pending"] = Pending.ADDRESS
        d.say(*_so_far(d, t, product), ("close.ask_address", {}))
        return
    if not s.get("phone"):
        s["pending"] = Pending.PHONE
        d.say(*_so_far(d, t, product), ("close.ask_phone", {}))
        return
    if sum(line.quantity for line in _cart(s, product, ctx.catalogue) if line.sku == product.sku) > product.stock:
        s["quantity"], s["pending"] = None, Pending.QUANTITY
        s.pop("lines", None)
        d.say(("consult.low_stock", values), buttons=(f"要{product.stock}件",) if product.stock > 1 else ("我要买",))
        return
    _readback(d, product, ctx)


def _described(cart: tuple[Line, ...], product: ProductView, ctx: Context) -> Joined:
    """The lines of an order, each with its product, colour, size and count."""
    return Joined(tuple(
        Fragment("part.readback_line", {
            "product": getattr(ctx.catalogue.get(line.sku), "name", product.name), "colour": line.colour or "—",
            "size": line.size or Fragment("part.one_size"), "quantity": str(line.quantity)})
        for line in cart
    ), "；")


def _so_far(d: Decision, t: Turn, product: ProductView) -> tuple[tuple[str, Mapping[str, Value]], ...]:
    """"袜子 全黑 两包" while the address is asked for the tee: what the order now holds, said before the address is
    asked (again) — so the customer sees the socks went in beside the tee."""
    found = t.found
    if d.says or not (found.colour or found.size or found.quantity or found.items or t.named):
        # (a question answered first — "T恤黑色会掉色吗" — is answered, not followed by the whole order)
        return ()
    cart = _cart(d.slots, product, t.ctx.catalogue)
    return (("close.cart_so_far", {"lines": _described(cart, product, t.ctx)}),) if len(cart) > 1 else ()


def _readback(d: Decision, product: ProductView, ctx: Context) -> None:
    s = d.slots
    s.setdefault("quantity", 1)
    subtotal, discount, fee, note = _terms(s, product, ctx)
    cart = _cart(s, product, ctx.catalogue)
    placed = _order_for(ctx, str(s["order_no"])) if s.get("order_no") and not s.get("merge_into") else None
    if placed is not None and placed.status == "confirmed" and sorted(
        (line.sku, line.colour, line.size, line.quantity) for line in cart
    ) == sorted((str(o.get("sku")), o.get("colour"), o.get("size"), int(o.get("quantity") or 1))
                for o in s.get("ordered") or ()):
        # the very lines of the order just placed, said again in other words ("阿爸要黑色 阿媽要卡其色 各一件"):
        # they are ordered — never a second order of the same
        for detail in ("product", "size", "colour", "quantity", "lines", "people"):
            s.pop(detail, None)
        s["pending"] = None
        d.stage = Stage.SHIPPING
        lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart]
        d.say(("shipping.already_ordered", {"order_no": placed.order_no, "lines": _lines_text(lines, ctx.catalogue)}),
              buttons=("查看订单状态", "继续逛逛"))
        on_order = str(placed.details.get("notes") or "")
        new_notes = [n for n in str(s.get("notes") or "").split("；") if n and n not in on_order]
        if new_notes and placed.unshipped:
            # "…帮我备注一下不要放价格单哦" with the order's lines said again: the note goes on the order placed
            d.says = [say for say in d.says if not any(key == "close.note_taken" for key, _ in say.parts)]
            _note_on_order(d, placed.order_no, "；".join(new_notes))
        return
    d.stage = Stage.CONFIRM_ORDER
    s["pending"] = Pending.READBACK
    common: dict[str, Value] = {
        "total": format_money(subtotal - discount + fee), "address": _recipient(s), "phone": s["phone"],
        "notes": s.get("notes") or Fragment("part.no_notes"), "price_note": note,
    }
    described = _described(cart, product, ctx)
    joined = _joined(s, ctx)
    if joined is not None:  # "那我凑个单 加个黑色帽子": added to the order just placed, shipped with it
        twice = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart
                 if any(o.sku == line.sku and o.colour == line.colour and o.size == line.size for o in joined.lines)]
        if twice:  # "再配条围巾 酒红的" when that scarf is in the order already: said, so a second one is meant
            d.say(("confirm.already_in_order", {"lines": _lines_text(twice, ctx.catalogue)}))
        d.say(("confirm.readback_merge", {**common, "order_no": joined.order_no, "lines": described}),
              buttons=("确认无误", "需要修改"))
        return
    if len(cart) > 1:  # line by line: every colour and size the customer asked for, each with its count
        quantity = sum(line.quantity for line in cart)
        d.say(("confirm.readback_lines", {**common, "lines": described, "quantity": str(quantity)}),
              buttons=("确认无误", "需要修改"))
        return
    line = cart[0]
    d.say(
        ("confirm.readback", {**common, "product": product.name, "colour": line.colour or "—",
                              "size": line.size or Fragment("part.one_size"), "quantity": str(line.quantity)}),
        buttons=("确认无误", "需要修改"),
    )


_ONLY_ONE = re.compile(r"(就|只|仅)(要|拿|买)?\s*(一|1)\s*[件条双套顶包盒个]")


def _corrected_at_readback(
    s: dict[str, Any], cart: tuple[Line, ...], found: Extracted, text: str, catalogue: Catalogue
) -> bool:
    """A yes to the read-back that names a colour or size the order does not have ("对 就一条雾霾蓝S" for a black
    skirt): the one line it can be about changed to it — and, said with 就/只 and a count of one, the only line
    kept. True when the order was changed (to be read back again); False when the words fit the read-back."""
    if found.items:
        return False
    fitting: list[tuple[Line, dict[str, str]]] = []
    for line in cart:  # each line's item reads the words for itself (雾霾蓝 is the skirt's, not the tee's)
        item = catalogue.get(line.sku)
        read = extract(text, item) if item is not None else None
        said = {name: value for name in ("colour", "size") if read is not None and (value := getattr(read, name))
                and value in (item.colours if name == "colour" else item.sizes)} if item is not None else {}
        if said and (read is None or not read.items):
            fitting.append((line, said))
    coloured = [(line, said) for line, said in fitting if "colour" in said]
    fitting = coloured or fitting  # ("就一条雾霾蓝S": the line the colour names; the size is said of it)
    if len(fitting) != 1 or not fitting[0][1].get("colour") and len(cart) > 1:
        return False  # (a size alone, with several lines, could be any of them)
    target, said = fitting[0]
    if all(getattr(target, name) == value for name, value in said.items()):
        return False
    changed = {"sku": target.sku, "colour": said.get("colour", target.colour), "size": said.get("size", target.size),
               "quantity": target.quantity}
    only = bool(_ONLY_ONE.search(simplify(text))) and len(cart) > 1
    lines = [changed] if only else [
        changed if line is target else {"sku": line.sku, "colour": line.colour, "size": line.size,
                                        "quantity": line.quantity} for line in cart]
    s["product"] = target.sku
    for detail in ("size", "colour", "quantity", "lines"):
        s.pop(detail, None)
    if len(lines) == 1:
        s.update(size=changed["size"], colour=changed["colour"], quantity=changed["quantity"])
    else:
        s["lines"] = lines
    return True


def _unfinished(line: Line, catalogue: Catalogue) -> bool:
    """Whether an order line still lacks the size or colour its item is made in several of."""
    item = catalogue.get(line.sku)
    return item is not None and ((not line.size and len(item.sizes) > 1) or (not line.colour and len(item.colours) > 1))


def _yes_to_readback(d: Decision, t: Turn, product: ProductView) -> None:
    """A yes to the read-back: the order placed (or joined to the one just placed) — unless the yes restates
    something else, names another count, or the order to join has left meanwhile."""
    ctx, found, s = t.ctx, t.found, d.slots
    cart = _cart(s, product, ctx.catalogue)
    if any(_unfinished(line, ctx.catalogue) for line in cart):
        _buy(d, t)  # (a line still without its size or colour is never placed: what is missing is asked first)
        return
    said_count, in_cart = _said_count(t.text), sum(line.quantity for line in cart)
    if _corrected_at_readback(s, cart, found, t.text, ctx.catalogue):
        # "对 就一条雾霾蓝S" to a read-back of a black skirt and a tee: what they said, read back again — not
        # the read-back placed
        _readback(d, ctx.catalogue.get(s["product"]) or product, ctx)
        return
    joining = next((o for o in ctx.orders if o.order_no == s.get("merge_into")), None)
    if said_count and joining is not None and said_count == in_cart + sum(line.quantity for line in joining.lines):
        said_count = None  # "对 就这两件" to adding one to an order of one: the two of them, as read back
    if said_count and said_count != in_cart:
        # "对 就这三件" for a read-back of two: something is missing — asked, not placed; asked twice and said the
        # same again, a person sorts it out with everything said so far (no loop)
        asked = int((s.get("asked_again") or {}).get("count") or 0) + 1
        s["asked_again"] = {"count": asked}
        if asked >= 3:
            s.pop("asked_again", None)
            _escalate(d, "human", ("close.loop_to_person", {"missing": "件数"}), opening=t.text)
            return
        d.stage, s["pending"] = Stage.CONFIRM_ORDER, Pending.READBACK
        d.say(("confirm.count_mismatch", {"said": str(said_count), "quantity": str(in_cart)}),
              buttons=("确认无误", "需要修改"))
        return
    joined = _joined(s, ctx)
    if s.get("merge_into") and joined is None:
        # the read-back offered to add to that order, and it left the warehouse meanwhile: said, not placed
        late, s["merge_into"] = str(s["merge_into"]), None
        d.stage, s["pending"] = Stage.CONFIRM_ORDER, Pending.READBACK
        d.say(("confirm.merge_too_late", {"order_no": late}), buttons=("确认无误", "转人工"))
        return
    subtotal, discount, fee, _note = _terms(s, product, ctx)
    d.actions.append(
        PlaceOrder(
            lines=_cart(s, product, ctx.catalogue), address=_recipient(s), phone=s["phone"], notes=s.get("notes") or "",
            discount=discount, shipping_fee=fee,
            extras={"concessions": list(s.get("concessions") or []), "gift": ctx.policy.gift
                    if "gift" in (s.get("concessions") or []) else ""},
            into=joined.order_no if joined is not None else None,
        )
    )
    d.stage = Stage.SHIPPING
    if joined is not None:
        d.say(("confirm.merged", {"order_no": joined.order_no, "total": format_money(subtotal - discount + fee)}),
              buttons=("查看订单状态", "继续逛逛"))
    else:
        d.say(("confirm.created", {"total": format_money(subtotal - discount + fee)}),
              buttons=("查看订单状态", "继续逛逛"))
    invoice = s.get("invoice") or {}
    if invoice and not _invoicing.missing(invoice):  # details given before the order: the request goes on it
        d.actions.append(_record_invoice(None, invoice))
        d.say(("invoice.recorded", {"invoice": _invoicing.describe(invoice)}))  # (the new order's number)


def _affirm(d: Decision, t: Turn) -> None:
    ctx, found = t.ctx, t.found
    s = d.slots
    last = t.asked
    product = ctx.catalogue.get(s.get("product"))
    if last == "readback" and product is not None:
        _yes_to_readback(d, t, product)
        return
    if last == "clarify":
        d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
        return
    if last == "need":
        _recommend(d, Turn("随便看看热销款", ctx, found, None))
        return
    placed = s.get("order_no")
    if placed and product is not None and s.get("pending") is None and not s.get("lines") \
            and product.sku in {line.get("sku") for line in s.get("ordered") or ()} \
            and not (t.found.size or t.found.colour or t.found.items or _ADD_MORE.search(simplify(t.text))):
        # "好的" / "确认" after a question about the item just ordered: it is ordered — not bought again
        for detail in ("product", "size", "colour", "quantity"):
            s.pop(detail, None)
        d.stage = Stage.SHIPPING
        d.say(("confirm.already_placed", {"order_no": str(placed)}), buttons=("查看订单状态", "继续逛逛"))
        return
    if d.stage == Stage.OBJECTION or last in ("size", "colour", "address", "phone", "product"):
        _buy(d, t)
        return
    if product is not None and d.stage in (Stage.CONSULT, Stage.RECOMMEND):
        if mentions_any(t.text, _WANT_WORDS) or (
            s.get("size") in product.sizes and (s.get("colour") in product.colours or len(product.colours) == 1)
            and d.stage == Stage.CONSULT and not _ASKS.search(simplify(t.text))
        ):  # "好的，就要这个码": the yes is to buying it — and "👌" to the size advised for the colour chosen
            _buy(d, t)
            return
        d.stage = Stage.CLOSE
        d.say(("close.nudge", {"product": product.name}), buttons=("我要买", "再看看"))
        return
    if placed and d.stage == Stage.SHIPPING and s.get("told_placed") != placed \
            and any(o.order_no == placed and o.status == "confirmed" for o in ctx.orders):
        # "确认" sent twice, "好的" after the order number: the order stands, said so (not a size question)
        s["told_placed"] = placed
        d.say(("confirm.already_placed", {"order_no": str(placed)}), buttons=("查看订单状态", "继续逛逛"))
        return
    d.say(("other.anything_else", {}), buttons=MENU)


def _deny(d: Decision, t: Turn) -> None:
    if t.asked in ("readback", "change"):
        d.stage = Stage.CONFIRM_ORDER
        d.slots["pending"] = Pending.CHANGE
        d.say(("confirm.what_to_change", {}), buttons=("改尺码", "改颜色", "改地址", "改电话"))
        return
    if d.stage == Stage.OBJECTION:
        d.say(("objection.think", {}), buttons=("看看热销款",))
        return
    d.stage = Stage.FAREWELL
    d.say(("farewell.sale" if d.slots.get("sale") else "farewell.no_sale", {}))
