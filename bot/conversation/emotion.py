"""How upset a customer is, from their words: a small, explainable scorer for dispute intake.

Each message is normalised first with :func:`bot.conversation.slots.simplify` (NFKC full-width → half-width, Traditional →
Simplified, lower case), so 「騙子！！！」 scores exactly as 「骗子!!!」. Each signal then adds points, capped per
signal, and the total is clamped to 0..10::

    signal        points                      what
    insult        6, +2 per further one, ≤ 8  傻逼 / sb / s b / 煞笔 / tmd / nmsl / cnm / 滚 / 去死 / 脑残 …
    angry_words   4, +1 per further one, ≤ 6  垃圾 / 骗子 / 黑店 / 太差 / 气死 / 无语 / 离谱 / 忽悠 …
    threat        3, +1 per further one, ≤ 4  投诉 / 12315 / 消协 / 工商 / 曝光 / 报警 / 律师 / 起诉 / 差评 …
    exclamations  1 / 2                       a run of !! (or three ! in one message) / a run of !!!
    questions     1                           a run of ??, or ?! / !? (indignant)
    ellipsis      1                           ... / …… / 。。 / 、、、 (passive anger)
    urgency       1 each, ≤ 2                 马上 / 立刻 / 到底 / 怎么还没 / 三天了 / 一直 / 每次 …
    repeated      1 each, ≤ 2                 the same message sent twice; three or more messages
    all_caps      1                           a Latin word of 3+ capitals (WTF), sizes and acronyms aside

Levels: 0-2 calm 平静, 3-5 upset 不满, 6-8 angry 生气, 9-10 furious 非常愤怒.

Words count once each across the whole dispute. An angry word or threat straight after a negation (不 / 没 /
没有, optionally with 是 太 算 很 会 想 给 再 用 in between) does not count: 不垃圾, 没有生气, 不会给差评; but
是不是骗子 and 不得不投诉 do. Insults are never negated. Every signal is a union or a maximum over the
messages, so appending "!!!", an insulting clause or another message never lowers the score. The score
covers every message it is given: a customer who has calmed down is not scored down — pass only the
messages that matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.conversation.slots import simplify

_INSULT = re.compile(
    r"傻逼|傻b|傻比|傻x|傻叉|傻屌|煞笔|煞逼|沙比|(?<![a-z])(?:s[\s.*_-]*b|sha\s*bi|tmd|nmsl|cnm|mlgb|fuck[a-z]*)(?![a-z])"
    r"|他妈(?!妈)|你妈的|(?<![我你他她咱])妈的|尼玛|草泥马|操你|去死|(?<![打翻])滚(?!筒|动|轮|珠|边|烫|刷)"
    r"|脑残|废物|智障|白痴|弱智|蠢货|王八蛋|混蛋|畜生|人渣|狗东西|狗屎|狗日|狗店|狗商家|狗卖家|狗客服"
)
_ANGRY = re.compile(
    r"垃圾(?!袋|桶|篓|分类)|骗子|骗人|欺骗|诈骗|坑人|坑爹|坑钱|坑(?!洼)|黑店|奸商|太差|差劲|气死|生气|火大|恶心|无语"
    r"|什么玩意|搞什么鬼|破店|什么破|破东西|破玩意|烂货|忽悠|过分|离谱|敷衍|欺负人|我服了|服了你|有病吧|卧槽|(?<![a-z])wtf(?![a-z])"
)
_THREAT = re.compile(
    r"投诉|(?<!\d)12315(?!\d)|消协|消费者协会|工商(?!银行)|市场监管|曝光|报警|律师|起诉|法院|差评|维权|举报"
    r"|平台介入|小二介入"
)
_URGENCY = re.compile(
    r"马上|立刻|立即|赶紧|赶快|快点|到底|还要等多久|要等多久|怎么还没|怎么还不|[几两三四五六七八九十\d]+天了|一直|每次|催了"
)
# 不 / 没 / 没有 just before a word (at most two hedges between); not the 不 of 是不是 or 不得不.
_NEGATED = re.compile(r"(?<![是得])(?:不|没有?)(?:是|太|算|很|会|想|给|再|用){0,2}$")
_EXCLAIM_RUN = re.compile(r"!+")
_QUESTIONS = re.compile(r"\?{2,}|\?!|!\?")
_ELLIPSIS = re.compile(r"\.{3,}|。{2,}|、{3,}")
_CAPS_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3,}(?![A-Za-z0-9])")
_NOT_SHOUTING = frozenset({"XXS", "XXL", "XXXL", "USB", "LED", "APP", "VIP", "SKU", "EMS", "DIY", "LOGO"})
_LEVELS = ((2, "calm"), (5, "upset"), (8, "angry"), (10, "furious"))
_LABELS = {"calm": "平静", "upset": "不满", "angry": "生气", "furious": "非常愤怒"}


def level_of(score: int) -> str:
    """The level for a score: calm (0-2), upset (3-5), angry (6-8), furious (9-10).

    Raises:
        ValueError: the score is outside 0..10.
    """
    for top, level in _LEVELS:
        if 0 <= score <= top:
            return level
    raise ValueError(f"emotion score must be within 0..10, got {score}")


@dataclass(frozen=True, slots=True)
class Emotion:
    """How upset the customer is: a 0..10 score, its level, and the reasons (signal names, strongest first).

    Raises:
        ValueError: on construction, when the level does not match the score or the score is outside 0..10.
    """

    score: int
    level: str
    signals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if level_of(self.score) != self.level:
            raise ValueError(f"emotion level {self.level!r} does not match score {self.score}")

    @property
    def label(self) -> str:
        """The level in Chinese, for agents: 平静 / 不满 / 生气 / 非常愤怒."""
        return _LABELS[self.level]


def _words(pattern: re.Pattern[str], text: str, *, negatable: bool) -> set[str]:
    """The distinct words of ``pattern`` in ``text``; with ``negatable``, not those right after 不 / 没."""
    found = pattern.finditer(text)
    return {m.group() for m in found if not (negatable and _NEGATED.search(text, 0, m.start()))}


def _tiered(count: int, first: int, further: int, cap: int) -> int:
    return 0 if count == 0 else min(cap, first + further * (count - 1))


def score_emotion(texts: Sequence[str]) -> Emotion:
    """Score how upset a customer is (see the module docstring for the weights).

    Args:
        texts: the customer's messages in this dispute, oldest first (the latest is the last). Blank
            messages are ignored; none at all is calm, 0.
    """
    raw = [unicodedata.normalize("NFKC", t) for t in texts if t.strip()]
    plain = [simplify(t) for t in raw]
    insults: set[str] = set()
    angry: set[str] = set()
    threats: set[str] = set()
    urgent: set[str] = set()
    bangs = 0
    for text in plain:
        insults |= _words(_INSULT, text, negatable=False)
        angry |= _words(_ANGRY, text, negatable=True)
        threats |= _words(_THREAT, text, negatable=True)
        urgent |= _words(_URGENCY, text, negatable=False)
        run = max((len(m.group()) for m in _EXCLAIM_RUN.finditer(text)), default=0)
        bangs = max(bangs, 2 if run >= 3 else 1 if run == 2 or text.count("!") >= 3 else 0)
    keys = [re.sub(r"[\W_]+", "", t) or t for t in plain]
    points = {
        "insult": _tiered(len(insults), 6, 2, 8),
        "angry_words": _tiered(len(angry), 4, 1, 6),
        "threat": _tiered(len(threats), 3, 1, 4),
        "exclamations": bangs,
        "questions": int(any(_QUESTIONS.search(t) for t in plain)),
        "ellipsis": int(any(_ELLIPSIS.search(t) for t in plain)),
        "urgency": min(2, len(urgent)),
        "repeated": int(len(set(keys)) < len(keys)) + int(len(keys) >= 3),
        "all_caps": int(any(w not in _NOT_SHOUTING for t in raw for w in _CAPS_WORD.findall(t))),
    }
    score = min(10, sum(points.values()))
    signals = tuple(name for name, p in sorted(points.items(), key=lambda kv: -kv[1]) if p > 0)
    return Emotion(score, level_of(score), signals)
