"""``decide``: from one message and the stored conversation to what to say and do.

The flow is the eight-step sale as a state machine —

greet → consult → recommend → objection → close → confirm_order → farewell → shipping

— pure and synchronous; the engine does the IO.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation.actions import AnnounceQueue, WithdrawQueue
from bot.conversation.aftersales import (
    _confirm_cancel,
    _edit,
)
from bot.conversation.buttons import (
    _ASK_COLLEAGUE,
    _EDIT_BUTTONS,
    _NO_PROBLEM,
    _YES_PROBLEM,
    AFTER_ANSWER,
    MENU,
)
from bot.conversation.cart import _cart, _recipient
from bot.conversation.catalogue import BROAD_WORDS, CATEGORY_WORDS, Catalogue, ProductView, sexes_named
from bot.conversation.cues import (
    _ADD_MORE,
    _ALSO_WANTS,
    _ASIDE_INTENTS,
    _ASKED_IF,
    _ASKS,
    _ASKS_A_DISCOUNT,
    _CANCEL,
    _CHANGE_WORDS,
    _CONDITION,
    _DROP,
    _ELSEWHERE,
    _FAULT_WORDS,
    _FIT_ONLY,
    _GO_AHEAD,
    _HAPPENED,
    _HOURS_QUESTION,
    _LEAVES_IT_TO_US,
    _NO_INVOICE_IN_PARCEL,
    _ORDER_PUSH,
    _ORDERED_BEFORE,
    _PAUSE,
    _PAUSE_FILLER,
    _RECEIVED,
    _REFUND_HOW,
    _REFUND_LATE,
    _REFUND_WHEN,
    _RETURN_BACK,
    _SALES_INTENTS,
    _SURE_DISPUTE,
    _SURE_WHILE_SHOPPING,
    _YES_FIRST,
    DISPUTE_TYPES,
    _chooses,
    _reports_fault,
)
from bot.conversation.decision import Decision
from bot.conversation.disputes import (
    _asks_aside,
    _clear_no,
    _csat,
    _csat_score,
    _dispute,
    _disputed_product,
    _escalate,
    _listen,
    _only_says_what_came,
    _sure_dispute,
    _worry_about_this_one,
)
from bot.conversation.draft import Draft
from bot.conversation.focus import (
    _about_ordered,
    _by_position,
    _by_variant,
    _choose,
    _chosen_before,
    _clauses_naming,
    _dropped,
    _focus,
    _lines_text,
    _merge_order_details,
    _named_among,
    _new_details,
    _order_for,
    _others_named,
    _people_lines,
    _turned_down_only,
    _variant_of_ordered,
    _variants_for_several,
    _whole_lines,
    _without_ordered,
)
from bot.conversation.handling import _Act, _act, _ask_again
from bot.conversation.orders import _described
from bot.conversation.placed import (
    _NOTE_REQUEST,
    _OVERDUE,
    _a_fix_to_the_address,
    _a_line_left_out_at_the_readback,
    _a_new_count_for_a_line,
    _a_note_for_the_order,
    _a_persons_line_at_the_readback,
    _a_persons_line_out_of_the_order,
    _a_variant_changed_after_ordering,
    _another_address_after_ordering,
    _both_to_one_address,
    _lines_said_at_the_readback,
    _measured_after_ordering,
    _one_line_split_after_ordering,
    _refund_of_a_cancel,
    _refund_of_an_earlier_cancel,
    _refund_of_the_cancel_here,
    _same_address,
    _size_offer_answered,
    _taken_out_of_the_order,
    _the_count_of_the_lines_said,
    _the_order_said_again,
    _the_same_address_again,
)
from bot.conversation.readings import _FOR_SOMEONE, _STOCK_COUNT, _SWITCH_TO, _what_it_asks_for
from bot.conversation.sales import _RESTOCK, _ROBOT_WORDS, _STILL_THERE, JUST_ASKING
from bot.conversation.sizing import _advise_size, _sized_up, builds_said, people_advice
from bot.conversation.slots import (
    SIZE_QUESTION,
    Extracted,
    Item,
    _is_shoe,
    extract,
    has_link,
    mentions_any,
    name_tails,
    need_from,
    one_person,
    simplify,
)
from bot.conversation.state import _ORDER_QUESTIONS, _SLOT_QUESTIONS, Pending, Stage, Status, load_slots
from bot.conversation.views import Context, Request, Understanding
from replies import Joined

# Words that ask for a person ("转人工", "有真人吗", "叫你们客服来", "找个能做主的")
_A_PERSON = re.compile(r"人工|真人|活人|客服|同事|专人|人来|人呢|有人吗|有没有人|找人|叫人|来个人|换个人|主管|经理|负责人|店长|老板|做主|管事"
                       r"|机器人|不要机器|别用机器|person|human|[找叫让派来]个人|让人|跟人|专员|转一下|转接|自动回复|领导|上级|电话")
# One for each of the people named ("我和我姐一人一条", "一人一件")
_EACH_ONE = re.compile(r"一人一|每人一|各[来要买拿]?一")
# A call asked for before the parcel comes ("送货前给我打个电话"): a delivery note, not a call for a person
_DELIVERY_CALL = re.compile(r"(送货|送之前|送前|送来前|送到|到了|派送|派件|快递员|快递小哥|上门|配送|送的时候).{0,8}(打|电话)"
                            r"|(打|电话).{0,8}(再送|再派|送货|送上|上门|派送|快递)")
# A purchase put off to another day, said as a goodbye ("等我女儿周末回来帮我下 谢谢啊", "回头再说") — not the
# "not now" of cues._LATER ("先加购物车"), which is answered as a worry
_ANOTHER_DAY = re.compile(r"(等|到时候?|回头|改天|下次|过几天|过两天).{0,12}(再|帮我|帮忙|给我)?(买|下单|下|拍|来|说|看)"
                    r"(吧|了|啊|哈|哦|哈)?\s*(谢谢|谢了|多谢|拜拜|再见)?")
_PAST_BUY = re.compile(r"(前几天|前两天|上次|之前|昨天|前天|上周|上个?月|去年|前段时间|那天|刚)[^，,。]{0,6}(买|拍|收到|到)|买的|收到的|到货的|寄来的"
                       r"|买咗|收咗|买了一个?(礼拜|星期|周|月)")  # (Cantonese 买咗: bought)
_DEFECT = re.compile(r"坏|破|脏|线头|开线|脱线|掉色|褪色|起球|发错|寄错|错了|少了|瑕疵|洞|质量|污|霉|臭|味|缩水|变形|断|漏")
_SERVICE_FAULT = re.compile(r"态度|不理|没人回|不回|骂|凶|敷衍|差评|投诉|举报|骗|忽悠|客服|服务|怎么这样|什么人")


def decide(stage: str, status: str, slots: Mapping[str, Any], said: Understanding, ctx: Context) -> Decision:
    """Decide the reply to one message.

    The message is read by the rules below, in their order of precedence. A rule either revises what the message
    is taken to mean (the item, its details, the intent: it returns None) or answers it (it returns the
    ``Decision``, and no later rule is consulted). A message no rule answers goes to the handler of its intent.

    Args:
        stage, status, slots: the conversation as stored.
        said: the message and the classifier's reading of it.
        ctx: catalogue, policy and the customer's orders.
    """
    m = _first_reading(stage, status, slots, said, ctx)
    rules: tuple[Callable[[Draft], Decision | None], ...] = (
        # which item the message is about, and what it says of it
        _item_named, _not_buying, _a_colour_of_several_shown, _one_more_named, _one_more_of_the_ordered, _named_alone, _a_kind_named_alone, _a_line_dropped_by_its_variant, _a_size_left_to_the_chart, _drop_the_dropped, _an_item_set_aside,
        _turn_from_the_sold_out, _named_to_turn_down, _focus_on_the_item_named, _note_the_others_named,
        _read_the_details, _colours_compared, _the_thought_withdrawn, _a_switch_said_back, _the_size_of_another_line, _both_said_of_two_items, _one_person_measured, _sent_again, _the_address_read_back_again, _no_person_named, _one_for_another_person, _one_more_in_its_colour, _one_for_oneself_too, _the_one_before_too,
        _about_the_item_just_ordered, _leave_out_the_ordered,
        # what it does: choose, order for several people, repeat an order, exchange what came
        _a_choice_is_a_purchase, _lines_for_people, _an_item_for_each_person, _sizes_of_the_items_named, _ordered_twice,
        _an_exchange_of_what_came,
        _read_so_far, _change_or_add_answered, _size_offer_answered, _size_for_the_exchange, _note_the_choice,
        # while a person is coming, and what outranks any reading: no words, a score, an edit button
        _a_person_no_longer_wanted, _bought_while_the_complaint_waits, _served_while_waiting, _no_words, _a_pause, _a_score, _while_a_change_is_made,
        _a_person_is_coming, _an_edit_button, _is_it_a_problem_answered,
        # after a cancel, and right after an order is placed
        _refund_of_the_cancel_here, _refund_of_an_earlier_cancel, _both_to_one_address,
        _the_same_address_again, _another_address_after_ordering, _a_fix_to_the_address, _a_persons_line_at_the_readback, _a_line_left_out_at_the_readback,
        _lines_said_at_the_readback,
        _a_persons_line_out_of_the_order, _taken_out_of_the_order, _one_line_split_after_ordering, _the_count_of_the_lines_said,
        _a_new_count_for_a_line,
        _a_variant_changed_after_ordering, _the_order_said_again, _a_note_for_the_order,
        _measured_after_ordering,
        # a complaint, a person asked for, a cancel
        _stuck_parcel_told, _damage_told, _praise_of_what_came, _a_complaint, _when_people_are_on_duty, _a_call_before_delivery,
        _a_person_asked_for,
        _a_cancel_on_leaving,
        # the details taken into the order being put together
        _no_invoice_in_the_parcel, _joins_the_order_placed, _a_new_note, _the_variant_for_all,
        _take_the_details, _a_count_for_a_line_at_the_readback, _who_each_line_is_for, _the_size_from_the_measurements_before, _the_same_size,
        # the intent: the first of ``_READINGS`` that applies; then what is settled with it
        _goes_with_asked, _what_it_asks_for, _a_size_for_each, _settle_the_intent, _how_to_pay, _a_link,
    )
    for rule in rules:
        if (answered := rule(m)) is not None:
            return answered
    return _act(m.d, ctx, _Act(m.said, m.text, m.intent, m.clicked, m.pending, m.product, m.current, m.found,
                               m.noted, m.placed))


def _first_reading(stage: str, status: str, slots: Mapping[str, Any], said: Understanding, ctx: Context) -> Draft:
    """The classifier's reading of the message — unless it is a button offered, which says what it means."""
    state: dict[str, Any] = dict(load_slots(slots))
    state["buttons"] = {}
    state.pop("wanted", None)  # (a variant the item is not made in is answered in its own turn: "怕染到白T" is not kept)
    d = Decision(stage=Stage(stage), status=Status(status), slots=state, intent=said.intent)
    offered: Mapping[str, str] = slots.get("buttons") or {}
    text = said.text.strip()
    intent, confident = said.intent, said.confidence >= ctx.policy.confidence_threshold
    clicked = text in offered and bool(offered.get(text))
    if clicked:
        intent, confident = offered[text], True
    elif text == _ASK_COLLEAGUE:
        intent, confident, clicked = "human", True, True
    return Draft(d, slots, ctx, status, said, text, offered, intent, confident, clicked, slots.get("order_no"))


# "那送双袜子总行吧" / "送个帽子呗" / "赠一包袜子": an item asked for free with the one being bought
_A_FREEBIE = re.compile(r"(送|赠)(我)?(一|1)?[双条个顶包件只](?!给)|(送|赠)[^，,。\s]{0,8}(总行|行不|可以不|可以吗|呗|吧)")
_GIFT_TO = re.compile(r"送(给|人|礼|朋友|老[公婆妈爸]|女朋友|男朋友|我[妈爸姐妹哥弟]|同事)")


def _item_named(m: Draft) -> None:
    """The item the message names: by its name or its place in a list — or by a word for one of those shown."""
    state, text, ctx = m.d.slots, m.text, m.ctx
    m.product = ctx.catalogue.find(simplify(text)) or _by_position(text, state, ctx.catalogue)
    shown = [p for sku in state.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
    if m.product is None and len(shown) >= 2 and not state.get("product") and (
            state.get("pending") == Pending.WHICH or m.slots.get("last_intent") == "ask_recommendation"):
        m.product = _named_among(simplify(text), shown)  # "碎花那个看着不错" after a skirt and a dress were shown
    if m.product is None and len(shown) >= 2 and not state.get("product") and len(
        fits := _the_ones_for(text, shown)) == 1:
        m.product = fits[0]  # "男的 我自个儿穿" after two jeans were shown, one of them men's
    if m.product is None and len(shown) >= 2 and not state.get("product") and len(
        coloured := [p for p in shown if (c := extract(text, p).colour) and c in p.colours and len(c) > 1]
    ) == 1:
        m.product = coloured[0]  # "那要浅蓝的" after two jeans were shown, one of them made in light blue
    if m.product is None and len(shown) >= 2 and not state.get("product") and len(
        made_in_all := [p for p in shown if _made_in_each_colour_said(text, p)]
    ) == 1:
        m.product = made_in_all[0]  # "灰的一件 藏青的一件" after a tee, trousers and a polo: only the polo has both
    current = ctx.catalogue.get(state.get("product"))
    if m.product is not None and current is not None and m.product.sku != current.sku \
            and _only_bought_before(text, m.product, m.intent, ctx):
        m.product = None  # "我老顾客了呀 上次还在你家买了围巾" while haggling over a coat: the coat still
        return
    if m.product is not None and current is not None and m.product.sku != current.sku \
            and _A_FREEBIE.search(simplify(text)) and not _GIFT_TO.search(simplify(text)):
        m.product, m.intent, m.confident = None, "bargain", True  # "那送双袜子总行吧" over jeans: asked free, not bought
        return
    if m.product is None and current is not None and (seen := [
        p for sku in dict.fromkeys([*(state.get("seen") or []), *(line.get("sku") for line in state.get("lines") or [])])
        if (p := ctx.catalogue.get(str(sku))) is not None and p.sku != current.sku
    ]) and (hit := _named_among(simplify(text), [current, *seen])) is not None and hit.sku != current.sku:
        m.product = hit  # "那就牛仔裤 黑色M" after "工装裤和男士牛仔裤哪个耐穿": the jeans talked about, not the trousers
    if m.product is None and current is not None and current.in_stock and not state.get("lines"):
        _another_kind_named(m, current)  # (from a sold-out item, the rule for turning from it decides)


def _the_ones_for(text: str, shown: list[ProductView]) -> list[ProductView]:
    """Of the items shown, those made for the one sex the message names ("男的", "给我老公") where the others are not
    (nothing where it names no sex, or both)."""
    said = sexes_named(simplify(text))
    if len(said) != 1:
        return []
    fits = [p for p in shown if said & set(p.audience)]
    return fits if len(fits) < len(shown) else []


def _made_in_each_colour_said(text: str, product: ProductView) -> bool:
    """The message orders two or more colours of ``product``, and it is made in every one of them."""
    colours = {item.colour for item in extract(text, product).items}
    return len(colours) >= 2 and all(c is not None and c in product.colours for c in colours)


def _only_bought_before(text: str, product: ProductView, intent: str, ctx: Context) -> bool:
    """The item is named only as something bought before ("上次还在你家买了围巾"), to make a point, not to buy again."""
    plain = simplify(text)
    if intent in DISPUTE_TYPES or intent in ("return_refund", "order_status", "modify_order") \
            or _ADD_MORE.search(plain) or re.search(r"这次|还要|再来|同款|一样的", plain):
        return False
    clauses = [c for c in re.split(r"[，,。！!？?~～\s]+", plain) if c]
    before = [c for c in clauses if _PAST_BUY.search(c) and not _ASKS.search(c)]
    rest = "，".join(c for c in clauses if c not in before)
    named = ctx.catalogue.find("，".join(before)) if before else None
    return named is not None and named.sku == product.sku and ctx.catalogue.find(rest) is None


def _a_colour_of_several_shown(m: Draft) -> Decision | None:
    """"深蓝" to two jeans just shown, both made in it: which of them is asked — the colour kept for the one chosen."""
    state, text = m.d.slots, m.text
    shown = [p for sku in state.get("candidates") or [] if (p := m.ctx.catalogue.get(sku))]
    if m.product is not None or state.get("product") or len(shown) < 2 or state.get("lines") \
            or m.intent in DISPUTE_TYPES or _ASKS.search(simplify(text)) or len(simplify(text)) > 12:
        return None
    having = {p.sku: colour for p in shown if (colour := extract(text, p).colour) in p.colours and len(colour) > 1}
    sized = {p.sku: size for p in shown if (size := extract(text, p, expecting="size").size) in p.sizes
             and len(p.sizes) > 1} if len(having) < 2 and state.get("pending") == Pending.WHICH else {}
    if len(having) < 2 and len(sized) < 2:
        return None
    if sized:  # "黑" then "L" to the two tees shown: the size kept too, and which one still asked
        state["size_of_which"] = sized
        having = {sku: colour for sku, colour in (state.get("colour_of_which") or {}).items() if sku in sized}
    state["colour_of_which"], state["pending"] = having, Pending.WHICH
    choices = [p for p in shown if p.sku in (sized or having)]
    m.d.intent, m.d.stage = "buy", Stage.CONSULT
    if sized:
        said = " ".join(filter(None, (next(iter(having.values()), ""), next(iter(sized.values()), ""))))
        m.d.say(("consult.which_has_variant", {"value": said}), buttons=tuple(p.name for p in choices))
    else:
        m.d.say(("consult.which_has_colour", {"colour": next(iter(having.values()))}),
                buttons=tuple(p.name for p in choices))
    return m.d


def _another_kind_named(m: Draft, current: ProductView) -> None:
    """"咁都系买牛仔裤算啦" while on the wide-leg trousers: a kind of item the one in view is not — the one item of
    that kind in focus, or, of several, none (which of them is asked)."""
    state, plain = m.d.slots, simplify(m.text)
    kinds = {w for words in CATEGORY_WORDS.values() for w in words if len(w) >= 2 and w in plain and w not in BROAD_WORDS}
    if not kinds or any(k in w.lower() for k in kinds for w in (current.name, *current.aliases)) \
            or not re.search(r"买|要|拿|来|换|算了?|算啦|那就|改|看看", plain):
        return  # ("我妈老穿黑大衣的" about a scarf: the coat is what she wears it with, not what she buys)
    others = [p for p in m.ctx.catalogue.in_category(plain) if p.sku != current.sku and p.in_stock
              and any(k in w.lower() for k in kinds for w in (p.name, *p.aliases))]
    measured = extract(m.text, others[0]) if len(others) > 1 else None
    if measured is not None and (measured.height or measured.weight):  # "我1米6 96斤": the ones whose chart has a size
        others = [p for p in others if m.ctx.catalogue.size_for(p, measured.height, measured.weight)] or others
    if len(others) == 1:
        m.product = others[0]
        if not (_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain)):  # instead of the one in view, not beside it
            for detail in ("size", "colour", "quantity"):
                state.pop(detail, None)
    elif others:
        for detail in ("product", "colour", "quantity", "wanted", *(("size",) if any(
                state.get("size") not in p.sizes for p in others) else ())):
            state.pop(detail, None)


def _one_for_another_person(m: Draft) -> None:
    """"我同事也要一条 他168 120斤 要黑的" with a size chosen for the customer's own: a second line, sized from the
    other person's measurements, in the colour said for them — the first line keeps what it had."""
    state, found, current = m.d.slots, m.found, m.current
    if current is None or m.placed or state.get("lines") or not state.get("size") or m.product not in (None, current) \
            or not _ALSO_WANTS.search(simplify(m.text)) or not (found.height or found.weight) or found.items \
            or found.people or not current.size_chart:
        return
    size = m.ctx.catalogue.size_for(current, found.height, found.weight)
    if size is None:
        return
    state["lines"] = [{"sku": current.sku, "size": state.get("size"), "colour": state.get("colour"), "quantity": 1},
                      {"sku": current.sku, "size": size,
                       "colour": found.colour if found.colour in current.colours else None, "quantity": 1}]
    for detail in ("size", "colour", "quantity"):
        state.pop(detail, None)
    m.found = replace(found, size=None, colour=None, quantity=None, height=None, weight=None)
    m.intent, m.confident = "buy", True


def _one_more_in_its_colour(m: Draft) -> None:
    """"还有他妹妹也给她来一条 女娃娃戴红的" about the item being chosen (its size settled or one only): a second
    line in the colour said for the other person — the first keeps its own colour, or is still asked for."""
    state, found, current = m.d.slots, m.found, m.current
    if current is None or m.placed or state.get("lines") or m.product not in (None, current) or found.items \
            or found.colour not in current.colours or found.colour == state.get("colour") or found.people \
            or found.height or found.weight or found.foot or not _ALSO_WANTS.search(plain := simplify(m.text)) \
            or not re.search(r"[他她]|给|妹|姐|弟|哥|孙|儿|女|妈|爸|同事|朋友", plain) \
            or not (state.get("size") or len(current.sizes) == 1) or _SWITCH_TO.search(plain):
        return
    size = state.get("size") or current.sizes[0]
    state["lines"] = [{"sku": current.sku, "size": size, "colour": state.get("colour"),
                       "quantity": int(state.get("quantity") or 1)},
                      {"sku": current.sku, "size": size, "colour": found.colour, "quantity": found.quantity or 1}]
    for detail in ("size", "colour", "quantity"):
        state.pop(detail, None)
    m.found = replace(found, size=None, colour=None, quantity=None)
    m.intent, m.confident = "buy", True


def _named_beside_the_question(text: str, product: ProductView, names: tuple[str, ...]) -> bool:
    """The item is named in a part of the message that asks nothing, and the question ("会掉色吗") names no item."""
    clauses = [c for c in re.split(r"[，,。！!？?\s]+", simplify(text)) if c]
    asked = [c for c in clauses if _facts.asked(c, names) and _ASKS.search(c)]

    def naming(clause: str) -> bool:
        return any(len(w) >= 2 and w.lower() in clause for w in (product.name, *product.aliases))

    named_in = [c for c in clauses if c not in asked and naming(c)]
    # (only where it is named as what the item in view is worn or washed with — "把白T和外套一起扔洗衣机"; named to be
    # bought or turned to — "再加一条羊毛围巾", "那轻薄羽绒服呢", "牛仔夹克可以" — it is what the question is about)
    return bool(asked) and not any(naming(c) for c in asked) and bool(named_in) \
        and all(re.search(r"把|和|跟|一起|染|蹭|沾|搭|配", c) for c in named_in) \
        and not any(_ADD_MORE.search(c) or re.search(r"要|买|拍|来|加|换|可以|就|呢", c) for c in named_in)


def _named_as_a_place(text: str, product: ProductView) -> bool:
    """The item is named only as where something shows ("蹭得毛衣上全是白毛", "黑大衣上全是"), not as the subject."""
    plain = simplify(text)
    return any(re.search(re.escape(word) + r"上|" + re.escape(word) + r"里", plain)
               for word in (product.name.lower(), *(a.lower() for a in product.aliases), *name_tails(product), *(
                   w for w in CATEGORY_WORDS.get(product.category, ()) if len(w) >= 2)) if len(word) >= 2)


def _one_more_named(m: Draft) -> None:
    """An item named with words of adding it, and no question, is bought."""
    plain = simplify(m.text)
    if m.product is not None and m.intent in ("shipping_inquiry", "other", "product_inquiry", "bargain", "affirm") \
            and _ADD_MORE.search(plain) and not _ASKS.search(plain):
        m.intent, m.confident = "buy", True  # "那加个黑色棒球帽 凑包邮": added to what is being bought


def _one_more_of_the_ordered(m: Draft) -> None:
    """One more of the item just ordered, in another variant, is bought (and, no fault reported, no complaint)."""
    state, text, plain = m.d.slots, m.text, simplify(m.text)
    if m.product is not None or state.get("product"):
        return
    m.product = _by_variant(text, state, m.ctx)
    if m.product is not None and (m.intent not in DISPUTE_TYPES or not _reports_fault(text)) and m.intent != "human" \
            and (_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain)):
        m.intent, m.confident = "buy", True  # "再给我自己整一件黑的": one more of the item just ordered, in black
        m.said = replace(m.said, is_dispute=False, intent="buy")  # (no fault is reported: no complaint either)


def _named_alone(m: Draft) -> None:
    """An item offered as a quick choice, or named and nothing else: ordering it (when asked which), else asking
    about it."""
    if m.product is not None and not m.clicked and (m.text in m.offered or m.ctx.catalogue.exact(simplify(m.text))):
        m.intent = "buy" if m.slots.get("pending") == Pending.PRODUCT or m.product.sku in (
            m.slots.get("colour_of_which") or {}) else "product_inquiry"  # (the one of those with the colour said)
        m.confident, m.clicked = True, True


def _a_kind_named_alone(m: Draft) -> None:
    """"T恤" / "羽绒服呢" / "裤子" and nothing else, with no item of that kind in view: the items of that kind, asked
    about (not "我没太明白")."""
    plain = re.sub(r"^(看看|想看|想买|要|买|来)|[的呢吧啊呀嘛吗么有没\s,，.。!！?？~～]", "", simplify(m.text))
    if m.product is None and not m.clicked and plain in _KIND_WORDS and m.intent != "human" \
            and m.status == Status.BOT and m.slots.get("pending") not in _SLOT_QUESTIONS \
            and m.ctx.catalogue.in_category(plain):  # (a bare "衣服" tells nothing wrong: asked about, not queued)
        m.intent, m.confident = "product_inquiry", True
        m.said, m.d.intent = replace(m.said, is_dispute=False, intent=m.intent), m.intent


_KIND_WORDS = frozenset(word for words in CATEGORY_WORDS.values() for word in words)


def _a_line_dropped_by_its_variant(m: Draft) -> Decision | None:
    """"少要一条 L不要了" with three skirts (S, M, L) being put together: the one line that size or colour names
    leaves the order; the rest goes on, read out."""
    state, plain = m.d.slots, simplify(m.text)
    lines = [line for line in state.get("lines") or [] if isinstance(line, dict)]
    if m.placed or len(lines) < 2 or m.slots.get("pending") == Pending.READBACK or not (_DROP.search(plain) or re.search(r"不要$|少要|少拿|少一", plain)) \
            or re.search(r"换|改成|还是要|就要|只要", plain) or m.intent in DISPUTE_TYPES:
        return None
    bare = re.sub(r"(就)?不要了?|不要啦|少(要|拿)?一[条件个双顶包套]|去掉|删掉|拿掉|算了|的", " ", plain)  # (what is named)
    named = [line for line in lines if (item := m.ctx.catalogue.get(line.get("sku"))) is not None and (
        read := extract(bare, item, expecting="size")) and not read.items and (read.size or read.colour)
        and (read.size or line.get("size")) == line.get("size") and (read.colour or line.get("colour")) == line.get("colour")
        and (m.product is None or m.product.sku == line.get("sku"))]
    if len(named) != 1:
        return None
    gone = named[0]
    state["lines"] = [line for line in lines if line is not gone]
    item = m.ctx.catalogue.get(gone.get("sku"))
    m.d.intent = "buy"
    m.d.say(("close.line_dropped", {"product": " ".join(filter(None, (item.name if item else "", gone.get("colour"),
                                                                    gone.get("size")))),
                                    "lines": _lines_text(state["lines"], m.ctx.catalogue)}))
    if m.slots.get("pending") in _ORDER_QUESTIONS and (current := m.ctx.catalogue.get(state.get("product"))):
        _ask_again(m.d, str(m.slots["pending"]), m.ctx, current)
    return m.d


def _a_switch_said_back(m: Draft) -> None:
    """"算了换个颜色 藏青吧" while the address is asked for the black jacket: the new colour (or size) is said back
    before the order's question, so the change is seen, not silent."""
    state, found, current = m.d.slots, m.found, m.current
    if current is None or state.get("lines") or m.placed or m.slots.get("pending") not in _ORDER_QUESTIONS \
            or m.slots.get("pending") == Pending.READBACK or found.items or not re.search(r"换|改", simplify(m.text)):
        return
    changed = [value for name in ("colour", "size") if (value := getattr(found, name)) and m.slots.get(name)
               and value != m.slots.get(name) and value in (current.colours if name == "colour" else current.sizes)]
    if changed:
        m.d.say(("close.switched", {"product": current.name, "value": " ".join(changed)}))


# "按脚长对应的码就行" / "你们按尺码表给配" / "合适的码就行": the size left to the chart, with nothing to read it by
_BY_THE_CHART = re.compile(r"按(脚长|身高|体重|尺码表|码表|表)|对应的码|合适的码|(你们|你)(看着|帮我)?(定|选|配|对)|看着(给|发|办)")


def _a_size_left_to_the_chart(m: Draft) -> Decision | None:
    """"按脚长对应的码就行" when the size is asked and nothing is measured yet: the measurement asked for (foot length
    for shoes), not the size question again."""
    current = m.current or m.ctx.catalogue.get(m.slots.get("product"))
    if m.slots.get("pending") != Pending.SIZE or current is None or not current.size_chart \
            or not _BY_THE_CHART.search(simplify(m.text)):
        return None
    found = extract(m.text, current, expecting="size", catalogue=m.ctx.catalogue)
    if found.size or found.height or found.weight or found.foot or found.people or found.items:
        return None
    shoes = any("foot_length" in ranges for ranges in current.size_chart.values())
    m.d.slots["pending"] = Pending.MEASURE
    m.d.say(("consult.size_by_the_chart", {"who": "每个人" if int(m.slots.get("quantity") or 1) > 1 else "您",
                                          "measure": "脚长（厘米）" if shoes else "身高和体重",
                                          "example": "我23.5 老公26" if shoes else "我160 50kg 老公175 70kg"}))
    return m.d


def _drop_the_dropped(m: Draft) -> None:
    """An item the message drops leaves the order being put together; the rest goes on."""
    state, text = m.d.slots, m.text
    m.dropped = dropped = _dropped(text, state, m.ctx.catalogue)
    if dropped is None:
        return
    # "那袜子不要了 再来一条灰色的": the socks leave the order being put together; the rest goes on
    state["lines"] = [line for line in state.get("lines") or [] if line.get("sku") != dropped.sku]
    if state.get("product") == dropped.sku:
        for detail in ("product", "size", "colour", "quantity", "wanted"):
            state.pop(detail, None)
        if state["lines"]:
            state["product"] = state["lines"][-1].get("sku")
    if m.product is not None and m.product.sku == dropped.sku:
        m.product = None if state.get("product") else _by_variant(text, state, m.ctx)
    if state["lines"] and m.intent in ("deny", "thanks_bye", "other", "affirm", "doubt") \
            and m.slots.get("pending") in _ORDER_QUESTIONS - {Pending.READBACK}:
        # "算了裤子先不要了 就衬衫" while the address is asked: the shirt's order goes on
        m.d.say(("close.line_dropped", {"product": dropped.name,
                                        "lines": _lines_text(state["lines"], m.ctx.catalogue)}))
        m.intent, m.confident = "buy", True


def _an_item_set_aside(m: Draft) -> Decision | None:
    """"缎面那个要手洗啊？我懒得很 算了不要衬衫了" while looking at a skirt and a shirt: the shirt set aside — said so,
    and the skirt still in view (not a goodbye)."""
    state, plain, catalogue = m.d.slots, simplify(m.text), m.ctx.catalogue
    focus = catalogue.get(state.get("product"))
    if m.dropped is not None or focus is None or m.intent not in ("deny", "other", "doubt", "thanks_bye") \
            or not _SET_ASIDE.search(plain) or m.placed:
        return None
    seen = [p for sku in state.get("seen") or [] if (p := catalogue.get(sku)) is not None and p.sku != focus.sku]
    aside = next((p for p in seen for clause in _clauses_naming(plain, p) if _SET_ASIDE.search(clause)), None)
    if aside is None:
        return None
    state["seen"] = [sku for sku in state.get("seen") or [] if sku != aside.sku]
    (state.get("advised") or {}).pop(aside.sku, None)
    m.d.intent = "product_inquiry"
    m.d.say(("close.item_set_aside", {"product": aside.name, "related": focus.name}), buttons=("我要买", "再看看"))
    return m.d


_SET_ASIDE = re.compile(r"不要|算了|不买|不考虑")


def _turn_from_the_sold_out(m: Draft) -> None:
    """With a sold-out item in view, the one of its kind the message turns to is the item named."""
    state, text, ctx = m.d.slots, m.text, m.ctx
    if m.product is None and (sold_out := ctx.catalogue.get(state.get("product"))) is not None and not sold_out.in_stock \
            and not re.search(r"这(个|款|双|件|条)", simplify(text)):
        # ("那这个鞋码偏大还是偏小 我平时穿42 等补货了再来": still the boots sold out, for when they are back)
        # "啥时候补货 那t恤呢 黑的有没" about the sold-out hoodie: the T-shirt they turn to (the one of its kind, or
        # the one made in the colour they name)
        kinds = [p for p in ctx.catalogue.in_category(simplify(text)) if p.in_stock and p.sku != sold_out.sku]
        coloured = {p.sku: c for p in kinds if (c := extract(text, p).colour) and c in p.colours}
        plain = [p for p in kinds if len(coloured.get(p.sku) or "") in (1, 2, 3)]  # ("黑的": 黑色, not 燕麦色底黑条)
        turned_to = plain if len(plain) == 1 else [p for p in kinds if p.sku in coloured] or kinds
        if len(turned_to) == 1:
            m.product = turned_to[0]


def _named_to_turn_down(m: Draft) -> None:
    """Another item named only to be turned down is not the one the message is about."""
    state = m.d.slots
    if m.product is not None and state.get("product") and m.product.sku != state.get("product") \
            and _turned_down_only(m.text, m.product, m.ctx.catalogue):
        m.product = None  # "浅蓝的M 就要这一件 卫衣不要了": the hoodie is named to be turned down; the jacket stays


def _focus_on_the_item_named(m: Draft) -> None:
    """The item named comes into focus — not a gift asked for while haggling, nor an item just ordered named beside
    the one being bought."""
    state, text, ctx, product = m.d.slots, m.text, m.ctx, m.product
    m.before = ctx.catalogue.get(state.get("product"))
    if product is not None and m.status == Status.WAITING_AGENT and state.get("escalated") == "dispute" \
            and _named_as_a_place(text, product):
        m.product = None  # ("蹭得毛衣上全是白毛 这正常吗" about the jacket complained of: the sweater is where it shows)
        return
    m.ordered_skus = ordered_skus = {line.get("sku") for line in state.get("ordered") or ()}
    in_cart = {line.get("sku") for line in state.get("lines") or []}
    focus = ctx.catalogue.get(state.get("product"))
    if product and focus is not None and product.sku != focus.sku and m.intent in _FACT_ASKING \
            and any(_facts.asked(clause, ctx.catalogue.names) and any(
                len(colour) >= 2 and colour.lower() in clause and colour not in product.colours for colour in focus.colours)
                for clause in re.split(r"[，,。！!？?\s]+", simplify(text))):
        # "浅蓝的会掉色不 我白T多" about the light-blue jacket: the white tees are what might be dyed, not the item asked
        m.product, m.current = None, focus
        return
    ordered_one = ctx.catalogue.get(next(iter(ordered_skus))) if len(ordered_skus) == 1 and not focus else None
    if product and (about := focus or ordered_one) is not None and product.sku != about.sku \
            and (m.intent in _FACT_ASKING or m.intent in DISPUTE_TYPES) \
            and _named_beside_the_question(text, product, ctx.catalogue.names):
        # "会掉色吗 他老是把白T和外套一起扔洗衣机" about the jacket just ordered: the tees are named beside the question
        m.product, m.current = None, about
        return
    if product and product.sku in in_cart and product.sku != state.get("product") and (
        (m.intent in _FACT_ASKING and _facts.asked(text, ctx.catalogue.names)) or m.slots.get("pending") == Pending.READBACK
    ):  # "那T恤黑色的洗了会不会掉色" about the other line of the order being put together: asked about, the order kept
        # (and "对，藏青毛衣L加灰色围巾" to the read-back names lines of it: the order read back is the one meant)
        m.current = ctx.catalogue.get(state.get("product"))
        return
    if product and product.sku != state.get("product") and not (
        state.get("product") and m.intent == "bargain" and mentions_any(text, ("送", "赠", "搭", "给我", "券"))
    ) and not (  # ("阔腿裤M，T恤S" while buying the T-shirt just after ordering the trousers: the T-shirt still)
        product.sku in ordered_skus and state.get("product") not in (None, *ordered_skus)
        and not _ADD_MORE.search(simplify(text))
    ):  # ("送条围巾呗" while haggling over a coat asks for a gift; the coat is still the item)
        if focus is not None and not focus.in_stock:
            for detail in ("size", "colour", "quantity"):  # (a sold-out item's size, advised: nothing to keep of it)
                state.pop(detail, None)
        kept, m.tail_from = _chosen_before(state, ctx.catalogue.get(state.get("product")), product, text, m.dropped)
        # ("条纹的不要 就牛仔裤和白T": one item out, another in — the rest of what was chosen stays)
        adding = bool(_ADD_MORE.search(simplify(text))) or kept or (m.dropped is not None and bool(state.get("lines")))
        if state.get("product") in ordered_skus and not state.get("lines"):
            adding = False  # ("再加一条百褶裙 黑色 同码" after ordering the tee: the tee is in the order, not bought again)
        _focus(state, product, adding=adding)
    elif product and product.sku != state.get("product"):
        m.product = None
    m.current = ctx.catalogue.get(state.get("product"))


def _note_the_others_named(m: Draft) -> None:
    """Other items named beside the one in focus are talked about too; later words may be about them, or about
    the ones just shown."""
    state, current = m.d.slots, m.current
    if current is not None:  # ("那个百褶裙和条纹长袖t恤": the T-shirt is talked about too — "t恤要…" later is it)
        others = [p.sku for p in _others_named(simplify(m.text), current, m.ctx.catalogue)]
        state["seen"] = [*[sku for sku in state.get("seen") or [] if sku not in others], *others,
                         *([current.sku] if current.sku in others else [])][-6:] if others else state.get("seen")
    # (the items talked about, and the ones just shown: "那衬衫要浅蓝 裤子深蓝" after a shirt and jeans were listed)
    m.recent = list(dict.fromkeys([*(state.get("seen") or []), *(state.get("candidates") or [])]))


# An earlier purchase told ("去年买过你们的轻薄羽绒服 黑色L"), and words of wanting something now
_BOUGHT_BEFORE = re.compile(r"(去年|前年|上次|上回|之前|以前|上个月|上一次)[^，,。！!？?]{0,12}(买|拍|下单|入)(的|过|了)")
_WANTED_NOW = re.compile(r"再|还要|也要|想要|今年|这次|要[一两个件条]|来[一两个件条]|换|一样|同款|还有吗|有没有|有吗")


def _read_the_details(m: Draft) -> None:
    """The details the message gives, read against the item in focus — the words before a newly named item's name
    against the one in view before."""
    state, text, ctx, current, before, recent = m.d.slots, m.text, m.ctx, m.current, m.before, m.recent
    found = extract(text, current, expecting=state.get("pending"), catalogue=ctx.catalogue, recent=recent)
    if m.tail_from:  # the words before the new item's name were the last item's line: the rest is about the new one
        rest = simplify(text)[m.tail_from:]
        if before is not None and current is not None and before.sku != current.sku:
            named_again = set(_clauses_naming(rest, before))  # ("…燕麦色 裙子要雾霾蓝": the skirt's clause is the skirt's)
            rest = " ".join(c for c in re.split(r"[，,。！!？?；;\s]+", rest) if c and c not in named_again)
        tail = extract(rest, current, catalogue=ctx.catalogue, recent=recent)
        found = replace(found, size=tail.size, colour=tail.colour, quantity=tail.quantity, items=tail.items,
                        people=tail.people, height=tail.height, weight=tail.weight, foot=tail.foot)
    if before is not None and current is not None and before.sku != current.sku:
        # "那我要米白色39號 然後再加一包襪子 全白的": what comes before the new item's name is about the one in view
        first = extract(text, before, expecting=state.get("pending"), catalogue=ctx.catalogue,
                        recent=state.get("seen") or ())
        if len({item.sku for item in first.items}) >= 2:
            found = replace(first, items=tuple(replace(item, sku=item.sku or before.sku) for item in first.items))
    chosen = len({str(line.get("sku")) for line in state.get("lines") or []} | {current.sku if current else ""} - {""})
    chosen += _both_of_those_talked_about(m, current, chosen, found)
    m.for_all = chosen >= 2 and bool(_BOTH.search(simplify(text)))
    if m.for_all or _ordered_together(simplify(text), chosen):
        # "两件都M" / "两件一起下" with a shirt and a skirt chosen: each of them, not two skirts
        found = replace(found, quantity=None)
    if _FOR_LATER.search(simplify(text)) and not found.address:
        # "领导说明年夏天想再买一批白的，先问问": a purchase for later — a question now, nothing chosen
        found = replace(found, size=None, colour=None, quantity=None, items=(), people=())
    if _BOUGHT_BEFORE.search(plain := simplify(text)) and not _WANTED_NOW.search(plain) and not _reports_fault(text) \
            and m.intent not in ("return_refund", "modify_order", "order_status", "human"):
        # "去年在你们家买的那件羊毛毛衣 圆领的 燕麦色": what was bought before, told — not chosen again
        found = replace(found, size=None, colour=None, quantity=None, items=())
    if current is not None and not found.colour and _SAME_COLOUR.search(plain) \
            and (same := _the_colour_before(state, current)) is not None:
        found = replace(found, colour=same)  # "围巾也要 同色" after a wine-red sweater: wine red, where made in it
    m.found = found
    if current is not None and not found.size and state.get("size") in current.sizes \
            and (step := _ONE_SIZE_OFF.search(plain)) and not _ASKS.search(plain) \
            and not (step.group(1) == "大" and _sized_up_already(state, current, m.ctx.catalogue)):
        # "那听你的拿大一号" after M was said: L — the next size of the one in hand (never past the last)
        at = current.sizes.index(str(state["size"])) + (1 if step.group(1) == "大" else -1)
        if 0 <= at < len(current.sizes):
            state["size"] = current.sizes[at]
    if _NO_SIZE_UP.search(plain):  # "里面就穿个薄毛衣 码不用放大": the chart's own size, whatever was told before
        state.pop("build", None)
    elif builds := builds_said(plain):  # "160cm 50kg，胯比较宽": kept for the size the fit note gives
        _the_build_told(m, builds, found, current, plain)


_NO_SIZE_UP = re.compile(r"(?<!要)(?<!用)(?<!必)(不用|不要|别|无需|不必|没必要|用不着)(再|给我|帮我)?(放大|加大|大一[码号个]|拍大|买大|选大|往大)"
                         r"|码不用放|(按|就按|照)(尺码)?表(上)?(的码)?(来|拍|选|买|就行|就好)|正常码就行|(穿|拿|拍)?正常码(就行|就好|吧)")


def _colours_compared(m: Draft) -> Decision | None:
    """"白底红条好看还是藏青的好看 她生日在元旦 喜庆点？" of the item just ordered: which of its colours looks better —
    not known from the catalogue, said so (never other items recommended, nothing bought; of an item in view the
    readings answer it)."""
    ordered = {line.get("sku") for line in m.d.slots.get("ordered") or ()}
    item = m.ctx.catalogue.get(str(next(iter(ordered)))) if len(ordered) == 1 and m.current is None else None
    plain = simplify(m.text)
    if item is None or m.intent in DISPUTE_TYPES or not _ASKS.search(plain) or not _WHICH_LOOKS.search(plain) \
            or _CHANGE_WORDS.search(plain) or _chooses(m.text):
        return None
    colours = [c for c in item.colours if c.lower() in plain or any(
        part in plain for part in {c[i:i + 2] for i in range(len(c) - 1)}
        if not any(part in other for other in item.colours if other != c))]  # ("藏青的" for 白底藏青条)
    if len(colours) < 2:
        return None
    m.d.say(("product.colour_look_unknown", {"product": item.name, "colours": "、".join(colours)}),
            buttons=AFTER_ANSWER)
    return m.d


_WHICH_LOOKS = re.compile(r"好看|哪个(好|更|显|适合)|哪种(好|更)|显白|显黑|显气色|更适合|喜庆|洋气|耐看")


def _the_thought_withdrawn(m: Draft) -> None:
    """"白色透吗 要不要也来件白的 算了 就两件": what was thought aloud before 算了 is not chosen — only what follows it."""
    plain = simplify(m.text)
    at = plain.rfind("算了")
    if at <= 0 or not _THOUGHT_ALOUD.search(plain[:at]):
        return
    after = extract(plain[at + 2:], m.current, catalogue=m.ctx.catalogue, recent=m.recent)
    m.found = replace(m.found, size=after.size, colour=after.colour, quantity=after.quantity, items=after.items,
                      people=after.people)
    ordered = sum(int(line.get("quantity") or 1) for line in m.d.slots.get("ordered") or ())
    if m.placed and not (after.size or after.colour or after.items) and after.quantity in (None, ordered):
        # ("就两件" with two ordered: the order stands as placed — the question before is what is answered)
        m.found = replace(m.found, quantity=None)
        m.intent = "doubt" if _ASKS.search(plain[:at]) else "other"


_THOUGHT_ALOUD = re.compile(r"要不要|也来|再来|再加|也买|再买|也要")


def _the_size_of_another_line(m: Draft) -> None:
    """"那就按你说的拍大一码 四十二" with the socks in view and the shoes in the order being put together: a size only
    the other line's item is made in is that line's — set, and the order so far said."""
    state, current = m.d.slots, m.current
    if current is None or m.placed or not state.get("lines") or m.found.items or m.found.people \
            or (m.found.size in current.sizes and len(current.sizes) > 1):
        return
    hits = [(line, size) for line in state["lines"] if (other := m.ctx.catalogue.get(line.get("sku"))) is not None
            and other.sku != current.sku and len(other.sizes) > 1
            and (size := extract(m.text, other).size) in other.sizes and size not in current.sizes]
    if len(hits) != 1:
        return
    line, line["size"] = hits[0][0], hits[0][1]
    m.found = replace(m.found, size=None)
    m.intent, m.confident = "buy", True
    m.d.say(("close.cart_so_far", {"lines": _described(_cart(state, current, m.ctx.catalogue), current, m.ctx)}))


def _both_said_of_two_items(m: Draft) -> None:
    """"两件都S" with one item ordered (or chosen) and another being bought: the size of each — not two of this one."""
    state, found = m.d.slots, m.found
    others = {line.get("sku") for line in [*(state.get("ordered") or []), *(state.get("lines") or [])]}
    if m.current is not None and found.quantity == 2 and found.size and not found.items \
            and others - {m.current.sku} and re.match(r"\s*(两|俩|2)\s*[件条个样双]?\s*都", simplify(m.text)):
        m.found = replace(found, quantity=None)


def _the_build_told(m: Draft, builds: list[str], found: Extracted, current: ProductView | None, plain: str) -> None:
    """A build told ("胯比较宽", "里面要套毛衣", "宽松一点") is kept for the fit note's size — and where a size was
    advised or only the usual size was said beside the measurements, the advice is given again one size up."""
    state = m.d.slots
    if "loose" in builds and "loose" not in (state.get("build") or []) and current is not None \
            and state.get("size") in current.sizes and not found.size \
            and (up := _sized_up(current, str(state["size"]), ["loose"])):
        state["size"] = up[0]  # ("码你帮我定 宽松一点" after L was advised: the size up)
    elif current is not None and found.size and (found.height or found.weight) and re.search(
            rf"(平时|平常|一般|通常)(都|也)?(穿|着|买|拿)的?\s*{re.escape(found.size.lower())}(?![a-z\d])", plain) \
            and _sized_up(current, str(catalogue_size := m.ctx.catalogue.size_for(
                current, found.height, found.weight)), builds) and catalogue_size in current.sizes:
        # "172 66kg 平时穿L 但他冬天喜欢里面套个毛衣": the usual size is not the advice — the chart and the fit note are
        m.found = replace(found, size=None)  # (the measurements are advised on below, with the build kept here)
    elif current is not None and not found.size and _advised_before(state, current, m.ctx.catalogue) \
            and _sized_up(current, str(state["size"]), builds):
        # "脚背有点高" after 39 was advised for 脚长242: the advice again, one size up as the fit note says
        state["build"] = sorted(set(state.get("build") or []) | set(builds))
        state["size"] = _advise_size(m.d, current, m.ctx.catalogue, state.get("height"), state.get("weight"),
                                     state.get("foot"))
        m.progress = True
    state["build"] = sorted(set(state.get("build") or []) | set(builds))


def _sized_up_already(state: Mapping[str, Any], current: ProductView, catalogue: Catalogue) -> bool:
    """The size in hand is already one up from the chart's, for the build told ("腿粗" → XL for L): "那就大一号"
    takes that size, not another one up."""
    chart = catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))
    up = _sized_up(current, str(chart), state.get("build") or []) if chart else None
    return up is not None and up[0] == state.get("size")


def _advised_before(state: Mapping[str, Any], current: ProductView, catalogue: Catalogue) -> bool:
    """The size in hand is the one the chart gave for the measurements told before (not one the customer chose)."""
    measures = (state.get("height"), state.get("weight"), state.get("foot"))
    return any(measures) and state.get("size") in current.sizes and not state.get("build") \
        and catalogue.size_for(current, *measures) == state.get("size")


# The colour of the item before, for this one ("围巾也要 同色", "帽子要一样的颜色")
_SAME_COLOUR = re.compile(r"同色|同一个?颜色|同个颜色|一样的?颜色|颜色一样|颜色(也)?(同|一样|相同)|相同颜色|同款色|配套的?颜色")


def _the_colour_before(state: Mapping[str, Any], current: ProductView) -> str | None:
    """The colour of the last other item chosen or ordered, if this item is made in it."""
    for line in reversed([*(state.get("lines") or []), *(state.get("ordered") or [])]):
        if line.get("sku") != current.sku and line.get("colour"):
            return str(line["colour"]) if line["colour"] in current.colours else None
    return None


_ONE_SIZE_OFF = re.compile(r"(?:拿|要|拍|买|选|换|就)(大|小)一[号码]")
_FOR_LATER = re.compile(r"(明年|下次|以后|下个月|过段时间|下回|明年夏天|今年冬天再)[^，,。]{0,8}(再买|想买|要买|买一批|再拍|再订)")


# The customer's own, after ordering for someone else ("我自己要黑色的 脚长26.2 平时穿43" after the daughter's pair)
_FOR_ONESELF_TOO = re.compile(r"^(?:那|然后|还有|另外)?\s*(?:我自己|自己|给我自己|给自己|我也)(?:也|就|的话)?\s*(?:要|来|买|拿)")
_A_CHANGE = re.compile(r"改|换|不对|错了|写错|弄错|搞错|不是|不要")


def _one_for_oneself_too(m: Draft) -> None:
    """"我自己要黑色的…" right after ordering someone else's, "白色要XL 给我爸的": one more line for the order, not a
    change of the line ordered."""
    plain = simplify(m.text)
    if (m.product is None or m.product.sku in m.ordered_skus) and (
        (_FOR_ONESELF_TOO.search(plain) and not _A_CHANGE.search(plain))
        or (_FOR_SOMEONE.search(plain) and not re.search(r"改|换", plain))  # ("不对 白色要XL 给我爸的")
    ) and (m.found.colour or m.found.size) and _placed_still_open(m):
        if m.current is None and len(m.ordered_skus) == 1:
            m.current = m.ctx.catalogue.get(str(next(iter(m.ordered_skus))))
        if m.current is not None:
            m.d.slots["product"] = m.current.sku
            m.d.slots["merge_into"] = str(m.placed)
            m.intent, m.confident = "buy", True


def _not_buying(m: Draft) -> None:
    """"好吧 那不买了" with nothing being put together: a goodbye, never "which item to order"."""
    if m.intent == "buy" and m.product is None and not m.d.slots.get("lines") and not m.d.slots.get("product") \
            and _NOT_BUYING.search(simplify(m.text)):
        m.intent, m.confident = "thanks_bye", True


_NOT_BUYING = re.compile(r"(不|没)(买|要|拍|下单)(了|啦|咯)|算了不(买|要)|先不(买|要|拍)了?")


def _the_one_before_too(m: Draft) -> None:
    """"阔腿裤也要黑色 也M" after choosing the shirt in black M and asking whether the trousers go with it — or an
    order of the socks after asking their price while the address was asked for the tee: the item chosen before is
    a line of the order too, not forgotten when the next one was talked about."""
    state, current, plain = m.d.slots, m.current, simplify(m.text)
    seen = [sku for sku in state.get("seen") or [] if current is not None and sku != current.sku]
    kept = (state.get("chosen_of") or {}).get(seen[-1]) or {} if seen else {}
    before = m.ctx.catalogue.get(seen[-1]) if seen else None
    if current is None or before is None or m.placed or state.get("lines") or not before.in_stock \
            or kept.get("size") not in before.sizes or kept.get("colour") not in before.colours \
            or not (m.found.size or m.found.colour or m.found.quantity) or _ASKS.search(plain) \
            or not (_TOO_OF_THE_NEXT.search(plain) or (kept.get("collected") and m.intent == "buy")):
        return
    state["lines"] = [{"sku": before.sku, "size": kept["size"], "colour": kept["colour"],
                       "quantity": int(kept.get("quantity") or 1)}]
    m.intent, m.confident = "buy", True


_TOO_OF_THE_NEXT = re.compile(r"也(要|来|买|拿|想要|是|一样|[SMLXsmlx\d])")


def _about_the_item_just_ordered(m: Draft) -> None:
    """With no item in focus or named, a question about the item just ordered is about it — read on its own."""
    said, text, state, ctx, intent = m.said, m.text, m.d.slots, m.ctx, m.intent
    own_reading = intent if intent not in DISPUTE_TYPES or (said.alone_dispute if said.alone_dispute is not None
                                                              else 1.0) >= _SURE_DISPUTE else "other"
    if intent in DISPUTE_TYPES and _STOCK_COUNT.search(simplify(text)) and not _reports_fault(text):
        own_reading = "product_inquiry"  # ("库存就剩几件了？那赶紧的": how many are left, no complaint)
    if m.current is None and m.product is None \
            and (asked := _about_ordered(state, text, m.found, own_reading, ctx)) is not None:
        # "我一米六 50kg 男朋友175 68kg 各自著咩码啊" / "会唔会甩色" just after ordering the jacket: the jacket
        # (read on its own: "库存就剩几件了" is no complaint about the order)
        m.current, m.intent = asked, own_reading
        m.said = replace(said, is_dispute=False, intent=own_reading)
        state["product"] = state["borrowed"] = asked.sku  # (in view for questions; it is ordered already)
        m.found = extract(text, asked, expecting=state.get("pending"), catalogue=ctx.catalogue, recent=m.recent)
        if m.intent in ("other", "greet", "affirm") or not m.confident or SIZE_QUESTION.search(simplify(text)) or (
                m.intent == "return_refund" and not re.search(r"退|换", simplify(text))):
            m.intent, m.confident = "product_inquiry", True  # ("库存就剩几件了？那赶紧的" asks about stock, not a return)


def _leave_out_the_ordered(m: Draft) -> None:
    """Lines of the order just placed, said beside the new item's, are not bought again."""
    if m.current is not None:
        m.found, m.current = _without_ordered(m.d.slots, m.found, m.current, m.text, m.ctx.catalogue)


def _a_choice_is_a_purchase(m: Draft) -> None:
    """A variant chosen is bought — the first that applies: a bare size or colour for the item in focus, two items
    each with its variant, a colour chosen instead of another."""
    state, text, said, ctx, current, found = m.d.slots, m.text, m.said, m.ctx, m.current, m.found
    if current is not None and not m.clicked and (m.intent in ("other", "greet") or not m.confident or (
        m.intent == "deny" and _chooses(text)  # ("他腿不粗 就L吧": its 不 is about his legs)
    )) and (found.size or found.colour or found.items) and not _ASKS.search(simplify(text)) \
            and len(simplify(text)) <= 16 and not (m.placed and current.sku in m.ordered_skus) \
            and not _PAST_BUY.search(simplify(text)):  # ("上个月在你们这买了二十件白T恤 现在财务要发票": bought before)
        m.intent, m.confident = "buy", True  # "XL" / "阿爸M 阿媽S" answering "您平时穿什么码呢": the choice, not chit-chat
    elif (current is not None or (found.items and all(item.sku for item in found.items))) and not m.clicked \
            and m.intent in ("product_inquiry", "other", "ask_recommendation", "buy") \
            and len({item.sku for item in found.items}) >= 2 and all(item.colour or item.size for item in found.items) \
            and not said.is_dispute and not re.search(r"[吗么嘛呢?？]|有没有|有货|还有", simplify(text)):
        m.intent, m.confident = "buy", True  # "衬衫浅蓝XL，牛仔裤深蓝XL": two items, each with its variant — ordered
        if current is None and (leading := ctx.catalogue.get(found.items[0].sku)) is not None:
            _focus(state, leading)
            m.current = leading
            m.found = replace(found, items=tuple(replace(item, sku=None) if item.sku == leading.sku else item
                                                 for item in found.items))
    elif current is not None and not m.clicked and (m.intent in ("doubt", "product_inquiry", "other") or (
        m.intent == "deny" and _switches_to_colour(text, found.colour))) \
            and (found.colour in current.colours or found.size in current.sizes) and not said.is_dispute \
            and (_SWITCH_TO.search(simplify(text)) or _chooses(text) or _switches_to_colour(text, found.colour)
                 or re.search(r"(?<![对是])吧(?![^，,。\s]*[吗么])", simplify(text))) \
            and not re.search(r"[吗么嘛呢?？]|哪|会不会|能不能|有没有|有货|还有|(.)[不唔]\1", simplify(text)) \
            and not (state.get("order_no") and current.sku in m.ordered_skus):
        m.intent, m.confident = "buy", True  # "等下 还是换深蓝吧 浅蓝怕显脏": the colour chosen instead, with its reason
    elif current is not None and not m.clicked and m.intent in _ASKED_BESIDE_AN_ORDER and not said.is_dispute \
            and not _NO_INVOICE_IN_PARCEL.search(simplify(text)) and current.sku not in m.ordered_skus \
            and not _PAST_BUY.search(simplify(text)) and (
                m.intent != "return_refund" or _RETURN_AHEAD.search(simplify(text))) and (
        chosen := next((c for c in _SENTENCE_END.split(text) if c.strip() and _chooses_variants(c, current)), None)
        or next((c for c in text.split() if _chooses_variants(c, current)), None)
    ):  # "好的，那就L、XL、XXL各一件。可以开发票吗": the order goes on, and the question is answered beside it
        question = Request(m.intent, text.replace(chosen, " ").strip(), first=not text.startswith(chosen))
        m.said = replace(said, also=(*said.also, question))
        m.intent, m.confident = "buy", True


# Requests a message may make beside choosing the item's variants; the choice is the order, the request answered too.
# (a shipping question beside a choice: _a_variant_chosen)
_ASKED_BESIDE_AN_ORDER = frozenset({"invoice", "return_refund"})
# A return asked about ahead, before buying ("如果收到覺得顏色不喜歡可以退嗎", "要是穿着不合适能退吗") — not an exchange of
# something that came ("想换成S码 吊牌都在")
_RETURN_AHEAD = re.compile(r"(如果|要是|万一|假如|到时候?)[^，,。]{0,14}(退|换)")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def _chooses_variants(clause: str, current: ProductView) -> bool:
    """Whether a clause picks sizes or colours of the item in focus, asking nothing ("那就L、XL、XXL各一件")."""
    found = extract(clause, current)
    plain = re.sub(r"还是(?=[^，,。]*吧)", "", simplify(clause))  # ("那还是深蓝吧": chosen after all, no question)
    return not _ASKS.search(plain) and (
        found.size in current.sizes or found.colour in current.colours
        or any(i.size in current.sizes or i.colour in current.colours for i in found.items if i.sku in (None, current.sku)))


def _switches_to_colour(text: str, colour: str | None) -> bool:
    """"啊不对浅蓝我有了 换黑色": the colour switched to, said after 换/改."""
    return bool(colour) and bool(re.search(r"(换|改)(成|到|为)?\s*" + re.escape(simplify(str(colour)).removesuffix("色")),
                                           simplify(text)))


def _lines_for_people(m: Draft) -> None:
    """Sizes given for several people of the item in focus are its lines — bought, unless it is a complaint or a
    person is asked for. So are several people's measurements with a colour each, in one message that asks nothing
    ("她165 116斤 雾霾蓝 我175 140斤 浅灰 李俊 138…"): each person's size from the chart, their colour, a line each."""
    if m.current is not None and len(m.found.people) >= 2 and not m.d.slots.get("lines") and (
            not _ASKS.search(plain := simplify(m.text)) or (SIZE_QUESTION.search(plain) and _BUYS.search(plain))):
        # (and "…要藏青色的…他喜欢灰色的 你帮我看看穿什么码" from one buying: the sizes asked are the chart's)
        sized = [{"who": p.who, "size": p.size if p.size in m.current.sizes else m.ctx.catalogue.size_for(
            m.current, p.height, p.weight, p.foot)} for p in m.found.people]
        made = _people_lines({"people": {"sku": m.current.sku, "who": sized}}, m.text,
                             replace(m.found, people=(), size=None, items=()), m.current)
        if all(p["size"] for p in sized) and made and all(i.colour for i in made):
            m.d.slots["people"] = {"sku": m.current.sku, "who": sized}
            others = tuple(  # ("…再加一条酒红色的羊毛围巾给我妈": another item named with its colour, a line too)
                replace(item, size=item.size or product.sizes[0]) for item in m.found.items
                if item.sku and item.sku != m.current.sku and (product := m.ctx.catalogue.get(item.sku)) is not None
                and item.colour in product.colours and (item.size in product.sizes or len(product.sizes) == 1))
            if SIZE_QUESTION.search(plain):  # (the sizes asked: the chart's, said before the order goes on)
                advice = people_advice(m.current, m.found.people, m.ctx.catalogue)[0]
                m.d.say(("close.sizes_for_people", {"product": m.current.name, "advice": Joined(tuple(advice), "；")}))
            m.found = replace(m.found, items=made + others, size=None, colour=None, quantity=None)
            if m.intent not in DISPUTE_TYPES and m.intent != "human":
                m.intent, m.confident = "buy", True
            return
    if m.placed and m.current is not None and m.current.sku in m.ordered_skus \
            and re.search(r"不要|不想要|换|改", simplify(m.text)):
        return  # ("他刚说不要蓝的 要浅灰" after ordering: a change to that person's line, not another order)
    if m.current is not None and (for_people := _people_lines(m.d.slots, m.text, m.found, m.current)) and not (
        m.intent == "invoice" and m.placed and {(m.current.sku, i.size) for i in for_people} <= {
            (line.get("sku"), line.get("size")) for line in m.d.slots.get("ordered") or ()}
    ):  # ("那就按你说的三个码各一件。可以开发票吗" when those three are the order just placed: the invoice is asked)
        m.found = replace(m.found, items=for_people, size=None, colour=None, quantity=None)
        if m.intent not in DISPUTE_TYPES and m.intent != "human":
            m.intent, m.confident = "buy", True


# Buying said beside a size question ("…要藏青色的…他喜欢灰色的 你帮我看看穿什么码")
_BUYS = re.compile(r"(要|买|拍|来|喜欢)[^，,。？?\s]{0,5}(色|的)|各[一两1-2]|一人一|每人一|下单")


_FACT_ASKING = frozenset({"doubt", "product_inquiry", "other", "shipping_inquiry"})
_GREETING = re.compile(r"^\s*(在吗|在不在|你好|您好|亲)[\s，,。!！~～]*")


def _an_item_for_each_person(m: Draft) -> None:
    """"女儿155 84斤 想要那个百褶半身裙 黑色的 儿子173 130斤 要纯棉那个圆领短袖 也黑色": each person's words name their
    own item (by any words the shop knows it by) and its colour — a line each, sized next from its own chart."""
    found, catalogue = m.found, m.ctx.catalogue
    if m.current is None or len(found.people) < 2 or len(found.items) >= 2 or m.d.slots.get("lines"):
        return
    plain, starts, at = simplify(m.text), [], 0
    for person in found.people:
        if (at := plain.find(person.who, at)) < 0:
            return
        starts.append(at)
        at += len(person.who)
    items: list[Item] = []
    for start, end in zip(starts, [*starts[1:], len(plain)], strict=True):
        product = catalogue.find(plain[start:end])
        colour = extract(plain[start:end], product).colour if product is not None else None
        if product is None or colour not in product.colours:
            return
        items.append(Item(colour=colour, sku=product.sku))
    if len({item.sku for item in items}) >= 2:
        m.found = replace(found, items=tuple(items), colour=None, size=None)


def _sizes_of_the_items_named(m: Draft) -> None:
    """Several items named with their colours and measurements, asking nothing — "高腰直筒牛仔裤浅蓝色 我160 100斤
    儿子要纯棉圆领T恤黑色 他172 130斤…", "她152cm 42公斤 脚长22.8 想要条纹T恤白底红条 百褶裙雾霾蓝 还有小白鞋白色":
    each item's size from its own chart, for the person named after it (or the one person measured), and the
    lines bought."""
    current, found = m.current, m.found
    if current is None or len(found.items) < 2 or _ASKS.search(_GREETING.sub("", simplify(m.text))) or m.d.slots.get("lines") \
            or m.intent in DISPUTE_TYPES or m.intent == "human":
        return
    items = [(item, m.ctx.catalogue.get(item.sku) if item.sku else current) for item in found.items]
    if len({product.sku for _, product in items if product}) < 2 or any(product is None for _, product in items):
        return
    charted = [i for i, (item, product) in enumerate(items) if not item.size and product and product.size_chart]
    people = list(found.people)
    if people and len(people) != len(charted):
        return  # (who each measurement is for is not clear)
    if not people and not (found.height or found.weight or found.foot):
        return
    sized: list[Item] = []
    for i, (item, product) in enumerate(items):
        assert product is not None
        size = item.size or (product.sizes[0] if len(product.sizes) == 1 else None)
        if size is None and i in charted:
            who = people[charted.index(i)] if people else None
            size = m.ctx.catalogue.size_for(product, who.height if who else found.height,
                                            who.weight if who else found.weight, who.foot if who else found.foot)
        colour = item.colour or (product.colours[0] if len(product.colours) == 1 else None)
        if size is None or colour is None:
            return
        sized.append(replace(item, size=size, colour=colour))
    m.found = replace(found, items=tuple(sized), people=(), size=None, colour=None)
    m.intent, m.confident = "buy", True


def _ordered_twice(m: Draft) -> None:
    """An order placed twice is one to cancel, not a third to buy."""
    if m.intent in ("buy", "product_inquiry", "other", "greet") and _TWICE_ORDERED.search(simplify(m.text)) \
            and not m.said.is_dispute:
        # "我刚刚拍了两次一样的睡衣 重复了": an order placed twice — one to cancel, not a third to buy
        m.intent, m.confident = "modify_order", True
        m.found = replace(m.found, size=None, colour=None, quantity=None, items=())
        for detail in ("product", "size", "colour", "quantity", "lines"):
            m.d.slots.pop(detail, None)
        m.current = None


def _an_exchange_of_what_came(m: Draft) -> None:
    """Something bought before that does not fit (and nothing is wrong with it) is an exchange, not a new
    purchase."""
    plain = simplify(m.text)
    if m.intent in ("buy", "product_inquiry", "other", "doubt") and _PAST_BUY.search(plain) \
            and _FIT_ONLY.search(plain) and not _DEFECT.search(plain) \
            and not _ADD_MORE.search(plain) and not m.said.is_dispute and not _asks_of_the_one_in_view(m, plain):
        # "我前几天买的毛衣 杏色 M的 穿起有点大": an exchange of what came, not a new purchase of it
        m.intent, m.found = "return_refund", replace(m.found, size=None, colour=None, quantity=None, items=())
        for detail in ("product", "size", "colour", "quantity", "lines"):
            m.d.slots.pop(detail, None)
        m.current = None


def _asks_of_the_one_in_view(m: Draft, plain: str) -> bool:
    """"洗了会不会缩啊 上次买的一洗就小了" with the pyjamas in view and nothing bought here: a question about them,
    the last purchase (elsewhere) the reason for asking."""
    return m.current is not None and not m.ctx.orders and bool(_ASKS.search(plain)) \
        and bool(_facts.asked(m.text, m.ctx.catalogue.names))


def _read_so_far(m: Draft) -> None:
    """The intent read so far is the decision's; measurements given after asking about a return are for the
    exchange (told before an answer to "换成…还是再加一件" can make the message a purchase)."""
    m.d.intent = m.intent
    plain = simplify(m.text)
    m.exchange_sizing = m.slots.get("last_intent") == "return_refund" \
        and m.intent in ("buy", "product_inquiry", "other", "affirm") \
        and not m.said.is_dispute and bool(m.found.height or m.found.weight or m.found.foot) \
        and not (_ADD_MORE.search(plain) or _ORDER_PUSH.search(plain) or re.search(r"买|拍", plain))


def _change_or_add_answered(m: Draft) -> None:
    """"再加一件" to "换成…，还是再加一件？": the variant asked about, added to the order just placed."""
    state, plain, found = m.d.slots, simplify(m.text), m.found
    asked_which = state.pop("change_or_add", None)
    if isinstance(asked_which, dict) and state.get("order_no") \
            and (item := m.ctx.catalogue.get(str(asked_which.get("sku")))) is not None \
            and (_ADD_MORE.search(plain) or re.fullmatch(r"(再|多)?(加|要|来)一[件条双套顶个]|都要|加吧|再加", plain.strip())) \
            and not (found.size or found.colour or found.items):
        _focus(state, item)
        state.update({k: v for k, v in asked_which.items() if k in ("size", "colour")})
        state["merge_into"] = str(state["order_no"])
        m.current, m.intent, m.confident = item, "buy", True
        m.d.intent = m.intent


def _size_for_the_exchange(m: Draft) -> Decision | None:
    """Measurements while exchanging an item: the size they give — no new purchase."""
    if not (m.exchange_sizing and m.current is not None and m.current.size_chart):
        return None
    # "我156 45公斤 S应该可以吧" while exchanging a skirt: the size their measurements give — no new purchase
    for detail in ("size", "colour", "quantity", "lines"):
        m.d.slots.pop(detail, None)
    m.d.intent = "return_refund"  # (the exchange goes on: its postage and address are asked next)
    _advise_size(m.d, m.current, m.ctx.catalogue, m.found.height, m.found.weight, m.found.foot)
    return m.d


def _note_the_choice(m: Draft) -> None:
    """A variant chosen for the item in focus is kept when the next item is talked about."""
    plain = simplify(m.text)
    if m.current is not None and (m.found.size or m.found.colour) and (_chooses(m.text) or _SWITCH_TO.search(plain)) \
            and not re.search(r"吗|么|嘛|呢|[?？]", plain):
        m.d.slots["chose"] = m.current.sku  # ("裤子还是换L吧": chosen, kept when the next item is talked about)


# "不用人工了" / "不用转人工了" / "取消排队" / "你能回答就行": the person asked for is no longer wanted
_NO_PERSON = re.compile(r"(不用|不要|不需要|无需|甭|别)再?(转|找|叫|等|麻烦)?(人工|真人|客服|同事|人了)|取消(人工|转接|排队)|"
                        r"你能?(回答|答|解决|回复?)了?(就行|就可以|就好|也行)")


def _a_person_no_longer_wanted(m: Draft) -> Decision | None:
    """"哦 你能回答就行 不用人工了" while waiting for the person the customer asked for (not for a complaint): the
    chat leaves the agents' queue; a question said with it is answered next."""
    plain = simplify(m.text)
    if m.status != Status.WAITING_AGENT or m.slots.get("escalated") != "human" or not _NO_PERSON.search(plain):
        return None
    m.status = m.d.status = Status.BOT
    m.d.slots["escalated"] = None
    m.d.actions.append(WithdrawQueue())
    m.d.say(("handoff.withdrawn", {}))
    rest = _NO_PERSON.sub("", plain)
    if not (_ASKS.search(rest) or "几" in rest or m.product is not None):
        return m.d
    m.intent = str(m.said.alone_intent) if m.said.alone_intent in _SALES_INTENTS else "product_inquiry"
    m.said, m.d.intent = replace(m.said, is_dispute=False, intent=m.intent), m.intent
    m.confident = True
    return None


def _bought_while_the_complaint_waits(m: Draft) -> None:
    """While a complaint waits for a person, the item of the complaint in a variant someone else also wants is
    bought."""
    state, text = m.d.slots, m.text
    m.waiting = m.status == Status.WAITING_AGENT and m.slots.get("escalated") == "dispute"
    m.alone = m.said.alone_dispute if m.said.alone_dispute is not None else m.said.dispute_probability
    if m.waiting and m.product is None and (m.found.colour or m.found.size) and _ALSO_WANTS.search(simplify(text)) \
            and (product := _disputed_product(m.slots, m.ctx)) is not None:
        m.product = product
        _focus(state, product)  # "我同事也想要一件 黑色S还有吗": the item of the complaint, bought for someone else
        m.current, state["buying_while_waiting"] = product, True
        m.found = extract(text, product, expecting=None, catalogue=m.ctx.catalogue, recent=state.get("seen") or ())


def _served_while_waiting(m: Draft) -> Decision | None:
    """While a person is coming: a purchase, or a question about another item, is served now; a plain question is
    answered (the wait goes on); anything else about the complaint is heard for it."""
    state, slots, text, said, product = m.d.slots, m.slots, m.text, m.said, m.product
    if _details_for_the_change(m):
        return None  # ("奶白色 M 那个" while a colleague cancels an order: which order, not a purchase)
    if state.pop("only_asked_while_waiting", None):
        state.pop("buying_while_waiting", None)  # (a question about another item was answered; nothing is bought)
    if product is None and m.status == Status.WAITING_AGENT and SIZE_QUESTION.search(simplify(text)) \
            and (m.found.height or m.found.weight or m.found.foot) and not _reports_fault(text):
        # "还有我一米六 一百斤 穿M还是L" about the skirt her complaint named: its size
        m.product = product = _disputed_product(slots, m.ctx)
        if product is not None and state.get("product") != product.sku:
            _focus(state, product)
            m.current = product
    # (read alone: in the complaint's context every message leans to going on with it)
    sizing = product is not None and bool(SIZE_QUESTION.search(simplify(text))) and bool(
        m.found.foot or m.found.height or m.found.weight) and not _reports_fault(text)
    if m.status == Status.WAITING_AGENT and (m.alone < _SURE_DISPUTE or sizing) and m.intent != "human" and (
        sizing or state.get("buying_while_waiting") or (product is not None and (
            said.alone_intent == "buy" or _chooses(text)
            # "算了顺便问下 我168 120斤 那个男士牛仔裤到底穿什么码": a question about another item, answered now
            or (said.alone_intent in ("product_inquiry", "ask_recommendation", "doubt") and _ASKS.search(simplify(text))
                and not _named_as_a_place(text, product)  # ("蹭得毛衣上全是白毛 这正常吗": the fault, not the sweater)
                and ((disputed := _disputed_product(slots, m.ctx)) is None or disputed.sku != product.sku))))
    ):
        # "先不管那个了，帽子来一顶": the complaint stays in the queue for a person; the purchase is served now (a
        # question about another item is answered, and the next message is read afresh: "希望能换一件" is the
        # complaint's again)
        if not state.get("buying_while_waiting"):
            state["only_asked_while_waiting"] = not (sizing or said.alone_intent == "buy" or _chooses(text))
        state["buying_while_waiting"] = True
        said = replace(said, is_dispute=False, intent=said.alone_intent or "buy")
        if m.intent in DISPUTE_TYPES or sizing or m.intent == "doubt":  # (its own reading: a question stays one)
            m.intent = "product_inquiry" if sizing or said.alone_intent == "doubt" \
                else said.alone_intent if said.alone_intent in _SALES_INTENTS else "buy"
            said = replace(said, intent=m.intent)
        m.said, m.d.intent = said, m.intent
    elif m.waiting and isinstance(slots.get("intake"), dict) and slots["intake"].get("ask") is None \
            and _asks_aside(said, text, slots["intake"]) and not m.clicked:
        # "这件怎么洗啊" / "你们几点下班" while the complaint waits: a plain question, answered now — the complaint
        # stays in the queue as it is
        state.pop("buying_while_waiting", None)
        m.asking = True
        m.intent = str(said.alone_intent) if said.alone_intent in _ASIDE_INTENTS else "product_inquiry"
        m.said, m.d.intent = replace(said, is_dispute=False, intent=m.intent), m.intent
    elif m.waiting and isinstance(slots.get("intake"), dict):
        state.pop("buying_while_waiting", None)
        return _listen(m.d, said, m.ctx, m.found, m.intent, text in m.offered)
    elif m.status == Status.WAITING_AGENT and slots.get("escalated") != "dispute" and m.intent != "human" \
            and _A_SHOP_QUESTION.search(plain := simplify(text)) and not _reports_fault(text) \
            and not _SERVICE_FAULT.search(plain) and not _A_PERSON.search(plain):
        # "就是问下你们有没有小孩衣服" while waiting for the person asked for: answered now — the wait goes on
        m.intent = str(said.alone_intent) if said.alone_intent in _SALES_INTENTS else "product_inquiry"
        m.said, m.d.intent = replace(said, is_dispute=False, intent=m.intent), m.intent
        m.asking, m.confident = True, True
    return None


# A question about what the shop sells ("有没有小孩衣服", "最小的码小孩能穿不", "多少钱")
_A_SHOP_QUESTION = re.compile(r"有没有|有冇|有[^，,。\s]{1,6}吗|能穿|穿得(下|了)|多少钱|几码|什么码|啥码|包邮|什么颜色|啥颜色|"
                              r"(码|颜色|料子|面料)[^，,。\s]{0,4}(吗|不|么|呢)")


def _no_words(m: Draft) -> Decision | None:
    """A message with no words: a photo is asked what it is about; nothing at all gets the menu."""
    if m.text:
        return None
    if m.said.image:  # a photo with no words: ask what it is about
        m.d.say(("other.image", {}), buttons=("咨询商品", "退换货", "转人工"))
    else:
        m.d.say(("other.empty", {}), buttons=MENU)
    return m.d


def _a_pause(m: Draft) -> Decision | None:
    """"等下 到站了", "稍等 开会", "等下 娃哭了": a moment away, nothing else said — the chat waits, with the question it
    was on kept. (And "等我女儿周末回来帮我下 谢谢啊": a purchase for later, with thanks — a goodbye.)"""
    plain = simplify(m.text)
    if m.status == Status.BOT and not m.clicked and _PAUSE.search(plain) and (
        not _PAUSE_FILLER.sub("", _PAUSE.sub("", plain)) or (  # (a short reason with it, and nothing else)
            len(plain) <= 16 and not _ASKS.search(plain) and m.product is None and not _reports_fault(m.text)
            and not re.search(r"\d|不是|不对|改|换|错", plain)  # ("对 等下 是12栋 不是21栋": a correction)
            and not mentions_any(m.text, _CANCEL) and not (m.found.items or m.found.size or m.found.colour
                                                           or m.found.address or m.found.phone or m.found.quantity))
    ):
        m.d.say(("other.pause", {}))
        m.d.intent = "other"
        return m.d
    if m.status == Status.BOT and not m.clicked and _ANOTHER_DAY.search(plain) and not _ASKS.search(plain) \
            and not (m.found.items or m.found.size or m.found.colour or m.found.address) and m.product is None \
            and not m.said.is_dispute and m.intent in ("buy", "other", "affirm", "thanks_bye", "product_inquiry"):
        m.intent, m.confident = "thanks_bye", True
    return None


def _a_score(m: Draft) -> Decision | None:
    """A score, given when asked how the chat went."""
    if m.slots.get("pending") == Pending.CSAT and m.status == Status.BOT:
        score = _csat_score(m.text)
        if score is not None:
            return _csat(m.d, score, m.text)
    return None


def _while_a_change_is_made(m: Draft) -> Decision | None:
    """A word about the order while a colleague changes or cancels it."""
    if m.status == Status.WAITING_AGENT and m.d.slots.get("change_waiting") and (m.current is None and (
            not m.said.is_dispute and m.intent in ("shipping_inquiry", "order_status", "modify_order",
                                                   "return_refund", "other", "affirm", "deny", "doubt"))
            or _details_for_the_change(m)):
        return _while_a_colleague_changes(m.d, m.text)
    return None


def _details_for_the_change(m: Draft) -> bool:
    """"奶白色 M 那个" while a colleague changes or cancels an order: which order it is — a detail for them, not a
    purchase (nothing in it buys: no 买, 要, 来, 再…)."""
    plain = simplify(m.text)
    return m.status == Status.WAITING_AGENT and bool(m.d.slots.get("change_waiting")) \
        and bool(m.found.colour or m.found.size) and not m.found.items and not m.found.address \
        and not re.search(r"买|要|来|拿|再|也|加|换成|改成|下单", plain) and not _ASKS.search(plain)


def _a_person_is_coming(m: Draft) -> Decision | None:
    """While a person is coming, a complaint, a greeting, a shaky reading or a new address waits for them."""
    if m.status == Status.WAITING_AGENT and not m.d.slots.get("buying_while_waiting") and not m.asking and (
        m.said.is_dispute or m.intent in ("human", "greet") or not m.confident or m.slots.get("escalated") == "dispute"
        or (m.current is None and bool(m.found.address or m.found.phone))  # (a new address for the colleague to use)
    ):  # ("有人吗" while waiting is asking for the person, not a greeting to welcome)
        # A person is coming. A customer with a dispute is not sold to meanwhile; one who only asked
        # for a person still gets plain answers to plain questions.
        plain = simplify(m.text)
        if m.slots.get("cancel_mentioned") and not m.slots.get("intake") and not _OVERDUE.search(plain) and (
            _REFUND_WHEN.search(plain) or _REFUND_HOW.search(plain)
        ):  # "钱什么时候退回来我是用微信付的" while a colleague looks for the order to cancel: when and where
            _refund_of_a_cancel(m.d, m.slots, m.ctx, plain)
        m.d.actions.append(AnnounceQueue(again=True))
        return m.d
    return None


def _an_edit_button(m: Draft) -> Decision | None:
    """An edit button, clicked while the order is read back or changed."""
    if m.text in _EDIT_BUTTONS and m.slots.get("pending") in (Pending.CHANGE, Pending.READBACK, Pending.MODIFY):
        return _edit(m.d, _EDIT_BUTTONS[m.text], m.ctx)
    return None


_A_CHANGE_ASKED = re.compile(r"地址[^，,。]{0,6}(错|旧|改|换)|(填|写)(错|成旧)|改(个|一下)?地址|换(个|一下)?地址|取消(订单|这单|那单)?$|不想要了")


def _is_it_a_problem_answered(m: Draft) -> Decision | None:
    """The answer to "是订单出了问题吗？": a clear no, or a statement that tells of nothing wrong at all
    (``_says_nothing_wrong``), keeps the chat with the bot; anything else — yes, more about the problem, a shrug, an
    angry word — goes to a person with the complaint."""
    state, slots, text, said = m.d.slots, m.slots, m.text, m.said
    if slots.get("pending") != Pending.DISPUTE_CHECK:
        return None
    nothing_wrong = _says_nothing_wrong(m)
    choosing = m.current is not None and (m.found.size in m.current.sizes or m.found.colour in m.current.colours) \
        and not _grounds(text, strict=True) and text != _YES_PROBLEM and not _ORDERED_BEFORE.search(simplify(text)) \
        and not _ASKS.search(simplify(text)) \
        and not _reports_fault(str(slots.get("dispute_words") or ""))  # ("M，跟去年一样": shopping — a size chosen)
    # ("我昨天买了件条纹长袖 地址填成旧的了": a change to the order asked for — nothing wrong with the goods or the shop)
    change = bool(_A_CHANGE_ASKED.search(simplify(text))) and not _reports_fault(text)
    if not _clear_no(text, said, m.intent, m.confident, m.found) and not nothing_wrong and not choosing and not change:
        label = said.dispute_label if said.is_dispute and said.dispute_label else None
        guess = label or str(slots.get("dispute_guess") or "complaint_product")
        opening = str(slots.get("dispute_words") or "")
        yes = text == _YES_PROBLEM or m.intent == "affirm"
        words = opening if yes else "\n".join(w for w in (opening, text) if w)
        return _dispute(m.d, replace(said, text=words or text, intent=guess, dispute_label=guess), m.ctx,
                        extract(words or text, m.current))
    state["pending"] = None
    state.pop("dispute_words", None)
    if said.is_dispute:  # read in the question's context it leaned to a complaint; the customer said no
        m.intent = said.alone_intent if said.alone_intent and said.alone_intent not in DISPUTE_TYPES else "other"
        m.said = replace(said, intent=m.intent, is_dispute=False, dispute_label=None, dispute_probability=0.0)
        m.d.intent = m.intent
    if choosing:
        m.intent, m.confident = "buy", True
    elif change:
        m.intent, m.confident = "modify_order", True
        m.said, m.d.intent = replace(m.said, intent=m.intent, is_dispute=False, dispute_label=None), m.intent
    elif not nothing_wrong and (text == _NO_PROBLEM or m.intent in ("deny", "affirm", "other") or not m.confident):
        m.d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
        return m.d
    return None  # "不是，我想问下这件有L码吗": the no, and the question it came with, answered as usual


def _says_nothing_wrong(m: Draft) -> bool:
    """An answer to "是订单出了问题吗？" that neither says yes nor tells of anything wrong ("回来了就是平时买菜接孙子穿
    里面还得套毛衣" after "孙子跑了我去追一下"): the chat goes on about what it says."""
    plain = simplify(m.text)  # (a shrug or a retort — "你说呢" — is no such answer: it goes to a person)
    if any(word in plain for word in _ROBOT_WORDS) and not _reports_fault(m.text):
        return True  # "你是真人还是机器啊": a question about the assistant, answered as one
    if m.text != _YES_PROBLEM and _PRAISE.search(plain) and not _ASKS.search(_FAULT_DENIED.sub(" ", plain)) \
            and not _reports_fault(_FAULT_DENIED.sub(" ", plain)):
        return True  # "穿了一冬天都没怎么起球 挺好的": praise of what was bought before
    return m.text != _YES_PROBLEM and m.intent != "affirm" and len(plain) >= 6 and not _ASKS.search(plain) \
        and not _grounds(m.text)


_PRAISE = re.compile(r"挺好|很好|不错|满意|好穿|很舒服|挺舒服|喜欢|好评|质量好|质量挺好")
# A fault said not to have happened ("没怎么起球", "一点不掉色")
_FAULT_DENIED = re.compile(r"(没|没有|不|一点不|一点都不|从不)(怎么|太|咋)?(起球|掉色|褪色|缩水|变形|掉毛|起毛|开线|破)")


# What a complaint stands on: something bought, sent, paid, said or done — or words of anger
_GROUNDS = re.compile(r"订单|单子|这单|那单|快递|物流|包裹|发货|退|换|钱|付款|扣|收到|到货|寄|送|签收|货|客服|人工|店|你们|"
                      r"垃圾|骗|气死|无语|搞什么|什么破|玩意|[!！]|[?？]{2}|怎么|咋|为啥|啥情况|多久|几天|还没|没|不|差|假|错|少|漏|问题|"
                      r"质量|新的|新机|就这样|说好|等")


def _grounds(text: str, *, strict: bool = False) -> bool:
    """Whether a message holds anything a complaint could be about (see ``_GROUNDS``) — "我们天天穿护士服 下班就想穿
    舒服点的" holds nothing of the kind; ``strict``: something wrong told, not only words a complaint may use ("你说的
    我听不懂" has a 不 and tells nothing wrong)."""
    plain = simplify(text)
    return any(r.search(plain) for r in (_FAULT_WORDS, _RECEIVED, _DEFECT, _SERVICE_FAULT, _PAST_BUY, _FIT_ONLY,
                                         *(() if strict else (_GROUNDS,))))


def _shopping(m: Draft) -> bool:
    """Whether the chat so far is a sale being talked about (an item in view or shown, a shopping question last)."""
    return not m.ctx.first_message and bool(
        m.slots.get("product") or m.slots.get("candidates") or m.slots.get("last_intent") in _SALES_INTENTS)


def _a_complaint(m: Draft) -> Decision | None:
    """A message read as a complaint: something else by what surrounds it; a complaint when sure; an answer
    mid-order; else asked about once ("是订单出了问题吗？")."""
    d, state, slots, text, said, found, current = m.d, m.d.slots, m.slots, m.text, m.said, m.found, m.current
    answered = slots.get("pending") in _SLOT_QUESTIONS and bool(_new_details(state, found))
    if not said.is_dispute or m.clicked or (answered and said.intent not in DISPUTE_TYPES):
        # (an address or size given right after the bot asked for it is an answer, not a complaint,
        # unless the classifier's own best reading is a complaint)
        return None
    if (instead := _not_a_complaint(d, said, m.ctx, slots, text, found, current=current, product=m.product,
                                    placed=m.placed, ordered_skus=m.ordered_skus, waiting=m.waiting)) is not None:
        m.intent, m.said = instead[0], replace(said, is_dispute=False)
        m.confident = True if instead[1] else m.confident
    elif m.intent == "human" and _A_PERSON.search(simplify(text)) and not _grounds(text, strict=True):
        return None  # "你说的我听不懂 你找个人打电话给我吧": a person asked for, nothing wrong told — handed over as asked
    elif not state.get("dispute_checked") and said.dispute_probability < _SURE_WHILE_SHOPPING \
            and _only_says_what_came(text, m.ctx):  # "你好 我前天收到的百褶裙 卡其色M": what is wrong? asked
        return _ask_if_a_problem(m)
    elif (answered or (slots.get("pending") in _SLOT_QUESTIONS and found.items)) and current is not None \
            and not m.ctx.orders and not _grounds(text, strict=True):
        # "我M 他XL（你们说的就行）" to the size question with nothing bought: the answer, nothing wrong told
        m.intent, m.said = "buy", replace(said, is_dispute=False)
    elif (m.ctx.orders or _grounds(text) or not _shopping(m)) and (
        said.dispute_probability >= (sure := _sure_dispute(d.stage, current, m.ctx, text))
        or (said.intent in DISPUTE_TYPES and sure == _SURE_DISPUTE)
    ):  # (nothing bought, nothing wrong told — "我们天天穿护士服 下班就想穿舒服点的": at most asked about, below)
        return _dispute(d, said, m.ctx, found)
    elif state.get("pending") in (Pending.SIZE, Pending.COLOUR, Pending.QUANTITY, Pending.ADDRESS, Pending.PHONE) \
            and current is not None and not m.ctx.orders:
        # mid-order, an unsure complaint reading of an answer ("你们建议的尺寸就好") is not asked about: the
        # order goes on, and what is still missing is asked again
        m.intent, m.said = "buy", replace(said, is_dispute=False)
    elif current is not None and not m.ctx.orders and (found.items or found.size or found.colour) \
            and not _reports_fault(text) and not _SERVICE_FAULT.search(simplify(text)):
        # "王姐说她有了不用买，就小张和小李两件" with nothing bought yet: lines of the order, not a complaint
        m.intent, m.said = "buy", replace(said, is_dispute=False)
    elif (current or m.product) is not None and not m.ctx.orders and not _reports_fault(text) \
            and not _SERVICE_FAULT.search(plain := simplify(text)) and (
                ((_shopping(m) or _BUYING.search(plain)) and not _grounds(text))
                or (_IN_STOCK_ASKED.search(plain) and not _grounds(text, strict=True))):
        # "哦 那里面套毛衣应该行 老爷子就开春穿穿" about the jacket in view, "我给我外孙买双鞋子 小白鞋 他说同学都穿这个":
        # nothing bought, nothing wrong told — talk of the sale (the item named is introduced)
        m.intent, m.said = "product_inquiry" if m.product is not None else "affirm", replace(said, is_dispute=False)
    elif not state.get("dispute_checked"):
        return _ask_if_a_problem(m)
    return None


_BUYING = re.compile(r"(想|要|准备|打算|给.{1,4})买(一|个|两)?[双件条个顶套包]")
# "冰丝阔腿裤还有货么 看评论说快没了": whether the item named is in stock — a question before buying
_IN_STOCK_ASKED = re.compile(r"(还|现在)?有(没有)?(现)?货|还有(吗|么|嘛|没|没有)|(卖完|断货|断码|缺货|没货)了?(吗|么|嘛|没)")


def _ask_if_a_problem(m: Draft) -> Decision:
    """A weaker signal: one question first ("是订单出了问题吗？"), so a shopper who only mentioned an earlier
    purchase is not handed to the complaints queue — and a real complaint is one click away. Asked once per
    conversation: a customer who said no is not asked again."""
    state = m.d.slots
    state["pending"], state["dispute_guess"] = Pending.DISPUTE_CHECK, m.said.dispute_label
    state["dispute_checked"], state["dispute_words"] = True, m.text[:200]
    m.d.say(("clarify.dispute", {}), buttons=(_YES_PROBLEM, _NO_PROBLEM))
    return m.d


def _when_people_are_on_duty(m: Draft) -> Decision | None:
    """"你们人工客服几点上班？": when people are on duty — answered; the transfer is one click away."""
    if (m.intent == "human" or (m.intent not in DISPUTE_TYPES and not m.said.is_dispute)) and not m.clicked \
            and _HOURS_QUESTION.search(simplify(m.text)):
        m.d.say(("handoff.hours", {}), buttons=("转人工", "继续和小助手聊"))
        return m.d
    return None


def _one_person_measured(m: Draft) -> None:
    """"老头子一米七二 一百四十斤", then "我一米五六 一百零四斤": each person's size kept, as if said in one message — so
    "他要灰的 我要粉的" makes a line each, in its own size (one person alone makes no lines: it is the size chosen)."""
    current, found = m.current, m.found
    if current is None or not current.size_chart or found.people or (m.placed and current.sku in m.ordered_skus) \
            or not (found.height or found.weight or found.foot):
        return
    person = one_person(m.text, shoes=_is_shoe(current))
    size = m.ctx.catalogue.size_for(current, person.height, person.weight, person.foot) if person else None
    if person is None or size is None:
        return
    kept = m.d.slots.get("people") if isinstance(m.d.slots.get("people"), dict) else None
    alone = m.d.slots.pop("person_sized", None)  # (one person so far: no one's lines yet)
    before = (kept.get("who") or []) if kept and kept.get("sku") == current.sku else (
        [{"who": alone.get("who"), "size": alone.get("size")}] if isinstance(alone, dict) and alone.get("sku") == current.sku
        else [])
    self_words = ("我", "自己", "我自己")
    others = [p for p in before if p.get("who") != person.who
              and not (person.who in self_words and p.get("who") in self_words)]  # ("自己178…" then "我178": one)
    if others and not (found.colour or found.items or found.quantity):
        # (a second person measured while choosing — "他180 156斤 浅蓝的吧" — is who it is for now, not a second line)
        m.d.slots["people"] = {"sku": current.sku, "who": [*others, {"who": person.who, "size": size}]}
    else:
        m.d.slots["person_sized"] = {"sku": current.sku, "who": person.who, "size": size}


def _the_address_read_back_again(m: Draft) -> Decision | None:
    """"地址 朱晓燕 139… 四川省成都市…" at the read-back that already shows that address: it is there — said, and the yes
    still waited for (no change made, no other order)."""
    state, found = m.d.slots, m.found
    if m.slots.get("pending") != Pending.READBACK or not found.address or found.size or found.colour or found.items \
            or found.quantity or found.notes or m.intent == "human" \
            or not _same_address(found.address, str(state.get("address") or "")):
        return None
    m.d.intent = "buy"
    m.d.say(("confirm.address_already_in", {"address": _recipient(state)}), buttons=("确认无误", "需要修改"))
    return m.d


def _sent_again(m: Draft) -> Decision | None:
    """The very words of the last message sent again right after the bot acted on them — at the read-back they
    asked for, or just after the order they placed: what they said is done, so it is not the same change or the same
    added item a second time ("…再要一件藏青的 一样大号 就这样下吧" twice). After the order it is said to be placed; at
    the read-back, which already shows it, a go-ahead in it is the yes — else the yes is waited for."""
    text = m.text.strip()[:200]
    if m.clicked or len(text) < 5 or text != m.slots.get("last_said") or m.intent == "human" \
            or m.slots.get("last_intent") in DISPUTE_TYPES:
        return None
    plain = simplify(text)
    if m.slots.get("pending") == Pending.READBACK and not (_YES_FIRST.search(plain) or _GO_AHEAD.search(plain)):
        m.d.say(("confirm.still_waiting", {}), buttons=("确认无误", "需要修改"))
        m.d.intent = "buy"
        return m.d
    if m.slots.get("pending") == Pending.READBACK or (m.placed and not m.slots.get("pending")):
        # (read as it was the first time: the same words do not turn into a complaint on their second sending)
        m.found, m.product, m.noted = Extracted(), None, None
        m.said = replace(m.said, is_dispute=False, dispute_label=None, dispute_probability=0.0)
        m.intent, m.confident = "affirm", True
    return None


def _no_person_named(m: Draft) -> None:
    """A reading of "a person asked for" with no word for a person in it ("我172 65kg", "我和我姐一人一条"), or a call
    asked for before the parcel comes ("送货前给我打个电话"): nothing in it asks for one — read on."""
    if m.intent == "human" and not m.clicked and (
        not _A_PERSON.search(plain := simplify(m.text)) or _DELIVERY_CALL.search(plain)
    ):
        m.intent = "product_inquiry" if (m.found.height or m.found.weight or m.found.foot) else (
            "buy" if m.current is not None and (_chooses(m.text) or _EACH_ONE.search(plain)) else "other")


# Damage told of ("袖子上一个口子 还往外钻毛", "拉链坏了"): a fault in what came, whatever the classifier read
_DAMAGE = re.compile(r"破了|破洞|有(个|一个)?(洞|口子|破口)|一个口子|开线了|脱线了|开胶|扣子掉|掉了(个|一个)?扣|拉链坏"
                     r"|钻毛|钻绒|跑绒|漏绒|污渍|染色了|褪色了|起球了|缩水了|发错了?|寄错了?|少发|漏发")
# Praise of what came ("收到了 挺好的"), with no "but"
_PRAISE = re.compile(r"(?<![不没])(挺好|很好|不错|满意|喜欢|好看|合身|舒服|质量好|好评|超赞|很赞)")
_BUT = re.compile(r"但|就是|不过|可惜|可是|除了|有点|有些|太|没想到|怎么")


# A parcel stuck, told plainly: "物流还是已揽件" / "物流一直没动" / "催了个寂寞"
_STUCK_PARCEL = re.compile(r"物流.{0,4}(还是|一直|都|还|就|停在)(是|在)?(已揽件|揽件|没动|不动|没更新|没有更新|没变)|"
                           r"催了个寂寞|催了(也|都)没用|催了.{0,4}还是(没|不)")


def _stuck_parcel_told(m: Draft) -> None:
    """A parcel that has not moved for days, told plainly: a late-parcel complaint, however the classifier read it
    (a question about delivery times would tell nothing wrong)."""
    plain = simplify(m.text)
    if not m.said.is_dispute and not m.clicked and _STUCK_PARCEL.search(plain) \
            and m.intent in ("shipping_inquiry", "order_status", "other", "greet", "doubt", "affirm", "product_inquiry"):
        m.intent = "complaint_logistics"
        m.said = replace(m.said, intent="complaint_logistics", is_dispute=True, dispute_label="complaint_logistics",
                         dispute_probability=max(m.said.dispute_probability, 0.95))


def _damage_told(m: Draft) -> None:
    """Damage to what came, told plainly (no question about whether it could happen): a complaint about the goods,
    however the classifier read it — never a size question for a new one."""
    plain = simplify(m.text)
    if not m.said.is_dispute and not m.clicked and _DAMAGE.search(plain) and not _ASKS.search(plain) \
            and m.intent in ("buy", "product_inquiry", "other", "greet", "doubt", "affirm") \
            and not re.search(r"买|拍|下单|多少钱|尺码|什么码", plain):
        m.intent = "complaint_product"
        m.said = replace(m.said, intent="complaint_product", is_dispute=True, dispute_label="complaint_product",
                         dispute_probability=max(m.said.dispute_probability, 0.95))


def _praise_of_what_came(m: Draft) -> Decision | None:
    """"收到了 挺好的": thanks, and a word about how it fits — not a complaint (nothing wrong is told)."""
    plain = simplify(m.text)
    if not (_RECEIVED.search(plain) and _PRAISE.search(plain)) or _BUT.search(plain) or _reports_fault(m.text) \
            or _ASKS.search(plain) or m.status == Status.WAITING_AGENT or re.search(r"退|换|要是|如果|下单|买", plain):
        return None
    m.d.intent, m.d.stage = "thanks_bye", Stage.SHIPPING
    m.d.say(("shipping.glad_received", {}), buttons=("继续逛逛", "查订单"))
    return m.d


def _a_call_before_delivery(m: Draft) -> None:
    """"送来之前先给我打个电话": a note for the courier, not a person asked for."""
    plain = simplify(m.text)
    if m.intent == "human" and not m.clicked and m.found.notes \
            and not re.search(r"人工|真人|客服|同事|专人|找人|转接|店长|老板|经理|主管|机器", plain) \
            and re.search(r"送(来|到|货)|快递|派送|上门|到了|配送|收货", plain) and re.search(r"打.{0,3}电话|电话联系", plain):
        m.intent, m.confident = ("buy" if m.current is not None else "other"), True


def _a_person_asked_for(m: Draft) -> Decision | None:
    """A person asked for: handed over (with the question the bot could not answer, when that is why)."""
    if m.intent == "human":
        question = m.d.slots.pop("unknown_question", None) if m.text == _ASK_COLLEAGUE else None
        return _escalate(m.d, "human", ("handoff.human", {}), opening=question)
    return None


def _a_cancel_on_leaving(m: Draft) -> Decision | None:
    """A cancel said with a no or a goodbye after an order is placed: the cancel is confirmed first."""
    if m.intent in ("deny", "thanks_bye") and m.slots.get("order_no") and mentions_any(m.text, _CANCEL):
        return _confirm_cancel(m.d, m.ctx)
    return None




def _no_invoice_in_the_parcel(m: Draft) -> None:
    """"包裹里别放发票": a packing note, not an invoice."""
    if m.intent == "invoice" and _NO_INVOICE_IN_PARCEL.search(simplify(m.text)):
        m.intent = "buy" if m.current is not None else "other"


def _placed_still_open(m: Draft) -> bool:
    """Whether the order placed in this chat is confirmed and still in the warehouse (something can join it)."""
    return bool(m.placed) and any(o.order_no == m.placed and o.status == "confirmed"
                                  and o.unshipped for o in m.ctx.orders)


def _joins_the_order_placed(m: Draft) -> None:
    """"那我凑个单" / "再加个帽子" / "牛仔裤也要黑的" right after ordering: what is bought joins that order."""
    placed, plain = m.placed, simplify(m.text)
    another = m.product is not None and m.product.sku not in m.ordered_skus and bool(_ALSO_WANTS.search(plain))
    if (_MERGE.search(plain) or _ADD_MORE.search(plain) or another) and _placed_still_open(m):
        m.d.slots["merge_into"] = str(placed)
        _restated_lines_left_out(m, plain)
        if another and m.intent in ("product_inquiry", "doubt") and (m.found.colour or m.found.size) \
                and all(r.intent != "doubt" for r in m.said.also):
            # "还有那个围巾 给我妈的 酒红色那个 能不能装礼盒啊": bought too — and the question answered beside it
            m.said = replace(m.said, also=(*m.said.also, Request("doubt", m.text)))
            m.intent = "buy"


def _restated_lines_left_out(m: Draft, plain: str) -> None:
    """"那都要浅蓝 他XL我S 再加一包袜子黑白灰的" right after ordering the two jackets: the lines said before the words of
    adding are the order as it is — only what follows them is added."""
    added = _ADD_MORE.search(plain)
    ordered = {(line.get("sku"), line.get("colour"), line.get("size")) for line in m.d.slots.get("ordered") or []}
    if added is None or added.start() == 0 or len(m.found.items) < 2:
        return
    current = m.current.sku if m.current else None
    before = plain[: added.start()]
    kept = tuple(i for i in m.found.items if (i.sku or current, i.colour, i.size) not in ordered
                 or not all(v.lower().removesuffix("色") in before for v in (i.colour, i.size) if v and v != "均码"))
    if kept and len(kept) < len(m.found.items) and not _ADD_MORE.search(plain[: added.start()]):
        m.found = replace(m.found, items=kept if len(kept) > 1 else (), size=None if len(kept) > 1 else kept[0].size,
                          colour=None if len(kept) > 1 else kept[0].colour,
                          quantity=None if len(kept) > 1 else kept[0].quantity)
        if len(kept) == 1 and kept[0].sku and (item := m.ctx.catalogue.get(kept[0].sku)) is not None:
            m.product = item


def _a_new_note(m: Draft) -> None:
    """A delivery note the message adds — one not taken already."""
    notes = m.found.notes
    m.noted = notes if notes and notes not in str(m.d.slots.get("notes") or "") else None


def _the_variant_for_all(m: Draft) -> None:
    """"两件都M" with a shirt and a skirt chosen: each line lacking a size (or colour) takes it, where made in it."""
    if m.for_all and (m.found.size or m.found.colour):  # … and the shirt's line takes the M too
        for line in m.d.slots.get("lines") or []:
            made = m.ctx.catalogue.get(str(line.get("sku")))
            for name, value, allowed in (("size", m.found.size, made.sizes if made else ()),
                                         ("colour", m.found.colour, made.colours if made else ())):
                if value and not line.get(name) and value in allowed:
                    line[name] = value


def _take_the_details(m: Draft) -> None:
    """The details given go into the order being put together (as a purchase's when the message is buying); a line
    with no size takes the one advised for it."""
    state, slots, text, found, current = m.d.slots, m.slots, m.text, m.found, m.current
    if slots.get("pending") == Pending.READBACK and found.quantity and not found.items and (
        joined := next((o for o in m.ctx.orders if o.order_no == state.get("merge_into")), None)
    ) and found.quantity == sum(line.quantity for line in joined.lines) + sum(
        int(line.get("quantity") or 1) for line in state.get("lines") or [{"quantity": state.get("quantity")}]
    ):  # "对 两件" to adding one to an order of one: the two of them, as read back — no new count
        m.found = found = replace(found, quantity=None)
    if found.quantity and not found.items and m.placed and _ASKS.search(plain := simplify(text)) \
            and re.search(r"一起|一共|总共|加起来", plain) and found.quantity == len(state.get("ordered") or ()) + max(
                1, len(state.get("lines") or ())):
        # "双十二两条一起有优惠吗" with one pair ordered and another being ordered: the two of them — no new count
        m.found = found = replace(found, quantity=None)
    m.progress = _merge_order_details(
        state, found, current, text=text, catalogue=m.ctx.catalogue,
        buying=m.intent == "buy" or slots.get("pending") in (Pending.SIZE, Pending.COLOUR, Pending.QUANTITY, Pending.PRODUCT, Pending.CHANGE, Pending.READBACK)
        or bool(_ADD_MORE.search(simplify(text))) or (bool(found.items) and current is not None and _chooses(text))
        or (current is not None and bool(found.items or found.size or found.colour) and bool(found.address))
        or (current is not None and _whole_lines(found, current))
        or (not state.get("lines") and slots.get("pending") not in (Pending.READBACK, Pending.CHANGE, Pending.MODIFY)
            and _variants_for_several(found, current, text, m.placed)),
    )
    for line in state.get("lines") or []:  # ("t恤要白底藏青条的" after its size was given: in that size)
        if not line.get("size") and (advised := (state.get("advised") or {}).get(str(line.get("sku")))):
            line["size"] = advised


def _a_count_for_a_line_at_the_readback(m: Draft) -> None:
    """"袜子改成两包 其他没问题" at the read-back of a skirt and a pack of socks: that line's count changed."""
    lines, plain = m.d.slots.get("lines") or [], simplify(m.text)
    if m.slots.get("pending") != Pending.READBACK or not m.found.quantity or m.found.items or len(lines) < 2 \
            or not re.search(r"改成|改为|换成|要|数量", plain):
        return
    named = m.product or m.ctx.catalogue.find(plain)
    of = [line for line in lines if named is not None and line.get("sku") == named.sku]
    if len(of) == 1 and int(of[0].get("quantity") or 1) != m.found.quantity:
        of[0]["quantity"] = m.found.quantity
        m.progress = True


def _who_each_line_is_for(m: Draft) -> None:
    """"我S（160cm/96斤），老公XL（178cm/150斤）": whose each size is, kept — "老公那件换黑色" later is that line."""
    found, current, state = m.found, m.current, m.d.slots
    if current is not None and len(found.people) >= 2 and len(found.items) == len(found.people) \
            and not isinstance(state.get("people"), dict) \
            and all(item.size and item.sku in (None, current.sku) for item in found.items):
        state["people"] = {"sku": current.sku,
                           "who": [{"who": p.who, "size": i.size} for p, i in zip(found.people, found.items, strict=True)]}


def _the_size_from_the_measurements_before(m: Draft) -> None:
    """"再来一件燕麦色的圆领T 同样身高体重穿啥": the new item's size from the measurements given before."""
    state, current, catalogue = m.d.slots, m.current, m.ctx.catalogue
    if current is not None and not m.found.size and current.size_chart and re.search(
            r"(同样|一样|相同|同一)的?(身高体重|身材|尺寸)|按(我|刚才|上面)的?(身高体重|身材)", simplify(m.text)) and (
            advised_size := catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))):
        _advise_size(m.d, current, catalogue, state.get("height"), state.get("weight"), state.get("foot"))
        _choose(state, current, "size", advised_size)
        m.progress = True


def _the_same_size(m: Draft) -> None:
    """"再搭个百褶裙 黑色 一样的码": the size chosen for the other item (or the one just ordered), where this one
    is made in it."""
    state, current = m.d.slots, m.current
    if current is not None and not m.found.size and _SAME_SIZE.search(simplify(m.text)):
        sizes = {line.get("size") for line in state.get("lines") or [] if line.get("sku") != current.sku} or {
            o.details.get("size") for o in m.ctx.orders if o.order_no == m.placed and o.details.get("size")}
        asked = re.search(r"吗|么|系咪|系唔系|得唔得|都得|行不行|可不可以|[?？]", simplify(m.text))
        if asked and current.size_chart and (state.get("height") or state.get("weight")) and (
            advised := _advise_size(m.d, current, m.ctx.catalogue, state.get("height"), state.get("weight"), None)
        ):  # "再加件白色圆领T 同一个码系咪都得": asked — the size its own chart gives, said and taken
            _choose(state, current, "size", advised)
            m.progress = True
        elif len(sizes) == 1 and (size := sizes.pop()) in current.sizes:
            _choose(state, current, "size", str(size))
            m.progress = True


def _a_size_for_each(m: Draft) -> None:
    """"我42 老婆37" about the shoes in view: a size for each — two lines, not a question."""
    if m.intent in ("product_inquiry", "other", "greet", "affirm", "doubt") and not m.said.is_dispute and m.progress \
            and not m.slots.get("lines") and m.slots.get("pending") not in (Pending.READBACK, Pending.CHANGE, Pending.MODIFY) \
            and m.current is not None and _variants_for_several(m.found, m.current, m.text, m.placed):
        m.intent = "buy"


def _settle_the_intent(m: Draft) -> None:
    """The intent read is the decision's (the flow's own answers as the label they read as); the bot's question
    is answered."""
    if m.intent == "buy" and _FOR_LATER.search(simplify(m.text)):
        m.intent = "product_inquiry"  # ("明年夏天想再买一批白的，先问问": no purchase now)
    if m.intent == "buy" and m.said.intent == "bargain" and _ASKS_A_DISCOUNT.search(simplify(m.text)) \
            and all(r.intent != "bargain" for r in m.said.also):
        # "我要卡其的 他要黑的 两件快八百了 能不能便宜点啊": the order, and the haggling answered beside it
        m.said = replace(m.said, also=(*m.said.also, Request("bargain", m.text)))
    m.d.intent = m.intent
    m.d.slots["misunderstood"] = 0
    m.d.slots["pending"] = None
    if m.intent in ("custom", "total"):
        m.d.intent = "product_inquiry"  # (the flow's own answers; the label they read as)


# "配那个黑色的百褶裙会好看吗", "这两件搭不搭"
_GOES_WITH = re.compile(r"(配|搭)[^，,。？?]{0,12}(好看|合适|搭|好不好|行不行|可以)(吗|不|么|嘛|吧|呀|$)|搭不搭|配不配|好搭吗|好配吗")


def _goes_with_asked(m: Draft) -> Decision | None:
    """Whether the item named goes with the one talked about before: yes where the shop puts them together
    (``related``), else said plainly that it has not, with what it does put with it — no made-up styling."""
    named, state = m.product or m.current, m.d.slots
    if named is None or m.intent not in ("product_inquiry", "doubt", "other", "ask_recommendation", "affirm")             or not _GOES_WITH.search(simplify(m.text)) or m.found.size or m.found.quantity or (m.placed and not m.current):
        return None
    other = next((p for sku in reversed([*(state.get("seen") or []), *(line.get("sku") for line in state.get("lines") or [])])
                  if sku != named.sku and (p := m.ctx.catalogue.get(sku))), None)
    if other is None:
        return None
    _focus(state, named)
    m.d.stage, m.d.intent = Stage.CONSULT, "product_inquiry"
    if named.sku in other.related or other.sku in named.related:
        m.d.say(("consult.goes_with", {"product": other.name, "other": named.name}), buttons=AFTER_ANSWER)
    else:
        related = "、".join(p.name for sku in other.related[:2] if (p := m.ctx.catalogue.get(sku))) or "基础款"
        m.d.say(("consult.goes_with_unsure", {"product": other.name, "other": named.name, "related": related}),
                buttons=AFTER_ANSWER)
    return m.d


def _how_to_pay(m: Draft) -> None:
    """How to pay, asked: answered beside a purchase; else the answer (INTENTS.md: asking how to pay is ``buy``)."""
    if _PAYMENT_QUESTION.search(simplify(m.text)) and m.intent not in DISPUTE_TYPES and m.intent != "invoice":
        if m.intent in ("buy", "affirm") and m.current is not None:  # "那就要一条深兰的吧 能不能货到付款": both
            m.said = replace(m.said, also=(*m.said.also, Request("payment", m.text)))
        else:
            m.intent, m.d.intent = "payment", "buy"


def _a_link(m: Draft) -> Decision | None:
    """A link with nothing the bot can read in it: the menu."""
    if has_link(m.text) and m.intent == "other":
        m.d.say(("other.link", {}), buttons=MENU)
        return m.d
    return None


_MEASURES_ONLY = re.compile(r"[\d.一二两三四五六七八九十百零点米厘公分斤kgcm左右来多大概约身高体重脚长岁他她我的是，,。.!！~～\s]")


def _a_shopping_question(slots: Mapping[str, Any], ctx: Context, text: str, current: ProductView | None) -> str | None:
    """Of the items shown, with nothing bought and nothing wrong told: "他不喜欢T恤 说没领子不正式" asks for others;
    "学校要求穿白的 白的透不透哦" asks about them — the intent it is, or None."""
    if ctx.orders or _grounds(text, strict=True):
        return None
    if slots.get("candidates") and (_NOT_TO_THEIR_TASTE.search(simplify(text)) or (
            not _ASKS.search(simplify(text)) and (need := need_from(text)) and (need.kinds or need.seasons))):
        return "ask_recommendation"  # (or "他在汕头 天气热 他天天穿那种有领子的短袖": what he wears, to choose by)
    if (current is not None or slots.get("pending") == Pending.WHICH or slots.get("candidates")) \
            and _ASKS.search(simplify(text)) and _facts.asked(text, ctx.catalogue.names):
        return "product_inquiry"
    return None


# Why a return is wanted with nothing wrong: not liked ("给我妈买的 她说太滑了穿不习惯")
_DISLIKED = re.compile(r"不喜欢|不太喜欢|穿不习惯|不习惯|不好看|不爱穿|太滑|太硬|嫌")


# Not to the taste of the one it is for ("他不喜欢T恤", "她嫌太花", "穿着不正式"): said of the items shown
_NOT_TO_THEIR_TASTE = re.compile(r"不喜欢|不爱穿|不太喜欢|不正式|太随便|嫌.{0,4}(太|不)|看不上|不合适|不是(他|她)的风格")


def _one_more_with_its_reason(text: str, found: Extracted, product: ProductView | None) -> tuple[str, bool] | None:
    """"再加一包袜子 全黑 他袜子老破洞": one more bought, its reason told — nothing of the shop's is wrong."""
    plain = simplify(text)
    if product is not None and product.in_stock and _ADD_MORE.search(plain) \
            and (found.colour or found.size or found.quantity) and not _RECEIVED.search(plain):
        return "buy", True
    return None


def _not_a_complaint(
    d: Decision, said: Understanding, ctx: Context, slots: Mapping[str, Any], text: str, found: Extracted, *,
    current: ProductView | None, product: ProductView | None, placed: Any, ordered_skus: set[Any], waiting: bool,
) -> tuple[str, bool] | None:
    """A message the classifier reads as a complaint that is something else, by what surrounds it: the intent it
    is read as instead, and whether that reading is sure; None when it may well be a complaint."""
    if re.search(r"(不会|不是|不想|没想|没打算|不打算|又不)(要)?投诉", simplify(text)) \
            and not _reports_fault(re.sub(r"投诉", "", text)):
        return "other", True  # "说实话 我不会投诉的😂": chat, not a complaint
    if asked := _a_question_with_no_fault(said, ctx, text, current, waiting) or _one_more_with_its_reason(text, found, product):
        return asked
    if (found.height or found.weight or found.foot) and waiting is False and (
        not _MEASURES_ONLY.sub("", simplify(text)) or (
            not ctx.orders and not _reports_fault(text) and said.dispute_probability < _SURE_WHILE_SHOPPING
            and (product is not None or current is not None or ctx.catalogue.in_category(simplify(text))))):
        # "一米一左右，四十来斤" / "鞋子呢？他脚才十七公分": measurements for an item — never a complaint
        return "product_inquiry", True
    if not ctx.orders and not placed and _ASKS.search(simplify(text)) and not _reports_fault(text) \
            and re.search(r"有(没有)?.{0,10}(衣服|童装|款|的吗)|有没有.{0,10}(穿|戴)的", simplify(text)) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and waiting is False:
        return "ask_recommendation", True  # "请问你们有小孩子穿的衣服吗？我外孙五岁了": what the shop has
    if slots.get("last_intent") == "return_refund" and (_CONDITION.search(simplify(text)) or _DISLIKED.search(
            simplify(text))) and not _DEFECT.search(simplify(text)) and not _reports_fault(text) and waiting is False:
        # "没穿出门，吊牌都在。是七天无理由吧？今天是签收第4天" after asking about a return: its conditions
        return "return_refund", False
    elif _FIT_ONLY.search(simplify(text)) and not _DEFECT.search(simplify(text)) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and waiting is False:
        # "收到的牛仔裤M码 穿上胯那里有点紧": it does not fit — an exchange, nobody's fault (INTENTS.md)
        return "return_refund", False
    elif current is not None and (_chooses(text) or (product is not None and not ctx.orders)) \
            and (found.size or found.colour or found.items or found.quantity) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _RECEIVED.search(simplify(text)) \
            and not (slots.get("asked_order_no") and _ORDERED_BEFORE.search(simplify(text))) and not _DAMAGE.search(text):
        # "纯棉中筒袜五双装 全黑的来三包": choosing an item is buying it (but "袖子上一个口子" counts nothing bought)
        return "buy", False
    elif (shopping := _a_shopping_question(slots, ctx, text, current)) is not None:
        return shopping, True
    elif (current is not None or slots.get("pending") == Pending.PRODUCT) and found.notes and not ctx.orders \
            and said.dispute_probability < _SURE_WHILE_SHOPPING \
            and _NOTE_REQUEST.search(simplify(text)) and not _reports_fault(text):
        return "other", False  # "快递别放柜子": a delivery note, not a complaint
    elif current is not None and not ctx.orders and _LEAVES_IT_TO_US.search(simplify(text)) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _reports_fault(text):
        return "product_inquiry", False  # "就按刚才说的身高体重配": a size
    elif current is not None and not current.in_stock and _RESTOCK.search(simplify(text)) and not _reports_fault(text) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not ctx.orders:
        return "product_inquiry", False  # "一件都没有了？啥时候补货" about the sold-out item in view: a question
    elif (found.people or found.height or found.weight or found.foot) and SIZE_QUESTION.search(simplify(text)) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _reports_fault(text) and waiting is False \
            and not _RECEIVED.search(simplify(text)):
        return "product_inquiry", False  # "小李172cm 66kg，王经理183 85kg，分别什么码": sizes, not a complaint
    elif (current is not None or placed) and _facts.asked(text, ctx.catalogue.names) \
            and (said.dispute_probability < (0.9 if ctx.orders else _SURE_WHILE_SHOPPING)
                 or (not ctx.orders and _ELSEWHERE.search(simplify(text))) or _only_asks_if(text)) \
            and not any(o.task_status == "shipped" for o in ctx.orders) \
            and _ASKS.search(simplify(text)) and not (ctx.orders and _told_as_happened(text)):
        # (with nothing bought here, "之前买的洗两次就糊了" is somewhere else's; the question is about this one)
        return "doubt", False  # "呢件夠唔夠暖㗎": a question about the item
    return _not_a_complaint_after_all(d, said, ctx, slots, text, found, current=current, product=product,
                                      placed=placed, ordered_skus=ordered_skus, waiting=waiting)


def _only_asks_if(text: str) -> bool:
    """"洗了缩不缩水 上回买的一洗就短了一截": a quality asked about, nothing told as happened here, no word against
    the service."""
    return bool(_ASKED_IF.search(simplify(text))) and not _told_as_happened(text) \
        and not _SERVICE_FAULT.search(simplify(text))


def _told_as_happened(text: str) -> bool:
    """Whether a message tells of something that happened to what was bought here — not in a clause that asks
    ("洗了缩不缩水") nor one about another time ("上回买的一洗就短了一截")."""
    return any(_HAPPENED.search(clause) and not _ASKED_IF.search(clause) and not _ELSEWHERE.search(clause)
               for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)) if clause)


def _a_question_with_no_fault(
    said: Understanding, ctx: Context, text: str, current: ProductView | None, waiting: bool
) -> tuple[str, bool] | None:
    """A question or remark that reports nothing wrong: when a refund comes, the stock of the sold-out item in view,
    an item looked at before, the assistant itself."""
    plain = simplify(text)
    if re.search(r"(看|看中|看过|看到|逛|刷到)的.{0,6}(那|这)?(条|件|双|款|个)", plain) and not _reports_fault(text) \
            and not ctx.orders and not waiting and said.dispute_probability < 0.99 and not _RECEIVED.search(plain):
        return "product_inquiry", True  # "我昨天看的灰色那条裤子 很垂的那种 叫啥来着": an item looked at, not bought
    if JUST_ASKING.fullmatch(plain.strip()):
        return "greet", True  # "问个事": a question is coming — nothing wrong told yet
    if re.search(r"机器人|真人|人工智能|智能助手|ai", plain) and not _reports_fault(text) and not waiting \
            and not re.search(r"态度|骂|敷衍|不理|没人回|垃圾|烂|投诉|差评", plain):
        return "other", True  # "这么晚还秒回 不是机器人谁信": a remark about the assistant, not a complaint
    if _STILL_THERE.search(plain) and not _reports_fault(text) and not waiting \
            and not _SERVICE_FAULT.search(re.sub(r"客服|服务", "", plain)) \
            and said.dispute_probability < 0.999:
        return "greet", True  # "你们客服这么晚还在啊": a friendly word — someone is here, not a complaint
    if (_REFUND_WHEN.search(plain) or _REFUND_HOW.search(plain) or _RETURN_BACK.search(plain)) and not waiting \
            and not _REFUND_LATE.search(plain) and not _reports_fault(text) and not _SERVICE_FAULT.search(plain) \
            and said.dispute_probability < (0.995 if _RETURN_BACK.search(plain) else _SURE_WHILE_SHOPPING):
        return "return_refund", True  # "钱退回来要多久 我用的是女儿的支付宝": when a refund comes — nothing is wrong
    if current is not None and not current.in_stock and not ctx.orders and not _reports_fault(text) \
            and re.search(r"没了|没有|还有|有货|卖完|补货", plain) and said.dispute_probability < 0.999:
        return "product_inquiry", False  # "都没了？深棕也没有？" about the sold-out item in view: its stock
    return None


def _not_a_complaint_after_all(
    d: Decision, said: Understanding, ctx: Context, slots: Mapping[str, Any], text: str, found: Extracted, *,
    current: ProductView | None, product: ProductView | None, placed: Any, ordered_skus: set[Any], waiting: bool,
) -> tuple[str, bool] | None:
    """The rules of :func:`_not_a_complaint` that come after those about the words alone: a change of the order
    just placed, a worry about the item in view, impatience, a return's conditions, one more of an item."""
    state = d.slots
    if (product is not None and product.sku not in ordered_skus
            or product is None and any(p.sku not in ordered_skus for p in ctx.catalogue.in_category(simplify(text)))) \
            and not waiting and not _reports_fault(text) \
            and (_ALSO_WANTS.search(simplify(text)) or _ADD_MORE.search(simplify(text))) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _RECEIVED.search(simplify(text)):
        return "buy", True  # "另外围巾也要 同色 一条" after ordering a sweater: one more item, not a complaint
    if placed and (_SWITCH_TO.search(simplify(text)) or re.search(r"换|还是.{0,6}吧", simplify(text))
                   or _DROP.search(simplify(text)) or _chooses(text)) \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _RECEIVED.search(simplify(text)) \
            and not _reports_fault(text) and not any(o.task_status == "shipped" for o in ctx.orders) \
            and _variant_of_ordered(text, ordered_skus, ctx.catalogue):
        # "裤子换深蓝吧 浅蓝不耐脏" just after ordering: a change of the order's colour (with its reason), not a
        # complaint about dirt
        return "modify_order", True
    elif _worry_about_this_one(text, state, current, said):
        # "上次买的卫衣起球了，这件会不会": a worry before buying, not a complaint — answer it with the facts
        # (the earlier purchase can still be raised: the reply does not close the door).
        return "doubt", False
    elif slots.get("asked_order_no") and said.dispute_probability < _SURE_WHILE_SHOPPING \
            and not _reports_fault(text) and not _SERVICE_FAULT.search(simplify(text)):
        # "改好了跟我说一声啊 别寄到老地方去了" while we look for the order to change: the same request
        return "modify_order", True
    elif placed and (just := _order_for(ctx, str(placed))) is not None and just.unshipped \
            and said.dispute_probability < _SURE_WHILE_SHOPPING and not _reports_fault(text) \
            and not _SERVICE_FAULT.search(simplify(text)):
        # "信息都给全了 别一项项问了 赶紧的" right after ordering: impatience about an order still in the queue —
        # where it is, not a complaint
        return "order_status", False
    elif slots.get("last_intent") == "return_refund" and _CONDITION.search(simplify(text)) \
            and not _reports_fault(text) and said.dispute_probability < 0.9:
        # "收到第三天 没洗没穿 吊牌在的" after asking to exchange: the return's conditions met, not a complaint
        return "return_refund", False
    elif current is not None and (_ADD_MORE.search(simplify(text)) or _ALSO_WANTS.search(simplify(text))) \
            and (found.colour or found.size or found.items) and not _reports_fault(text) \
            and said.dispute_probability < 0.9:
        # "再给我自己整一件米白的": one more, in a colour — bought; nothing in it reports a fault
        return "buy", False
    return None


def _while_a_colleague_changes(d: Decision, text: str) -> Decision:
    """A message while a colleague makes the change or cancel asked for: what can be said of it now is said, then
    the wait."""
    state = d.slots
    # a change or cancel a colleague is making: what can be said of it now is said, then the wait
    plain_text = simplify(text)
    if mentions_any(text, _CANCEL) and not _REFUND_WHEN.search(plain_text):
        # "不用改了 直接取消吧": the request the colleague will act on is now a cancel — kept with the rest
        state["change_request"] = "\n".join(w for w in (state.get("change_request"), text) if w)[-400:]
        d.say(("modify.cancel_by_person", {}))
    elif _REFUND_WHEN.search(plain_text) or _REFUND_HOW.search(plain_text):
        d.say(("returns.cancel_refund_general", {}))  # "先取消吧 钱多久退回来"
    elif re.search(r"(没|未)(发|出|寄)|还没发|能改吗|来得及|能不能改|还能改", plain_text):
        d.say(("modify.if_not_shipped", {}))  # "应该还没发吧？": what can be done before it leaves
    elif re.search(r"发出去|发货了|已经发|寄出|发走", plain_text):
        d.say(("modify.if_shipped", {}))  # "要是已经发出去了咋办"
    d.actions.append(AnnounceQueue(again=True))
    return d


_MERGE = re.compile(r"凑.{0,2}(单|包邮)|凑一下|凑够|够包邮|一起发|一起寄|合并|并到|加到(刚才|那|这|上)|加进|同一单|一单发|放一起发")
_SAME_SIZE = re.compile(r"(一样|同样|相同|同一个?)的?(码|尺码|码数|大小|号|size)|同码|也要?(这个|一样)的?码")


_BOTH = re.compile(r"(两|俩|三|几)(件|个|条|样|双|款)?(都|全)|^\s*(都|全都|全部|一律)(是|要|拿|来|穿)?\s*[a-z0-9]")


def _both_of_those_talked_about(m: Draft, current: ProductView | None, chosen: int, found: Extracted) -> int:
    """"兩件都要黑色S，各一件" after asking about a shirt and then the trousers: the shirt joins the order beside the
    trousers (the items talked about last, as many as the count says) — how many items that adds."""
    state, both = m.d.slots, _BOTH.search(simplify(m.text))
    count = {"两": 2, "俩": 2, "三": 3}.get(both.group(1) or "", 0) if both else 0
    if both and both.group(4) and not found.quantity and int(state.get("quantity") or 1) == 1 \
            and not state.get("lines") and found.size and len(state.get("seen") or []) >= 2 and (
                other := m.ctx.catalogue.get((state.get("seen") or [])[-2])) is not None and found.size in other.sizes:
        count = 2  # "都M" right after asking about the trousers beside the shirt: the two of them
    if current is None or chosen >= count or m.placed or m.intent == "bargain" \
            or not (found.size or found.colour or found.items):  # ("券和袜子两个都给我呗": the gifts haggled for)
        return 0
    in_cart = {line.get("sku") for line in state.get("lines") or []} | {current.sku}
    others = [p for sku in reversed(state.get("seen") or []) if sku not in in_cart
              and (p := m.ctx.catalogue.get(sku)) is not None and p.in_stock][: count - chosen]
    if len(others) != count - chosen:
        return 0
    kept = state.get("chosen_of") or {}
    state["lines"] = [*(state.get("lines") or [{"sku": current.sku, "size": state.get("size"),
                                                 "colour": state.get("colour"), "quantity": 1}]),
                      *({"sku": p.sku, "size": (kept.get(p.sku) or {}).get("size"),
                         "colour": (kept.get(p.sku) or {}).get("colour"), "quantity": 1} for p in others)]
    return len(others)
# "两件一起下" / "三样一起拍": the items chosen, ordered at once (not "两双一起寄": two pairs of one)
_TOGETHER = re.compile(r"(两|俩|三|几)(件|个|条|样|款)?一起")


def _ordered_together(plain: str, chosen: int) -> bool:
    """"两件一起下" with as many items chosen as it counts: each of them at once, not that many of the last."""
    found = _TOGETHER.search(plain)
    return chosen >= 2 and found is not None and {"两": 2, "俩": 2, "三": 3}.get(found.group(1), chosen) == chosen


_TWICE_ORDERED = re.compile(r"(拍|下单|下|买|付款|付)了?(两|2|二)(次|遍|单|回)|拍重了?|重复(下单|拍|付款|购买|了)|多拍了|拍多了")


_PAYMENT_QUESTION = re.compile(r"货到付款|到付|怎么付|如何付|付款方式|支付方式|怎么支付|能不能用(微信|支付宝|花呗|信用卡)"
                               r"|可以用(微信|支付宝|花呗|信用卡)|分期|花呗(吗|可以|能)")
