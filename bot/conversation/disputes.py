"""Disputes: escalation to a person, the intake while the complaint waits, the satisfaction score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation.actions import (
    AnnounceQueue,
    BotRemedy,
    Escalate,
    ExpediteOrder,
    NoteDispute,
    RecordScore,
    Say,
)
from bot.conversation.buttons import _INTAKE_BUTTONS, _NO_PROBLEM, _YES_PROBLEM, CSAT_BUTTONS
from bot.conversation.catalogue import ProductView, format_money
from bot.conversation.cues import (
    _ASIDE_INTENTS,
    _ASKS,
    _HAPPENED,
    _HOURS_QUESTION,
    _INVOICE_WORDS,
    _RECEIVED,
    _REFUND_HOW,
    _REFUND_WHEN,
    _SALES_INTENTS,
    _SURE_DISPUTE,
    _SURE_WHILE_SHOPPING,
    DISPUTE_TYPES,
    _reports_fault,
)
from bot.conversation.decision import Decision
from bot.conversation.emotion import score_emotion
from bot.conversation.focus import _order_for
from bot.conversation.intake import (
    EXPECTATION_CHOICES,
    EXPECTATION_LABELS,
    PHOTO_SUBTYPES,
    SUBTYPE_LABELS,
    arrival_date,
    chinese_date,
    expectation_of,
    is_vague,
    order_button,
    subtype_of,
)
from bot.conversation.sales import _fact_parts
from bot.conversation.slots import Extracted, mentions_any, name_tails, simplify
from bot.conversation.state import SHOPPING_STAGES, Pending, Status
from bot.conversation.views import Context, OrderView, Understanding
from replies import Fragment, Joined, Value

_JOKING = re.compile(r"哈哈|嘿嘿|呵呵|开玩笑|逗你|hhh|😂|🤣")

# A purchase already made ("前几天买的毛衣", "收到的裤子")
# Words that point at an order already placed ("订单是11月3号下的", "上个月买的那件", "收件人赵明远").
_NAMES_PAST_ORDER = re.compile(
    r"(订单|单子)[^，,。]{0,10}(下的|买的|拍的|付的)|\d{1,2}月\d{1,2}[号日]?[^，,。]{0,3}(下|买|拍|付)|"
    r"(下|买|拍)的(单|那件|那条|那双|那个)|收件人|订单号|尾号\s*[0-9零一二三四五六七八九]{3}|(上个?月|上周|前几天|半个月前|一个月前)[^，,。]{0,4}(买|拍|下单)"
    r"|(买|拍|收)(咗|了)(一|两|几|半)个?(礼拜|星期|周|月|日|天)"  # ("买咗一个礼拜 黑色嗰件 L码")
)
_CSAT = re.compile(r"^\s*([1-5１-５])\s*(分|星)?(?![0-9])")


# Read on its own, an answer to the check that asks for one of these is a request of its own, not a yes.
_OTHER_REQUESTS = frozenset({
    "product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy", "return_refund",
    "modify_order", "order_status", "invoice",
})
_OTHER_REQUEST_DISPUTE = 0.3
_NO_WORDS = ("不是", "没问题", "没有问题", "没什么问题", "不用", "没事", "问别的", "想问", "咨询", "随便看", "不需要", "都没有")
_NO_ANSWERS = frozenset({"没有", "没", "否", "no", "不", "没呢", "没有啊", "没有呀", "没有的", "并没有"})


def _clear_no(text: str, said: Understanding, intent: str, confident: bool, found: Extracted) -> bool:
    """Whether an answer to "是订单出了问题吗？" says plainly that nothing is wrong: the 不是 button, a no, or
    simply going on shopping ("这件有L码吗") — never while the answer itself reads as a complaint."""
    if text == _NO_PROBLEM:
        return True
    if text == _YES_PROBLEM or found.order_no:
        return False  # (an order number names the order that went wrong: a yes)
    plain = simplify(text).strip("，。！？,.!? ~")
    if _NAMES_PAST_ORDER.search(plain):
        return False  # "订单是11月3号下的，黑色XL，收件人赵明远": which earlier order went wrong — a yes
    if said.alone_intent == "thanks_bye" and (said.alone_dispute or 0.0) < 0.2 and not _reports_fault(text):
        return True  # "那就算了，谢谢你啊": a goodbye, nothing wrong
    if _JOKING.search(plain) and not _reports_fault(text):
        return True  # "哈哈 那你说我这种胖子穿啥好看" / "跟你开玩笑的": chatting, nothing wrong
    alone = said.alone_dispute if said.alone_dispute is not None else said.dispute_probability
    if plain.startswith(_NO_WORDS) and alone < _SURE_DISPUTE:
        return True  # "不是，我是问这件的质量怎么样" (but "不是，是快递一直没到" is a yes)
    if said.alone_intent in _OTHER_REQUESTS and alone < _OTHER_REQUEST_DISPUTE:
        return True  # read alone, the answer asks for something else ("男生穿酒红会不会太娘", "能退吗 七天无理由吧")
    if alone < _OTHER_REQUEST_DISPUTE and (found.address or found.phone or found.size or found.colour or found.items
                                           or found.height or found.weight or found.foot) and not _reports_fault(text):
        return True  # an answer that goes on with the order (an address, a size, "一米一左右，四十来斤") is no complaint
    if said.is_dispute:
        return False
    if intent == "deny" or plain in _NO_ANSWERS:
        return True
    return confident and intent in _SALES_INTENTS and said.confidence >= 0.7


# ------------------------------------------------------------------ helpers


def _sure_dispute(stage: str, current: ProductView | None, ctx: Context, text: str = "") -> float:
    """How sure a complaint reading must be to queue the chat without asking first. A shopper looking at an
    item, with no order from this shop, who writes "太慢了" or "质量太差了" is more likely talking about the
    item than complaining: unless the reading is near certain, they get the one question — but not one who says
    what came ("我买的黑色XL 寄来个卡其色L的"): goods received are no longer being shopped for."""
    if current is not None and not ctx.orders and stage in SHOPPING_STAGES and not _RECEIVED.search(simplify(text)):
        return _SURE_WHILE_SHOPPING
    return _SURE_DISPUTE


# What is left of "你好 我前天收到的百褶裙 卡其色M" once the item, its variant and these words are taken out: nothing.
_WHAT_CAME_WORDS = re.compile(
    r"你好|您好|在吗|在不在|亲|客服|我|前天|昨天|今天|刚刚|刚才|刚|上周|这周|周[一二三四五六日天]|[0-9一二两三四五六七八九十]+号|"
    r"收到|到了|买的|拍的|下单的|在你们家|你们家|这边|店里|一[件条双顶包套个]|的|了|啊|哈|呀|哦|嗯|码|色|号|[smlx]{1,4}|\d+|均码|"
    r"[\s，,。.!！~～:：]"
)


def _only_says_what_came(text: str, ctx: Context) -> bool:
    """Whether a message only says what came ("你好 我前天收到的百褶裙 卡其色M"): no fault, no wish — not yet a
    complaint; what is wrong, if anything, is asked."""
    plain = simplify(text)
    if not _RECEIVED.search(plain):
        return False
    for name in ctx.catalogue.names:
        plain = plain.replace(name, "")
    for product in ctx.catalogue:
        for colour in product.colours:
            plain = plain.replace(colour.lower(), "").replace(colour.removesuffix("色").lower(), "")
    return len(_WHAT_CAME_WORDS.sub("", plain)) <= 1


_WORRY_QUESTION = re.compile(r"(这件|这款|这个|这条|这双|它|新的)[^，。,.!！]{0,8}(会不会|会吗|也会|吗|么|嘛|[?？])")


def _worry_about_this_one(
    text: str, state: Mapping[str, Any], current: ProductView | None, said: Understanding
) -> bool:
    """A question about the item being looked at, asked while shopping, that only mentions a bad experience."""
    shopping = current is not None or state.get("pending") == Pending.WHICH
    return shopping and said.dispute_probability < 0.9 and bool(_WORRY_QUESTION.search(simplify(text)))


def _csat_score(text: str) -> int | None:
    """A score from a satisfaction button or a bare 1–5 ("4", "4分", "5星 很好")."""
    match = _CSAT.match(text)
    return int(match.group(1).translate(str.maketrans("１２３４５", "12345"))) if match else None


def _csat(d: Decision, score: int, text: str) -> Decision:
    """The answer to the follow-up: store the score; thank, and after a low score apologise and offer a person."""
    s = d.slots
    comment = None if text in CSAT_BUTTONS else text
    follow_up = s.pop("csat_follow_up", None)
    if isinstance(follow_up, int):
        d.actions.append(RecordScore(follow_up, score, comment))
    s["pending"] = None
    if score <= 2:
        d.say(("followup.thanks_bad", {}), buttons=("转人工", "继续和小助手聊"))
    else:
        d.say(("followup.thanks_good", {}), buttons=("看看热销款", "查订单"))
    return d


# ------------------------------------------------------------------ escalation


def _dispute(d: Decision, said: Understanding, ctx: Context, found: Extracted) -> Decision:
    """A dispute: apologise at once, put the chat in the agents' queue, and start listening.

    The chat is queued straight away (an agent may take it at any moment, and nothing is lost if the customer
    stops answering); meanwhile the bot gathers the facts (which order, what happened, a photo), the
    expectation, and offers the remedy the shop's policy allows, one question at a time.
    """
    kind = DISPUTE_TYPES.get(said.dispute_label or said.intent, "product")
    order = _order_for(ctx, found.order_no) if found.order_no else None
    d.intent = said.dispute_label or said.intent
    subtype = subtype_of(kind, said.text)
    furious = score_emotion([said.text]).level in ("angry", "furious")
    d.slots["intake"] = {
        "kind": kind, "subtype": subtype, "order_no": order.order_no if order else None,
        "expectation": expectation_of(said.text, kind), "facts": not is_vague(said.text), "photo": said.image,
        "words": said.text.strip()[:40],
        "asked": [], "ask": None, "furious": furious,
    }
    _escalate(d, "dispute", ("dispute.sorry_strong" if furious else f"dispute.{kind}", {}), dispute_type=kind,
              order=order, announce=False, opening=said.text)
    d.actions.append(NoteDispute(subtype=subtype, expectation=d.slots["intake"]["expectation"]))
    return _intake_next(d, ctx)




def _disputed_product(slots: Mapping[str, Any], ctx: Context) -> ProductView | None:
    """The item a waiting complaint is about: its order's product, or the one its words name."""
    raw = slots.get("intake")
    intake: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    order = _order_for(ctx, intake.get("order_no")) if intake.get("order_no") else None
    if order is not None:
        return ctx.catalogue.get(order.sku)
    words = simplify(str(intake.get("words") or ""))
    if not words:
        return None
    named = ctx.catalogue.find(words)
    by_tail = [p for p in ctx.catalogue if any(tail in words for tail in name_tails(p))]  # "大衣今天到了…"
    return named or (by_tail[0] if len(by_tail) == 1 else None)


def _listen(
    d: Decision, said: Understanding, ctx: Context, found: Extracted, intent: str, clicked: bool
) -> Decision:
    """A message while a dispute waits for a person: an answer to the intake's question, more facts, a photo."""
    it: dict[str, Any] = dict(d.slots["intake"])
    d.slots["intake"] = it
    text, ask = said.text.strip(), it.get("ask")
    d.intent = intent if intent in ("human", "affirm", "deny") else (said.dispute_label or said.intent)
    clicked = clicked or text in _INTAKE_BUTTONS
    words = None if clicked or not text or (intent == "human" and len(text) <= 6) else text
    said_expectation = expectation_of(text, str(it["kind"]))
    note: dict[str, Any] = {"fact": words}
    if said_expectation and said_expectation != it.get("expectation") and (ask == "expectation" or not clicked):
        it["expectation"] = note["expectation"] = said_expectation
    if ask is None:  # listening is over: more words are added to the record; the wait goes on
        return _heard_after_intake(d, said, ctx, it, note, words)
    if said.image:
        it["photo"] = True
        d.say(("intake.photo_thanks", {}))
    if ask == "remedy":
        if text == "好的，我再等等" or (intent == "affirm" and not said.is_dispute):
            return _accept_remedy(d, ctx, note)
        it["remedy_declined"] = True
    elif ask == "order":
        order = _order_for(ctx, found.order_no) if found.order_no else _order_named(ctx, text, intent)
        if order is not None:
            it["order_no"] = note["order_no"] = order.order_no
    elif ask == "facts" and words:
        it["facts"], it["words"] = True, words[:40]
        if not it.get("subtype"):
            it["subtype"] = note["subtype"] = subtype_of(str(it["kind"]), words)
    elif ask == "expectation" and not it.get("expectation") and text:
        it["expectation"] = note["expectation"] = "other"
    if intent == "human" or text == "还是要找人工":  # enough questions: a person, now
        it["hurry"] = True
    if any(value for value in note.values()):
        d.actions.append(NoteDispute(**note))
    answer = None if clicked else _while_waiting(text, str(it.get("kind") or ""), str(it.get("expectation") or ""))
    aside = _aside_facts(d, ctx, text) if not clicked else []
    d = _intake_next(d, ctx)
    if answer is not None and not any(key == answer[0] for say in d.says for key, _ in say.parts):
        d.says.insert(0, Say((answer,)))  # "发错的这条我怎么寄回？" while telling what happened: answered too
    if aside:
        d.says.insert(0, Say(tuple(aside)))  # "…另外想问一下这件以后该怎么洗？" while telling what happened: answered
    if words and not clicked and score_emotion([text]).level in ("angry", "furious"):
        d.says.insert(0, Say((("intake.heard_upset", {}),)))  # "到底有没有人管？？": heard first, then the question
    return d


def _heard_after_intake(
    d: Decision, said: Understanding, ctx: Context, it: Mapping[str, Any], note: dict[str, Any], words: str | None
) -> Decision:
    """A message once the intake's questions are done: on the record; what can be said now is said; the wait."""
    text = said.text.strip()
    d.actions.append(NoteDispute(**note))
    if said.image:
        d.say(("intake.photo_thanks", {}))
        return d
    answer = _while_waiting(text, str(it.get("kind") or ""), str(it.get("expectation") or ""))
    if answer is not None:  # "来回运费谁出" / "照片怎么发": what can be said now is said — not the queue line again
        d.say(answer)
        return d
    if note.get("expectation") in EXPECTATION_LABELS:
        # "不想退，换一件就行": what they want now is on the record, and said back (not a stock line)
        d.say(("intake.expectation_noted", {"remedy": EXPECTATION_LABELS[note["expectation"]]}))
        return d
    if words and score_emotion([text]).level in ("angry", "furious"):
        # "到底有没有人管？？" while waiting: heard and put on the record — and the queue as it stands
        d.say(("intake.heard_upset", {}))
    elif words and (facts := _facts_of_the_item(d, ctx, text)):
        # "算了 你先告诉我 这裙子洗了到底掉不掉褶 能机洗吗" beside a complaint about the service: what the catalogue says
        d.say(*facts)
        return d
    elif words and _ASKS.search(plain := simplify(text)) and (said.alone_intent or said.intent) in DISPUTE_TYPES \
            and not re.search(r"有没有人|有人吗|人呢|管不管|理不理", plain):
        # "到底是丢了还是怎么了" / "其他的你们查得到吧": a question for the person — said so, the question quoted
        d.say(("handoff.question_kept", {"said": words.strip()[:40]}))
        return d
    d.actions.append(AnnounceQueue(again=True))
    return d


def _facts_of_the_item(d: Decision, ctx: Context, text: str) -> list[tuple[str, Mapping[str, Value]]]:
    """The catalogue's answer to a question about the item a waiting customer names (or complained about) — never
    about a fault they report, which is for the person."""
    if not _ASKS.search(simplify(text)) or _reports_fault(text):
        return []
    product = ctx.catalogue.find(simplify(text)) or _disputed_product(d.slots, ctx)
    aspects = _facts.asked(text, ctx.catalogue.names) if product is not None else []
    return _fact_parts(d, product, aspects, text)[0] if product is not None and aspects else []


def _aside_facts(d: Decision, ctx: Context, text: str) -> list[tuple[str, Mapping[str, Value]]]:
    """A question about the disputed item's care or make asked beside an intake answer ("另外想问一下这件衣服以后该怎么
    洗？"): what the catalogue says — never about the fault itself ("这正常吗" is for the person)."""
    plain = simplify(text)
    if not _ASKS.search(plain) or (product := _disputed_product(d.slots, ctx)) is None:
        return []
    aspects = [a for a in _facts.asked(text, ctx.catalogue.names) if a.name in _ASIDE_ASPECTS]
    return _fact_parts(d, product, aspects, text)[0] if aspects else []


# Qualities a customer may ask about an item beside its complaint: how to care for it, what it is made of.
_ASIDE_ASPECTS = frozenset({"wash", "iron", "shrink", "fading", "material", "origin"})
_RETURN_HOW = re.compile(r"(怎么|咋|如何).{0,4}(寄回|退回|寄过去|退货|寄给你)|寄回哪|寄到哪|要不要(先)?寄回|需要.{0,4}寄回")
_POSTAGE_WHO = re.compile(r"(运费|邮费|快递费).{0,6}(谁|我出|我付|要我|自己|承担|出吗|付吗|报销)|谁出.{0,3}(运费|邮费)")
_PHOTO_HOW = re.compile(r"(照片|图片|图|视频|截图).{0,8}(怎么|咋|如何|发哪|在哪|往哪|发给谁|给谁|发哪里|发到哪)"
                        r"|(怎么|咋|如何)(发|传|上传).{0,4}(照片|图|视频|截图)")
_EXCHANGE_ASK = re.compile(r"(能|可以|能不能|可不可以)(换|换个|换件|换一件|换新)|换(新|一件新)的?(吗|么|不)")
_REMEDY_ASK = re.compile(r"能(不能)?(换|退|补发|重发|退款)|可以(换|退|补发|重发|退款)|(换|退|补发|重发)(吗|不|么)")
_OVERDUE_PARCEL = re.compile(r"[说话].{0,4}[2-4两三四].{0,3}[天日]|一个?(礼拜|星期)|好几天|[5-9]天|[五六七八九十]天|还没到|没动|不动|超时|太慢")
_OVERDUE_REFUND = re.compile(r"(不是|你们|你哋|明明)[说话].{0,6}[1-3一二三两].{0,8}(天|日|工作日)|[一成]个?(礼拜|星期)(了|喇|啦)|好几天了|[5-9]天了"
                             r"|[五六七八九十]天了|还没(到账|退|收到)|都没(到账|退)|超时|过了.{0,3}天")
_EXCHANGE_WHEN = re.compile(r"(多久|几天|什么时候|啥时候|几时|哪天).{0,6}(换|发新|寄新|补发|重发|新的)|"
                            r"(换|补发|重发|新的).{0,6}(多久|几天|什么时候|啥时候|几时|哪天)|明天就要穿|急着穿|等着穿")
_SHIP_TODAY = re.compile(r"今天(能|可以|会|还能)?(发|寄)|今日.{0,2}(发|寄)|几点前.{0,4}(发|寄)")
_MANAGER = re.compile(r"管事|负责人|领导|店长|主管|经理|老板")


def _while_waiting(text: str, kind: str, expectation: str) -> tuple[str, Mapping[str, str]] | None:
    """What the bot can answer itself while a dispute waits for a person: who pays the postage of a faulty or
    wrong item (the shop), how to send a photo, whether the remedy asked for is on the record — else None."""
    plain = simplify(text)
    if _POSTAGE_WHO.search(plain) and kind == "product":
        return ("dispute.postage_ours", {})
    if _RETURN_HOW.search(plain) and kind == "product":  # "发错的这条我怎么寄回？"
        return ("dispute.return_how", {})
    if _OVERDUE_REFUND.search(plain) and (kind == "payment" or expectation in ("refund", "return")):
        return ("dispute.refund_late_ack", {})  # "你们不是说1到3个工作日吗，这都一个礼拜了": late — said so
    if _REFUND_WHEN.search(plain):
        return ("dispute.refund_when", {})  # "多扣的什么时候退" / "取消了钱多久退回来": the refund's timing
    if _REFUND_HOW.search(plain) and (kind == "payment" or expectation in ("refund", "return")):
        return ("dispute.refund_where", {})  # "是原路退回支付宝吗 我查了没有"
    if kind == "logistics" and _OVERDUE_PARCEL.search(plain):
        return ("dispute.late_ack", {})  # "你们说2到4天 现在都快一个礼拜了": it is late — said, and what happens next
    if kind == "service" and _MANAGER.search(plain):
        return ("dispute.manager", {})  # "找个管事的跟我说"
    if _HOURS_QUESTION.search(plain):
        return ("handoff.hours_queued", {})  # "你们几点下班啊": the hours — and they are in the queue already
    if _PHOTO_HOW.search(plain):
        return ("intake.photo", {})
    if _EXCHANGE_WHEN.search(plain):
        return ("dispute.exchange_when", {})  # "多久能换到 我下周要穿": when, as far as the shop can say
    if (mentions_any(plain, _INVOICE_WORDS) and _ASKS.search(plain)) or re.search(r"(要|开|补).{0,2}发票|发票.{0,6}(开|要)", plain):
        return ("dispute.invoice_aside", {})  # "发票也要开一下": how the shop invoices — a colleague sees to it
    if _SHIP_TODAY.search(plain):
        return ("dispute.ship_today", {})  # "今天能发吗": the cut-off
    if kind == "product" and _EXCHANGE_ASK.search(plain):
        return ("dispute.exchange_ok", {})  # "这种情况能换件新的吗": a faulty item can be exchanged, at our cost
    if _REMEDY_ASK.search(plain):
        wanted = EXPECTATION_LABELS.get(expectation, "") if expectation else ""
        return ("dispute.remedy_noted", {"remedy": wanted}) if wanted else ("dispute.remedy_open", {})
    return None


def _asks_aside(said: Understanding, text: str, intake: Mapping[str, Any]) -> bool:
    """A plain question beside a waiting complaint, read alone ("这件怎么洗", "几天能到"): not about what went wrong,
    not something the wait already answers (postage, photos, refunds), and no new fault reported."""
    plain, kind = simplify(text), str(intake.get("kind") or "")
    about_item = bool(_facts.asked(text)) and said.alone_intent in (*_ASIDE_INTENTS, "affirm", "other")
    worry_aside = re.sub(r"(怕|担心|生怕)[^，,。！!？?\s]{0,8}", "", text)  # ("…能不能洗衣机洗 怕洗坏了": a worry)
    if not (said.alone_intent in _ASIDE_INTENTS or about_item) or not _ASKS.search(plain) or _reports_fault(worry_aside):
        return False  # ("对了 这个羽绒服平时怎么洗" reads alone as a yes: it asks how to wash it)
    if (said.alone_dispute if said.alone_dispute is not None else 1.0) >= _SURE_DISPUTE:
        return False
    if kind == "logistics" and said.alone_intent == "shipping_inquiry":
        return False  # "到底什么时候到" is the late parcel itself
    if _REFUND_WHEN.search(plain) or _REFUND_HOW.search(plain) or _HAPPENED.search(plain):
        return False
    return _while_waiting(text, kind, str(intake.get("expectation") or "")) is None


def _order_named(ctx: Context, text: str, intent: str) -> OrderView | None:
    """The order an answer points at without its number: "那件T恤" (one order of that product), or "对/就这个"
    when there is only one order."""
    if intent == "affirm" and len(ctx.orders) == 1:
        return ctx.orders[0]
    plain = simplify(text)

    def mentioned(order: OrderView) -> bool:
        product = ctx.catalogue.get(order.sku)
        # its name, aliases and category, and the kind of thing it is: the name's last characters (牛仔裤, T恤)
        words = (order.product, order.product[-3:], order.product[-2:], *(product.aliases if product else ()),
                 *((product.category,) if product else ()))
        return any(word and simplify(word) in plain for word in words)

    matches = [o for o in ctx.orders if mentioned(o)]
    return matches[0] if len(matches) == 1 else None


def _intake_next(d: Decision, ctx: Context) -> Decision:
    """Ask the intake's next question, or, when there is nothing left to ask, close the record and announce
    the queue. Each question is asked once; a furious customer or one who asks for a person is not questioned."""
    it: dict[str, Any] = d.slots["intake"]
    asked: list[str] = list(it.get("asked") or [])
    it["asked"] = asked
    kind, subtype = str(it["kind"]), it.get("subtype")
    order = _order_for(ctx, it.get("order_no")) if it.get("order_no") else None
    quick = bool(it.get("furious") or it.get("hurry"))

    def ask(question: str, *parts: tuple[str, Mapping[str, Value]], buttons: tuple[str, ...] = ()) -> Decision:
        it["ask"] = question
        asked.append(question)
        d.say(*parts, buttons=buttons)
        return d

    if "order" not in asked and order is None and ctx.orders and not it.get("hurry"):
        choices = tuple(order_button(o.order_no, o.product) for o in ctx.orders[:3])
        return ask("order", ("intake.which_order", {}), buttons=(*choices, "不是这些订单"))
    if not quick:
        if "facts" not in asked and not it.get("facts"):
            return ask("facts", ("intake.what_happened", {}))
        if "photo" not in asked and subtype in PHOTO_SUBTYPES and not it.get("photo"):
            return ask("photo", ("intake.photo", {}), buttons=("稍后发照片", "没有照片"))
    if (
        "remedy" not in asked and kind == "logistics" and subtype == "late" and order is not None
        and order.status != "cancelled" and order.task_status in ("queued", "intercepted", "shipped")
        and ctx.policy.late_parcel_coupon > 0 and not it.get("hurry")
    ):
        arrival = chinese_date(arrival_date(ctx.today, order.shipped_on, ctx.policy.delivery_days), ctx.today)
        values: dict[str, Value] = {"order_no": order.order_no, "tracking_no": order.tracking_no or "—", "date": arrival,
                  "amount": format_money(ctx.policy.late_parcel_coupon)}
        where = "intake.late_shipped" if order.task_status == "shipped" else "intake.late_queued"
        if order.task_status != "shipped":  # "我已经催仓库优先发出" is true: the warehouse sees it on the task
            d.actions.append(ExpediteOrder(order.order_no))
        return ask("remedy", (where, values), ("intake.late_coupon", values), buttons=("好的，我再等等", "还是要找人工"))
    if "expectation" not in asked and not it.get("expectation") and not quick:
        return ask("expectation", ("intake.expectation", {}), buttons=EXPECTATION_CHOICES.get(kind, ()))
    it["ask"] = None
    summary = _summary(it, order)
    d.actions.append(NoteDispute(done=True))
    d.say(("intake.recorded", {"summary": summary}))
    d.actions.append(AnnounceQueue())
    return d


def _summary(it: Mapping[str, Any], order: OrderView | None) -> Value:
    """The intake's record in one line, read back to the customer: they see they were heard."""
    parts: list[Value] = []
    if order is not None:
        parts.append(Fragment("part.summary_order", {"order_no": order.order_no, "product": order.product}))
    problem = SUBTYPE_LABELS.get(str(it.get("subtype")))
    if problem:
        parts.append(Fragment("part.summary_problem", {"reason": problem}))
    elif it.get("facts") and it.get("words"):
        # their own words, when the kind of problem is not one kefu names
        parts.append(Fragment("part.summary_words", {"said": str(it["words"])}))
    if it.get("photo"):
        parts.append(Fragment("part.summary_photo"))
    expectation = EXPECTATION_LABELS.get(str(it.get("expectation")))
    if expectation:
        parts.append(Fragment("part.summary_wish", {"remedy": expectation}))
    return Joined(tuple(parts), "；") if parts else Fragment("part.summary_unknown")




def _accept_remedy(d: Decision, ctx: Context, note: Mapping[str, Any]) -> Decision:
    """The customer takes the late-parcel coupon: the dispute is settled by the bot and leaves the queue."""
    it = d.slots.pop("intake")
    amount = ctx.policy.late_parcel_coupon
    if note.get("fact"):
        d.actions.append(NoteDispute(fact=note["fact"]))
    d.actions.append(BotRemedy("coupon", amount, f"包裹延迟：订单 {it.get('order_no')}，客户接受优惠券并继续等待"))
    d.status, d.slots["escalated"], d.slots["pending"] = Status.BOT, None, None
    d.say(("intake.remedy_accepted", {"amount": format_money(amount), "order_no": str(it.get("order_no") or "")}),
          buttons=("查看订单状态", "转人工"))
    return d


def _escalate(
    d: Decision, reason: str, part: tuple[str, Mapping[str, Value]], *, dispute_type: str | None = None,
    order: OrderView | None = None, announce: bool = True, opening: str | None = None,
) -> Decision:
    d.status = Status.WAITING_AGENT
    d.slots["pending"] = None
    d.slots["escalated"] = reason
    d.slots.pop("dispute_words", None)
    d.slots.pop("change_waiting", None)
    d.actions.append(Escalate(reason, dispute_type, order.order_no if order else None, opening))
    d.say(part)
    if announce:
        d.actions.append(AnnounceQueue())
    return d
