"""The intent a message is read as where the classifier's label is not the whole story: the rules of ``_READINGS``,
in their order of precedence — the first that applies wins.

Part of ``decide`` (``routing``): each rule reads the ``Draft`` of the message so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation import invoicing as _invoicing
from bot.conversation.answers import (
    Reading,
    adds_an_item,
    gives_an_address,
    puts_the_order_together,
    read_answer,
)
from bot.conversation.arrival import asks_arrival
from bot.conversation.buttons import _menu_for
from bot.conversation.catalogue import ProductView
from bot.conversation.cues import (
    _ADD_MORE,
    _ALSO_WANTS,
    _ALTERNATIVE_WORDS,
    _ASKS,
    _ASKS_A_DISCOUNT,
    _ATTRIBUTE_WORDS,
    _BEST_SELLING,
    _CANCEL,
    _CONDITION,
    _DROP,
    _FIT_ONLY,
    _IN_TIME,
    _INVOICE_WORDS,
    _LATER,
    _LEAVES_IT_TO_US,
    _LOOK,
    _ORDER_PUSH,
    _ORDERED_BEFORE,
    _SALES_INTENTS,
    _SIZE_CHECK,
    _WHEN,
    _YES_FIRST,
    COURIER_NAMES,
    DISPUTE_TYPES,
    _checks_size,
    _chooses,
    _reports_fault,
)
from bot.conversation.decision import Decision
from bot.conversation.draft import Draft
from bot.conversation.focus import (
    _choose,
    _gives_invoice,
    _order_for,
    _ordered_item_meant,
    _other_variant,
    _switched_to,
    _whole_lines,
)
from bot.conversation.sales import (
    _RESTOCK,
    _clarify,
    _items,
)
from bot.conversation.sizing import _advise_size, size_advised
from bot.conversation.slots import (
    SIZE_QUESTION,
    extract,
    mentions_any,
    need_from,
    simplify,
)
from bot.conversation.state import _ORDER_QUESTIONS, Pending, Stage
from bot.conversation.views import Request

_SWITCH_TO = re.compile(r"还是(换|要|拿|选)|换成|改成|就要|那就")

_COMPARING = ("还是", "哪个", "哪款", "哪件", "区别", "比较", "推荐", "对比")

# A present for someone ("送我妈", "送给朋友") — not a gift asked of the shop — and the words of haggling
_GIFT_FOR = re.compile(r"送(给|我|她|他|人|朋友|老|女|男|妈|爸|闺|同事|长辈|爷|奶|婆|公)")

_HAGGLING = ("便宜", "优惠", "折", "贵", "减", "券", "降价", "少点", "赠品", "送点", "送个", "送双", "送条", "包邮")

_NEW_ARRIVALS = re.compile(r"新品|新款|上新|新到|新出|新货")

# "还剩几件啊" / "库存多少": how many are left
_STOCK_COUNT = re.compile(r"还?剩(几|多少)|还有(几|多少)(件|条|双|套|顶|个)|库存(多少|几|还有多少)|有多少(件|货)")

_BYE = re.compile(r"晚安|拜拜|再见|886|下次(再)?聊|先这样吧|不聊了|睡了|下了")

_CUSTOM = re.compile(r"印(个|上|一下)?(公司)?(logo|字|名字|图案|标志)|logo|定制|订做|刺绣名字|绣(个|上)?(名字|字)|改尺寸|改短|改长")

_TOTAL_QUESTION = re.compile(r"差多少|还差几|差几块|凑多少|一共多少|总共多少|一共要多少|总共要多少|合计多少|加起来多少|总价|一共几(块|钱)|总共几(块|钱)")


def _what_it_asks_for(m: Draft) -> Decision | None:
    """The intent, as read by the first of ``_READINGS`` that applies — an answer to what the bot just asked
    outranks a shaky classification; a reading that applies may answer the message itself."""
    m.pending = m.d.slots.get("pending")
    m.reading = Reading(m.d, m.d.slots, m.slots, m.text, m.intent, m.found, m.current, m.product, m.progress)
    for read in _READINGS:
        if (applied := read(m)) is not False:
            return applied if isinstance(applied, Decision) else None
    return None


# A reading of ``_READINGS``: False when it does not apply; True when it does (it has revised the draft), or the
# ``Decision`` when it has answered the message.
_Rule = Callable[[Draft], "Decision | bool"]


def _invoice_with_the_order(m: Draft) -> Decision | bool:
    """"需要开发票报销。收货地址是公司：何静 139… 放前台就行": the order goes on, the invoice is asked about after."""
    current, text = m.current, m.text
    ordering_with_address = current is not None and bool(m.found.address) and m.intent not in DISPUTE_TYPES
    # ("就按这4个码各一件。需要开发票，抬头…": the lines are ordered too, and the invoice goes on the order)
    ordering_lines = current is not None and m.intent == "buy" and bool(m.found.items) and _gives_invoice(text)
    kept_people = m.d.slots.get("people")
    people: Mapping[str, Any] = kept_people if isinstance(kept_people, dict) else {}
    # "按刚才的尺码下单，要开电子发票报销，抬头是…": the sizes given for each person are the order, with the invoice
    ordering_lines = ordering_lines or (
        current is not None and people.get("sku") == current.sku and _gives_invoice(text)
        and sum(1 for who in people.get("who") or [] if who.get("size")) >= 2 and not m.d.slots.get("lines")
        and bool(_ORDER_PUSH.search(simplify(text)) or _LEAVES_IT_TO_US.search(simplify(text))))
    if not ((ordering_with_address or ordering_lines) and mentions_any(text, _INVOICE_WORDS)
            and m.intent != "modify_order"):
        return False
    m.said = replace(m.said, also=(*m.said.also, Request("invoice", text)))
    m.intent = "buy"
    return True


def _invoice_details(m: Draft) -> Decision | bool:
    """"抬头：…有限公司 税号… 邮箱…": the invoice details, whatever else the words suggest."""
    if m.intent not in DISPUTE_TYPES and (m.pending == Pending.INVOICE or mentions_any(m.text, _INVOICE_WORDS)) and (
        invoice_details := _invoicing.read(m.text)
    ) and (invoice_details.email or invoice_details.tax_no or invoice_details.title or m.pending == Pending.INVOICE):
        m.intent = "invoice"
        return True
    return False


def _the_invoice_asked_after(m: Draft) -> Decision | bool:
    """"纸质的可以吗 多久能收到" right after the invoice was talked about: the invoice's kind and time, not a parcel's."""
    return _reads_as(m, "invoice", bool(
        m.slots.get("last_intent") == "invoice" and m.intent in ("shipping_inquiry", "other", "order_status")
        and _INVOICE_AFTER.search(simplify(m.text)) and not _PARCEL_WORDS.search(simplify(m.text))))


_INVOICE_AFTER = re.compile(r"多久|几天|什么时候|啥时候|几时|纸质|电子|专票|普票|收到")
_PARCEL_WORDS = re.compile(r"快递|发货|包裹|到货|衣服|裤子|鞋|物流|寄")


def _an_answer(m: Draft) -> Decision | bool:
    """The answer to the question the bot asked (``answers``)."""
    assert m.reading is not None  # (set by _what_it_asks_for)
    if (answer := read_answer(m.pending, m.reading, m.ctx)) is None:
        return False
    if isinstance(answer, Decision):
        return answer
    m.intent = answer
    return True


def _another_item(m: Draft) -> Decision | bool:
    """"再配一条百褶裙 黑色 跟上衣一样的码": another item, with its variant — bought, however it reads."""
    assert m.reading is not None
    return _buys(m, adds_an_item(m.reading))


def _the_order_put_together(m: Draft) -> Decision | bool:
    """"再加一顶帽子" / "麻烦备注一下周末送" before any order: the order being put together (but "就十分钟前 杏色M
    还没发货吧" describes the order we could not find)."""
    assert m.reading is not None
    return _buys(m, puts_the_order_together(m.reading, m.ctx))


def _an_address_unasked(m: Draft) -> Decision | bool:
    """An address given unasked while an item is in focus: the customer is ordering it."""
    assert m.reading is not None
    return _buys(m, gives_an_address(m.reading))


def _a_fix_to_the_phone(m: Draft) -> Decision | bool:
    """"啊手机号打错了 最后三位是610不是601 正确的是138…" right after ordering: the order's phone changed."""
    return _reads_as(m, "modify_order", bool(
        m.placed and m.found.phone and m.found.phone != m.slots.get("phone") and not m.found.address
        and m.intent in ("other", "affirm", "buy", "shipping_inquiry", "order_status", "product_inquiry")
        and re.search(r"错|改|不对|更正|换|正确|应该是", simplify(m.text))))


# "地址也一样 老地方" / "还是上次那个码": what the customer bought or where it went last time
_LAST_TIME_ADDRESS = re.compile(
    r"老地方|老地址|(地址|收货信息|收件信息)(也|还是)?(跟|和|同)?(上次|之前|以前|原来)?的?(一样|不变|没变|同上|照旧)"
    r"|(寄|发|送)(到)?(上次|之前|原来|以前)(那个|的)?(地址|地方)|还是(上次|原来|之前|以前)(那个|的)?地址")
_LAST_TIME_SIZE = re.compile(r"(上次|上回|之前|以前|原来)(买的|拍的)?(那个|一样的?|的)?(码|尺码|号)"
                             r"|(码|尺码)(也|还是)?(跟|和|同)?(上次|之前|以前)的?(一样|不变|照旧)")


def _as_last_time(m: Draft) -> Decision | bool:
    """"地址也一样 老地方" / "还是上次那个码": taken from the customer's last order here — or, where the shop has none
    to go by, said so and asked (never a guess, never a complaint)."""
    plain, state, current = simplify(m.text), m.d.slots, m.current
    if (m.said.is_dispute and m.confident) or m.found.address or m.intent in ("human", "return_refund", "modify_order"):
        return False
    if _LAST_TIME_ADDRESS.search(plain) and not (state.get("address") and state.get("phone")):
        earlier = next((o for o in m.ctx.orders if o.details.get("address") and o.details.get("phone")), None)
        if earlier is None:
            state["pending"] = Pending.ADDRESS
            m.d.intent = "buy"
            m.d.say(("close.last_address_unseen", {}))
            return m.d
        state["address"], state["phone"] = earlier.details["address"], earlier.details["phone"]
        m.intent, m.confident = "buy", True
        return True
    if current is not None and len(current.sizes) > 1 and not m.found.size and _LAST_TIME_SIZE.search(plain):
        size = next((line.size for o in m.ctx.orders for line in o.lines
                     if line.sku == current.sku and line.size in current.sizes), None)
        if size is None:
            state["pending"] = Pending.SIZE
            m.d.intent = "buy"
            m.d.say(("close.last_size_unseen", {"product": current.name, "sizes": "、".join(current.sizes)}),
                    buttons=tuple(current.sizes[:8]))
            return m.d
        _choose(state, current, "size", size)
        m.intent, m.confident = "buy", True
        return True
    return False


def _a_restock_asked(m: Draft) -> Decision | bool:
    """"啊没了啊 那什么时候有货" about the sold-out item in view: when it is back (nobody here knows) — no reassurance."""
    return _reads_as(m, "product_inquiry", bool(
        m.current is not None and not m.current.in_stock and _RESTOCK.search(simplify(m.text))
        and m.intent in ("doubt", "other", "affirm", "greet", "shipping_inquiry", "ask_recommendation", "order_status")
        and (m.intent != "order_status" or not m.ctx.orders)))


def _an_address_before_choosing(m: Draft) -> Decision | bool:
    """"先发下收货地址：孙倩 189… 待会选好衣服一起下单" with nothing chosen yet: the address is kept, and said so."""
    found, state = m.found, m.d.slots
    if m.current is not None or m.placed or m.ctx.orders or not (found.address and found.phone) \
            or m.intent in DISPUTE_TYPES or m.intent in ("human", "invoice") or found.items \
            or (m.intent == "modify_order" and re.search(r"改|换|错|不对|更正", simplify(m.text))):
        return False  # ("先把地址发你 省得等下忘了 陈秀梅 137…" with nothing bought: no order to change — kept for one)
    state["address"], state["phone"] = found.address, found.phone
    if found.name:
        state["name"] = found.name
    if found.notes:
        state["notes"] = found.notes
    m.d.intent, m.d.stage = "buy", Stage.CONSULT
    m.d.say(("close.address_kept", {"address": " ".join(w for w in (found.name, found.address) if w)}),
            buttons=("看看热销款",))
    return m.d


def _buys(m: Draft, applies: bool) -> bool:
    """Where ``applies``, the message is read as buying."""
    if applies:
        m.intent = "buy"
    return applies


def _yes_after_the_order(m: Draft) -> Decision | bool:
    """"确认 快点发哈" after the order is placed: it is placed, and goes out in its turn."""
    found, plain = m.found, simplify(m.text)
    if not (m.placed and m.intent in ("other", "greet", "affirm") and not m.confident and _YES_FIRST.search(plain)
            and not (found.size or found.colour or found.items or found.address or found.notes)
            and m.pending is None and not _ASKS.search(plain)):
        return False
    m.d.intent, m.d.stage = "affirm", Stage.SHIPPING
    m.d.say(("confirm.already_placed", {"order_no": str(m.placed)}), buttons=("查看订单状态", "继续逛逛"))
    return m.d


# "我的大衣到底什么时候到" / "我买的裤子到哪了": where an order is — not the shop's delivery times
_MY_ORDER_WHEN = re.compile(r"我(的|买的|拍的|订的|下单的)[^，,。\s]{0,8}(到底|究竟|啥|怎么)?(什么时候|啥时候|几时|多久|哪天)(能|才|可以)?(到|发|送到)|"
                            r"我(的|买的|拍的|订的)[^，,。\s]{0,8}(到哪|在哪|怎么还没|还没)")


def _my_order_asked_after(m: Draft) -> Decision | bool:
    """"我的大衣到底什么时候到": the customer's order, looked for — not the shop's delivery times."""
    return _reads_as(m, "order_status", bool(
        m.intent in ("shipping_inquiry", "order_status") and not m.placed and _MY_ORDER_WHEN.search(simplify(m.text))))


def _the_order_looked_for(m: Draft) -> Decision | bool:
    """"就刚刚那个连衣裙 本来想要蓝色 结果拍成黄色的了": the order we are looking for."""
    plain = simplify(m.text)
    # ("百褶裙 黑色S 对 就那个" / "是棒球帽 米白色那頂" right after the order number was asked for: that order described)
    described = m.slots.get("last_intent") == "modify_order" and bool(m.product or m.found.colour) \
        and not re.search(r"买|要|拍|来一|再|加|换成|改成", plain)
    return _reads_as(m, "modify_order", bool(
        m.slots.get("asked_order_no") and not m.ctx.orders
        and m.intent in ("buy", "product_inquiry", "other", "order_status", "affirm")
        and (_ORDERED_BEFORE.search(plain) or described)))


def _the_return_s_postage(m: Draft) -> Decision | bool:
    """"换的话运费谁出 寄回去发什么快递 地址给我一下" / "那我寄中通可以吧" / the order's phone number: about the
    return, not a purchase."""
    courier_or_phone = bool(_RETURN_COURIER.search(simplify(m.text))) or bool(m.found.phone and not m.found.address)
    plain = simplify(m.text)
    # ("你们发什么快递 到我们这儿要几天" after the returns policy: the parcel coming to them — a shipping question)
    outbound = bool(_OUTBOUND.search(plain)) and not re.search(r"寄回|退回|寄过去|寄给你们|退货|换货", plain)
    about_the_return = not outbound and mentions_any(
        m.text, ("运费", "邮费", "寄回", "退回", "地址", "快递", "寄到哪", "寄哪", "多久", "几天"))
    return _reads_as(m, "return_refund", m.slots.get("last_intent") == "return_refund" and (
        (m.intent in ("shipping_inquiry", "other", "product_inquiry", "order_status") and (about_the_return or courier_or_phone))
        or (courier_or_phone and m.intent in ("affirm", "modify_order", "doubt"))))


_OUTBOUND = re.compile(r"你们(发|用|走)|发什么快递|到我(们)?(这|那|家)|(几天|多久)(能)?(到|收到)|多久能到|寄到.{0,6}(要|多久|几天)")
# The courier a return is sent back with ("那我寄中通可以吧", "用顺丰寄回去行吗")
_COURIER = "|".join(COURIER_NAMES)
_RETURN_COURIER = re.compile(rf"(寄|发|用).{{0,2}}({_COURIER})|({_COURIER}).{{0,3}}(寄|发)")


def _the_order_s_postage(m: Draft) -> Decision | bool:
    """"58块还要邮费？" right after ordering: about the order's postage."""
    return _reads_as(m, "shipping_inquiry", bool(
        m.placed and m.intent in ("order_status", "bargain", "other", "doubt", "affirm") and not m.found.order_no
        and mentions_any(m.text, ("运费", "邮费", "包邮", "快递费")) and not _TOTAL_QUESTION.search(simplify(m.text))))


def _when_it_would_ship(m: Draft) -> Decision | bool:
    """"今天下午五点拍的话啥时候发" with no order: when the shop ships."""
    return _reads_as(m, "shipping_inquiry", bool(
        m.intent == "order_status" and not m.ctx.orders and not m.found.order_no and not m.placed
        and mentions_any(m.text, _WHEN + ("啥时候", "几时", "的话", "如果", "要是"))
        and not _MY_ORDER_WHEN.search(simplify(m.text))))  # ("我的大衣到底什么时候到": an order, looked for)


def _in_time(m: Draft) -> Decision | bool:
    """"下周三我妈生日 来得及吗": when it ships and arrives, not a gift list."""
    plain = simplify(m.text)
    if m.current is not None and (m.found.size or m.found.colour) and _chooses(m.text) and _IN_TIME.search(plain):
        # ("好喔 那就黃色碎花L 一件 下個月要去三亞 應該來得及吧": the choice is the order — the timing answered beside it)
        if all(r.intent != "shipping_inquiry" for r in m.said.also):
            m.said = replace(m.said, also=(*m.said.also, Request("shipping_inquiry", m.text)))
        return _reads_as(m, "buy", True)
    return _reads_as(m, "shipping_inquiry", bool(
        (m.intent in ("ask_recommendation", "other", "greet", "affirm", "product_inquiry", "buy", "doubt", "bargain")
         or (m.intent == "order_status" and not m.confident))
        and _IN_TIME.search(plain) and not m.found.address and not _ADD_MORE.search(plain)))


def _reads_as(m: Draft, intent: str, applies: bool) -> bool:
    """Where ``applies``, the message is read as ``intent``."""
    if applies:
        m.intent = intent
    return applies


# "有黑的吗" just after ordering it in white: asked whether the shop has it — not yet a change
_HAS_IT = re.compile(r"^(那|请问|诶|额)?\s*有(没有)?[^，,。\s]{1,6}(的|色|码)(吗|么|嘛|不|没|没有)?[?？~～]*$")


def _change_or_add(m: Draft) -> Decision | bool:
    """"酒红色好看诶 要一件XL" just after ordering it in navy: instead of it, or one more? Asked, never guessed."""
    state, text, plain, found, current, product = m.d.slots, m.text, simplify(m.text), m.found, m.current, m.product
    if not (m.placed and m.intent in ("product_inquiry", "buy", "other", "affirm", "doubt", "modify_order")
            and not found.address
            and (product is None or product.sku in m.ordered_skus) and not m.said.is_dispute
            and (item := _ordered_item_meant(text, m.ordered_skus, m.ctx.catalogue)) is not None
            and (current is None or (current.sku == item.sku and not state.get("lines")
                                     and state.get("pending") not in _ORDER_QUESTIONS))
            and (wanted := _other_variant(text, item, state))
            and ((_chooses(text) and (found.quantity or re.search(r"[一1]\s*[件条双套顶个]", plain)))
                 or _HAS_IT.search(plain))
            and not re.search(r"换|改|不要|算了|还是|那就|就要", plain)
            and not (_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain)
                     or re.search(r"再|也要|另外|都要|多要|还要", plain))
            and (order := _order_for(m.ctx, str(m.placed))) is not None
            and order.unshipped):
        return False
    values = {"order_no": order.order_no, "product": item.name, "wanted": " ".join(wanted.values())}
    state["change_or_add"] = {"sku": item.sku, **wanted}  # (kept for one answer: "再加一件" adds it)
    m.d.intent, m.d.stage = "buy", Stage.SHIPPING
    m.d.say(("confirm.change_or_add", values), buttons=(f"换成{values['wanted']}", "再加一件"))
    return m.d


# "…白色要XL 给我爸的": one for someone else, not the order put right
_FOR_SOMEONE = re.compile(r"给(?:我|他|她)?(?:爸|妈|老公|老婆|男朋友|女朋友|儿子|女儿|哥|姐|弟|妹|爷爷|奶奶|外公|外婆|同事|朋友|室友)[^，,。\s]{0,2}的")
# "不对 深蓝 …" right after the order was placed: what was ordered is put right
_NOT_RIGHT = re.compile(r"^(?:啊|哎|诶|额)?\s*(?:不对|错了|搞错了|弄错了|说错了)")


def _a_variant_of_the_ordered(m: Draft) -> Decision | bool:
    """"还是要黄色碎花吧 S码 蓝色的不要了" about the dress just ordered: a change of the order."""
    state, text, plain, current, product = m.d.slots, m.text, simplify(m.text), m.current, m.product
    if m.placed and (m.intent in ("product_inquiry", "buy", "other", "deny", "affirm", "doubt", "modify_order") or (
                m.intent == "order_status" and _NOT_RIGHT.match(plain))) \
            and (product is None or product.sku in m.ordered_skus) \
            and (item := _ordered_item_meant(text, m.ordered_skus, m.ctx.catalogue)) is not None \
            and (current is None or (current.sku == item.sku and not state.get("lines")
                                     and state.get("pending") not in _ORDER_QUESTIONS)) \
            and ((of_item := extract(text, item)).colour or of_item.size or _switched_to(text, item)) \
            and not m.found.address and not state.get("merge_into") and not _FOR_SOMEONE.search(plain) \
            and (_chooses(text) or _SWITCH_TO.search(plain) or _DROP.search(plain) or len(plain) <= 4
                 or _NOT_RIGHT.match(plain)) \
            and not (_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain)) \
            and not (_ASKS.search(plain) and not _chooses(text) and (_facts.asked(text, m.ctx.catalogue.names)
                                                                     or not (_SWITCH_TO.search(plain) or _DROP.search(plain)))):
        # ("白色透吗" about the navy polo just ordered asks about white — it changes nothing)
        m.intent, m.confident = "modify_order", True
        return True
    return False


def _a_quality_asked(m: Draft) -> Decision | bool:
    """"白色会透吗？" with the T-shirt in view: a question about it."""
    text, found, plain = m.text, m.found, simplify(m.text)
    if m.current is not None and (not m.confident or m.intent in ("other", "greet")) and not m.said.is_dispute \
            and _ASKS.search(plain) and _facts.asked(text, m.ctx.catalogue.names) \
            and not (found.colour or found.size or found.items or _chooses(text) or _ALSO_WANTS.search(plain)):
        m.intent, m.confident = "product_inquiry", True
        return True
    return False


# A yes sought ("不合身能换吧", "能机洗吧", "包邮的吧"): a question, never a no or a goodbye
_YES_SOUGHT = re.compile(r"(能|可以|会|是|有|包|支持|也)[^，,。\s]{0,6}(的)?吧[?？~～。.!！]*$")


def _a_yes_sought(m: Draft) -> Decision | bool:
    """"不合身能换吧" read as a no: a question — about a return, the item, or whatever it names."""
    plain = simplify(m.text)
    if m.intent not in ("deny", "thanks_bye", "affirm") or not _YES_SOUGHT.search(plain) or _BYE.search(plain) \
            or m.said.is_dispute or mentions_any(m.text, _CANCEL):
        return False
    if re.search(r"退|换|不合身|不合适", plain):
        m.intent = "return_refund"
    elif m.current is not None and _facts.asked(m.text, m.ctx.catalogue.names):
        m.intent = "product_inquiry"
    else:
        return False
    m.confident = True
    return True


def _a_colour_checked(m: Draft) -> Decision | bool:
    """"黑的不透吧" about the shirt in view: a question about it in that colour — not a no, not a goodbye."""
    plain, found = simplify(m.text), m.found
    return _reads_as(m, "product_inquiry", bool(
        m.current is not None and m.intent in ("deny", "other", "greet", "affirm", "thanks_bye") and not m.said.is_dispute
        and found.colour and not (found.size or found.quantity or found.items or found.address)
        and re.search(r"(吧|吗|么|嘛|呢|[?？])[?？~～。.!！]*$", plain) and _facts.asked(m.text, m.ctx.catalogue.names)
        and not _chooses(m.text)))


def _shopping_for_someone(m: Draft) -> Decision | bool:
    """"给我女儿买衣服 她初二 155 90斤": show what fits her."""
    found = m.found
    if m.current is None and m.product is None and (m.intent in ("other", "greet") or not m.confident) \
            and not m.said.is_dispute and re.search(r"买|挑|选|看看|推荐", simplify(m.text)) \
            and (found.height or found.weight or found.people) and not m.placed:
        m.intent, m.confident = "ask_recommendation", True
        return True
    return False


def _the_need_said(m: Draft) -> Decision | bool:
    """"天冷了想买件外套，年纪大了怕重", "不要太贵的，四百以内" after being asked what they look for (or shown some): what
    to show — not a worry, not a no."""
    need = need_from(m.text)
    return _reads_as(m, "ask_recommendation", bool(
        (m.slots.get("pending") == Pending.NEED or m.slots.get("last_intent") == "ask_recommendation")
        and m.product is None and m.current is None and not m.placed and not m.said.is_dispute
        and m.intent not in ("human", "invoice", "buy", "ask_recommendation")
        and (need.categories or need.budget is not None or need.seasons or need.uses or need.styles)
        and not _ASKS.search(simplify(m.text))))


def _a_kind_wanted_again(m: Draft) -> Decision | bool:
    """"上次那个男裤 再来条" with nothing in view: the kind of item wanted (again) — what the shop has of it, shown."""
    plain = simplify(m.text)
    need = need_from(m.text)
    return _reads_as(m, "ask_recommendation", bool(
        m.product is None and m.current is None and not m.placed and not m.said.is_dispute
        and (m.intent in ("other", "greet") or not m.confident) and need.categories
        and re.search(r"再来|再要|再买|再拿|还要|回购|又来|来[一1]?[条件双顶套个]|要[一1][条件双顶套个]", plain)
        and not _ASKS.search(plain)))


def _outgrown(m: Draft) -> Decision | bool:
    """"娃儿一年长了快十公分 去年的短袖全部穿不下了": clothes grown out of — new ones are wanted, nothing is returned."""
    return _reads_as(m, "ask_recommendation", bool(
        m.intent not in ("buy", "human", "invoice", "product_inquiry") and not m.ctx.orders and not m.placed
        and m.current is None and _OUTGROWN.search(simplify(m.text)) and not _RECEIVED_HERE.search(simplify(m.text))))


# Grown out of what one wears: a child grown taller, last year's clothes too small
_OUTGROWN = re.compile(r"(长高|长了|长个|窜了|长大|个子|胖了|壮了).{0,14}(穿不下|穿不了|小了|太小|短了)"
                       r"|(去年|前年|以前|之前|原来)的.{0,8}(都|全|全部)?(穿不下|穿不了|小了|短了)")
_RECEIVED_HERE = re.compile(r"收到|刚买|你们家买|在你们|这里买|这买的|退|换货")


def _the_exchange_s_variant(m: Draft) -> Decision | bool:
    """"颜色不变 还要白底藏青条" while an exchange is talked about: the exchange's variant, not a new purchase."""
    plain = simplify(m.text)
    return _reads_as(m, "return_refund", bool(
        m.slots.get("last_intent") == "return_refund" and not m.ctx.orders and not m.said.is_dispute
        and m.intent in ("buy", "product_inquiry", "other", "affirm") and (m.found.colour or m.found.size)
        and _SAME_AS_BEFORE.search(plain) and not _ADD_MORE.search(plain) and not m.found.address))


_SAME_AS_BEFORE = re.compile(r"不变|还要|还是要|一样|同样|照旧|原来的")


def _the_return_s_conditions(m: Draft) -> Decision | bool:
    """"没穿过 吊牌都在" after asking about a return: its conditions, met."""
    if m.slots.get("last_intent") == "return_refund" and (
        _CONDITION.search(plain := simplify(m.text)) or _FIT_ONLY.search(plain)  # ("L的 大腿那里好紧": why)
    ) and not m.said.is_dispute \
            and m.intent in ("other", "greet", "affirm", "doubt", "product_inquiry", "deny", "return_refund") \
            and not _reports_fault(m.text):
        m.intent, m.confident = "return_refund", True
        return True
    return False


def _what_is_new(m: Draft) -> Decision | bool:
    """"最近有啥新品": what is new in the shop, not a price talk."""
    if not (m.product is None and _NEW_ARRIVALS.search(simplify(m.text)) and not m.said.is_dispute
            and m.intent in ("bargain", "other", "greet", "product_inquiry", "ask_recommendation")):
        return False
    state, d, catalogue = m.d.slots, m.d, m.ctx.catalogue
    new = [p for p in catalogue if "新品" in p.tags and p.in_stock][:3] or catalogue.best_sellers()
    state["candidates"], state["pending"] = [p.sku for p in new], Pending.WHICH
    d.intent, d.stage = "ask_recommendation", Stage.RECOMMEND
    d.say(("recommend.intro", {"need": "新品"}), *_items(new), buttons=_menu_for(new))
    return d


def _a_bare_order_number(m: Draft) -> Decision | bool:
    """A bare order number: where that order is."""
    return _reads_as(m, "order_status", bool(
        m.found.order_no and (not m.confident or m.intent in ("other", "greet", "affirm"))))


def _the_item_it_names(m: Draft) -> Decision | bool:
    """纯棉圆领短袖T恤有什么颜色 / 想买件轻薄的羽绒服: about the product it names, not a recommendation."""
    return _reads_as(m, "product_inquiry", bool(m.intent == "ask_recommendation" and m.product and (
        mentions_any(m.text, _ATTRIBUTE_WORDS) or not mentions_any(m.text, _ALTERNATIVE_WORDS + _COMPARING))))


# Taking one or two of an item: "要条", "来一件", "赶紧要一条", "给我拿两双"
_TAKE = r"(要|来|拍|拿|买|整|给我来|给我拿)(一|1|两|2)?[条件双顶个套包]"
# "那我要条男士牛仔裤 175 140斤" / "来件羽绒服 我180 160斤": a purchase said with the measurements to size it by
_TAKES_ONE = re.compile(r"^(那|那我|我|好|行|嗯)?[，,\s]*(就)?" + _TAKE)


def _a_purchase_with_measurements(m: Draft) -> Decision | bool:
    """"那我要条男士牛仔裤 175 140斤": a purchase of the item named, sized by the measurements — not only advice."""
    found = m.found
    return _reads_as(m, "buy", bool(
        m.product is not None and m.intent == "product_inquiry" and (found.height or found.weight or found.foot)
        and _TAKES_ONE.search(simplify(m.text)) and not _ASKS.search(simplify(m.text))))


# "…是不是快没了 那赶紧要一条": the last words take one of the item in view
_TAKES_IT = re.compile(r"(?<![不别没])(赶紧|那就|就|先|那)?" + _TAKE + r"(吧|呗|先)?$")  # ("不要一条": not taken)


def _one_of_the_item_in_view_taken(m: Draft) -> Decision | bool:
    """"看写着清仓 是不是快没了 那赶紧要一条" about the trousers in view: a purchase, whatever the words before asked."""
    last = [c for c in re.split(r"[，,。！!？?~～\s]+", simplify(m.text)) if c][-1:] or [""]
    return _reads_as(m, "buy", bool(
        m.current is not None and m.product in (None, m.current) and not m.said.is_dispute
        and m.intent in ("other", "product_inquiry", "doubt", "affirm", "greet", "shipping_inquiry", "order_status",
                         "deny")  # ("是不是快没了 那赶紧要一条" reads as a no: its last words take one)
        and _TAKES_IT.search(last[0]) and not _ASKS.search(last[0])))


def _sizes_of_the_item_in_view(m: Draft) -> Decision | bool:
    """"男的180 78公斤 女的160 96斤 你们帮我选" about the item in view: its sizes."""
    found = m.found
    return _reads_as(m, "product_inquiry", bool(
        m.current is not None and (m.intent in ("ask_recommendation", "other", "greet", "doubt") or (
            m.intent == "bargain" and not _ASKS_A_DISCOUNT.search(simplify(m.text)))) and (
            found.people or ((found.height or found.weight or found.foot)
                             and not mentions_any(m.text, _ALTERNATIVE_WORDS)))))


def _sizes_of_the_items_shown(m: Draft) -> Decision | bool:
    """"172 66公斤" after two or three items were shown, none chosen: the size of each of them."""
    found = m.found
    return _reads_as(m, "product_inquiry", bool(
        m.current is None and m.product is None and not m.placed and not m.said.is_dispute
        and 2 <= len(m.slots.get("candidates") or []) <= 3 and m.intent in ("other", "greet", "doubt", "affirm")
        and (found.height or found.weight or found.foot) and not found.address))


def _a_product_asked_about(m: Draft) -> Decision | bool:
    """您好～请问有卖羊绒大衣吗 / 纯棉T恤怎么样: the question about it, not chit-chat."""
    return _reads_as(m, "product_inquiry", bool(
        m.intent in ("greet", "other") and (m.product or m.ctx.catalogue.in_category(simplify(m.text)))))


_ROOMIER = re.compile(r"脚背高|脚背厚|脚宽|脚肥|宽松|穿厚|里面穿|大一码|胖|肚子")


def _size_in(text: str, item: ProductView) -> str | None:
    """The one size of ``item`` a message names, read against that item."""
    return extract(text, item).size


def _a_size_checked(m: Draft) -> Decision | bool:
    """"162 104斤 M对吧" / "L？不会太大吗" / (after ordering) "178 150斤 XL没错吧": the size held against the chart and
    the measurements — said plainly; mid-order the order goes on (the size chosen when it fits)."""
    plain, state = simplify(m.text), m.d.slots
    if not _SIZE_CHECK.search(plain):
        return False  # (the cheap test first: most messages check no size)
    ordered = list({line.get("sku") for line in state.get("ordered") or []})
    sized = [p for sku in ordered if (p := m.ctx.catalogue.get(sku)) and p.size_chart
             and any(s.lower() in plain for s in p.sizes if len(p.sizes) > 1)] if m.placed else []
    item = m.current or (sized[0] if len(sized) == 1 else None)  # ("拍37对吗" after shoes and socks: the shoes)
    size = (m.found.size or _size_in(m.text, item)) if item is not None else None
    size = size if item is not None and size in item.sizes else None
    if item is None or size is None or not item.size_chart or m.found.items or m.said.is_dispute \
            or not _checks_size(m.text, size):
        return False  # (the check said of the size: "M对吧", "L？不会太大吗" — not "L吧 黑色是不是更显瘦")
    height, weight, foot = (m.found.height or state.get("height"), m.found.weight or state.get("weight"),
                            m.found.foot or state.get("foot"))
    if not (height or weight or foot) and re.search(r"胯|腿|肚|肩|腰|脚背|脚宽|胖|瘦", plain):
        return False  # ("我胯有点宽 L应该没问题吧" with no measurements: the item's fit advice answers it)
    advice = m.ctx.catalogue.size_for(item, height, weight, foot) if (height or weight or foot) else None
    values = {"product": item.name, "size": size}
    up = advice in item.sizes and item.sizes.index(size) == item.sizes.index(advice) + 1 if advice else False
    if advice == size:
        m.d.say(("consult.size_check_ok", values))
    elif up and _ROOMIER.search(plain):  # "脚背高 换39合适吧" with 38 on the chart: one up is what the fit advice says
        m.d.say(("consult.size_check_up_ok", {**values, "advice": str(advice)}))
        advice = size
    elif advice:
        m.d.say(("consult.size_check_other", {**values, "advice": advice}))
    else:
        m.d.say(("consult.size_check_need", {**values, "range": m.ctx.catalogue.size_range(item, size)}))
    if m.current is not None and advice in (None, size) and (
            m.pending in _ORDER_QUESTIONS or _chooses(m.text) or m.found.colour in m.current.colours):
        m.intent = "buy"  # ("那黑色 162 104斤 M对吧" while choosing: the size is taken, the order goes on)
        m.found = replace(m.found, height=None, weight=None, foot=None)  # (the check said it: no advice again)
        return True
    m.d.intent, m.d.stage = "product_inquiry", m.d.stage if m.placed else Stage.CONSULT
    return m.d


# An order told as already placed ("救命 昨晚冲动下单了百褶裙"): about that order, not a purchase begun
_PLACED_EARLIER = re.compile(r"(昨晚|昨天|前天|刚才|刚刚|今早|早上|上午|中午|下午|半小时前|一小时前)[^，,。！!？?]{0,6}"
                             r"(下单了|下了单|下了个?单|拍了|买了|付款了|付了款)")


def _an_order_placed_earlier(m: Draft) -> Decision | bool:
    """"救命 昨晚冲动下单了百褶裙": the order already placed is what the message is about — looked for, not sold again."""
    plain = simplify(m.text)
    return _reads_as(m, "order_status", bool(
        m.intent in ("buy", "product_inquiry", "other") and not m.placed and _PLACED_EARLIER.search(plain)
        and not re.search(r"再|还要|也要|这次|又想|想再", plain) and not m.found.address))


def _each_size_checked(m: Draft) -> Decision | bool:
    """"155 90斤 都S对吧" just after ordering a skirt and a tee in S: each held against its own chart — said plainly."""
    plain, state = simplify(m.text), m.d.slots
    height, weight = m.found.height or state.get("height"), m.found.weight or state.get("weight")
    if not (m.placed and "都" in plain and _SIZE_CHECK.search(plain) and (height or weight)) or m.said.is_dispute:
        return False
    items = [p for sku in dict.fromkeys(line.get("sku") for line in state.get("ordered") or [])
             if (p := m.ctx.catalogue.get(sku)) and p.size_chart]
    sizes = {line.get("sku"): line.get("size") for line in state.get("ordered") or []}
    if len(items) < 2 or not all(str(sizes.get(p.sku)).lower() in plain for p in items):
        return False
    for item in items:
        size, advice = str(sizes[item.sku]), m.ctx.catalogue.size_for(item, height, weight)
        values = {"product": item.name, "size": size}
        m.d.say(("consult.size_check_ok", values) if advice in (None, size)
                else ("consult.size_check_other", {**values, "advice": str(advice)}))
    m.d.intent = "product_inquiry"
    return m.d


def _the_advised_size_asked(m: Draft) -> Decision | bool:
    """"那拍啥码" after 40 was advised for 脚长242 and a high instep: the advice said again — then the order goes on."""
    state, current, found = m.d.slots, m.current, m.found
    measures = (state.get("height"), state.get("weight"), state.get("foot"))
    if current is None or m.placed or not any(measures) or state.get("size") not in current.sizes \
            or found.size or found.height or found.weight or found.foot or found.people or found.items \
            or not SIZE_QUESTION.search(simplify(m.text)):
        return False
    if size_advised(current, m.ctx.catalogue, *measures, state.get("build")) != state.get("size"):
        return False  # (a size the customer chose against the advice: not re-advised)
    _advise_size(m.d, current, m.ctx.catalogue, *measures)
    if m.intent == "buy" or m.pending in _ORDER_QUESTIONS:
        return True
    m.d.intent, m.d.stage = "product_inquiry", Stage.CONSULT
    return m.d


# "算了算了 就L 黑色 一条 不改了": the choice settled, no no
_SETTLED = re.compile(r"算了.{0,4}就|(不改了|不换了|不变了|就这么定|就这样定|就它了|定了)"
                      r"|(直接|就)[^，,。\s]{0,6}(得了|算了|好了)[。!！~～]*$")  # ("那我直接XL得了")


def _a_variant_chosen(m: Draft) -> Decision | bool:
    """"行 要L" / "那就藏青色的吧就要一件": choosing a variant of the item in focus is buying it — and "那我要黃色碎花的，
    一件。禮拜六來得及到嗎？" asks about delivery besides, answered after."""
    found, current, text = m.found, m.current, m.text
    if not (current is not None and (m.intent in ("product_inquiry", "affirm", "other", "doubt", "buy", "bargain",
                                                  "shipping_inquiry", "thanks_bye", "greet")
                                     or (m.intent in ("deny", "return_refund") and not m.placed
                                         and _SETTLED.search(simplify(text))))
            and (found.size or found.colour or found.items or found.quantity)
            and (_chooses(text) or _SETTLED.search(simplify(text)) or (m.product is not None and _ADD_MORE.search(simplify(text)))
                 or _whole_lines(found, current))):
        return False
    if m.intent in ("shipping_inquiry", "doubt") and all(r.intent != m.intent for r in m.said.also):
        m.said = replace(m.said, also=(*m.said.also, Request(m.intent, text)))
    m.intent = "buy"
    return True


def _a_look_asked(m: Draft) -> Decision | bool:
    """"雾霾蓝和燕麦色哪个显白" / "我黄皮" about the item in view: a question about it (the details may not say)."""
    return _reads_as(m, "product_inquiry", bool(
        m.current is not None and m.intent in ("ask_recommendation", "other", "doubt", "greet", "affirm")
        and not m.said.is_dispute and _LOOK.search(simplify(m.text)) and not _chooses(m.text)))


def _something_instead(m: Draft) -> Decision | bool:
    """"没了？？那有啥能替的 外套" after a sold-out item: what the shop has of that kind instead."""
    return _reads_as(m, "ask_recommendation", bool(
        m.intent in ("other", "greet", "doubt", "affirm", "product_inquiry", "deny") and not m.said.is_dispute
        and (m.current is None or not m.current.in_stock) and m.product is None
        and _INSTEAD.search(simplify(m.text)) and (m.ctx.catalogue.in_category(simplify(m.text)) or (
            m.current is not None and not m.current.in_stock))))


_INSTEAD = re.compile(r"替|代替|顶替|类似|差不多的|别的|其他|其它|还有什么|有啥|有什么")


def _made_to_order(m: Draft) -> Decision | bool:
    """"能在胸口印公司logo吗": not something the catalogue says."""
    return _reads_as(m, "custom", bool(m.intent not in DISPUTE_TYPES and m.intent not in ("human", "invoice")
                                       and _CUSTOM.search(simplify(m.text))))


def _left_to_us(m: Draft) -> Decision | bool:
    """"你看着帮我选" after giving measurements: that size, and on."""
    state, current = m.d.slots, m.current
    if current is not None and m.intent in ("other", "greet", "affirm", "product_inquiry", "doubt") \
            and current.size_chart and _LEAVES_IT_TO_US.search(simplify(m.text)) and not m.found.size \
            and not m.found.people and (
                size := m.ctx.catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))):
        _choose(state, current, "size", size)
        m.intent = "buy"
        return True
    return False


# Haggling given up, and the order pushed ("优惠有就给没有拉倒 下单吧", "不便宜就算了 拍吧")
_HAGGLING_DROPPED = re.compile(r"(下单|拍|买|要)(吧|了吧|啦|算了)?[!！~～。.]*$|直接下|帮我下|给我下|就这么(定|下)|原价(也)?(买|要|拍)")


def _haggling_given_up(m: Draft) -> Decision | bool:
    """"优惠有就给没有拉倒 下单吧": the order, with what was offered — not one more plea."""
    return _reads_as(m, "buy", bool(
        m.intent == "bargain" and m.current is not None and m.current.in_stock and not m.placed
        and _HAGGLING_DROPPED.search(simplify(m.text)) and not _ASKS.search(simplify(m.text))))


def _enough_for_free_shipping(m: Draft) -> Decision | bool:
    """"这下够了吧" just after asking about free shipping: whether the order now reaches it."""
    return _reads_as(m, "shipping_inquiry", bool(
        (m.slots.get("last_intent") == "shipping_inquiry" or m.placed) and (m.placed or m.current is not None)
        and re.search(r"^(那|这下|这样|现在|这回|那这样|加了)?(够了|够包邮了?|满了|满包邮了?)(吧|吗|没|不|嘛|么)"
                      r"|够不够包邮|够包邮(吗|了吧|没)", simplify(m.text))
        and not (m.found.size or m.found.colour or m.found.items or m.said.is_dispute)))


def _a_present(m: Draft) -> Decision | bool:
    """"想送我妈 能包个礼盒吗": buying a present, not asking for one."""
    return _reads_as(m, "product_inquiry", bool(m.intent == "bargain" and _GIFT_FOR.search(simplify(m.text))
                                                and not mentions_any(m.text, _HAGGLING)))


def _the_total(m: Draft) -> Decision | bool:
    """"一共多少钱啊 这样包邮的吧": the sum, and the postage."""
    return _reads_as(m, "total", bool(
        m.intent in ("bargain", "product_inquiry", "shipping_inquiry", "other", "doubt")
        and _TOTAL_QUESTION.search(simplify(m.text)) and (m.current is not None or m.placed)))


def _how_many_are_left(m: Draft) -> Decision | bool:
    """"还剩几件啊？我先看看": the count (then no push)."""
    plain = simplify(m.text)
    if not (m.current is not None and m.intent in ("doubt", "other", "greet", "product_inquiry", "bargain")
            and _STOCK_COUNT.search(plain)):
        return False
    if m.intent == "doubt" or _LATER.search(plain):  # "还剩几件啊？我先看看": the count, then no push
        m.said = replace(m.said, also=(*m.said.also, Request("doubt", m.text)))
    m.intent = "product_inquiry"
    return True


def _not_now(m: Draft) -> Decision | bool:
    """"好的 我先加购物车 晚点跟别的一起买": not now — a kind word, no push (and "就看看 不买": the same, said)."""
    if m.intent in ("other", "greet", "affirm", "doubt") and _JUST_LOOKING.search(simplify(m.text)) \
            and not m.found.address and not m.said.is_dispute and not _ASKS.search(simplify(m.text)):
        m.d.intent = "doubt"
        m.d.say(("objection.think", {}), buttons=("看看热销款",))
        return m.d
    return _reads_as(m, "doubt", bool(m.intent in ("other", "greet", "affirm") and _LATER.search(simplify(m.text))
                                      and not m.found.address))


# Only looking, for now ("哈哈行吧 就看看 不买", "随便看看")
_JUST_LOOKING = re.compile(r"就看看|随便看看|只是看看|先看看|看看而已|随便逛逛|不买了?$|暂时不买")


# Come in to look around ("睡不着 来逛逛😂", "随便瞧瞧"): nothing chosen, nothing asked
_BROWSING = re.compile(r"^(.{0,8}[ ，,～~]*)?(来|进来|过来|随便|先|就)?(逛逛|逛一逛|逛下|瞧瞧|看一看|看看|转转|溜达溜达)(啦|呀|哈|嘛|吧|而已)?$")


def _just_browsing(m: Draft) -> Decision | bool:
    """"睡不着 来逛逛😂" before anything is shown: welcome, and the best sellers offered — not "what do you mean?",
    no push to order (after a list, "我先看看" is taking time to choose: :func:`_not_now`)."""
    plain = re.sub(r"[^\w，,～~ ]", "", simplify(m.text)).strip()
    if m.current is not None or m.placed or m.product is not None or m.said.is_dispute \
            or m.slots.get("seen") or m.slots.get("candidates") \
            or m.intent not in ("other", "greet", "affirm", "doubt", "buy") or not _BROWSING.search(plain) \
            or m.found.size or m.found.colour or m.found.items or m.found.address or _ASKS.search(plain):
        return False
    m.d.intent = "greet"
    m.d.say(("greet.browse", {}), buttons=("看看热销款", "包邮吗"))
    return m.d


def _best_sellers_asked(m: Draft) -> Decision | bool:
    """"睡不着 随便聊聊 你们卖得最好的是啥": the shop's best sellers."""
    return _reads_as(m, "ask_recommendation", bool(
        m.intent in ("other", "greet", "product_inquiry", "doubt") and _BEST_SELLING.search(simplify(m.text))
        and m.product is None and not m.said.is_dispute))


def _good_night(m: Draft) -> Decision | bool:
    """"没事 就是无聊 晚安啦": a goodbye."""
    return _reads_as(m, "thanks_bye", bool(m.intent in ("other", "greet") and _BYE.search(simplify(m.text))))


def _nothing_else(m: Draft) -> Decision | bool:
    """"没别的事了" with no order half-taken: a goodbye — whatever the model made of "别的" (nothing instead)."""
    return _reads_as(m, "thanks_bye", bool(
        m.pending in (None, Pending.PRODUCT) and not m.said.is_dispute and _NOTHING_ELSE.search(simplify(m.text))))


# "没别的事了", "那没其他问题了 谢谢": done, said as the chat ends
_NOTHING_ELSE = re.compile(r"^(好的?|嗯+|那|ok|行)?[ ，,～~]*没(有)?(别的|其他|其它|啥|什么)(事|问题|要问的)了?(吧|哈|啦|了)?"
                           r"[ ，,～~!！。]*(谢谢|谢啦|拜拜)?[!！。～~]*$")


def _details_of_the_item_in_view(m: Draft) -> Decision | bool:
    """A shaky reading of measurements or a variant of the product being discussed: about it."""
    found = m.found
    return _reads_as(m, "product_inquiry", bool(not m.confident and not m.clicked and m.current and (
        found.height or found.weight or found.foot or found.size or found.colour)))


def _a_shaky_reading(m: Draft) -> Decision | bool:
    """A shaky reading: a named product anchors it to the sale; else the bot asks what is meant."""
    if m.confident or m.clicked:
        return False
    if asks_arrival(m.text, m.ctx.today) and not m.said.is_dispute:
        m.intent = "shipping_inquiry"  # ("幾時可以到？下個禮拜去旅行": when it comes, however shaky the rest)
        return True
    if not m.product:
        return _clarify(m.d)
    m.intent = m.intent if m.intent in _SALES_INTENTS else "product_inquiry"
    return True


# A worry about sending it back, said while buying ("收到不满意我可要退的")
RETURN_WORRY = re.compile(r"不满意|不合适|(可以|能|能不能|要|可要)退|退货|退换")


def _ordered_with_a_return_worry(m: Draft) -> Decision | bool:
    """"下单吧 收到不满意我可要退的" with nothing bought yet: an order, with the worry answered beside it (handling)."""
    plain = simplify(m.text)
    return _reads_as(m, "buy", bool(
        m.intent == "return_refund" and m.current is not None and not m.placed and not m.ctx.orders
        and re.search(r"下单|拍了|就要|买了吧|要了", plain) and RETURN_WORRY.search(plain)))


# The readings of the intent, in their order of precedence: the first that applies wins.
_READINGS: tuple[_Rule, ...] = (
    _an_order_placed_earlier, _ordered_with_a_return_worry, _invoice_with_the_order, _invoice_details, _the_invoice_asked_after, _a_size_checked,
    _each_size_checked, _the_advised_size_asked, _an_answer, _another_item,
    _the_order_put_together, _as_last_time, _an_address_unasked, _an_address_before_choosing, _a_restock_asked, _a_fix_to_the_phone,
    _yes_after_the_order, _my_order_asked_after, _the_order_looked_for, _the_return_s_postage, _the_order_s_postage,
    _when_it_would_ship, _in_time, _change_or_add, _a_variant_of_the_ordered, _a_quality_asked, _a_colour_checked, _a_yes_sought,
    _shopping_for_someone, _the_need_said, _a_kind_wanted_again, _outgrown, _the_exchange_s_variant, _the_return_s_conditions, _what_is_new, _a_bare_order_number,
    _the_item_it_names,
    _a_purchase_with_measurements, _one_of_the_item_in_view_taken, _sizes_of_the_item_in_view, _sizes_of_the_items_shown, _a_product_asked_about, _a_look_asked, _nothing_else, _something_instead, _a_variant_chosen,
    _made_to_order, _left_to_us,
    _haggling_given_up, _enough_for_free_shipping, _a_present, _the_total, _how_many_are_left, _just_browsing, _best_sellers_asked, _not_now, _good_night,
    _details_of_the_item_in_view,
    _a_shaky_reading,
)


