"""Right after an order is placed, or cancelled, in this chat: what a message says of that order — its address
sent again, an item taken out of it, its lines said again, a note for it, the money of a cancel.

Rules of ``decide`` (``routing``): each reads the ``Draft`` of the message and answers it, or returns None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation.actions import ChangeOrder, Line, describe_changes
from bot.conversation.aftersales import (
    _note_on_order,
    _postage_after,
    _take_out,
)
from bot.conversation.arrival import arrival_answer
from bot.conversation.cart import _recipient
from bot.conversation.catalogue import ProductView, format_money
from bot.conversation.cues import (
    _ADD_MORE,
    _ALSO_WANTS,
    _ARRIVES,
    _ASKS,
    _CANCEL,
    _DROP,
    _GO_AHEAD,
    _IN_TIME,
    _INVOICE_WORDS,
    _LEAVES_IT_TO_US,
    _NO_INVOICE_IN_PARCEL,
    _REFUND_HOW,
    _REFUND_WHEN,
    _YES_FIRST,
    DISPUTE_TYPES,
    _checks_size,
    _chooses,
    _reports_fault,
)
from bot.conversation.decision import Decision, Turn
from bot.conversation.disputes import _escalate
from bot.conversation.draft import Draft
from bot.conversation.focus import (
    _LEFT_OUT,
    _dropped_from_order,
    _focus,
    _lines_text,
    _made_in_the_colour_said,
    _merge_order_details,
    _named_among,
    _names,
    _order_for,
    _person_named,
    _said_again,
    _switched_to,
)
from bot.conversation.orders import _buy, _readback
from bot.conversation.readings import _FOR_SOMEONE, _SWITCH_TO
from bot.conversation.sales import _answer_facts
from bot.conversation.sizing import _advise_size
from bot.conversation.slots import (
    Extracted,
    extract,
    mentions_any,
    name_tails,
    simplify,
)
from bot.conversation.state import _ORDER_QUESTIONS, Pending, Stage
from bot.conversation.views import Context, OrderView

_WEEKEND = re.compile(r"周末|星期六|星期天|星期日|周六|周日|礼拜六|礼拜天|礼拜日|节假日|放假")
# A cancel the customer made ("昨天取消的那单", "取消了订单") and words that say the money is overdue.
_CANCELLED_BEFORE = re.compile(r"取消(了|的|那|掉|这|订单)|退掉了|退了(订)?单|撤(销|了)(订)?单")
_OVERDUE = re.compile(r"超过|过了.{0,3}天|好几天|一个?星期|一周|半个月|一个月|[3-9]天|[三四五六七八九十]天|都没到账还|投诉")
# A delivery or packing note asked for ("别敲门", "放门口就行"), not a report of what went wrong.
_NOTE_REQUEST = re.compile(r"别|不要|不放|不用放|麻烦|请|记得|就行|就好|帮我|帮忙|希望|尽量|最好|备注|给我打|先打|打个电话|打一下电话"
                           r"|礼盒|礼合|贺卡|卡片|小卡|附.{0,3}卡|分开(包|装|寄)|单独(包|装|一个|一个礼盒)|点(以|之)?(后|前)|再送|没人"
                           r"|(上午|下午|晚上|中午|周末|工作日|白天)(再|能|才能|可以|才)?(送|到|派|收)"
                           r"|(放|送|寄)(到|在)?.{0,8}(驿站|快递柜|柜子|门卫|前台|门口|收发室|丰巢|传达室|物业)")
_SAME_ADDRESS = re.compile(r"^(那|就)?(都|一起|全部|两[件条双个]都|统一)(寄|发|送)(到)?(我|我这|我这里|我家|这里|这个地址|同一个地址|一个地址)"
                           r"(就行|就好|吧|哈|啊|呀)?[。.!！~～]*$")


def _refund_of_the_cancel_here(m: Draft) -> Decision | None:
    """When the money comes back, asked right after a cancel in this chat — not a payment dispute."""
    cancelled, plain = m.slots.get("cancelled_order"), simplify(m.text)
    if cancelled and (_REFUND_WHEN.search(plain) or _REFUND_HOW.search(plain)) and m.alone < 0.9 \
            and m.intent != "human":
        # "钱什么时候退回来" right after a cancel in this chat: when the money comes back, not a payment dispute
        m.d.intent = "return_refund"
        m.d.say(("modify.refund_time", {"order_no": str(cancelled)}), buttons=("继续逛逛", "转人工"))
        return m.d
    return None


# What if the money is late ("到时候还没到咋整"): asked ahead, not reported.
_IF_LATE = re.compile(r"(到时候?|万一|如果|要是|假如|过几天)[^，,。]{0,4}(还)?(没到|没收到|没到账|没退|不到)")


def _refund_of_an_earlier_cancel(m: Draft) -> Decision | None:
    """When and where the money of an order cancelled before goes — unless they say it is overdue."""
    slots, plain_text = m.slots, simplify(m.text)
    if _CANCELLED_BEFORE.search(plain_text) or re.search(r"取消|撤销", plain_text):
        # ("我昨天取消了一个订单" / "能直接取消吗", then "钱退到哪里，多久能到呢？")
        m.d.slots["cancel_mentioned"] = True
    if not slots.get("cancelled_order") and m.intent != "human" \
            and (_CANCELLED_BEFORE.search(plain_text) or slots.get("refund_told") or slots.get("cancel_mentioned")) and (
        (_WEEKEND.search(plain_text) or _IF_LATE.search(plain_text)) and slots.get("refund_told") or
        _REFUND_WHEN.search(plain_text) or _REFUND_HOW.search(plain_text) or "没回来" in plain_text
    ) and not _OVERDUE.search(plain_text):
        return _refund_of_a_cancel(m.d, slots, m.ctx, plain_text)
    return None


def _both_to_one_address(m: Draft) -> Decision | None:
    """"都寄我这里" right after ordering for two people: one order goes to one address."""
    state, placed = m.d.slots, m.placed
    if placed and state.get("address") and not m.found.address and m.alone < 0.9 and m.intent != "human" \
            and _SAME_ADDRESS.search(simplify(m.text)) and any(o.order_no == placed and o.status == "confirmed"
                                                                for o in m.ctx.orders):
        m.d.intent = "shipping_inquiry"
        m.d.say(("shipping.same_address", {"order_no": str(placed), "address": _recipient(state)}),
                buttons=("查看订单状态", "继续逛逛"))
        return m.d
    return None


def _the_same_address_again(m: Draft) -> Decision | None:
    """The address of the order just placed, sent again: it goes there — said, nothing changed (a delivery note
    sent with it goes on the order)."""
    d, state, placed, current, found = m.d, m.d.slots, m.placed, m.current, m.found
    if placed and (current is None or current.sku == state.get("borrowed") or (
            # (or the item just ordered, still in view with nothing new chosen of it)
            current.sku in m.ordered_skus and not state.get("lines") and any(
                all(not state.get(k) or state.get(k) == line.get(k) for k in ("size", "colour"))
                for line in state.get("ordered") or () if line.get("sku") == current.sku))) \
            and found.address \
            and not state.get("lines") and state.get("pending") is None \
            and _same_address(found.address, str(state.get("address") or "")) and m.intent != "human" \
            and any(o.order_no == placed and o.status == "confirmed" for o in m.ctx.orders):
        # (a delivery note sent with it, "送来的时候麻烦放小区门卫室", goes on the order)
        d.intent = "shipping_inquiry"
        d.say(("shipping.same_address", {"order_no": str(placed), "address": _recipient(state)}),
              buttons=("查看订单状态", "继续逛逛"))
        if _ARRIVES.search(simplify(m.text)) or _IN_TIME.search(simplify(m.text)):
            d.say(arrival_answer(m.text, m.ctx))  # "寄廣州幾時到呀？地址：…": and when it comes
        order = _order_for(m.ctx, str(placed))
        if found.notes and found.notes not in str(state.get("notes") or "") and order is not None \
                and order.unshipped and not _reports_fault(m.text):
            d.intent = "modify_order"
            _note_on_order(d, order.order_no, found.notes)
        return d
    return None


def _taken_out_of_the_order(m: Draft) -> Decision | None:
    """An item dropped from the order just placed (of two or more) comes out of it."""
    state, text = m.d.slots, m.text
    if m.placed and state.get("ordered") and len(state["ordered"]) > 1 and _DROP.search(simplify(text)) \
            and m.intent not in DISPUTE_TYPES and (removed := _dropped_from_order(text, state, m.ctx.catalogue)) \
            is not None and (order := _order_for(m.ctx, str(m.placed))) is not None \
            and order.unshipped:
        return _out_of_the_order_placed(m.d, m.ctx, text, removed, order)
    return None


def _the_order_said_again(m: Draft) -> Decision | None:
    """The lines of the order just placed, said again: they are in the order, not bought twice."""
    found, current = m.found, m.current
    ordered = m.ctx.catalogue.get(str(next(iter(m.ordered_skus)))) if len(m.ordered_skus) == 1 else None
    if current is None and m.product is None and ordered is not None \
            and (reread := extract(m.text, ordered)).items:
        # ("灰色 藏青 各来一件 他不穿白的" right after ordering those two: the lines read against the item ordered)
        found, current = replace(m.found, items=reread.items, colour=reread.colour), ordered
    if m.intent == "modify_order" and m.confident and found.quantity and not found.items:
        return None  # ("那就我和老公两顶 米白色的" after one cap: its count changed — read by _a_new_count_for_a_line)
    if m.placed and not mentions_any(m.text, _INVOICE_WORDS) and not (found.size and _checks_size(m.text, found.size)) \
            and (again := _said_again(m.d.slots, found, current, m.text, m.ctx.catalogue)):
        # (said again with an invoice asked for: the invoice is what is answered)
        return _ordered_said_again(m.d, m.ctx, m.text, found, current, m.ordered_skus, str(m.placed), again)
    return None


# Fewer than ordered ("我妈穿不了 只要一条就好", "一件就够了")
_ONLY_SO_MANY = re.compile(r"只要|只买|就要一|只留|留一|[一1][件条双顶个套份包](就好|就行|就够|够了)|少[一1]|减[一1]|不要两")


def _a_new_count_for_a_line(m: Draft) -> None:
    """"哦对 袜子要两包" right after ordering one pack: that line's count changed — not a second line, not a new sale
    (a count with 再/加 is one more: the rules for adding answer it)."""
    plain = simplify(m.text)
    fewer = bool(_ONLY_SO_MANY.search(plain))
    bare = bool(re.fullmatch(r"(要|就要|来|拿|买|改成|改)?\s*([0-9]|[两二三四五六七八九十])\s*[件条双套顶个包盒]?(吧|哈|的|啊|呀)?[!！~～。.]*", plain))
    item = m.current if m.current is not None and m.current.sku in m.ordered_skus else (
        m.ctx.catalogue.get(str(next(iter(m.ordered_skus)))) if (fewer or bare) and len(m.ordered_skus) == 1 else None)
    # ("2件" alone, right after ordering one: that is the count meant)
    if not m.placed or item is None or m.d.slots.get("lines") \
            or not m.found.quantity or (m.found.quantity < 2 and not fewer) or m.found.items or _ADD_MORE.search(plain) \
            or _ALSO_WANTS.search(plain) or m.intent in ("human", "invoice") \
            or (m.said.is_dispute and (not fewer or _reports_fault(m.text))) \
            or _ASKS.search(plain.split("还有")[0]):  # ("问三个问题：…会不会掉褶？" is no count)
        return
    order = _order_for(m.ctx, str(m.placed))
    lines = [line for line in order.lines if line.sku == item.sku] if order is not None else []
    if order is None or not order.changeable \
            or len(lines) != 1 or any(v and v != getattr(lines[0], k) for k, v in
                                      (("size", m.found.size), ("colour", m.found.colour))) \
            or (fewer and lines[0].quantity <= m.found.quantity):
        return
    m.intent, m.confident = "modify_order", True
    m.said = replace(m.said, is_dispute=False)  # ("我妈穿不了…只要一条就好": fewer, no fault of the shop's)


def _the_count_of_the_lines_said(m: Draft) -> Decision | None:
    """"两条" right after one scarf of each colour was put in the order: that is what it holds — said, nothing changed."""
    plain = simplify(m.text)
    if not m.placed or m.d.slots.get("lines") or not m.found.quantity or m.found.items \
            or not re.fullmatch(r"(是|就是|要|一共|总共|共)?\s*([0-9]|[两二三四五六七八九十])\s*[件条双套顶个包盒]?"
                                r"(吧|哈|的|啊|呀|啊对|对吧)?[!！~～。.]*", plain):
        return None
    order = _order_for(m.ctx, str(m.placed))
    if order is None or order.status != "confirmed" or len(order.lines) < 2 or len({line.sku for line in order.lines}) != 1 \
            or sum(line.quantity for line in order.lines) != m.found.quantity:
        return None
    lines = [{"sku": line.sku, "colour": line.colour, "size": line.size, "quantity": line.quantity} for line in order.lines]
    m.d.intent = "modify_order"
    m.d.say(("modify.count_already", {"order_no": order.order_no, "quantity": str(m.found.quantity),
                                      "lines": _lines_text(lines, m.ctx.catalogue)}), buttons=("查看订单状态", "继续逛逛"))
    return m.d


def _one_line_split_after_ordering(m: Draft) -> Decision | None:
    """"等等 唔係 一件白一件黑" right after ordering two white T-shirts: the one line becomes one of each — the line
    changed and the other added in the same change (stock taken), the order read out as it now is. Never an addition
    ("再来一件黑的" is one more) and never a guess: each variant must be one the item is made in."""
    plain, state = simplify(m.text), m.d.slots
    if not m.placed or state.get("lines") or m.intent in ("human", "invoice") \
            or _ASKS.search(plain) or _ADD_MORE.search(plain) or _ALSO_WANTS.search(plain) or m.found.address \
            or mentions_any(m.text, _CANCEL) or (m.said.is_dispute and _reports_fault(m.text)):
        return None
    order = _order_for(m.ctx, str(m.placed))
    if order is None or not order.changeable or len(order.lines) != 1:
        return None
    line, product = order.lines[0], m.ctx.catalogue.get(order.lines[0].sku)
    if product is None or (m.product is not None and m.product.sku != product.sku):
        return None
    found = extract(m.text, product)  # (read against the item ordered: nothing is in focus after ordering)
    if len(found.items) < 2 or any(item.sku not in (None, product.sku) for item in found.items):
        return None
    wanted = [(item.colour or line.colour, item.size or line.size, item.quantity or 1) for item in found.items]
    if sum(q for _, _, q in wanted) != line.quantity:
        return None  # (a split keeps the count: "一件白一件黑" of two; more or fewer is an addition or a change)
    if any(c not in (*product.colours, None) or z not in (*product.sizes, None) for c, z, _ in wanted) \
            or len({(c, z) for c, z, _ in wanted}) != len(wanted) \
            or wanted == [(line.colour, line.size, line.quantity)]:
        return None
    first = next((w for w in wanted if (w[0], w[1]) == (line.colour, line.size)), wanted[0])
    changes = {name: value for name, value, before in (("colour", first[0], line.colour), ("size", first[1], line.size),
                                                        ("quantity", first[2], line.quantity)) if value != before}
    added = tuple(Line(product.sku, z, c, q, line.unit_price) for c, z, q in wanted if (c, z, q) != first)
    subtotal = line.unit_price * sum(q for _, _, q in wanted)
    fee, discount = _postage_after(m.ctx, order, subtotal)
    m.d.intent, m.d.stage = "modify_order", Stage.SHIPPING
    m.d.actions.append(ChangeOrder(order.order_no, changes, line=(line.sku, line.colour, line.size), add=added,
                                   shipping_fee=fee, discount=discount))
    lines = [{"sku": product.sku, "colour": c, "size": z, "quantity": q} for c, z, q in wanted]
    m.d.say(("modify.lines_split", {"order_no": order.order_no, "lines": _lines_text(lines, m.ctx.catalogue),
                                    "total": format_money(subtotal - discount + fee)}),
            buttons=("查看订单状态", "继续逛逛"))
    return m.d


# A mind changed about what was just ordered ("那换L", "裙子换卡其吧", "想了想还是要黑色", "算了要藏青")
_CHANGED_MIND = re.compile(r"换|改|还是|算了|想了想|想想|反悔|^(?:ok|好的?|好吧|嗯嗯?|行|哦)\s*那(?![个件条款双顶些里边])|不对|唔对|唔係|唔系|不是[^吗么嘛？?]*$|等等|等一下|错了|说错|打错|搞错|写错|按错|点错")


def _a_variant_changed_after_ordering(m: Draft) -> None:
    """"那换L 颜色也换深蓝" / "全黑有点沉闷 裙子换卡其吧" / "想了想还是要黑色" right after ordering, while the order
    waits in the warehouse's queue: a size or colour of an ordered item that the order does not have yet — the
    order changes (``_modify`` finds the line), not a return, a new sale or "what do you mean"."""
    plain = simplify(m.text)
    if not m.placed or m.d.slots.get("lines") or m.intent in ("human", "invoice") \
            or (m.said.is_dispute and _reports_fault(m.text)) or not _CHANGED_MIND.search(plain) or _ASKS.search(plain) or m.found.address \
            or m.found.phone or _ADD_MORE.search(plain) or _ALSO_WANTS.search(plain) or mentions_any(m.text, _CANCEL) \
            or _FOR_SOMEONE.search(plain):  # ("不对 白色要XL 给我爸的": one more, for him)
        return
    order = _order_for(m.ctx, str(m.placed))
    if order is None or not order.changeable:
        return
    named = m.ctx.catalogue.find(plain)
    if named is not None and named.sku not in {line.sku for line in order.lines}:
        return  # ("还是要那条裙子吧" after a shirt: another item)
    for product in (p for sku in dict.fromkeys(line.sku for line in order.lines) if (p := m.ctx.catalogue.get(sku))):
        found = extract(m.text, product)
        if found.size in product.sizes or found.colour in product.colours:
            # (one the order already has — "换蓝色碎花" when it is blue: said so by the change, nothing changed)
            m.intent, m.confident = "modify_order", True
            m.said = replace(m.said, is_dispute=False)  # ("浅蓝显胖": no fault of the shop's — a change)
            return


# Measurements given for someone else, or for one more item — not for the one just ordered
_ANOTHER_WEARER = re.compile(r"(?<!其)[他她]|妈|爸|老公|老婆|孩子|儿子|女儿|朋友|同事|对象|家人|[哥姐弟妹]|再|另外|也要|还要")


def _measured_after_ordering(m: Draft) -> Decision | None:
    """"尺码我也不确定了 165 112斤 你帮我看看" just after ordering the dress in M: the size her measurements give,
    and — where the order has another — whether to change it (never a second dress, never the colour asked again)."""
    found, plain = m.found, simplify(m.text)
    if not (m.placed and (found.height or found.weight or found.foot) and not m.d.slots.get("lines")
            and m.intent in ("product_inquiry", "other", "doubt", "buy", "affirm", "ask_recommendation")
            and not (found.size or found.colour or found.items or found.people or found.address or found.phone)
            and not (_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain) or _ANOTHER_WEARER.search(plain))
            and (order := _order_for(m.ctx, str(m.placed))) is not None and order.changeable):
        return None
    sized = [(line, p) for line in order.lines if (p := m.ctx.catalogue.get(line.sku)) is not None
             and p.size_chart and len(p.sizes) > 1 and (m.product is None or p.sku == m.product.sku)]
    if len(sized) != 1:
        return None
    line, product = sized[0]
    m.d.intent, m.d.stage = "product_inquiry", Stage.SHIPPING
    size = _advise_size(m.d, product, m.ctx.catalogue, found.height, found.weight, found.foot)
    if not size or size not in product.sizes:
        return m.d
    values = {"order_no": order.order_no, "product": product.name, "ordered": line.size or "", "size": size}
    if size == line.size:
        m.d.say(("confirm.size_as_ordered", values), buttons=("查看订单状态", "继续逛逛"))
        return m.d
    m.d.slots["size_offer"] = {"order_no": order.order_no, "sku": product.sku, "size": size}
    m.d.say(("confirm.size_change_offer", values), buttons=(f"改成{size}", "不用改"))
    return m.d


def _size_offer_answered(m: Draft) -> None:
    """"好 那就听你的" to "要帮您改成L吗": the order's size changed (the change made by the order's own handler)."""
    offer = m.d.slots.pop("size_offer", None)
    plain = simplify(m.text)
    if not isinstance(offer, dict) or m.said.is_dispute or m.found.size or m.found.colour or m.found.address \
            or re.search(r"不用|不改|不要|算了|先不|别改|不了|不行|不对|不好|不换", plain) \
            or not (_YES_FIRST.search(plain) or _LEAVES_IT_TO_US.search(plain) or re.search(r"听你的|改吧|换吧|^那就", plain)):
        return
    product = m.ctx.catalogue.get(str(offer.get("sku")))
    if product is None or offer.get("size") not in product.sizes:
        return
    m.text = f"{product.name}尺码改成{offer['size']}"  # (what the customer agreed to, as the handler reads a change)
    m.found = extract(m.text, product)
    m.d.slots["modify_order"] = str(offer.get("order_no"))
    m.intent, m.confident, m.product, m.current = "modify_order", True, None, None
    m.d.intent = m.intent


def _same_address(one: str, other: str) -> bool:
    """Whether two addresses are the same place as written: in either script, with or without the province
    ("深圳市南山區…1608" is "广东省深圳市南山区…1608")."""
    a, b = (re.sub(r"[\s,，:：。省市区县]", "", simplify(x)) for x in (one, other))  # ("广州天河区…" of "广州市天河区…")
    short, long = sorted((a, b), key=len)
    return bool(short) and (short == long or (len(short) >= 8 and long.endswith(short)))


_ADDRESS_PART = re.compile(r"(\d{1,5})\s*(栋|幢|号楼|单元|层|楼|室|弄|巷)")
_NOT_THAT_PART = re.compile(r"不是\s*(\d{1,5})\s*(栋|幢|号楼|单元|层|楼|室|弄|巷)")


def _address_fixed(text: str, address: str) -> str | None:
    """The address with the one part a message puts right ("是12栋 不是21栋", "对 12栋"): a building, unit, floor or
    room number said with its word, where the address has one such part with another number. None if it fixes nothing."""
    plain = simplify(text)
    turned_down = {(m.group(1), m.group(2)) for m in _NOT_THAT_PART.finditer(plain)}
    fixed = address
    for said in _ADDRESS_PART.finditer(plain):
        number, unit = said.group(1), said.group(2)
        parts = [p for p in _ADDRESS_PART.finditer(fixed) if p.group(2) == unit]
        if (number, unit) in turned_down or len(parts) != 1 or parts[0].group(1) == number:
            continue
        fixed = fixed[:parts[0].start(1)] + number + fixed[parts[0].end(1):]
    return fixed if fixed != address else None


def _another_address_after_ordering(m: Draft) -> None:
    """A whole other address — street and a phone or name with it — sent right after ordering, asking nothing
    ("收件人：王浩 / 手机号码：… / 所在地区：… / 详细地址：…" pasted from another app): where the order is to go now."""
    state, found = m.d.slots, m.found
    if m.placed and found.address and (found.phone or found.name) and not found.items and m.current is None \
            and state.get("address") and not _same_address(found.address, str(state.get("address"))) \
            and m.intent in ("other", "affirm", "greet", "shipping_inquiry", "order_status", "buy") \
            and not _ASKS.search(simplify(m.text)) and not _reports_fault(m.text):
        m.intent, m.confident = "modify_order", True


def _a_fix_to_the_address(m: Draft) -> Decision | None:
    """One part of the address put right ("对 12栋 确认" at the read-back, "不对 是12栋 不是21栋" after ordering): at the
    read-back the order is read back again with it; after ordering, the order not yet shipped is changed."""
    d, state = m.d, m.d.slots
    address = state.get("address")
    if not address or m.found.address or m.intent in DISPUTE_TYPES or m.intent == "human" or len(m.text) > 40 \
            or (fixed := _address_fixed(m.text, str(address))) is None:
        return None
    if m.slots.get("pending") == Pending.READBACK and (product := m.ctx.catalogue.get(state.get("product"))):
        state["address"] = fixed  # read back again with it: the yes said with the fix was to the wrong address
        d.intent = "buy"
        _readback(d, product, m.ctx)
        return d
    order = _order_for(m.ctx, str(m.placed)) if m.placed else None
    if order is None or not order.changeable:
        return None
    d.intent = "modify_order"
    state["address"] = fixed
    d.actions.append(ChangeOrder(order.order_no, {"address": fixed}))
    d.say(("modify.updated", {"order_no": order.order_no, "tracking_no": "—",
                              "changes": describe_changes({"address": fixed})}), buttons=("查看订单状态",))
    return d


def _a_persons_line_at_the_readback(m: Draft) -> Decision | None:
    """"等一下，我老公那件还是换成黑色吧" to a read-back of lines bought for several people: that person's line
    changed, and the order read back again."""
    d, state = m.d, m.d.slots
    if m.slots.get("pending") != Pending.READBACK or not state.get("lines") or m.intent in DISPUTE_TYPES \
            or (person := _person_named(m.text, state)) is None or (product := m.ctx.catalogue.get(person[0])) is None:
        return None
    colour = _switched_to(m.text, product) or extract(m.text, product).colour
    lines = [line for line in state["lines"] if (line.get("sku"), line.get("size")) == person]
    if len(lines) != 1 or colour not in product.colours or lines[0].get("colour") == colour:
        return None
    lines[0]["colour"] = colour
    d.intent = "buy"
    _readback(d, m.ctx.catalogue.get(state.get("product")) or product, m.ctx)
    return d


def _a_line_left_out_at_the_readback(m: Draft) -> Decision | None:
    """"我爱人说她去年买过了 那件白的不要了" to a read-back of several lines: the one line that person's (or that
    colour's) taken out, and the rest read back again — never a yes."""
    d, state = m.d, m.d.slots
    lines = state.get("lines") or []
    if m.slots.get("pending") != Pending.READBACK or len(lines) < 2 or m.intent in DISPUTE_TYPES \
            or not _LEFT_OUT.search(simplify(m.text)) or m.dropped is not None:
        return None
    if (gone := _the_line_left_out(m, [(line.get("sku"), line.get("colour"), line.get("size")) for line in lines])) \
            is None or (focus := m.ctx.catalogue.get(state.get("product"))
                        or m.ctx.catalogue.get(str(lines[gone].get("sku")))) is None:
        return None
    state["lines"] = [line for i, line in enumerate(lines) if i != gone]
    _forget_whose(state, lines[gone].get("size"))
    d.intent = "buy"
    _readback(d, focus, m.ctx)
    return d


def _a_persons_line_out_of_the_order(m: Draft) -> Decision | None:
    """"老婆那件不要了" just after ordering one item for several people: that person's line comes out of the order
    (the others stay) — where the words name no one line, the rules for the whole item decide."""
    order = _order_for(m.ctx, str(m.placed)) if m.placed else None
    if order is None or not order.changeable or len(order.lines) < 2 or m.intent in DISPUTE_TYPES \
            or not _LEFT_OUT.search(simplify(m.text)) or m.d.slots.get("lines") \
            or len({line.sku for line in order.lines}) == len(order.lines):  # (items apart: by the item's name)
        return None
    if (gone := _the_line_left_out(m, [(line.sku, line.colour, line.size) for line in order.lines])) is None:
        return None
    m.d.intent = "modify_order"
    _forget_whose(m.d.slots, order.lines[gone].size)
    _take_out(m.d, m.ctx, order, order.lines[gone], [line for i, line in enumerate(order.lines) if i != gone])
    return m.d


def _the_line_left_out(m: Draft, lines: list[tuple[Any, Any, Any]]) -> int | None:
    """Which one of ``lines`` (sku, colour, size) a message leaving something out means: the person's it names, else
    the one of the colour it names; None when it names no single line."""
    state, plain = m.d.slots, simplify(m.text)
    person = _person_named(m.text, state)
    gone = [i for i, (sku, _colour, size) in enumerate(lines) if (sku, size) == person] if person else []
    if not gone:
        said = {colour for sku, _c, _s in lines if (p := m.ctx.catalogue.get(str(sku))) is not None
                for colour in p.colours if _colour_said(plain, colour)}
        gone = [i for i, (_sku, colour, _size) in enumerate(lines) if colour in said]
    return gone[0] if len(gone) == 1 else None


def _forget_whose(state: dict[str, Any], size: Any) -> None:
    """The person whose line was taken out is no longer bought for."""
    if isinstance(state.get("people"), dict):
        state["people"]["who"] = [p for p in state["people"].get("who") or [] if p.get("size") != size]


def _colour_said(plain: str, colour: str) -> bool:
    """The colour named, in full or by its last word before 色 ("白的" for 奶白色, "卡其的" for 卡其)."""
    stem = colour.removesuffix("色")
    return colour in plain or stem in plain or bool(re.search(re.escape(stem[-1:]) + r"(的|色)", plain))


def _lines_said_at_the_readback(m: Draft) -> Decision | None:
    """"对，藏青毛衣L加灰色围巾，礼盒包装，可以" to a read-back of several items: each item named with its own colour or
    size — what differs is changed and the order read back again; what is the same is a yes (nothing else taken
    from the words: 藏青 is the sweater's, not the scarf's)."""
    d, state, catalogue = m.d, m.d.slots, m.ctx.catalogue
    # the cart's lines, the item in focus last (its variant kept in the state itself)
    entries: list[dict[str, Any]] = [*(state.get("lines") or [])]
    if state.get("product") and all(line.get("sku") != state["product"] for line in entries):
        entries.append(state)
    focus = catalogue.get(state.get("product"))
    if m.slots.get("pending") != Pending.READBACK or len(entries) < 2 or m.intent in DISPUTE_TYPES \
            or m.dropped is not None or focus is None or m.before is None or m.before.sku != focus.sku:
        return None  # (an item taken out or newly named: the order is being changed, not restated)
    said: dict[int, dict[str, str]] = {}
    for clause in re.split(r"[，,、；;。\s]+|加|和|还有|跟", simplify(m.text)):
        meant = [i for i, entry in enumerate(entries)
                 if clause and (p := catalogue.get(str(_sku(entry)))) is not None and _names(clause, p)]
        product = catalogue.get(str(_sku(entries[meant[0]]))) if len(meant) == 1 else None
        if product is None:
            continue
        read = extract(clause, product)
        values = {k: v for k, v in (("colour", read.colour), ("size", read.size))
                  if v and v in (product.colours if k == "colour" else product.sizes)}
        if values:
            said[meant[0]] = values
    if not said:
        return None
    changed = any(entries[i].get(k) != v for i, values in said.items() for k, v in values.items())
    for i, values in said.items():
        entries[i].update(values)
    if changed and not _GO_AHEAD.search(simplify(m.text)):
        d.intent = "buy"
        _readback(d, focus, m.ctx)
        return d
    # (the lines said as they are — or changed with a go-ahead, "帽子换成卡其 其他没毛病 下吧": a yes)
    m.intent, m.confident = "affirm", True
    m.found = replace(m.found, colour=None, size=None, quantity=None, items=())
    return None


def _sku(entry: Mapping[str, Any]) -> Any:
    return entry.get("sku") or entry.get("product")


def _a_note_for_the_order(m: Draft) -> Decision | None:
    """A delivery note right after ordering goes on the order (with a variant of its one line chosen with it); a
    question about the item sent with it is answered next."""
    d, state, text, found, current, placed = m.d, m.d.slots, m.text, m.found, m.current, m.placed
    if placed and (current is None or (current.sku in m.ordered_skus and not state.get("lines")
                                        and state.get("pending") not in _ORDER_QUESTIONS)) \
            and found.notes and not found.address and m.intent != "human" \
            and ((m.intent != "invoice" and not mentions_any(text, _INVOICE_WORDS))
                 or _NO_INVOICE_IN_PARCEL.search(simplify(text))) \
            and not (_ADD_MORE.search(simplify(text)) and (found.size or found.colour or found.items)) \
            and _NOTE_REQUEST.search(simplify(text)) and not _reports_fault(text) \
            and (order := _order_for(m.ctx, str(placed))) is not None and order.status == "confirmed" \
            and order.unshipped:
        # "对了送货的时候别敲门…放门口就行" right after ordering: a note for the warehouse, added to the order —
        # with the size or colour of its one line when the message turns to another ("那就L吧 黑色L一条 放快递柜")
        d.intent = "modify_order"
        variant = {k: v for k, v in (("size", found.size), ("colour", found.colour))
                   if current is not None and len(order.lines) == 1 and order.lines[0].sku == current.sku
                   and v and v in (current.sizes if k == "size" else current.colours)
                   and v != getattr(order.lines[0], k)} if _chooses(text) or _SWITCH_TO.search(simplify(text)) else {}
        d.actions.append(ChangeOrder(order.order_no, {**variant, "notes": found.notes}))
        if variant:
            d.say(("modify.updated", {"order_no": order.order_no, "tracking_no": "—",
                                      "changes": describe_changes(variant)}))
        d.say(("modify.note_added", {"order_no": order.order_no, "notes": found.notes}),
              buttons=("查看订单状态", "继续逛逛"))
        if current is None or not _ASKS.search(simplify(text)):
            return d
        # "放学校菜鸟驿站 对了帽子能丢洗衣机洗吗": the note is on the order; the question about the item is answered
        m.found = replace(found, notes=None)
        m.intent = d.intent = "product_inquiry"
    return None


def _refund_of_a_cancel(d: Decision, slots: Mapping[str, Any], ctx: Context, plain_text: str) -> Decision:
    """When and where the money of a cancelled order goes — asked again, the short of it."""
    state = d.slots
    # "昨儿个取消那单钱咋还没回来呢": a cancel within the refund days — when and where the money goes, honestly,
    # with the order number asked for if it is late (not a payment dispute, unless they say it is overdue)
    told, state["refund_told"], d.intent = slots.get("refund_told"), True, "return_refund"
    gone = next((o for o in ctx.orders if o.status == "cancelled"), None)
    if told and _WEEKEND.search(plain_text):  # "星期六星期天算不算啊": working days, as the words say
        d.say(("returns.working_days", {}), buttons=("继续逛逛", "转人工"))
    elif told and _IF_LATE.search(plain_text):  # "到时候还没到咋整": what to do if it is late — not a complaint yet
        d.say(("returns.refund_if_late", {}), buttons=("继续逛逛", "转人工"))
    elif told:  # asked again ("退到哪去了 我是用微信付的"): the short of it
        d.say(("returns.cancel_refund_again", {}), buttons=("继续逛逛", "转人工"))
    elif gone is not None:
        d.say(("modify.refund_time", {"order_no": gone.order_no}), buttons=("继续逛逛", "转人工"))
    else:
        d.say(("returns.cancel_refund_general", {}), buttons=("查订单", "转人工"))
    return d


def _out_of_the_order_placed(d: Decision, ctx: Context, text: str, removed: ProductView, order: OrderView) -> Decision:
    """An item taken out of the order just placed (never the whole order); what is said with it of the other
    item, or an item to put in its place, follows."""
    state = d.slots
    # "算了围巾不要了 就毛衣吧" just after ordering both: the scarf comes out, the sweater stays (never the whole
    # order); where the lines do not tell which one, a colleague does it
    d.intent = "modify_order"
    out_lines = [line for line in order.lines if line.sku == removed.sku]
    staying = [line for line in order.lines if line.sku != removed.sku]
    if len(out_lines) != 1 or not staying:
        return _escalate(d, "human", ("modify.lines_by_person", {"order_no": order.order_no}), order=order,
                         opening=f"{text}（从订单{order.order_no}去掉：{removed.name}）")
    rest = simplify(text)
    for word in sorted((removed.name, *removed.aliases, *name_tails(removed)), key=len, reverse=True):
        rest = rest.replace(word.lower(), " ")
    kept_line = staying[0] if len(staying) == 1 else None
    kept_item = ctx.catalogue.get(kept_line.sku) if kept_line is not None else None
    variant: dict[str, str] = {}
    swap = ctx.catalogue.find(rest)
    if kept_line is not None and kept_item is not None and (swap is None or swap.sku == kept_item.sku) \
            and _named_among(rest, [kept_item, removed]) is kept_item:
        # "裤子先不要了 就衬衫一件 浅蓝L" of a white shirt and jeans: the jeans out, and the shirt (named) in light
        # blue — not "换成袜子吧 全黑的" (the socks' colour)
        read = extract(rest, kept_item)
        variant = {name: value for name, value in (("size", read.size), ("colour", read.colour))
                   if value and value in (kept_item.sizes if name == "size" else kept_item.colours)
                   and value != getattr(kept_line, name)}
    _take_out(d, ctx, order, out_lines[0], staying, becomes=variant)  # (the one line left, as it becomes)
    if variant and kept_line is not None and kept_item is not None:
        d.actions.append(ChangeOrder(order.order_no, variant, line=(kept_line.sku, kept_line.colour, kept_line.size)))
        d.say(("modify.updated", {"order_no": order.order_no, "tracking_no": "—",
                                  "changes": f"{kept_item.name}{describe_changes(variant)}"}))
    if state.get("product") == removed.sku:  # ("啊袜子算了": the socks are not what is being chosen now)
        for detail in ("product", "size", "colour", "quantity", "borrowed"):
            state.pop(detail, None)
    if swap is None or swap.sku in {line.sku for line in order.lines} or not swap.in_stock:
        return d
    # "帽子算了 家里有 换成袜子吧 全黑的两包": the hat comes out and the socks go into the same order — read back
    # against the order as it is without the hat
    subtotal = sum((line.unit_price * line.quantity for line in staying), Decimal("0"))
    smaller = replace(order, lines=tuple(staying), details={**order.details, "subtotal": format_money(subtotal)})
    ctx = replace(ctx, orders=tuple(smaller if o.order_no == order.order_no else o for o in ctx.orders))
    state["ordered"] = [line for line in state.get("ordered") or [] if line.get("sku") != removed.sku]
    _focus(state, swap)
    state["merge_into"] = order.order_no
    swapped = extract(rest, swap, catalogue=ctx.catalogue)
    _merge_order_details(state, swapped, swap, text=rest, catalogue=ctx.catalogue, buying=True)
    _buy(d, Turn(rest, ctx, swapped, None, swap))
    return d


def _ordered_said_again(d: Decision, ctx: Context, text: str, found: Extracted, current: ProductView | None,
    ordered_skus: set[Any], placed: str, again: str,
) -> Decision:
    """The lines of the order just placed said again: it is in the order, not bought twice (a question asked with
    them is answered; a note goes on the order)."""
    state = d.slots
    # "行 白T白色S一件 就这俩" right after that T-shirt was ordered: it is in the order, not bought twice
    d.intent = "affirm"
    if state.get("borrowed") and state.get("product") == state["borrowed"]:
        people = state.get("people")
        kept: dict[str, Any] = people if isinstance(people, dict) else {}
        for detail in ("product", "size", "colour", "quantity", "borrowed",
                       *(() if kept.get("sku") in ordered_skus else ("people",))):
            state.pop(detail, None)  # (whose each line is stays: "我老公那件换浅蓝" may follow)
    in_order = [p for sku in ordered_skus if (p := ctx.catalogue.get(str(sku)))]
    item = current if current is not None and current.sku in ordered_skus else (
        in_order[0] if len(in_order) == 1 else _named_among(simplify(text), in_order) or _made_in_the_colour_said(text, in_order))
    asked_only = False
    if item is not None and _ASKS.search(simplify(text)) and (aspects := _facts.asked(text, ctx.catalogue.names)):
        _answer_facts(d, item, aspects, text)  # "…藏青的 会不会透": and the question about it, answered
        d.stage = Stage.SHIPPING
        # "白衬衫会不会透？" after ordering it: a question about it, not the order said again
        asked_only = not (_chooses(text) or found.size or found.quantity or found.items)
    if not asked_only:
        d.say(("shipping.already_ordered", {"order_no": str(placed), "lines": again}),
              buttons=("查看订单状态", "继续逛逛"))
    if found.notes and not _reports_fault(text) and (order := _order_for(ctx, str(placed))) is not None \
            and order.changeable:
        _note_on_order(d, order.order_no, found.notes)  # "…他要浅灰XL 到了放门口就行": on that order too
    return d
