"""score_emotion(): how upset a shopper is, from their words alone. Pure and synchronous, so the scoring's
corners — negation, lookalike words, Traditional script, monotonicity — are cheap to pin down here."""

from __future__ import annotations

import pytest

from bot.conversation.emotion import Emotion, level_of, score_emotion


def score(*texts: str) -> Emotion:
    return score_emotion(texts)


# --- calm: facts, politeness, negation, innocent lookalikes -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "收到的衣服有个洞",
        "颜色和图片上的不太一样，可以换吗",
        "我要退款",
        "裤子短了两厘米，能换大一码吗",
        "快递三天了还没到",
        "谢谢，麻烦看一下",
        "亲，麻烦帮我查一下物流，谢谢～",
        "好的，辛苦了",
    ],
)
def test_factual_reports_and_polite_messages_are_calm(text: str) -> None:
    assert score(text).level == "calm"


def test_a_plain_complaint_about_a_late_parcel_is_at_most_upset() -> None:
    # Not angry: facts and a question, however annoying the delay.
    assert score("买了一个星期了，快递一直没动，到底什么时候能到？").score <= 4


@pytest.mark.parametrize(
    "text",
    ["质量不垃圾，就是尺码偏小", "我没有生气，就是想问问", "你们也不是骗子，我知道", "一点都不过分", "放心，不会给差评的", "我不想投诉"],
)
def test_negated_angry_words_and_threats_do_not_count(text: str) -> None:
    assert score(text).score == 0


@pytest.mark.parametrize(
    "text",
    [
        "垃圾袋破了好几个",  # 垃圾袋 is a product, not an insult
        "滚筒洗衣机的罩子尺寸不对",
        "领口的滚边开线了",
        "USB接口接触不良",
        "给我妈的生日礼物，能不能包装一下",
        "他妈妈穿有点紧",
        "用工商银行付的款，被扣了两次",  # a bank, not the 工商局
        "狗狗衣服小了",
        "阿迪的nmd跑鞋码数不对",  # adidas NMD, not 你妈的
        "我买的是XXL码",
        "不过分量有点少",
    ],
)
def test_lookalikes_of_insults_threats_and_shouting_are_ignored(text: str) -> None:
    assert score(text).score == 0


def test_empty_input_is_calm_zero() -> None:
    assert score_emotion([]) == Emotion(0, "calm", ())
    assert score("", "   ") == Emotion(0, "calm", ())


# --- each signal --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["客服是傻逼吗", "你们SB吧", "s b客服", "S.B", "煞笔店家", "tmd什么东西", "nmsl", "cnm", "滚", "去死吧", "脑残设计", "废物客服", "狗东西"],
)
def test_insults_and_their_evasions_alone_make_an_angry_customer(text: str) -> None:
    emotion = score(text)
    assert "insult" in emotion.signals
    assert emotion.level == "angry"


@pytest.mark.parametrize("text", ["这什么垃圾质量", "骗子", "气死我了", "无语", "太离谱了", "黑店", "别忽悠我了", "你们是不是骗子"])
def test_one_angry_word_makes_an_upset_customer(text: str) -> None:
    emotion = score(text)
    assert emotion.signals == ("angry_words",)
    assert emotion.level == "upset"


def test_insults_weigh_more_than_angry_words() -> None:
    assert score("客服是傻逼").score > score("客服是骗子").score > score("客服是谁").score


def test_more_distinct_angry_words_weigh_more_but_repeating_one_does_not() -> None:
    assert score("垃圾，骗子，黑店").score > score("垃圾").score
    assert score("垃圾垃圾垃圾").score == score("垃圾").score


@pytest.mark.parametrize(
    "text",
    ["再不处理我就投诉你们", "我要打12315", "找消协", "去工商告你们", "我要曝光你们", "报警了", "找律师起诉", "给差评", "申请平台介入", "不得不投诉了"],
)
def test_threats_of_escalation_are_a_threat(text: str) -> None:
    emotion = score(text)
    assert "threat" in emotion.signals
    assert emotion.level == "upset"


def test_exclamation_runs_weigh_by_length() -> None:
    plain, two, three = score("东西坏了").score, score("东西坏了！！").score, score("东西坏了！！！").score
    assert plain < two < three
    assert "exclamations" in score("东西坏了!!!").signals
    assert score("东西坏了！").score == plain  # a single ! is just punctuation


def test_three_single_exclamations_in_one_message_count() -> None:
    assert "exclamations" in score("退钱！马上！现在！").signals


@pytest.mark.parametrize("text", ["什么情况？？？", "啥意思？！", "还没发货??"])
def test_question_runs_and_indignant_question_marks(text: str) -> None:
    assert "questions" in score(text).signals


@pytest.mark.parametrize("text", ["好吧。。。", "行吧……", "呵呵...", "随便你们、、、"])
def test_ellipses_are_passive_anger(text: str) -> None:
    assert score(text).signals == ("ellipsis",)


@pytest.mark.parametrize("text", ["马上给我处理", "到底什么时候发货", "怎么还没发货", "都五天了", "每次都这样", "赶紧退款"])
def test_urgency(text: str) -> None:
    assert "urgency" in score(text).signals


def test_urgency_is_capped() -> None:
    assert score("马上，立刻，赶紧，到底，一直").score == 2


def test_shouting_in_capitals_is_minor() -> None:
    emotion = score("WHY 还没发货")
    assert emotion.signals == ("all_caps",)
    assert emotion.score == 1


# --- across messages ----------------------------------------------------------------------------------------


def test_the_same_message_sent_again_is_repeated() -> None:
    assert "repeated" not in score("在吗").signals
    assert score("在吗", "在吗").signals == ("repeated",)
    # the same words, whatever the punctuation and script
    assert "repeated" in score("發貨了嗎", "发货了吗？？？").signals


def test_many_messages_in_a_row_are_repeated() -> None:
    assert "repeated" in score("衣服收到了", "袖子有个洞", "怎么处理").signals


def test_a_message_sent_again_and_again_tops_repeated() -> None:
    assert score("退款呢", "退款呢", "退款呢").score == 2


def test_words_count_across_messages_but_each_word_once() -> None:
    assert score("垃圾", "骗子").score == score("垃圾，骗子").score
    assert score("骗子", "你们就是骗子").score + 1 == score("骗子", "你们就是黑店").score


def test_negation_does_not_reach_into_the_next_message() -> None:
    assert "angry_words" in score("我真的不", "垃圾").signals


# --- normalisation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("騙子", "骗子"),
        ("氣死我了", "气死我了"),
        ("你們這家黑店，我要投訴到消協！！！", "你们这家黑店，我要投诉到消协！！！"),
        ("說好的三天發貨，到底還要等多久？？？", "说好的三天发货，到底还要等多久？？？"),
        ("煞筆客服", "煞笔客服"),
    ],
)
def test_traditional_scores_the_same_as_simplified(traditional: str, simplified: str) -> None:
    assert score(traditional) == score(simplified)
    assert score(traditional).score > 0


@pytest.mark.parametrize(("full_width", "half_width"), [("垃圾！！！", "垃圾!!!"), ("ＳＢ", "SB"), ("ＷＴＦ", "WTF")])
def test_full_width_scores_the_same_as_half_width(full_width: str, half_width: str) -> None:
    assert score(full_width) == score(half_width)
    assert score(full_width).score > 0


# --- whole-dispute examples, levels and the score's range ---------------------------------------------------


def test_furious_customer() -> None:
    emotion = score("你们这个垃圾黑店，骗子！！！", "我要投诉到12315，傻逼")
    assert emotion.score == 10
    assert emotion.level == "furious"
    assert emotion.label == "非常愤怒"
    assert emotion.signals[:4] == ("insult", "angry_words", "threat", "exclamations")


def test_angry_customer() -> None:
    emotion = score("质量太差了！！！")
    assert emotion.level == "angry"
    assert set(emotion.signals) == {"angry_words", "exclamations"}


def test_signals_are_ordered_strongest_first() -> None:
    assert score("到底什么时候发货？？？傻逼").signals[0] == "insult"


@pytest.mark.parametrize(
    ("score_", "level", "label"),
    [(0, "calm", "平静"), (2, "calm", "平静"), (3, "upset", "不满"), (5, "upset", "不满"), (6, "angry", "生气"),
     (8, "angry", "生气"), (9, "furious", "非常愤怒"), (10, "furious", "非常愤怒")],
)
def test_level_boundaries_and_labels(score_: int, level: str, label: str) -> None:
    assert level_of(score_) == level
    assert Emotion(score_, level).label == label


@pytest.mark.parametrize("bad", [-1, 11])
def test_a_score_outside_0_to_10_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="0..10"):
        level_of(bad)


def test_an_emotion_whose_level_contradicts_its_score_is_refused() -> None:
    with pytest.raises(ValueError, match="does not match"):
        Emotion(9, "calm")


def test_the_score_is_capped_at_10() -> None:
    emotion = score("傻逼，脑残，废物，滚！！！垃圾骗子黑店，投诉12315曝光报警。。。马上到底？？？WTF", "傻逼", "傻逼")
    assert emotion.score == 10
    assert len(emotion.signals) == 9


# --- monotonicity: more anger never scores lower ------------------------------------------------------------

BASES = [
    "",
    "在吗",
    "收到的衣服有个洞",
    "谢谢，麻烦看一下",
    "不垃圾",
    "我没有生气",
    "快递三天了还没到",
    "到底什么时候发货？？？",
    "质量太差了……",
    "再不退款我就投诉",
    "骗子！",
    "你们是傻逼吧！！！",
    "WTF",
    "你妈的",
]
ANGRIER = ["！！！", "!!!", "！", "，傻逼", "，滚", "，tmd", "，你们就是骗子", "，我要投诉到12315"]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("more", ANGRIER)
def test_appending_anger_to_a_message_never_lowers_the_score(base: str, more: str) -> None:
    earlier = ["衣服收到了", base]
    assert score(*earlier[:-1], base + more).score >= score(*earlier).score


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("more", ANGRIER)
def test_sending_another_angry_message_never_lowers_the_score(base: str, more: str) -> None:
    assert score(base, more).score >= score(base).score


def test_calling_the_shop_names_is_anger() -> None:
    emotion = score_emotion(["你们这什么破店，东西寄来就是坏的！！！"])
    assert emotion.level in ("angry", "furious") and "angry_words" in emotion.signals
