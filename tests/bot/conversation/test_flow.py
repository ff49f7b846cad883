"""The flow's decisions on their own: no database, no classifier — what the state machine does with
a reading of a message. These run in microseconds, so the policy's corners are cheap to pin down."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from bot.conversation import (
    CLAIMS,
    QUEUE_CLAIMS,
    CancelOrder,
    ChangeOrder,
    Context,
    Escalate,
    OrderView,
    PlaceOrder,
    Policy,
    Request,
    Say,
    Understanding,
    decide,
    unbacked,
)
from bot.conversation.catalogue import Catalogue, load_catalogue_file

CATALOGUE = Catalogue(load_catalogue_file())
POLICY = Policy(
    free_shipping_threshold=Decimal("99"), shipping_fee=Decimal("8"), coupon_amount=Decimal("10"),
    coupon_min_total=Decimal("59"), gift="同色系棉袜一双", free_shipping_concession=True, confidence_threshold=0.4,
)


def said(text: str, intent: str, confidence: float = 0.9, dispute: str | None = None) -> Understanding:
    return Understanding(text, intent, confidence, is_dispute=dispute is not None, dispute_label=dispute,
                         dispute_probability=confidence if dispute else 0.0)


def run(steps: list[tuple[str, str]], *, policy: Policy = POLICY, orders: tuple[OrderView, ...] = ()) -> list[Any]:
    """Feed (text, intent) pairs through decide(), carrying the state; returns every decision."""
    stage, status, slots = "greet", "bot", {}
    decisions = []
    for text, intent in steps:
        d = decide(stage, status, slots, said(text, intent), Context(CATALOGUE, policy, orders))
        stage, status, slots = d.stage, d.status, d.slots
        decisions.append(d)
    return decisions


def keys(decision: Any) -> list[str]:
    return [key for say in decision.says for key, _ in say.parts]


def test_the_concession_ladder_follows_the_shop_policy() -> None:
    steps = [("纯棉圆领短袖T恤多少钱", "product_inquiry")] + [("便宜点", "bargain")] * 5
    ladder = [keys(d)[0] for d in run(steps)[1:]]
    assert ladder == [
        "objection.bargain_hold", "objection.bargain_coupon", "objection.bargain_gift",
        "objection.bargain_free_shipping", "objection.bargain_floor",
    ]
    stingy = replace(POLICY, coupon_amount=Decimal("0"), gift="", free_shipping_concession=False)
    ladder = [keys(d)[0] for d in run(steps, policy=stingy)[1:]]
    assert ladder == ["objection.bargain_hold"] + ["objection.bargain_floor"] * 4


def test_no_coupon_below_its_minimum_order() -> None:
    steps = [("纯棉中筒袜五双装多少钱", "product_inquiry"), ("便宜点", "bargain"), ("再便宜点", "bargain")]
    assert keys(run(steps)[-1]) == ["objection.bargain_gift"]


def test_an_order_needs_the_read_back_and_an_explicit_yes() -> None:
    decisions = run([
        ("纯棉圆领短袖T恤", "product_inquiry"), ("我要了", "buy"), ("L", "other"), ("黑色", "other"),
        ("张三 13800138000 浙江省杭州市西湖区文三路100号", "other"),
    ])
    assert [keys(d)[0] for d in decisions[1:]] == ["close.ask_size", "close.ask_colour", "close.ask_address", "confirm.readback"]
    assert not any(isinstance(a, PlaceOrder) for d in decisions for a in d.actions)
    readback = decisions[-1]
    yes = decide(readback.stage, readback.status, readback.slots, said("确认", "affirm"), Context(CATALOGUE, POLICY))
    [order] = yes.actions
    assert isinstance(order, PlaceOrder) and [(line.size, line.colour, line.quantity) for line in order.lines] == [
        ("L", "黑色", 1)]
    assert order.shipping_fee == Decimal("8"), "59 yuan is under the 99-yuan free-shipping threshold"
    no = decide(readback.stage, readback.status, readback.slots, said("不对", "deny"), Context(CATALOGUE, POLICY))
    assert not no.actions and keys(no) == ["confirm.what_to_change"]


@pytest.mark.parametrize("label", ["complaint_product", "complaint_logistics", "complaint_payment", "complaint_service"])
def test_a_dispute_interrupts_even_a_sale_and_gets_no_buttons_to_buy(label: str) -> None:
    stage, status, slots = "close", "bot", {"product": "TS-001", "pending": "size"}
    d = decide(stage, status, slots, said("怎么回事", label, 0.99, dispute=label), Context(CATALOGUE, POLICY))
    assert d.status == "waiting_agent"
    action = d.actions[0]
    assert isinstance(action, Escalate) and action.dispute_type == label.removeprefix("complaint_")
    # an apology first, then the intake asks what happened ("怎么回事" says nothing): no sales buttons anywhere
    assert keys(d) == [f"dispute.{action.dispute_type}", "intake.what_happened"]
    assert not any(s.buttons for s in d.says)


def test_modifying_an_order_depends_on_the_warehouse() -> None:
    queued = OrderView("KF1", "confirmed", "queued", None, "纯棉圆领短袖T恤", "TS-001")
    shipped = replace(queued, task_status="shipped", tracking_no="ZT1")
    change = said("地址改成北京市朝阳区建国路88号", "modify_order")
    d = decide("shipping", "bot", {}, change, Context(CATALOGUE, POLICY, (queued,)))
    [action] = d.actions
    assert isinstance(action, ChangeOrder) and "建国路88号" in action.changes["address"]
    d = decide("shipping", "bot", {}, change, Context(CATALOGUE, POLICY, (shipped,)))
    assert not d.actions and keys(d) == ["modify.already_shipped"]
    d = decide("shipping", "bot", {}, said("取消订单", "modify_order"), Context(CATALOGUE, POLICY, (queued,)))
    assert d.actions == [CancelOrder("KF1")]


def test_low_confidence_asks_then_offers_a_person() -> None:
    first = decide("greet", "bot", {}, said("嗯哼哈", "other", 0.2), Context(CATALOGUE, POLICY))
    second = decide(first.stage, first.status, first.slots, said("呜呜啦", "other", 0.2), Context(CATALOGUE, POLICY))
    assert keys(first) == ["clarify.ask"] and keys(second) == ["clarify.offer_human"]
    assert "转人工" in second.says[0].buttons


def test_a_clicked_button_means_what_it_offered_whatever_the_classifier_says() -> None:
    readback = {"product": "TS-001", "size": "L", "colour": "黑色", "quantity": 1, "address": "北京市朝阳区建国路88号",
                "phone": "13900001111", "pending": "readback", "buttons": {"确认无误": "affirm", "需要修改": "deny"}}
    d = decide("confirm_order", "bot", readback, said("确认无误", "other", 0.1), Context(CATALOGUE, POLICY))
    assert isinstance(d.actions[0], PlaceOrder)


def test_colour_words_in_a_name_or_address_do_not_change_the_colour() -> None:
    decisions = run([
        ("我要买纯棉软顶棒球帽", "buy"), ("藏青", "other"), ("白雪 13812340003 江西省南昌市红谷滩区丰和中大道1号", "other"),
    ])
    assert decisions[-1].slots["colour"] == "藏青"
    assert keys(decisions[-1]) == ["confirm.readback"]


def test_the_edit_buttons_under_the_read_back_ask_for_that_detail_again() -> None:
    steps = [
        ("纯棉圆领短袖T恤", "product_inquiry"), ("我要了", "buy"), ("L", "other"), ("黑色", "other"),
        ("张三 13800138000 浙江省杭州市西湖区文三路100号", "other"), ("需要修改", "deny"), ("改尺码", "other"),
        ("XL", "other"),
    ]
    decisions = run(steps)
    assert keys(decisions[-2]) == ["close.ask_size"] and "XL" in decisions[-2].says[0].buttons
    assert keys(decisions[-1]) == ["confirm.readback"] and decisions[-1].slots["size"] == "XL"


def test_a_weak_dispute_signal_asks_before_escalating() -> None:
    weak = Understanding("我上次买的T恤穿着挺舒服的", "other", 0.3, is_dispute=True,
                         dispute_label="complaint_product", dispute_probability=0.35)
    d = decide("greet", "bot", {}, weak, Context(CATALOGUE, POLICY))
    assert d.status == "bot" and keys(d) == ["clarify.dispute"] and not d.actions
    no = decide(d.stage, d.status, d.slots, said("不是，我想问别的", "other", 0.2), Context(CATALOGUE, POLICY))
    assert no.status == "bot" and not no.actions
    yes = decide(d.stage, d.status, d.slots, said("是的，有问题要处理", "affirm"), Context(CATALOGUE, POLICY))
    assert yes.status == "waiting_agent" and isinstance(yes.actions[0], Escalate)
    assert yes.actions[0].dispute_type == "product"


def test_a_customer_with_a_dispute_is_not_sold_to_while_waiting() -> None:
    d = decide("consult", "waiting_agent", {"escalated": "dispute"}, said("有什么推荐的", "ask_recommendation"),
               Context(CATALOGUE, POLICY))
    assert not keys(d) and [type(a).__name__ for a in d.actions] == ["AnnounceQueue"], "the wait, not a sale"
    d = decide("consult", "waiting_agent", {"escalated": "human"}, said("包邮吗", "shipping_inquiry"),
               Context(CATALOGUE, POLICY))
    assert keys(d), "someone who only asked for a person still gets plain answers"


def test_not_wanting_it_right_after_ordering_asks_before_cancelling() -> None:
    queued = OrderView("KF9", "confirmed", "queued", None, "纯棉圆领短袖T恤", "TS-001")
    ctx = Context(CATALOGUE, POLICY, (queued,))
    d = decide("shipping", "bot", {"order_no": "KF9", "sale": True}, said("不要了", "deny"), ctx)
    assert keys(d) == ["modify.confirm_cancel"] and not d.actions
    cancel = decide(d.stage, d.status, d.slots, said("取消订单", "modify_order"), ctx)
    assert cancel.actions == [CancelOrder("KF9")]


def test_traditional_product_names_and_greetings_with_a_question() -> None:
    d = decide("greet", "bot", {}, said("我要買一條高腰直筒牛仔褲", "buy"), Context(CATALOGUE, POLICY))
    assert d.slots["product"] == "JN-002" or CATALOGUE.get(d.slots["product"]).name == "高腰直筒牛仔裤"
    d = decide("greet", "bot", {}, said("您好～请问有卖羊绒大衣吗", "greet"), Context(CATALOGUE, POLICY))
    assert d.stage == "consult"


def test_more_than_the_stock_is_not_read_back() -> None:
    low = next(p for p in CATALOGUE if 1 < p.stock <= 5)
    slots = {"product": low.sku, "quantity": low.stock + 3, "address": "北京市朝阳区建国路88号", "phone": "13900001111",
             "size": low.sizes[0], "colour": low.colours[0]}
    d = decide("close", "bot", slots, said("就这样，下单吧", "buy"), Context(CATALOGUE, POLICY))
    assert keys(d) == ["consult.low_stock"] and d.slots["pending"] == "quantity"
    assert f"要{low.stock}件" in d.says[0].buttons


def test_a_worry_the_description_answers_gets_the_fact_not_a_generic_promise() -> None:
    sweater = next(p for p in CATALOGUE if any("起球" in sp for sp in p.selling_points))
    d = decide("consult", "bot", {"product": sweater.sku}, said("会不会起球啊", "doubt"), Context(CATALOGUE, POLICY))
    assert keys(d) == ["product.fact"]
    assert "起球" in d.says[0].parts[0][1]["fact"]
    other = decide("consult", "bot", {"product": sweater.sku}, said("质量怎么样", "doubt"), Context(CATALOGUE, POLICY))
    assert keys(other) == ["objection.quality"]


def test_something_the_shop_does_not_sell_is_said_plainly() -> None:
    d = decide("greet", "bot", {}, said("你们有泳衣吗", "product_inquiry"), Context(CATALOGUE, POLICY))
    assert keys(d) == ["consult.not_found"] and d.says[0].buttons
    d = decide("greet", "bot", {}, said("这件还有货吗", "product_inquiry"), Context(CATALOGUE, POLICY))
    assert keys(d) == ["consult.which_product"]


def test_a_worry_about_the_item_on_show_that_mentions_a_bad_experience_is_answered_not_escalated() -> None:
    worry = Understanding("上次买的卫衣洗了几次就起球了，这件会不会", "complaint_product", 0.54, is_dispute=True,
                          dispute_label="complaint_product", dispute_probability=0.6)
    d = decide("consult", "bot", {"product": "TS-001"}, worry, Context(CATALOGUE, POLICY))
    assert d.status == "bot" and not d.actions and keys(d)[0].startswith("product.fact"), keys(d)
    plain = Understanding("上次买的卫衣洗了几次就起球了", "complaint_product", 0.9, is_dispute=True,
                          dispute_label="complaint_product", dispute_probability=0.99)
    d = decide("consult", "bot", {"product": "TS-001"}, plain, Context(CATALOGUE, POLICY))
    assert d.status == "waiting_agent", "a complaint with no question about this item is still a dispute"


def test_which_one_offers_what_was_just_shown() -> None:
    shown = ["DJ-001", "JK-001", "CT-001"]  # the coats just recommended, not the best sellers
    d = decide("recommend", "bot", {"candidates": shown}, said("这件会起球吗", "product_inquiry", 0.6),
               Context(CATALOGUE, POLICY))
    assert keys(d) == ["consult.which_product"]
    assert list(d.says[-1].buttons) == [CATALOGUE.get(sku).name for sku in shown][:3]


def test_a_colour_question_with_no_item_in_view_asks_which_item() -> None:
    d = decide("greet", "bot", {}, said("还有别的颜色吗", "product_inquiry", 0.6), Context(CATALOGUE, POLICY))
    assert keys(d) == ["consult.which_product"], "not 'we don't sell that'"


def test_someone_elses_order_number_gets_its_status_only() -> None:
    theirs = OrderView("KF202611250001", "confirmed", "shipped", "ZT123", "纯棉圆领短袖T恤", "TS-001")
    ctx = Context(CATALOGUE, POLICY, (), looked_up=theirs)
    d = decide("greet", "bot", {}, said("KF202611250001到哪了", "order_status"), ctx)
    assert keys(d) == ["order.status_shipped"] and d.says[-1].parts[0][1]["tracking_no"] == "ZT123"
    d = decide("greet", "bot", {}, said("订单KF202611250001地址改成北京市朝阳区建国路88号", "modify_order"), ctx)
    assert not d.actions, "never changed from another customer's chat"


WEAK = Understanding("我买的东西有点不对", "doubt", 0.6, is_dispute=True, dispute_label="complaint_product",
                     dispute_probability=0.3)


@pytest.mark.parametrize(
    ("answer", "escalated"),
    [
        (said("是的，有问题要处理", "affirm"), True),
        (said("嗯", "affirm", 0.5), True),
        (said("你说呢", "other", 0.3), True),
        (said("颜色和图片差好多", "complaint_product", 0.9, dispute="complaint_product"), True),
        (said("不是，我想问别的", "other", 0.2), False),
        # read in the check's context the answer leans to a complaint; on its own it is a question: a no
        (replace(said("不是 我是问这件衣服的质量怎么样", "complaint_product", 0.6, dispute="complaint_product"),
                 alone_dispute=0.1, alone_intent="doubt"), False),
        (replace(said("不是，是快递一直没到", "complaint_logistics", 0.9, dispute="complaint_logistics"),
                 alone_dispute=0.9), True),
        (said("没有", "deny"), False),
        (said("不用了", "deny"), False),
        (said("这件有黑色吗", "product_inquiry", 0.9), False),  # going on shopping is a no
    ],
)
def test_the_one_question_check_escalates_every_answer_but_a_clear_no(answer: Understanding, escalated: bool) -> None:
    ctx = Context(CATALOGUE, POLICY)
    asked = decide("greet", "bot", {}, WEAK, ctx)
    assert keys(asked) == ["clarify.dispute"] and asked.status == "bot"
    d = decide(asked.stage, asked.status, asked.slots, answer, ctx)
    assert (d.status == "waiting_agent") is escalated, keys(d)
    if escalated:
        [escalate] = [a for a in d.actions if isinstance(a, Escalate)]
        # the kind of complaint: the answer's own, or the one the unclear message leaned to
        kind = (answer.dispute_label if answer.is_dispute else "complaint_product").removeprefix("complaint_")
        assert escalate.dispute_type == kind and WEAK.text in (escalate.opening or "")
    else:
        assert not any(isinstance(a, Escalate) for a in d.actions)
        again = decide(d.stage, d.status, d.slots, WEAK, ctx)
        assert "clarify.dispute" not in keys(again) and again.status == "bot", "asked once per conversation"


def test_while_shopping_a_complaint_reading_must_be_near_certain_to_skip_the_question() -> None:
    shopping = {"product": "TS-001"}
    reading = said("质量太差了", "complaint_product", 0.9, dispute="complaint_product")
    d = decide("consult", "bot", shopping, reading, Context(CATALOGUE, POLICY))
    assert keys(d) == ["clarify.dispute"] and d.status == "bot"
    delivered = OrderView("KF7", "confirmed", "shipped", "ZT7", "纯棉圆领短袖T恤", "TS-001")
    d = decide("consult", "bot", shopping, reading, Context(CATALOGUE, POLICY, (delivered,)))
    assert d.status == "waiting_agent", "a customer with an order: the complaint goes straight to a person"


def test_every_request_of_a_message_is_answered_and_the_first_ones_question_stays_open() -> None:
    both = replace(said("纯棉圆领短袖T恤有L码吗 顺便问下什么时候发货", "product_inquiry"),
                   also=(Request("shipping_inquiry", "顺便问下什么时候发货"),))
    d = decide("greet", "bot", {}, both, Context(CATALOGUE, POLICY))
    assert keys(d)[0].startswith("consult.") and "shipping.delivery_time" in keys(d), keys(d)
    asked = replace(said("我要买纯棉圆领短袖T恤 能开发票吗", "buy"), also=(Request("invoice", "能开发票吗"),))
    d = decide("greet", "bot", {}, asked, Context(CATALOGUE, POLICY))
    assert keys(d) == ["invoice.info", "close.ask_size"], "the question waited on is the last thing read"
    assert d.slots["pending"] == "size", "the size the bot asked for is still what it waits for"
    assert set(d.says[0].buttons) <= set(d.slots["buttons"]), "the size buttons still work"
    no_order = replace(said("有L码吗 另外什么时候能到", "product_inquiry"), also=(Request("order_status", "另外什么时候能到"),))
    d = decide("consult", "bot", {"product": "TS-001"}, no_order, Context(CATALOGUE, POLICY))
    assert "order.none" not in keys(d), "no order yet: when the shop ships, not an order look-up"
    earlier = replace(said("包邮吗？我要买纯棉圆领短袖T恤", "buy"), also=(Request("shipping_inquiry", "包邮吗", first=True),))
    d = decide("greet", "bot", {}, earlier, Context(CATALOGUE, POLICY))
    assert keys(d)[0].startswith("shipping.") and keys(d)[-1] == "close.ask_size", "answered in the order asked"
    assert d.slots["pending"] == "size"


def test_account_trouble_is_not_chit_chat_the_bot_says_it_cannot_see_it_and_offers_a_person() -> None:
    d = decide("greet", "bot", {}, said("我的账号登不上去了 验证码一直收不到", "other"), Context(CATALOGUE, POLICY))
    assert keys(d) == ["other.account"] and "转人工" in d.says[0].buttons and d.status == "bot"


@pytest.mark.parametrize("key", sorted(CLAIMS))
def test_a_reply_that_says_something_was_done_is_sent_only_with_its_action(key: str) -> None:
    """Every phrase that claims an action (下单成功, 已经改好了, 已取消, 已经催仓库…) is checked against the actions
    that committed; without its own action it is flagged and the engine sends an honest reply instead."""
    claim = [Say(((key, {}),))]
    assert unbacked(claim, set(), "waiting_agent") == [key]
    assert unbacked(claim, {type(None)}, "waiting_agent") == [key], "another action does not back it"
    assert unbacked(claim, {CLAIMS[key]}, "waiting_agent") == []


@pytest.mark.parametrize("key", sorted(QUEUE_CLAIMS))
def test_a_reply_about_the_queue_is_only_true_while_the_chat_waits_for_a_person(key: str) -> None:
    claim = [Say(((key, {}),))]
    assert unbacked(claim, set(), "bot") == [key]
    assert unbacked(claim, set(), "waiting_agent") == []


def test_every_claim_phrase_exists_in_the_shipped_bank() -> None:
    from replies import PhraseBank

    bank = PhraseBank.from_yaml()
    assert all(key in bank for key in (*CLAIMS, *QUEUE_CLAIMS, "claim.unconfirmed"))


def test_what_the_pages_leave_unsaid_of_the_items_shown_goes_to_the_colleague_for_each() -> None:
    d = decide("recommend", "bot", {"candidates": ["TS-001", "TS-002"]}, said("两件有实拍图吗", "product_inquiry", 0.6),
               Context(CATALOGUE, POLICY))
    assert keys(d) == ["product.fact_unknown", "product.fact_unknown"], keys(d)
    question = d.slots["unknown_question"]
    assert "纯棉圆领短袖T恤" in question and "法式条纹长袖T恤" in question, question
