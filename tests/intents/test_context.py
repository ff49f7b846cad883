"""The same words read by their context (the conversation's stage, the customer's order, the bot's open
question, the previous message), and a message's several requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents import DISPUTE_LABELS, Context, IntentClassifier

DATA = Path(__file__).resolve().parents[2] / "intents" / "data" / "independent"
DELIVERED = Context(order="delivered")
SHOPPING = Context(order="none", browsing=True)


@pytest.mark.parametrize(
    ("text", "complaint", "other"),
    [
        # one message, two contexts: the first makes it a complaint, the second does not
        ("质量太差了", DELIVERED, SHOPPING),
        ("太慢了吧", Context(order="shipped"), SHOPPING),
        ("能换吗", Context(order="delivered", previous_intent="complaint_product"), DELIVERED),
        ("退了吗", Context(order="delivered", previous_intent="complaint_payment"), DELIVERED),
        ("怎么还没发", Context(order="queued", previous_intent="complaint_logistics"), Context(order="queued")),
        ("对啊", Context(bot_asked="dispute_check", previous_intent="complaint_product"), Context()),
    ],
)
def test_context_pairs(classifier: IntentClassifier, text: str, complaint: Context, other: Context) -> None:
    plain = classifier.predict(text)
    first, second = classifier.in_context(plain, complaint), classifier.in_context(plain, other)
    assert first.dispute_probability > second.dispute_probability or (first.is_dispute and not second.is_dispute)
    assert first.is_dispute and first.intent in DISPUTE_LABELS, first
    assert not (second.is_dispute and second.dispute_probability >= 0.97), "never a certain complaint there"
    assert classifier.predict(text, complaint) == first, "predict(text, context) is the same reading"


def test_a_follow_up_to_a_complaint_continues_it_but_thanks_do_not(classifier: IntentClassifier) -> None:
    after = Context(order="delivered", previous_intent="complaint_product")
    assert classifier.predict("那能退吗", after).intent == "complaint_product"
    assert classifier.predict("谢谢你们", after).intent == "thanks_bye"
    assert classifier.predict("转人工", after).intent == "human"


def test_a_message_alone_keeps_its_reading_without_context(classifier: IntentClassifier) -> None:
    for text in ("收到的杯子碎了两个", "这件有L码吗", "谢谢"):
        plain = classifier.predict(text)
        assert classifier.in_context(plain, Context()) == plain or classifier.in_context(plain, Context()).intent == plain.intent
        assert classifier.in_context(plain, None) is plain


def test_context_reads_the_independent_pairs_better_than_the_message_alone(classifier: IntentClassifier) -> None:
    """context.jsonl: short messages written by an independent tester with two or three conversations each,
    and what the message is in each. The previous message is read by the classifier; the bot's last words are
    mapped to the question kefu would have open."""
    right_alone = right_in_context = cases = 0
    for item in map(json.loads, (DATA / "context.jsonl").read_text("utf-8").splitlines()):
        plain = classifier.predict(item["text"])
        for case in item["cases"]:
            c = case["context"]
            previous = classifier.predict(c["previous"]).intent if c.get("previous") else None
            asked = "dispute_check" if c.get("bot_last") and "出了问题" in c["bot_last"] else None
            context = Context(order=c["order"], browsing=bool(c.get("browsing")), bot_asked=asked,
                              previous_intent=previous)
            cases += 1
            right_alone += plain.is_dispute == case["dispute"]
            right_in_context += classifier.in_context(plain, context).is_dispute == case["dispute"]
    assert cases >= 100
    assert right_in_context / cases >= right_alone / cases + 0.1, (right_alone, right_in_context, cases)


def test_each_request_of_a_message_is_read(classifier: IntentClassifier) -> None:
    assert classifier.predict("这件有L码吗 顺便问下什么时候发货").parts == (), "parts are read on request"
    p = classifier.predict("这件有L码吗 顺便问下什么时候发货", parts=True)
    assert classifier.with_parts(classifier.predict("这件有L码吗 顺便问下什么时候发货")) == p
    assert [part.text for part in p.parts] == ["这件有l码吗", "顺便问下什么时候发货"]
    assert {p.intent, *(a.intent for a in p.also)} >= {"product_inquiry"}
    assert len({p.intent, *(a.intent for a in p.also)}) == 2
    assert classifier.predict("在吗", parts=True).parts == ()
    assert classifier.predict("亲，这件还有M码吗", parts=True).also == (), "one request, whatever the commas"


def test_the_independent_multi_part_messages(classifier: IntentClassifier) -> None:
    """multipart.jsonl (independent): the message's own reading is one of its requests, and a complaint
    inside a longer message makes it a complaint."""
    items = [json.loads(line) for line in (DATA / "multipart.jsonl").read_text("utf-8").splitlines()]
    main_right = complaints = caught = 0
    for item in items:
        p = classifier.predict(item["text"])
        main_right += p.intent in item["parts"]
        if item["is_complaint"]:
            complaints += 1
            caught += p.is_dispute
    assert len(items) >= 50 and main_right / len(items) >= 0.9 and caught / complaints >= 0.9, (main_right, caught)
