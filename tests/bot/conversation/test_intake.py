"""The bot's dispute intake on its own (pure flow, no database): apologise, queue the chat, then listen —
which order, what happened, a photo, what would make it right — one question at a time, and the late-parcel
remedy the shop's policy lets the bot offer itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import pytest

from bot.conversation import (
    AnnounceQueue,
    BotRemedy,
    Context,
    Decision,
    Escalate,
    NoteDispute,
    OrderView,
    Understanding,
    decide,
)
from bot.conversation.intake import arrival_date, expectation_of, is_vague, subtype_of
from replies import PhraseBank
from tests.bot.conversation.test_flow import CATALOGUE, POLICY, keys

BANK = PhraseBank.from_yaml()


def read_out(value: object) -> str:
    """A placeholder value as the customer reads it (a fragment rendered from the shipped bank)."""
    return str(BANK.fill(value, {}))

TODAY = dt.date(2026, 11, 30)
TEE = OrderView("KF202611250001", "confirmed", "shipped", "ZT123", "纯棉圆领短袖T恤", "TS-001",
                shipped_on=dt.date(2026, 11, 26))
JEANS = OrderView("KF202611200002", "confirmed", "queued", None, "高腰直筒牛仔裤", "JN-001")
LATE_POLICY = replace(POLICY, late_parcel_coupon=Decimal("10"), delivery_days="2–4")


@dataclass
class Chat:
    """A customer talking to decide(), the state carried between turns as the engine would."""

    orders: tuple[OrderView, ...] = ()
    policy: Any = POLICY
    stage: str = "greet"
    status: str = "bot"
    slots: dict[str, Any] = field(default_factory=dict)

    def send(self, text: str, intent: str = "other", dispute: str | None = None, image: bool = False) -> Decision:
        said = Understanding(text, intent, 0.9, is_dispute=dispute is not None, dispute_label=dispute,
                             dispute_probability=0.9 if dispute else 0.0, image=image)
        d = decide(self.stage, self.status, self.slots, said, Context(CATALOGUE, self.policy, self.orders, today=TODAY))
        self.stage, self.status, self.slots = d.stage, d.status, d.slots
        return d


def notes(d: Decision) -> list[NoteDispute]:
    return [a for a in d.actions if isinstance(a, NoteDispute)]


def buttons(d: Decision) -> tuple[str, ...]:
    return d.says[-1].buttons


def test_a_damaged_item_is_queued_at_once_then_the_bot_asks_order_photo_and_wish_in_turn() -> None:
    chat = Chat(orders=(TEE, JEANS))
    d = chat.send("收到的T恤有个洞，质量太差了", "complaint_product", "complaint_product")
    assert chat.status == "waiting_agent", "the chat is in the agents' queue from the first message"
    assert isinstance(d.actions[0], Escalate) and d.actions[0].dispute_type == "product"
    assert keys(d) == ["dispute.product", "intake.which_order"]
    assert buttons(d) == ("KF202611250001 纯棉圆领短袖T恤", "KF202611200002 高腰直筒牛仔裤", "不是这些订单")
    assert notes(d)[0].subtype == "damaged"

    d = chat.send("KF202611250001 纯棉圆领短袖T恤")
    assert notes(d)[0].order_no == TEE.order_no
    assert keys(d) == ["intake.photo"] and "没有照片" in buttons(d), "what happened is known: no need to ask again"

    d = chat.send("", image=True)
    assert keys(d) == ["intake.photo_thanks", "intake.expectation"]
    assert buttons(d) == ("退货退款", "换货", "补发", "补偿", "退款")

    d = chat.send("换货")
    assert notes(d)[0].expectation == "exchange" and any(n.done for n in notes(d))
    assert keys(d) == ["intake.recorded"] and isinstance(d.actions[-1], AnnounceQueue)
    summary = read_out(d.says[-1].parts[0][1]["summary"])
    assert "KF202611250001" in summary and "破损" in summary and "照片已收到" in summary and "换货" in summary
    assert chat.status == "waiting_agent"


def test_a_complaint_that_says_nothing_yet_gets_asked_what_happened_and_the_answer_is_a_fact() -> None:
    chat = Chat()
    d = chat.send("我要投诉！", "complaint_service", "complaint_service")
    assert keys(d) == ["dispute.service", "intake.what_happened"] and not buttons(d)
    d = chat.send("你们客服昨天一直不回我消息，态度很敷衍")
    assert notes(d)[0].fact == "你们客服昨天一直不回我消息，态度很敷衍" and notes(d)[0].subtype == "attitude"
    assert keys(d) == ["intake.expectation"] and buttons(d) == ("给个解释", "补偿")


def test_a_wish_said_in_the_first_message_is_not_asked_again() -> None:
    chat = Chat(orders=(TEE,))
    d = chat.send("订单KF202611250001发错颜色了，我要换货", "complaint_product", "complaint_product")
    assert isinstance(d.actions[0], Escalate) and d.actions[0].order_no == TEE.order_no
    assert keys(d) == ["dispute.product", "intake.photo"], "order and wish were in the message"
    d = chat.send("没有照片")
    assert keys(d) == ["intake.recorded"] and isinstance(d.actions[-1], AnnounceQueue)


def test_an_angry_customer_is_not_questioned_beyond_which_order() -> None:
    chat = Chat(orders=(TEE,))
    d = chat.send("垃圾店！！！衣服破成这样还好意思卖，骗子！！", "complaint_product", "complaint_product")
    assert keys(d) == ["dispute.sorry_strong", "intake.which_order"]
    d = chat.send("KF202611250001 纯棉圆领短袖T恤")
    assert keys(d) == ["intake.recorded"], "no photo or wish questions for someone this upset"


def test_asking_for_a_person_during_the_intake_ends_the_questions() -> None:
    chat = Chat(orders=(TEE,))
    chat.send("衣服收到就是坏的", "complaint_product", "complaint_product")
    d = chat.send("转人工", "human")
    assert keys(d) == ["intake.recorded"] and isinstance(d.actions[-1], AnnounceQueue)


def test_after_the_intake_more_words_go_on_the_record_and_photos_are_acknowledged() -> None:
    chat = Chat()
    chat.send("我要投诉", "complaint_service", "complaint_service")
    chat.send("客服态度很差")
    chat.send("给个解释")
    d = chat.send("到底有没有人管？？？", "complaint_service", "complaint_service")
    assert not keys(d) and isinstance(d.actions[-1], AnnounceQueue) and d.actions[-1].again
    assert notes(d)[0].fact == "到底有没有人管？？？"
    d = chat.send("", image=True)
    assert keys(d) == ["intake.photo_thanks"]
    d = chat.send("有什么推荐的", "ask_recommendation")
    assert chat.status == "waiting_agent" and not keys(d), "no selling to a waiting complainant"
    assert [type(a) for a in d.actions] == [NoteDispute, AnnounceQueue]


def test_a_late_parcel_gets_its_date_and_the_coupon_and_accepting_settles_it_without_a_person() -> None:
    chat = Chat(orders=(TEE,), policy=LATE_POLICY)
    d = chat.send("快递怎么还没到，都好几天了", "complaint_logistics", "complaint_logistics")
    assert keys(d) == ["dispute.logistics", "intake.which_order"]
    d = chat.send("KF202611250001 纯棉圆领短袖T恤")
    assert keys(d) == ["intake.late_shipped", "intake.late_coupon"]
    values = d.says[-1].parts[0][1]
    assert values["tracking_no"] == "ZT123" and read_out(values["date"]) == "明天（12月1日）", "due today: a date still ahead"
    assert d.says[-1].parts[1][1]["amount"] == "10" and buttons(d) == ("好的，我再等等", "还是要找人工")
    d = chat.send("好的，我再等等", "affirm")
    [remedy] = [a for a in d.actions if isinstance(a, BotRemedy)]
    assert remedy.remedy == "coupon" and remedy.amount == Decimal("10")
    assert chat.status == "bot" and keys(d) == ["intake.remedy_accepted"], "settled: the chat leaves the queue"
    assert not any(isinstance(a, AnnounceQueue) for a in d.actions)


def test_a_late_parcel_customer_may_still_ask_for_a_person() -> None:
    chat = Chat(orders=(JEANS,), policy=LATE_POLICY)
    chat.send("订单KF202611200002怎么还不发货", "complaint_logistics", "complaint_logistics")
    assert chat.slots["intake"]["ask"] == "remedy"
    d = chat.send("还是要找人工", "human")
    assert chat.status == "waiting_agent" and keys(d) == ["intake.recorded"]
    assert isinstance(d.actions[-1], AnnounceQueue) and not any(isinstance(a, BotRemedy) for a in d.actions)


def test_no_coupon_configured_means_no_offer() -> None:
    chat = Chat(orders=(TEE,), policy=replace(LATE_POLICY, late_parcel_coupon=Decimal(0)))
    chat.send("订单KF202611250001怎么还没到", "complaint_logistics", "complaint_logistics")
    assert chat.slots["intake"]["ask"] == "expectation"


def test_traditional_chinese_is_read_the_same() -> None:
    simplified, traditional = Chat(orders=(TEE,)), Chat(orders=(TEE,))
    a = simplified.send("收到的衣服发错颜色了", "complaint_product", "complaint_product")
    b = traditional.send("收到的衣服發錯顏色了", "complaint_product", "complaint_product")
    assert keys(a) == keys(b) and notes(a)[0].subtype == notes(b)[0].subtype == "wrong_item"


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("product", "衣服有个洞", "damaged"),
        ("product", "寄错了，不是我买的那件", "wrong_item"),
        ("product", "感觉是假货", "fake"),
        ("logistics", "箱子都压扁了，里面杯子碎了", "damaged_in_transit"),
        ("logistics", "物流一直不动", "late"),
        ("logistics", "显示签收了但我没收到", "lost"),
        ("payment", "我被扣了两次钱", "charged_twice"),
        ("payment", "退款还没到账", "refund_missing"),
        ("product", "我要投诉", None),
    ],
)
def test_what_kind_of_problem(kind: str, text: str, expected: str | None) -> None:
    assert subtype_of(kind, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("我要退款", "refund"), ("想退货", "return"), ("能退吗", "return"), ("可以退嗎", "return"), ("能换一件吗", "exchange"), ("给我补发一个", "reship"),
     ("必须赔偿", "compensation"), ("不要退款，换货就行", "exchange"), ("衣服有个洞", None)],
)
def test_what_the_customer_wants(text: str, expected: str | None) -> None:
    assert expectation_of(text) == expected


def test_about_a_payment_giving_back_means_money_back() -> None:
    assert expectation_of("我要退一笔", "payment") == "refund" and expectation_of("我要退一笔") == "return"


def test_a_problem_kefu_has_no_name_for_is_read_back_in_the_customers_own_words() -> None:
    chat = Chat()
    chat.send("这个包的拉杆推不上去了", "complaint_product", "complaint_product")
    d = chat.send("退款")
    assert keys(d) == ["intake.recorded"] and "“这个包的拉杆推不上去了”" in read_out(d.says[-1].parts[0][1]["summary"])


@pytest.mark.parametrize(("text", "vague"), [("我要投诉！", True), ("出问题了", True), ("在吗？有问题", True),
                                             ("裤子拉链坏了", False), ("快递三天没动", False)])
def test_vague_complaints(text: str, vague: bool) -> None:
    assert is_vague(text) is vague


def test_arrival_dates() -> None:
    assert arrival_date(TODAY, dt.date(2026, 11, 28), "2–4") == dt.date(2026, 12, 2)
    assert arrival_date(TODAY, None, "2–4") == dt.date(2026, 12, 5), "not shipped: from tomorrow"
    assert arrival_date(TODAY, dt.date(2026, 11, 1), "3") == dt.date(2026, 12, 1), "never a date in the past"


def test_the_order_can_be_named_by_its_product_or_confirmed_when_it_is_the_only_one() -> None:
    chat = Chat(orders=(TEE, JEANS))
    chat.send("收到的东西有个洞", "complaint_product", "complaint_product")
    d = chat.send("是那条牛仔裤")
    assert notes(d)[0].order_no == JEANS.order_no
    only = Chat(orders=(TEE,))
    only.send("收到的东西有个洞", "complaint_product", "complaint_product")
    d = only.send("对，就是这个", "affirm")
    assert notes(d)[0].order_no == TEE.order_no
