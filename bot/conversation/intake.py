"""Reading a complaint: what kind of problem, what the customer wants, whether they said enough.

Pure text helpers for the dispute intake in :mod:`bot.conversation.disputes` (structured listening: facts, evidence,
expectation). Everything works on :func:`bot.conversation.slots.simplify`'d text, so Traditional Chinese reads the same.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.conversation.slots import simplify
from replies import Fragment

# What happened, by dispute type: (sub-type, words). The first match wins, so the specific comes first.
_SUBTYPES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "product": (
        ("wrong_item", ("发错", "寄错", "不是我买的", "不是我要的", "不是我下单的", "错发", "颜色不对", "尺码不对",
                        "码数不对", "少发", "漏发", "少了一件", "少一件", "货不对", "款式不对")),
        ("fake", ("假货", "假的", "山寨", "高仿", "不是正品")),
        ("damaged", ("破", "洞", "坏", "裂", "开胶", "脱胶", "掉底", "断", "起皮", "掉漆", "生锈", "脏", "污渍", "开线", "脱线", "掉色", "褪色", "起球", "断了", "线头",
                     "变形", "瑕疵", "染色", "串色", "霉", "异味", "味道", "质量")),
        ("not_as_described", ("不符", "色差", "和图片不一样", "跟图片不一样", "和描述不一样", "货不对板", "图片不一样",
                              "实物", "材质不对")),
        ("size", ("太大", "太小", "偏大", "偏小", "有点大", "有点小", "大了", "小了", "不合身", "穿不上", "紧", "尺码")),
        ("usage", ("不会用", "怎么用", "用不了", "不能用")),
    ),
    "logistics": (
        ("damaged_in_transit", ("压坏", "破损", "包装破", "摔坏", "压扁", "箱子破", "包装烂")),
        ("lost", ("丢件", "丢了", "弄丢", "找不到包裹", "显示签收", "已签收但", "没收到却", "被签收")),
        ("courier", ("快递员", "不送上门", "态度", "放驿站", "不派送", "骂人")),
        ("late", ("没到", "还没收到", "没收到", "没发货", "还不发", "还没发", "怎么还", "几天了", "太慢", "好慢", "慢死",
                  "不动", "没更新", "延迟", "多久能到", "什么时候到", "迟迟")),
    ),
    "payment": (
        ("charged_twice", ("扣了两次", "扣两次", "重复扣", "多扣", "扣了两笔", "付了两次", "重复付款")),
        ("refund_missing", ("退款没到", "退款还没", "没退款", "钱没退", "还没退", "退款呢", "没收到退款")),
        ("payment_failed", ("付款失败", "支付失败", "付不了", "扣款了但", "付了钱", "已付款")),
    ),
    "service": (
        ("attitude", ("态度", "不理人", "不回复", "骂", "敷衍", "不耐烦")),
    ),
}
# How each kind of problem is named to customers and agents.
SUBTYPE_LABELS = {
    "wrong_item": "发错货", "fake": "怀疑不是正品", "damaged": "商品有破损或质量问题", "not_as_described": "与描述不符",
    "size": "尺码不合适", "usage": "不会使用", "damaged_in_transit": "运输中损坏", "lost": "包裹丢失", "courier": "快递服务",
    "late": "迟迟没有收到", "charged_twice": "重复扣款", "refund_missing": "退款未到账", "payment_failed": "付款异常",
    "attitude": "服务态度",
}
# Sub-types where a photo settles the facts (the intake asks for one).
PHOTO_SUBTYPES = frozenset({"wrong_item", "fake", "damaged", "not_as_described", "damaged_in_transit"})

# What would make it right, in the words customers use: (expectation, words).
_EXPECTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("return", ("退货退款", "退货", "退回去", "寄回去", "退掉")),
    ("exchange", ("换货", "换一件", "换一个", "换个", "换新", "调换", "换尺码", "换码", "换大", "换小")),
    ("reship", ("补发", "重新发", "再发一", "重发", "补寄")),
    ("compensation", ("赔偿", "补偿", "赔钱", "给个说法", "赔")),
    ("refund", ("退款", "退钱", "把钱退", "仅退款", "退我钱")),
    ("return", ("能退", "可以退", "要退", "想退", "退了吧")),  # a bare 退: give it back
)
EXPECTATION_LABELS = {
    "refund": "退款", "return": "退货退款", "exchange": "换货", "reship": "补发", "compensation": "补偿",
    "wait": "继续等待", "explain": "给个解释", "check": "核实扣款",
}
# The expectation buttons per dispute type (labels; a click maps back through EXPECTATION_BUTTONS).
EXPECTATION_CHOICES: dict[str, tuple[str, ...]] = {
    "product": ("退货退款", "换货", "补发", "补偿", "退款"),
    "logistics": ("补发", "退款", "补偿", "继续等待"),
    "payment": ("退款", "核实扣款"),
    "service": ("给个解释", "补偿"),
}
EXPECTATION_BUTTONS = {label: key for key, label in EXPECTATION_LABELS.items()}

# Words that carry no facts: "我要投诉", "有问题", "售后" say something is wrong, not what.
_EMPTY_WORDS = re.compile(
    r"我要|我想|要|想|投诉|举报|售后|问题|有问题|出问题|出了问题|处理|一下|你们|你|们|了|的|吗|呢|啊|吧|呀|"
    r"差评|客服|人工|找|怎么回事|怎么办|在吗|在不在|喂|麻烦|请|帮我|订单|东西|"
    r"[\s,.!?;:~、，。！？；：…\-]"
)


def subtype_of(kind: str, text: str) -> str | None:
    """The kind of problem a message describes within its dispute type, e.g. ``damaged`` or ``late``."""
    plain = simplify(text)
    for subtype, words in _SUBTYPES.get(kind, ()):
        if any(word in plain for word in words):
            return subtype
    return None


def expectation_of(text: str, kind: str | None = None) -> str | None:
    """What the customer asks for, if they said it (``refund``, ``return``, ``exchange``, ``reship``, ``compensation``).

    ``kind`` is the dispute type: about a payment, "退" means money back (there are no goods to return).
    """
    if text.strip() in EXPECTATION_BUTTONS:
        return EXPECTATION_BUTTONS[text.strip()]
    plain = simplify(text)
    for expectation, words in _EXPECTATIONS:
        if any(word in plain and f"不{word}" not in plain and f"不要{word}" not in plain for word in words):
            return "refund" if kind == "payment" and expectation == "return" else expectation
    return None


def is_vague(text: str) -> bool:
    """Whether a complaint names no facts at all ("我要投诉！", "出问题了"), so the bot should ask what happened."""
    return len(_EMPTY_WORDS.sub("", simplify(text))) < 3


def order_button(order_no: str, product: str) -> str:
    """A quick-choice label for one of the customer's orders: its number and (shortened) product."""
    name = product if len(product) <= 10 else product[:9] + "…"
    return f"{order_no} {name}".strip()


def arrival_date(today: dt.date, shipped_on: dt.date | None, delivery_days: str) -> dt.date:
    """The latest promised arrival: the shipping day (tomorrow if not shipped yet) plus the longest delivery time.

    ``delivery_days`` is the shop's setting, such as ``"2–4"`` or ``"3"``.
    """
    start = shipped_on if shipped_on is not None else today + dt.timedelta(days=1)
    return max(promised_by(start, delivery_days), today + dt.timedelta(days=1))


def delivery_span(delivery_days: str) -> tuple[int, int]:
    """The shortest and longest delivery time in days, from the shop's setting ("2–4", "3")."""
    numbers = [int(n) for n in re.findall(r"\d+", delivery_days)] or [3]
    return min(numbers), max(numbers)


def promised_by(shipped_on: dt.date, delivery_days: str) -> dt.date:
    """The day a parcel shipped on ``shipped_on`` should have arrived by: plus the longest delivery time."""
    return shipped_on + dt.timedelta(days=delivery_span(delivery_days)[1])


def chinese_date(day: dt.date, today: dt.date) -> Fragment:
    """``11月30日`` with 今天/明天/后天 where it applies (the bank's ``part.date*``)."""
    near = {0: "part.date_today", 1: "part.date_tomorrow", 2: "part.date_after_tomorrow"}.get((day - today).days)
    label = Fragment("part.date", {"month": str(day.month), "day": str(day.day)})
    return Fragment(near, {"date": label}) if near else label
