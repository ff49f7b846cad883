"""Pulling order details out of a customer's words: sizes, colours, quantities, phone, address...

Pure functions over text; the flow decides what to do with what they find.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache

import opencc

from bot._catalogue import AUDIENCE_WORDS, CATEGORY_WORDS, SEASON_WORDS, Need, ProductView

_CN_DIGITS = {"一": 1, "两": 2, "俩": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ORDER_NO = re.compile(r"(?<![a-z0-9])(kf\d{8,14})(?![0-9])|(?<!\d)(\d{12,20})(?!\d)", re.IGNORECASE)
_SIZE = re.compile(r"(?<![a-z0-9.])(xxxl|3xl|xxl|2xl|xl|xs|l|m|s)(?![a-z])(?:码|号)?", re.IGNORECASE)
_CN_SIZE = {"加大码": "XL", "加大": "XL", "大码": "L", "中码": "M", "小码": "S", "均码": "均码", "加加大": "XXL"}
_SHOE = re.compile(r"(?<!\d)(3[4-9]|4[0-6])(?:码|号)(?!\d)")
_ANY_SIZE_NUMBER = re.compile(r"^\s*(\d{2,3})\s*(?:码|号|cm)?\s*$")
_BARE_NUMBER = re.compile(r"^\s*(3[4-9]|4[0-6])\s*$")
_QTY = re.compile(r"(\d{1,3}|[一两俩二三四五六七八九十])\s*(件|个|条|双|套|顶|只|份|条儿|盒)")
_HEIGHT = re.compile(
    r"身高\s*(1[4-9]\d|2[01]\d)|(1[4-9]\d|2[01]\d)\s*(?:cm|公分|厘米)|(?<![\d.])1\s*(?:米|m|\.)\s*([0-9]{1,2})(?!\d|\s*(?:斤|kg|公斤|千克|元|块))",
    re.IGNORECASE,
)
# "175，140斤" / "175/65kg": a bare height written just before a weight.
_HEIGHT_BEFORE_WEIGHT = re.compile(r"(?<!\d)(1[4-9]\d|20\d)\s*[,，/、\s]\s*(?:体重)?\s*\d{2,3}(?:\.\d)?\s*(?:斤|kg|公斤|千克)")
_CN_HEIGHT = re.compile(r"一米([一二三四五六七八九])([一二三四五六七八九五])?")
_WEIGHT = re.compile(r"(?:体重|重)?\s*(\d{2,3}(?:\.\d)?)\s*(斤|kg|公斤|千克)", re.IGNORECASE)
_WEIGHT_BARE = re.compile(r"体重\s*(\d{2,3})")
_BUDGET = re.compile(
    r"(?:预算\s*(\d{2,5})|(\d{2,5})\s*(?:元|块|rmb)?\s*(?:以内|以下|之内|左右|上下|内))", re.IGNORECASE
)
_NOTES = re.compile(r"备注(?:一下|下)?[:：\s]*(.+)")
_ADDRESS_HINT = re.compile(r"(省|市|区|县|镇|乡|街道|路|街|巷|号|村|小区|栋|幢|单元|室|楼|大厦|花园|公寓)")
_CHANGED_TO = re.compile(r"(?:改成|改为|换成|改到|更改为|变更为)[:：\s]*")
_CONTACT_LABEL = re.compile(r"(?:联系)?(?:手机号码|手机号|手机|电话号码|电话|联系方式|tel|phone)\s*[:：]?\s*(?=[,，;；\s]|$)", re.IGNORECASE)
_ADDRESS_PREFIX = re.compile(r"^(?:收货)?(?:地址|收件地址|寄到|送到|发到)\s*(?:是|为|改成|改为|换成)?[:：\s]*")
_GENERIC_COLOURS = (
    "藏青", "卡其", "燕麦", "雾霾蓝", "酒红", "墨绿", "杏色", "米白", "米色", "咖啡", "驼色", "焦糖",
    "黑", "白", "灰", "蓝", "红", "粉", "绿", "黄", "紫", "棕", "橙",
)
_STYLE_WORDS = ("休闲", "通勤", "运动", "甜美", "复古", "街头", "简约", "正式", "法式", "韩系", "日系", "百搭")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional → Simplified, full-width → half-width, lower case: what matching works on."""
    return _t2s().convert(unicodedata.normalize("NFKC", text)).lower().strip()


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one message says about the order and the customer. ``None``: not mentioned."""

    size: str | None = None
    colour: str | None = None
    quantity: int | None = None
    phone: str | None = None
    address: str | None = None
    notes: str | None = None
    order_no: str | None = None
    height: float | None = None
    weight: float | None = None

    def as_slots(self) -> dict[str, object]:
        """The non-empty fields, as conversation slots."""
        return {f.name: value for f in fields(self) if (value := getattr(self, f.name)) is not None}


def extract(text: str, product: ProductView | None = None, *, expecting: str | None = None) -> Extracted:
    """Find order details in ``text``; sizes and colours are checked against ``product`` when known.

    Args:
        text: the message as the customer wrote it.
        product: the product being discussed, if any.
        expecting: the detail the bot just asked for ("size", "address", ...): a bare answer counts.
    """
    plain = simplify(text)
    if product is not None:  # "纯棉中筒袜五双装" names a product, not a quantity of five
        for word in sorted((product.name, *product.aliases), key=len, reverse=True):
            plain = plain.replace(word.lower(), " ")
    phone = _phone(plain)
    rest = _PHONE.sub(" ", plain) if phone else plain
    order_no = _order_no(rest)
    if order_no:
        rest = rest.replace(order_no.lower(), " ")
    notes = _notes(text)
    if notes:
        rest = _NOTES.sub(" ", rest)
    height, weight = _height(rest), _weight(rest)
    address = _address(text, rest, expecting=expecting)
    # A message that carries an address is a contact message: "白雪 138… 红谷滩区…" names a person and
    # a district, not a colour, a size or a quantity.
    variant_text = "" if address else rest
    return Extracted(
        size=_size(variant_text, product, expecting=expecting) if variant_text else None,
        colour=_colour(variant_text, product) if variant_text else None,
        quantity=_quantity(variant_text) if variant_text else None,
        phone=phone,
        address=address,
        notes=notes,
        order_no=order_no.upper() if order_no else None,
        height=height,
        weight=weight,
    )


def _phone(text: str) -> str | None:
    match = _PHONE.search(text)
    return "".join(match.groups()) if match else None


def _order_no(text: str) -> str | None:
    match = _ORDER_NO.search(text)
    return (match.group(1) or match.group(2)) if match else None


def _notes(text: str) -> str | None:
    match = _NOTES.search(unicodedata.normalize("NFKC", text))
    note = match.group(1).strip(" ，,。.") if match else ""
    return note or None


def _size(text: str, product: ProductView | None, *, expecting: str | None) -> str | None:
    sizes = product.sizes if product else ()
    numeric = any(s.isdigit() for s in sizes)
    if numeric:
        match = _SHOE.search(text) or (_BARE_NUMBER.match(text) if expecting == "size" else None)
        return match.group(1) if match else None
    if expecting == "size" and (bare := _ANY_SIZE_NUMBER.match(text)):
        return bare.group(1)  # "27" when asked for a size: kept, so the bot can say which sizes exist
    for word, size in _CN_SIZE.items():
        if word in text:
            return size
    for match in _SIZE.finditer(text):
        raw = match.group(1).upper()
        size = {"2XL": "XXL", "3XL": "XXXL"}.get(raw, raw)
        # A lone "s"/"m"/"l" in Latin chatter ("ok", "lol") is not a size unless a size is expected
        # or it is written as one (M码, 要L).
        if len(raw) == 1 and not (
            expecting == "size" or match.group(0)[-1] in "码号" or _looks_like_size(text, match)
            or (product is not None and raw in product.sizes)
        ):
            continue
        return size
    return None


def _looks_like_size(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 3) : match.start()]
    return any(word in before for word in ("要", "拿", "选", "穿", "买", "换", "改", "成", "来", "的", "码"))


def _colour(text: str, product: ProductView | None) -> str | None:
    if product:
        for colour in sorted(product.colours, key=len, reverse=True):
            if colour.lower() in text:
                return colour
        for colour in product.colours:
            stem = colour.removesuffix("色")
            if len(stem) >= 1 and stem.lower() in text and not _stem_is_part_of_other_word(text, stem):
                return colour
        # "黑色" for a product made in "全黑": the one colour of the product with that shade.
        for shade in _GENERIC_COLOURS:
            if shade in text and not _stem_is_part_of_other_word(text, shade):
                matches = [c for c in product.colours if shade in c]
                if len(matches) == 1:
                    return matches[0]
    for colour in _GENERIC_COLOURS:
        if colour in text and not _stem_is_part_of_other_word(text, colour):
            return colour if colour.endswith("色") or len(colour) > 1 else colour + "色"
    return None


def _stem_is_part_of_other_word(text: str, stem: str) -> bool:
    # 白天, 红包, 黄金周, 蓝牙, 灰心, 白白: the colour character used in another word.
    return any(word in text for word in (stem + "天", stem + "包", stem + "金", stem + "牙", stem + "心", "明白", "白跑"))


def _quantity(text: str) -> int | None:
    match = _QTY.search(text)
    if not match:
        return None
    raw = match.group(1)
    value = int(raw) if raw.isdigit() else _CN_DIGITS[raw]
    return value if 0 < value <= 99 else None


def _height(text: str) -> float | None:
    cn = _CN_HEIGHT.search(text)
    if cn:
        tens = _CN_DIGITS[cn.group(1)] * 10
        ones = _CN_DIGITS[cn.group(2)] if cn.group(2) else 0
        return 100.0 + tens + ones
    match = _HEIGHT.search(text) or _HEIGHT_BEFORE_WEIGHT.search(text)
    if not match:
        return None
    if match.re is _HEIGHT_BEFORE_WEIGHT:
        return float(match.group(1))
    if match.group(3):
        rest = match.group(3)
        return 100.0 + float(rest if len(rest) == 2 else rest + "0")
    return float(match.group(1) or match.group(2))


def _weight(text: str) -> float | None:
    match = _WEIGHT.search(text)
    if match:
        value = float(match.group(1))
        return value / 2 if match.group(2) == "斤" else value
    bare = _WEIGHT_BARE.search(text)
    if bare:
        value = float(bare.group(1))
        return value / 2 if value > 100 else value  # "体重120" means 斤 in everyday Chinese
    return None


def _address(original: str, plain: str, *, expecting: str | None) -> str | None:
    text = _PHONE.sub(" ", unicodedata.normalize("NFKC", original)).strip(" ，,。")
    text = _CONTACT_LABEL.sub(" ", text)
    changed = _CHANGED_TO.split(text)
    if len(changed) > 1 and len(changed[-1].strip()) >= 6:  # "地址写错了，要改成上海市…": the part after 改成
        text = changed[-1]
    text = _ADDRESS_PREFIX.sub("", text).strip(" ，,。:：")
    text = re.sub(r"\s*[,，;；]\s*", "，", text).strip("，")
    hints = len(set(_ADDRESS_HINT.findall(plain)))
    if len(text) >= 8 and (hints >= 2 or (expecting == "address" and hints >= 1)):
        return re.sub(r"\s+", " ", text)
    return None


def need_from(text: str) -> Need:
    """The shopping need a message states: category, for whom, season, style, budget."""
    plain = simplify(text)
    budget = _BUDGET.search(plain)
    return Need(
        categories=frozenset(c for c, words in CATEGORY_WORDS.items() if any(w in plain for w in words)),
        audience=frozenset(a for a, words in AUDIENCE_WORDS.items() if any(w in plain for w in words)),
        seasons=frozenset(s for s, words in SEASON_WORDS.items() if any(w in plain for w in words)),
        styles=frozenset(s for s in _STYLE_WORDS if s in plain),
        budget=Decimal(budget.group(1) or budget.group(2)) if budget else None,
    )


def mentions_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether the simplified text contains one of ``words``."""
    plain = simplify(text)
    return any(word in plain for word in words)


def has_link(text: str) -> bool:
    """Whether the message carries a link (which kefu never opens)."""
    return bool(re.search(r"https?://|www\.|\.com/|\.cn/", text, re.IGNORECASE))
