"""The order being put together: its lines, totals and postage.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.conversation.actions import Line
from bot.conversation.buttons import AFTER_ANSWER
from bot.conversation.catalogue import Catalogue, ProductView, format_money
from bot.conversation.decision import Decision, Turn
from bot.conversation.focus import _lines_text, _order_for
from bot.conversation.views import Context, OrderView
from replies import Fragment, Joined, Value


def _cart_total(d: Decision, t: Turn) -> bool:
    """"两样一起多少钱 包邮不" while two or more items are being put together: the whole cart's price and whether
    it ships free (said, and True), not one item's."""
    product = t.ctx.catalogue.get(d.slots.get("product"))
    if product is None or not d.slots.get("lines"):
        return False  # (whatever words it is asked in — "寄哈尔滨啊" — one item's fee is not the order's)
    cart = _cart(d.slots, product, t.ctx.catalogue)
    if len(cart) < 2:
        return False
    policy = t.ctx.policy
    subtotal = sum((line.unit_price * line.quantity for line in cart), Decimal("0"))
    lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart]
    free = subtotal >= policy.free_shipping_threshold
    d.say(("shipping.cart_free" if free else "shipping.cart_not_free",
           {"lines": _lines_text(lines, t.ctx.catalogue), "subtotal": format_money(subtotal),
            "total": format_money(subtotal if free else subtotal + policy.shipping_fee)}), buttons=AFTER_ANSWER)
    return True


def _cart(s: Mapping[str, Any], product: ProductView, catalogue: Catalogue | None = None) -> tuple[Line, ...]:
    """The order being put together: the lines kept for other products ("再加一顶帽子"), then the item in focus —
    its lines ("一件白色L一件黑色M") or the one variant chosen. A size or colour is filled in only for a product made
    in just one (a colour the customer never chose never goes on it)."""
    kept = list(s.get("lines") or [])
    own = [line for line in kept if line.get("sku", product.sku) == product.sku]
    others = [line for line in kept if line.get("sku", product.sku) != product.sku]
    if not own:
        own = [{"sku": product.sku, "size": s.get("size"), "colour": s.get("colour"),
                "quantity": int(s.get("quantity") or 1)}]
    lines: dict[tuple[str, str | None, str | None], Line] = {}
    for line in [*others, *own]:
        item = (catalogue.get(str(line.get("sku"))) if catalogue is not None else None) or product
        size = line.get("size") or (item.sizes[0] if len(item.sizes) == 1 else None) or (
            s.get("advised") or {}).get(item.sku)  # ("t恤要白底藏青条的" after its size was given for her)
        colour = line.get("colour") or (item.colours[0] if len(item.colours) == 1 else None)
        quantity = max(1, int(line.get("quantity") or 1))
        if size and colour and (same := lines.get((item.sku, size, colour))) is not None:
            quantity += same.quantity  # (two colleagues in M: one line of two for the warehouse)
        key = (item.sku, size, colour) if size and colour else (item.sku, str(len(lines)), None)
        lines[key] = Line(sku=item.sku, size=size, colour=colour, quantity=quantity, unit_price=item.price)
    return tuple(lines.values())


def _terms(s: Mapping[str, Any], product: ProductView, ctx: Context) -> tuple[Decimal, Decimal, Decimal, Joined]:
    """(subtotal, discount, shipping fee, note) for the order being confirmed."""
    policy = ctx.policy
    granted = s.get("concessions") or []
    subtotal = sum((line.unit_price * line.quantity for line in _cart(s, product, ctx.catalogue)), Decimal("0"))
    joined = _joined(s, ctx)
    if joined is not None:  # added to the order just placed: the free-shipping line counts both
        subtotal += Decimal(joined.details.get("subtotal") or "0")
    discount = Decimal("0")
    notes: list[Value] = []
    if "coupon" in granted and subtotal >= policy.coupon_min_total:
        discount = min(policy.coupon_amount, subtotal)
        notes.append(Fragment("part.coupon_off", {"amount": format_money(discount)}))
    free = subtotal - discount >= policy.free_shipping_threshold or "free_shipping" in granted
    fee = Decimal("0") if free else policy.shipping_fee
    notes.append(Fragment("part.shipping_free") if free else Fragment("part.shipping_fee", {"fee": format_money(fee)}))
    if "gift" in granted and policy.gift:
        notes.append(Fragment("part.gift", {"gift": policy.gift}))
    return subtotal, discount, fee, Joined(tuple(notes))


def _joined(s: Mapping[str, Any], ctx: Context) -> OrderView | None:
    """The order just placed that the items being chosen will join, if the customer asked for that and it has
    not left the warehouse."""
    order = _order_for(ctx, str(s.get("merge_into"))) if s.get("merge_into") else None
    if order is None or not order.changeable:
        return None
    return order


def _recipient(s: Mapping[str, Any]) -> str:
    """The address as the read-back and the warehouse show it: with the recipient's name when given."""
    address, name = str(s.get("address") or ""), s.get("name")
    return f"{name} {address}" if name and str(name) not in address else address
