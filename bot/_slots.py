"""Pulling order details out of a customer's words: sizes, colours, quantities, phone, address...

Pure functions over text; the flow decides what to do with what they find.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import opencc

from bot._catalogue import AUDIENCE_WORDS, CATEGORY_WORDS, SEASON_WORDS, Need, ProductView

_CN_DIGITS = {"一": 1, "两": 2, "俩": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ORDER_NO = re.compile(r"(?<![a-z0-9])(kf\d{8,14})(?![0-9])|(?<!\d)(\d{12,20})(?!\d)", re.IGNORECASE)
_SIZE = re.compile(r"(?<![a-z0-9.])(xxxl|3xl|xxl|2xl|xl|xs|l|m|s)(?![a-z])(?:码|号)?", re.IGNORECASE)
_CN_SIZE = {"加大码": "XL", "加大": "XL", "大码": "L", "中码": "M", "小码": "S", "均码": "均码", "加加大": "XXL"}
_SHOE = re.compile(r"(?<!\d)(3[4-9]|4[0-6])(?:码|号|的)(?!\d)|(?:穿|要|拿|选|来)\s*(3[4-9]|4[0-6])(?![\d.])")
_LONE_SHOE = re.compile(r"(?<![\d.])(3[4-9]|4[0-6])(?![\d.]|\s*(?:元|块|号楼|楼|栋|单元|室|天|斤|kg|cm|岁|度))")
_ANY_SIZE_NUMBER = re.compile(r"^\s*(\d{2,3})\s*(?:码|号|cm)?\s*$")
_BARE_NUMBER = re.compile(r"^\s*(3[4-9]|4[0-6])\s*$")
_QTY = re.compile(r"(\d{1,3}|[一两俩二三四五六七八九十])\s*(件|个|条|双|套|顶|只|份|条儿|盒)")
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
class Item:
    """One line of a message that orders several ("一件白色L一件黑色M"): None where it does not say."""

    size: str | None = None
    colour: str | None = None
    quantity: int = 1
    sku: str | None = None  # a product this part of the message names; None: the product being discussed


# The fields that are conversation slots (the rest are read by the flow directly).
_SLOT_FIELDS = ("size", "colour", "quantity", "phone", "address", "notes", "order_no", "height", "weight", "name",
                "foot")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one message says about the order and the customer. ``None``: not mentioned.

    Numbers are read by their units: 160 / 160cm / 1米6 is a height (cm); 55kg / 110斤 a weight (kg); 160元 /
    160以内 / 预算160 a budget (yuan); 脚长24.5 / 245mm a foot length (mm); a bare number only where the message
    or the bot's question makes its meaning plain.
    """

    size: str | None = None
    colour: str | None = None
    quantity: int | None = None
    phone: str | None = None
    address: str | None = None
    notes: str | None = None
    order_no: str | None = None
    height: float | None = None
    weight: float | None = None
    name: str | None = None
    foot: int | None = None  # foot length, mm
    budget: Decimal | None = None
    items: tuple[Item, ...] = ()  # two or more lines ordered at once (then size/colour/quantity are None)

    def as_slots(self) -> dict[str, object]:
        """The non-empty fields that are conversation slots."""
        return {name: value for name in _SLOT_FIELDS if (value := getattr(self, name)) is not None}


def extract(
    text: str, product: ProductView | None = None, *, expecting: str | None = None,
    catalogue: Iterable[ProductView] = (),
) -> Extracted:
    """Find order details in ``text``; sizes and colours are checked against ``product`` when known.

    The message is read as a whole order when it is one ("白色L 张三 13800138000 杭州市西湖区文三路100号 别放快递柜"):
    the phone, the name beside it, the address and any delivery requests are taken out first, and the
    product's variants read from what is left.

    Args:
        text: the message as the customer wrote it.
        product: the product being discussed, if any.
        expecting: the detail the bot just asked for ("size", "address", ...): a bare answer counts.
        catalogue: the shop's products, for a message that orders several different ones.
    """
    plain = simplify(text)
    named = _named_products(plain, product, catalogue)
    for word in sorted({w for p in named for w in (p.name, *p.aliases)}, key=len, reverse=True):
        plain = plain.replace(word.lower(), " ")  # "纯棉中筒袜五双装" names a product, not five pairs
    phone = _phone(plain)
    rest = _PHONE.sub(" ", plain) if phone else plain
    order_no = _order_no(rest)
    if order_no:
        rest = rest.replace(order_no.lower(), " ")
    contact = _contact(text, expecting=expecting)
    notes = contact.notes
    if contact.address:
        rest = _without(rest, simplify(contact.address))
    if contact.name:
        rest = _without(rest, simplify(contact.name))
    for note in contact.note_parts:
        rest = _without(rest, simplify(note))
    rest = _LABELS.sub(" ", rest)
    numbers = _measures(rest, expecting=expecting, shoes=_is_shoe(product))
    rest = numbers.rest
    items = _items(rest, product, named, expecting=expecting)
    single = not items
    return Extracted(
        size=_size(rest, product, expecting=expecting) if single else None,
        colour=_colour(rest, product) if single else None,
        quantity=_quantity(rest) if single else None,
        phone=phone,
        address=contact.address,
        notes=notes,
        order_no=order_no.upper() if order_no else None,
        height=numbers.height,
        weight=numbers.weight,
        name=contact.name,
        foot=numbers.foot,
        budget=numbers.budget,
        items=items,
    )


def _phone(text: str) -> str | None:
    match = _PHONE.search(text)
    return "".join(match.groups()) if match else None


def _order_no(text: str) -> str | None:
    match = _ORDER_NO.search(text)
    return (match.group(1) or match.group(2)) if match else None


def _without(text: str, piece: str) -> str:
    return text.replace(piece, " ") if piece else text


def _named_products(plain: str, product: ProductView | None, catalogue: Iterable[ProductView]) -> list[ProductView]:
    """The products a message names by name or alias, the one being discussed first."""
    named: list[ProductView] = [product] if product is not None else []
    for other in catalogue:
        if other not in named and any(len(w) >= 2 and w.lower() in plain for w in (other.name, *other.aliases)):
            named.append(other)
    return named


def _is_shoe(product: ProductView | None) -> bool:
    return product is not None and any(s.isdigit() for s in product.sizes)


# ------------------------------------------------------------------ contact: name, address, delivery requests

_LABELS = re.compile(
    r"(?:收件人|收货人|联系人|姓名|名字|收货地址|收件地址|地址|手机号码|手机号|手机|电话号码|电话|联系方式|tel|phone)"
    r"\s*(?:是|为|叫)?\s*[:：]?",
    re.IGNORECASE,
)
_NAME_LABEL = re.compile(r"(?:收件人|收货人|联系人|姓名|名字|寄给|我叫|名字叫)\s*(?:是|为|叫)?\s*[:：]?\s*([\u4e00-\u9fff]{2,4})")
_PHONE_MARK = "\ue000"
_CHUNK_SPLIT = re.compile(r"[,，;；。\n]+|\s+")
_STRONG_HINT = re.compile(r"(省|市|区|县|镇|乡|街道|路|街|巷|村|小区|栋|幢|单元|室|大厦|花园|公寓|苑|弄|胡同|大道|社区|校区|宿舍)")
_WEAK_HINT = re.compile(r"\d+\s*(号|楼|层|室|栋|幢|单元)")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马上官诸葛"
)
_NOT_NAMES = ("谢谢", "好的", "麻烦", "就这", "确认", "没问题", "不用", "不要", "可以", "尺码", "颜色", "地址", "电话", "快递",
              "一件", "两件", "周末", "白天", "晚上", "包邮", "备注", "老板", "亲亲", "宝贝", "客服", "发货", "下单")
_REQUEST = re.compile(
    r"(别|不要|勿|请|麻烦|帮忙|帮我|记得|务必|一定要|希望|尽量|最好|千万)[^?？吗]{0,12}"
    r"(放|送|发|寄|打电话|电话联系|包装|礼盒|发票|小票|价签|价格|吊牌|快递柜|驿站|门口|前台|物业|周末|工作日|上午|下午|晚上|"
    r"敲门|联系|贺卡|卡片|写|包好|系|送人|送礼)"
    r"|^(送人|送礼|礼物)[的用]?$|(周末|工作日|晚上|下午|上午)(送|收|派送)"
)


@dataclass(frozen=True, slots=True)
class _Contact:
    name: str | None = None
    address: str | None = None
    notes: str | None = None
    note_parts: tuple[str, ...] = ()


def _contact(original: str, *, expecting: str | None) -> _Contact:
    """The recipient's name, the address and the delivery requests in a message (in its own script)."""
    text = unicodedata.normalize("NFKC", original)
    explicit = _NOTES.search(text)
    notes: list[str] = []
    if explicit:
        note = explicit.group(1).strip(" ，,。.")
        if note:
            notes.append(note)
        text = text[: explicit.start()]
    text = _PHONE.sub(f"，{_PHONE_MARK}，", text)
    labelled = _NAME_LABEL.search(text)
    name = labelled.group(1) if labelled and not _not_a_name(labelled.group(1)) else None
    changed = _CHANGED_TO.split(text)
    if len(changed) > 1 and len(changed[-1].strip()) >= 6:  # "地址写错了，要改成上海市…": the part after 改成
        text = changed[-1]
    chunks = [c.strip(" :：") for c in _CHUNK_SPLIT.split(text)]
    chunks = [c for c in chunks if c]
    beside_phone = {chunks[i + d] for i, c in enumerate(chunks) if c == _PHONE_MARK for d in (-1, 1)
                    if 0 <= i + d < len(chunks)}
    address_parts: list[str] = []
    note_parts: list[str] = []
    for chunk in chunks:
        bare = _ADDRESS_PREFIX.sub("", _LABELS.sub("", chunk)).strip(" :：")
        if not bare or bare == _PHONE_MARK:
            continue
        if name is None and chunk in beside_phone and _looks_like_name(bare, chunks, beside_phone=True):
            name = bare  # "白雪 138…": the name written next to the phone, even when it holds a colour word
            continue
        if _STRONG_HINT.search(simplify(bare)) and len(bare) >= 3 and not _REQUEST.search(simplify(bare)):
            address_parts.append(bare)
        elif address_parts and _WEAK_HINT.search(bare) and len(bare) <= 12:
            address_parts.append(bare)  # "3栋 2单元 501室" after the street
        elif _REQUEST.search(simplify(bare)):
            note_parts.append(bare)
        elif name is None and _looks_like_name(bare, chunks):
            name = bare
    address = " ".join(address_parts)
    if name and address.startswith(name):
        address = address[len(name):].strip()
    hints = len(set(_ADDRESS_HINT.findall(simplify(address))))
    if not (len(address) >= 6 and (hints >= 2 or (expecting == "address" and hints >= 1))):
        address = ""
    notes.extend(note_parts)
    return _Contact(name=name, address=address or None, notes="；".join(notes) or None, note_parts=tuple(note_parts))


def _not_a_name(word: str) -> bool:
    plain = simplify(word)
    return any(w in plain for w in _NOT_NAMES) or any(c in plain for c in _GENERIC_COLOURS)


def _looks_like_name(chunk: str, chunks: list[str], *, beside_phone: bool = False) -> bool:
    """A 2–4 character chunk beginning with a common surname, in a message that is giving contact details."""
    plain = simplify(chunk)
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain) or plain[0] not in _SURNAMES:
        return False
    if beside_phone:
        return not any(w in plain for w in _NOT_NAMES) and not plain.endswith("色") and plain not in _GENERIC_COLOURS
    if _not_a_name(plain):
        return False
    return any(_STRONG_HINT.search(simplify(c)) for c in chunks) or _PHONE_MARK in chunks


# ------------------------------------------------------------------ measurements and money

_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千]+")
_CN_VALUES = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(word: str) -> int | None:
    """一百二十 → 120, 三百 → 300, 九十五 → 95, 一百二 → 120 (spoken short form); None if it is not a number."""
    total, current, unit_seen = 0, 0, 0
    for char in word:
        if char in _CN_VALUES:
            current = _CN_VALUES[char]
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or (1 if char == "十" else 0)) * unit
            current, unit_seen = 0, unit
        else:
            return None
    if current and unit_seen >= 100 and len(word) >= 3 and word[-2] in "百千":
        current *= unit_seen // 10  # 一百二 = 120, 三千五 = 3500
    return total + current or None


_NUM = r"(\d{1,4}(?:\.\d{1,2})?)"
_MONEY_CUE = re.compile(r"预算|价|钱|元|块|rmb|¥|便宜|贵|以内|以下|之内|不超过|别超过|最多")
_HEIGHT_RE = re.compile(rf"身高\s*{_NUM}\s*(?:cm|公分|厘米)?|{_NUM}\s*(?:cm|公分|厘米)|(?<![\d.])1\s*(?:米|m)\s*(\d{{1,2}})|(?<![\d.])1\.(\d{{1,2}})\s*(?:米|m)(?![a-z])")
_CN_HEIGHT = re.compile(r"一米([一二三四五六七八九])([一二三四五六七八九])?")
_WEIGHT_RE = re.compile(rf"(?:体重\s*)?{_NUM}\s*(斤|kg|公斤|千克)|体重\s*{_NUM}", re.IGNORECASE)
_CN_WEIGHT = re.compile(r"([一二两三四五六七八九十百]+)\s*(斤|公斤)")
_FOOT_RE = re.compile(rf"脚(?:长|的长度|掌长)?\s*(?:是|有)?\s*{_NUM}\s*(cm|厘米|mm|毫米)?|{_NUM}\s*(mm|毫米)")
_BUDGET_RE = re.compile(
    rf"(?:预算|不超过|别超过|最多|价位)\s*{_NUM}\s*(?:元|块钱|块|rmb)?"
    rf"|{_NUM}\s*(元|块钱|块|rmb)?\s*(以内|以下|之内|内|左右|上下|的价位|价位)"
    rf"|¥\s*{_NUM}",
    re.IGNORECASE,
)
_CN_BUDGET = re.compile(r"([一二两三四五六七八九十百千]+)\s*(?:元|块钱|块)?\s*(以内|以下|之内|左右|上下)|预算\s*([一二两三四五六七八九十百千]+)")
_BARE_HEIGHT_NEAR_WEIGHT = re.compile(r"(?<![\d.])(1[4-9]\d|20\d)(?![\d.])(?=\s*[,，/、\s]?\s*(?:体重)?\s*\d{2,3}(?:\.\d)?\s*(?:斤|kg|公斤|千克))"
                                      r"|(?<=[斤克g])\s*[,，/、\s]?\s*(?:身高)?\s*(1[4-9]\d|20\d)(?![\d.])", re.IGNORECASE)
_BARE_NUMBER_RE = re.compile(rf"^\s*{_NUM}\s*$")


@dataclass(frozen=True, slots=True)
class _Measures:
    rest: str
    height: float | None = None
    weight: float | None = None
    foot: int | None = None
    budget: Decimal | None = None


def _measures(text: str, *, expecting: str | None = None, shoes: bool = False) -> _Measures:
    """Heights, weights, foot lengths and budgets, read by their units; the rest of the text without them."""
    spans: list[tuple[int, int]] = []
    height: float | None = None
    weight: float | None = None
    foot: int | None = None
    budget: Decimal | None = None

    def take(match: re.Match[str]) -> None:
        spans.append(match.span())

    for match in _FOOT_RE.finditer(text):
        value = float(match.group(1) or match.group(3))
        unit = match.group(2) or match.group(4) or ""
        mm = value * 10 if (unit in ("cm", "厘米") or (not unit and value < 40)) else value
        if 180 <= mm <= 320:
            foot = int(round(mm))
            take(match)
            break
    for match in _WEIGHT_RE.finditer(text):
        if _inside(match.span(), spans):
            continue
        raw, unit = match.group(1) or match.group(3), match.group(2) or ""
        value = float(raw)
        kg = value / 2 if unit == "斤" or (not unit and value > 100) else value
        if 25 <= kg <= 200:
            weight = kg
            take(match)
            break
    if weight is None and (cn := _CN_WEIGHT.search(text)):
        spoken = cn_number(cn.group(1))
        if spoken:
            kg = spoken / 2 if cn.group(2) == "斤" else float(spoken)
            if 25 <= kg <= 200:
                weight = kg
                take(cn)
    cn_height = _CN_HEIGHT.search(text)
    if cn_height:
        height = 100.0 + _CN_VALUES[cn_height.group(1)] * 10 + (_CN_VALUES[cn_height.group(2)] if cn_height.group(2) else 0)
        take(cn_height)
    for match in () if height is not None else _HEIGHT_RE.finditer(text):
        if _inside(match.span(), spans):
            continue
        if match.group(1) or match.group(2):
            value = float(match.group(1) or match.group(2))
            if shoes and value < 40 and foot is None and not match.group(1):  # "24.5cm" for a shoe: a foot
                foot = int(round(value * 10))
                take(match)
                continue
        else:
            rest = match.group(3) or match.group(4)
            value = 100.0 + float(rest if len(rest) == 2 else rest + "0")
        if 100 <= value <= 220:
            height = value
            take(match)
            break
    if height is None:
        for match in _BARE_HEIGHT_NEAR_WEIGHT.finditer(text):
            if not _inside(match.span(), spans):
                height = float(match.group(1) or match.group(2))
                take(match)
                break
    for match in _BUDGET_RE.finditer(text):
        if _inside(match.span(), spans):
            continue
        amount = Decimal(next(g for g in (match.group(1), match.group(2), match.group(5)) if g))
        loose = match.group(4) in ("左右", "上下") and not match.group(3)
        if loose and amount <= 220 and not _MONEY_CUE.search(text[: match.start()] + text[match.end():]):
            continue  # "160左右" with no word of money may be a height; "300左右" is money
        if amount >= 5:
            budget = amount
            take(match)
            break
    if budget is None and (cn := _CN_BUDGET.search(text)):
        value_int = cn_number(cn.group(1) or cn.group(3))
        if value_int and value_int >= 5 and (cn.group(2) not in ("左右", "上下") or _MONEY_CUE.search(text)):
            budget = Decimal(value_int)
            take(cn)
    if expecting in ("measure", "height") and height is None and (bare := _BARE_NUMBER_RE.match(text)):
        value = float(bare.group(1))
        if 140 <= value <= 210:
            height = value
            take(bare)
    if shoes and expecting == "size" and foot is None and (bare := _BARE_NUMBER_RE.match(text)):
        value = float(bare.group(1))
        mm = value * 10 if value < 40 and "." in bare.group(1) else value
        if 200 <= mm <= 300:
            foot = int(round(mm))
            take(bare)
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return _Measures(rest=rest, height=height, weight=weight, foot=foot, budget=budget)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


# ------------------------------------------------------------------ variants

# A message ordering several lines: "一件白色L一件黑色M", "白色和黑色各一件 都要L", "男款XL 女款M".
_ITEM_SPLIT = re.compile(
    r"[,，、;；/+＋]+|\s+|(?:和|跟|还有|再来|另外|以及|加上|外加)"
    r"|(?=(?:[一两俩二三四五六七八九十]|\d{1,2})\s*(?:件|条|双|套|顶|个|只|份))"
)
_EACH = re.compile(r"各\s*(\d{1,2}|[一两俩二三四五六七八九十])\s*(?:件|条|双|套|顶|个|只|份)?")
_PRODUCT_MARK = "§"


def _items(text: str, product: ProductView | None, named: list[ProductView], *, expecting: str | None) -> tuple[Item, ...]:
    """The lines of a message that orders two or more different variants (or products); () for one.

    A size or colour said once for all ("白色和黑色各一件，都要L") goes to every line that lacks it.
    """
    each = _EACH.search(text)
    each_qty = _count(each.group(1)) if each else None
    body = _EACH.sub(" ", text)
    segments = [seg for seg in _ITEM_SPLIT.split(body) if seg and seg.strip()]
    lines: list[dict[str, object]] = []
    for seg in segments:
        colour = _colour(seg, product) if _has_colour(seg) else None
        size = _size(seg, product, expecting=None)
        quantity = _quantity(seg)
        if colour is None and size is None:
            if quantity is not None and lines and lines[-1].get("quantity") is None:
                lines[-1]["quantity"] = quantity  # "白色L 两件": the count goes with what it follows
            continue
        lines.append({"colour": colour, "size": size, "quantity": quantity})
    colours = {line["colour"] for line in lines if line["colour"]}
    sizes = {line["size"] for line in lines if line["size"]}
    if len(colours) < 2 and len(sizes) < 2:
        return ()
    # lines that only carry the attribute that does not vary are that attribute for all ("都要L")
    varying = "colour" if len(colours) >= 2 else "size"
    other = "size" if varying == "colour" else "colour"
    shared = [line for line in lines if not line[varying]]
    shared_value = next((line[other] for line in shared if line[other]), None)
    if shared_value is None:
        found = {line[other] for line in lines if line[other]}
        shared_value = next(iter(found)) if len(found) == 1 else None
    items = []
    for line in lines:
        if not line[varying]:
            continue
        values = {varying: line[varying], other: line[other] or shared_value}
        quantity = line["quantity"] if isinstance(line["quantity"], int) else (each_qty or 1)
        items.append(Item(size=_opt_str(values["size"]), colour=_opt_str(values["colour"]), quantity=quantity))
    return tuple(items) if len(items) >= 2 else ()


def _opt_str(value: object) -> str | None:
    return str(value) if value else None


def _has_colour(text: str) -> bool:
    return any(c in text for c in _GENERIC_COLOURS) or "色" in text


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _CN_DIGITS.get(raw, 1)



def _size(text: str, product: ProductView | None, *, expecting: str | None) -> str | None:
    sizes = product.sizes if product else ()
    numeric = any(s.isdigit() for s in sizes)
    if numeric or (product is None and _SHOE.search(text)):
        match = _SHOE.search(text) or (_BARE_NUMBER.match(text) if expecting == "size" else None)
        if match:
            return match.group(1) or (match.group(2) if match.re is _SHOE else None)
        lone = _LONE_SHOE.search(text) if numeric else None  # "38 白色" for a shoe: its size
        return lone.group(1) if lone and lone.group(1) in sizes else None
    if expecting == "size" and (bare := _ANY_SIZE_NUMBER.match(text)):
        return bare.group(1)  # "27" when asked for a size: kept, so the bot can say which sizes exist
    for word, size in _CN_SIZE.items():
        if word in text:
            return size
    for match in _SIZE.finditer(text):
        raw = match.group(1).upper()
        size = {"2XL": "XXL", "3XL": "XXXL", "XXXXL": "4XL"}.get(raw, raw)
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



def need_from(text: str) -> Need:
    """The shopping need a message states: category, for whom, season, style, budget.

    The budget is read like every number, by its units: "身高160" is not a budget of 160 yuan.
    """
    plain = simplify(text)
    return Need(
        categories=frozenset(c for c, words in CATEGORY_WORDS.items() if any(w in plain for w in words)),
        audience=frozenset(a for a, words in AUDIENCE_WORDS.items() if any(w in plain for w in words)),
        seasons=frozenset(s for s, words in SEASON_WORDS.items() if any(w in plain for w in words)),
        styles=frozenset(s for s in _STYLE_WORDS if s in plain),
        budget=_measures(_PHONE.sub(" ", plain)).budget,
    )


def mentions_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether the simplified text contains one of ``words``."""
    plain = simplify(text)
    return any(word in plain for word in words)


def has_link(text: str) -> bool:
    """Whether the message carries a link (which kefu never opens)."""
    return bool(re.search(r"https?://|www\.|\.com/|\.cn/", text, re.IGNORECASE))
