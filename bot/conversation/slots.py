"""Pulling order details out of a customer's words: sizes, colours, quantities, phone, address...

Pure functions over text; the flow decides what to do with what they find.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from bot.conversation.catalogue import (
    AUDIENCE_WORDS,
    BROAD_WORDS,
    CATEGORY_WORDS,
    NOT_A_BAG,
    SEASON_WORDS,
    USE_WORDS,
    Catalogue,
    Need,
    ProductView,
    name_pattern,
    names_at,
    vocabulary,
    with_synonyms,
)
from bot.conversation.sounds import respell
from intents import to_simplified

_CN_DIGITS = {"一": 1, "两": 2, "俩": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PHONE = re.compile(r"(?<!\d)(?<!单号)(?<!单号 )(?<!单号:)(?<!单号：)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ORDER_NO = re.compile(r"(?<![a-z0-9])(kf\d{8,14})(?![0-9])|(?<!\d)(\d{12,20})(?!\d)", re.IGNORECASE)
_SIZE = re.compile(r"(?<![a-z0-9.])(xxxl|3xl|xxl|2xl|xl|xs|l|m|s)(?![a-z])(?:码|号)?", re.IGNORECASE)
_CN_SIZE = {"加加大": "XXL", "加大码": "XL", "加大号": "XL", "加大": "XL", "大码": "L", "大号": "L", "中码": "M", "中号": "M",
            "小码": "S", "小号": "S", "均码": "均码"}
_CN_SHOE = re.compile(r"([三四][十][一二三四五六七八九]?)\s*(?:码|号)")
_SHOE = re.compile(r"(?<!\d)(3[4-9]|4[0-6])(?:码|号|的)(?!\d)|(?:穿|要|拿|选|来)\s*(3[4-9]|4[0-6])(?![\d.])")
_LONE_SHOE = re.compile(r"(?<![\d.])(3[4-9]|4[0-6])(?![\d.]|\s*(?:元|块|号楼|楼|栋|单元|室|天|斤|kg|cm|岁|度))")
_ANY_SIZE_NUMBER = re.compile(r"^\s*(\d{2,3})\s*(?:码|号|cm)?\s*$")
_BARE_NUMBER = re.compile(r"^\s*(3[4-9]|4[0-6])\s*$")
_NOTES = re.compile(r"(?:[备備][注註]|被注(?!意))(?:一下|下(?!午))?[:：\s]*(.+)")
_ADDRESS_HINT = re.compile(r"(省|市|区|县|镇|乡|街道|路|街|巷|号|村|小区|栋|幢|单元|室|楼|大厦|花园|公寓)")
_CHANGED_TO = re.compile(r"(?:改成|改为|换成|改到|更改为|变更为)[:：\s]*")
_ADDRESS_PREFIX = re.compile(r"^(?:收货)?(?:地址|收件地址|寄到|送到|发到|邮到|寄去|送去|发去|寄往|发往|寄：|寄:)\s*(?:是|为|改成|改为|换成)?[:：\s]*")
# The colours someone's clothes already are ("他衣服都是黑灰的", "她平时都穿白的"): to choose by, not chosen
_WEARS_ALREADY = re.compile(r"(?:衣服|衣柜里?|平时|平常|一般|经常|老是|总是|天天)(?:都|多|全|基本)?(?:是|穿)?"
                            r"(?:些|的)?[黑白灰红蓝绿黄粉紫棕]{1,3}(?:色|系)?的?(?:衣服)?(?:多|居多|比较多)?")
# Words made of a colour that say how something looks, not which colour is wanted
_LOOKS_LIKE = re.compile(r"(?:一|成|全|满)?身?白毛|起?红(?:疙瘩|疹子?|点子?|印子?|包|血丝)|(?:发|泛)红|红肿|灰扑扑|灰蒙蒙|灰头土脸|黑乎乎|黑漆漆|黑不溜秋|白花花|白白净净|红彤彤|红扑扑|黄不拉几|发黄|变黄|泛黄|发黑|发灰"
                        r"|[白灰]鸭绒|[白灰]鹅绒|白绒|黑科技")  # (a filling, not a colour: "是白鸭绒的吗")
# A choice's condition: "杏色透的话我就要黑色了", "如果白的会透 就拿黑的", "没有M的话就L" — what follows 就 is chosen,
# the colour or size in the condition is not
_IF_SO_THEN = re.compile(r"(?:(?:如果|要是|假如|万一)[^，,。；;!！?？]{0,12}|[^，,。；;!！?？\s]{0,10}?"
                         r"(?:透|没(?:有|货)?|缺货|卖完|断码|不(?:好|行|合适|够)|显[黑胖老]|起球|掉色|偏[大小]|太[大小薄厚])"
                         r"[^，,。；;!！?？\s]{0,4}?的话)(?=[，,\s]*(?:[我那]|那我)?就)")
_GENERIC_COLOURS = (
    "藏青", "卡其", "燕麦", "雾霾蓝", "酒红", "墨绿", "杏色", "米白", "米色", "咖啡", "驼色", "焦糖", "粉红", "玫红",
    "浅灰", "深灰", "浅蓝", "深蓝", "天蓝", "宝蓝", "军绿", "浅粉", "橘色", "姜黄", "奶白",
    "黑", "白", "灰", "蓝", "红", "粉", "绿", "黄", "紫", "棕", "橙",
)
_STYLE_WORDS = ("休闲", "通勤", "运动", "甜美", "复古", "街头", "简约", "正式", "法式", "韩系", "日系", "百搭")


@lru_cache(maxsize=4096)  # (the flow reads one message's text many times over)
def simplify(text: str) -> str:
    """Traditional → Simplified, full-width → half-width, lower case, and the slips of voice input and pinyin
    keyboards put right (深兰 → 深蓝, 牛仔库 → 牛仔裤, 尺马 → 尺码): what matching works on."""
    plain = to_simplified(unicodedata.normalize("NFKC", text)).lower().strip()
    plain = _TEE.sub("t恤", plain)  # ("纯棉t", "白t": a tee)
    return with_synonyms(_COLOUR_SLIP.sub("色", _SLIPS.sub(_slip_fixed, plain)))


_TEE = re.compile(r"(?<=[\u4e00-\u9fff])t(?![恤血袖a-z\d])")


def _slip_fixed(match: re.Match[str]) -> str:
    slip = match.group(0)
    if slip == "前":
        return "浅"  # 前蓝 → 浅蓝 (qian)
    fixed = _SLIP_FIXES.get(slip[-2:])
    return slip[:-2] + fixed if fixed else slip[:-1] + "蓝"


# Sound-alike slips of voice input: 兰 for 蓝 in a colour, 马 for 码 in a size.
_SLIPS = re.compile(r"(?<=[深浅天宝湖藏])兰|兰(?=色)|尺马|几马|什么马|多大马|啥马|前(?=[蓝灰粉绿黄紫])|包[油游](?![条漆炸饼])")
_SLIP_FIXES = {"尺马": "尺码", "几马": "几码", "么马": "么码", "大马": "大码", "啥马": "啥码", "包油": "包邮", "包游": "包邮"}
# A colour said by voice input with the wrong character for 色 ("黑射的", "白涩"): the colour
_COLOUR_SLIP = re.compile(r"(?<=[黑白红蓝灰绿黄粉紫棕])(射|涩|瑟|啬)")


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
class Person:
    """One of several people a message gives measurements for: who (as the customer calls them) and theirs."""

    who: str
    height: float | None = None
    weight: float | None = None
    foot: int | None = None
    size: str | None = None  # the size said for this person with their measurements ("自己173cm 136斤穿L")


#: Words a shopper names the people an order is for by ("男的180 78公斤 女的160 96斤").
PERSON_WORDS = re.compile(
    r"((?:男生|女生|同学|室友|舍友|朋友)[a-z](?![a-z])|孩子他爸|孩子他妈|孩子爸|孩子妈|他爸|他妈|她爸|她妈|"
    r"我叔叔?|我姨|我舅舅?|我姑姑?|我婶婶?|我哥|我姐|我弟|我妹|我娃|娃|孩子|宝宝|小孩|我老公|我老婆|我儿子|我女儿|我姑娘|我闺女|我男朋友|我女朋友|"
    r"哥哥|弟弟|姐姐|妹妹|老公|老婆|男朋友|女朋友|男友|女友|对象|男的|女的|男生|女生|男款|女款|男士|女士|爸爸|妈妈|我爸|我妈|"
    r"老父亲|老母亲|我父亲|我母亲|父亲|母亲|老爸|老妈|阿爸|阿妈|儿子|女儿|姑娘|闺女|大宝|二宝|老大|老二|闺蜜|同事|朋友|婆婆|公公|爷爷|奶奶|外婆|外公|我自己|自己|"
    r"老伴儿?|老头子?|老太太?|我爱人|爱人|媳妇儿?|我媳妇|丈夫|我丈夫|我先生|太太|我太太|孙子|孙女|外孙女?|侄子|侄女|外甥女?|小姑子|嫂子|姐夫|妹夫|岳父|岳母|丈母娘|"
    r"室友|舍友|同学|邻居|表姐|表妹|表哥|表弟|堂姐|堂妹|堂哥|堂弟|小姨|姨妈|舅舅|舅妈|姑姑|叔叔|"
    r"我|她|他|佢|(?!大概|大约|大致|大于|小于|老是)[小老阿大][\u4e00-\u9fff](?=[\s:：]*\d)|[\u4e00-\u9fff][姐哥叔姨总工](?=[\s:：]*\d)"
    r"|[\u4e00-\u9fff](?:经理|主管|老师|主任|师傅)(?=[\s:：]*\d)"
    r"|([\u4e00-\u9fff])\2(?=[\s:：/]*\d)"  # (a doubled name: 佳佳172/136斤)
    r"|同事[a-z]|(?<![a-z])[a-z](?=\s*(?:都是|都|是)?[\s:：]*\d|\s*(?:和|跟|与|、)\s*[a-z](?![a-z])))"
    # (and colleagues by name: 小王168/60kg, 老陈183/85kg, 张姐158/48kg)
)


# Who took the measurement, said in passing ("我量了是", "我刚测的"): not whose it is
_MEASURED_BY = re.compile(r"我?(刚|刚刚)?(量|测)(了|的|过)(一下)?(是|有|大概)?")


def people(text: str, *, shoes: bool = False) -> tuple[Person, ...]:
    """Each person's measurements when a message gives two or more people's; () otherwise."""
    text = _MEASURED_BY.sub("", text)  # ("儿子脚长我量了是26.2厘米": the son's, not the mother's who measured)
    marks = [m for m in PERSON_WORDS.finditer(text)
             if re.match(r"[^\d，,。;；]{0,4}[\d一二两三四五六七八九]", text[m.end():])
             or re.match(r"\s*(?:和|跟|与|、)\s*[^\d，,。;；]{1,4}?都", text[m.end():])
             or _SIZE_SAID.match(text[m.end():])]
    found: list[Person] = []
    sharing: list[str] = []  # "b和c都是168/57kg": people named together, who share the measurements that follow
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        measured = _measures(text[mark.end(): end], shoes=shoes)
        if measured.height or measured.weight or measured.foot:
            together = sharing if re.match(r"\s*都", text[mark.end(): end]) else []  # ("c都是168": b too)
            said = _PERSONS_SIZE.search(measured.rest)
            for who in (*together, mark.group(1)):  # ("同事a" as it was written: 同事A)
                found.append(Person(_who(who), measured.height, measured.weight, measured.foot,
                                    (said.group(1) or said.group(2)).upper() if said else None))
            sharing = []
        elif said_only := _SIZE_SAID.match(text[mark.end(): end]):  # ("me XL, her M": two said, no measures)
            # ("…我178/75kg、女生A说M、女生B160/48kg": one says the size she wears, no measurements)
            found.append(Person(_who(mark.group(1)), None, None, None, said_only.group(1).upper()))
            sharing = []
        elif re.fullmatch(r"\s*(?:和|跟|与|、)\s*", text[mark.end(): end]):
            sharing.append(mark.group(1))
        else:
            sharing = []
    if len(found) < 2:  # "三个人：168cm 60kg，173cm 68kg，183cm 82kg": each pair one person, named by height
        pairs = list(_UNNAMED_PAIR.finditer(text))  # (a stray 我 — "尺码帮我看下：一个173…" — names nobody)
        if len(pairs) >= 2 and len({p.group(1) for p in pairs}) == len(pairs):
            found = []
            for pair in pairs:
                weight = float(pair.group(2)) / (2 if pair.group(3) == "斤" else 1)
                found.append(Person(f"{pair.group(1)}cm", float(pair.group(1)), weight, None))
    return tuple(found) if len(found) >= 2 else ()


def one_person(text: str, *, shoes: bool = False) -> Person | None:
    """The one person a message gives measurements for, by the word the customer calls them ("老头子一米七二 一百四十斤",
    "我一米五六 一百零四斤"); None when it names nobody, or several."""
    plain = simplify(_spoken_digits(text))
    marks = [m for m in PERSON_WORDS.finditer(plain) if re.match(r"[^\d，,。;；]{0,4}[\d一二两三四五六七八九]", plain[m.end():])]
    if len(marks) != 1:
        return None
    measured = _measures(plain[marks[0].end():], shoes=shoes)
    if not (measured.height or measured.weight or measured.foot):
        return None
    return Person(_who(marks[0].group(1)), measured.height, measured.weight, measured.foot)


def _who(word: str) -> str:
    """A person's word as it was written: "同事a" / "女生b" as 同事A / 女生B."""
    return word[:-1] + word[-1].upper() if re.fullmatch(r"(?:同事|男生|女生|同学|室友|舍友|朋友)?[a-z]", word) else word


# A size said for one person, with no measurements ("女生A说M", "小王穿L")
_SIZE_SAID = re.compile(r"\s*(?:说|就|平时|都)?\s*(?:穿|要|拿)?\s*(xxxl|xxl|xl|xs|s|m|l)(?![a-z])\s*码?\s*(?:的|就行|就好)?\s*(?=[，,、;；。\s]|$)")
# A size said for one of the people measured ("自己173cm 136斤穿L", "老公180 75kg 平时XL码")
_PERSONS_SIZE = re.compile(r"(?:穿|要|拿|平时)\s*(xxxl|xxl|xl|xs|s|m|l)(?![a-z])|(?<![a-z])(xxxl|xxl|xl|xs|s|m|l)\s*码")
_UNNAMED_PAIR = re.compile(r"(1[4-9]\d)\s*(?:cm|厘米|公分)?\s*[，,、/\s]?\s*(\d{2,3}(?:\.\d)?)\s*(kg|公斤|斤)")


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
    people: tuple[Person, ...] = ()  # two or more people's measurements ("哥哥172 62公斤 妹妹157 88斤")

    def as_slots(self) -> dict[str, object]:
        """The non-empty fields that are conversation slots."""
        return {name: value for name in _SLOT_FIELDS if (value := getattr(self, name)) is not None}


_ONE_CHAR_TAILS = frozenset("鞋靴")  # a garment's one-character everyday word that names it once talked about


def extract(
    text: str, product: ProductView | None = None, *, expecting: str | None = None,
    catalogue: Iterable[ProductView] = (), recent: Iterable[str] = (),
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
        recent: the skus the conversation has talked about: "牛仔裤深蓝L" then means the jeans already discussed.
    """
    text = _spoken_digits(text, shoes=_is_shoe(product))  # "电话一三九五一六七八九零二", "四十二码" (voice input)
    if _is_shoe(product):  # "一對黑色42 一對白色37": a pair of shoes is one (一对 of other goods is two)
        text = re.sub(r"([一两二三四五六七八九十\d])\s*[对對](?!情侣|情侶)", r"\1双", text)
    # (what the keyboard slipped on, put right by the shop's words: 前蓝 → 浅蓝; names and addresses are read
    # from the message as written, below)
    shop_words = catalogue.vocabulary if isinstance(catalogue, Catalogue) else vocabulary((product,) if product else ())
    plain = respell(simplify(text), shop_words)
    named = _named_products(plain, product, catalogue, recent)[:64]
    recent_skus = set(recent)
    plain = _marked(plain, named, recent_skus)
    phone = _phone(plain)
    rest = _PHONE.sub(" ", plain) if phone else plain
    order_no = _order_no(rest)
    if order_no:
        rest = rest.replace(order_no.lower(), " ")
    contact = _contact(text, expecting=expecting)
    notes = contact.notes
    for piece in (contact.address, contact.name, *contact.note_parts):  # (as respelled above: 魏怡 is no 卫衣)
        rest = _without(rest, respell(simplify(piece), shop_words)) if piece else rest
    rest = _COMPANY_NAME.sub(" ", _LABELS.sub(" ", rest))  # ("抬头 宁波蓝帆科技有限公司": no 蓝 chosen)
    rest = _IF_SO_THEN.sub(" ", _WEARS_ALREADY.sub(" ", _LOOKS_LIKE.sub(" ", rest)))  # (colours that choose nothing)
    numbers = _measures(rest, expecting=expecting, shoes=_is_shoe(product))
    rest = _without_pack_counts(numbers.rest, named)
    items = _sized_by_the_measurements(_items(
        rest, product, named, expecting=expecting, earlier=[p for p in catalogue if p.sku in recent_skus],
        shop=list(catalogue), measured=bool(numbers.height or numbers.weight or numbers.foot)), numbers, product, catalogue)
    single, measured = not items, people(simplify(_spoken_digits(text)), shoes=_is_shoe(product))
    return Extracted(
        size=_not_one_persons(_size(rest, product, expecting=expecting), measured) if single else None,
        colour=_colour(rest, product) if single else None,
        quantity=_quantity(rest, expecting=expecting) if single else None,
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
        people=measured,
    )


def _not_one_persons(size: str | None, measured: tuple[Person, ...]) -> str | None:
    """The size of the message — unless it is one person's of several measured ("自己…穿L，老伴158cm 100斤": the L is
    his; hers comes from her measurements)."""
    return None if size and any(p.size == size for p in measured) and any(not p.size for p in measured) else size


def _sized_by_the_measurements(
    items: tuple[Item, ...], numbers: _Measures, product: ProductView | None, catalogue: Iterable[ProductView]
) -> tuple[Item, ...]:
    """"那白色M给我爸 我要浅蓝 178 148斤": the one line said without a size takes the size the measurements give."""
    if not (numbers.height or numbers.weight or numbers.foot) or not isinstance(catalogue, Catalogue) \
            or sum(1 for i in items if i.size is None) != 1:
        return items
    return tuple(i if i.size is not None or (made := catalogue.get(i.sku) if i.sku else product) is None else replace(
        i, size=catalogue.size_for(made, numbers.height, numbers.weight, numbers.foot)) for i in items)


def _without_pack_counts(text: str, named: list[ProductView]) -> str:
    """"一包袜子 黑的 五双那个" of 纯棉中筒袜五双装: "五双" names the pack, it is no count of pairs."""
    for product in named:
        for pack in re.finditer(r"([一二两三四五六七八九十\d]+)\s*(双|件|条|只|个)装", product.name):
            text = re.sub(re.escape(pack.group(1)) + r"\s*" + pack.group(2) + r"(?!装)", " ", text)
    return text


def _marked(plain: str, named: list[ProductView], recent_skus: set[str]) -> str:
    """Each product's name in ``plain`` as its mark (its index in ``named``): "纯棉中筒袜五双装" names a product, not
    five pairs; an item talked about before is named by the end of its name too ("裙子S码，鞋36码")."""
    words = sorted(((w.lower(), i) for i, p in enumerate(named)
                    for w in (p.name, *p.aliases, *(name_tails(p) if p.sku in recent_skus else ()))
                    if len(w) >= 2 or (w in _ONE_CHAR_TAILS and p.sku in recent_skus)),
                   key=lambda pair: -len(pair[0]))
    for word, index in words:
        # ("白T" names the tee and its colour: the colour stays to be read, the rest is the mark)
        shade = next((s for c in named[index].colours if len(s := c.removesuffix("色").lower()) < len(word)
                      and word.startswith(s)), "")
        if shade and any((other := c.removesuffix("色").lower()) != shade and other in plain.replace(word, "")
                         for c in named[index].colours):
            shade = ""  # ("白t有黑的吗": 白T is the tee's name there; the colour asked about is black)
        plain = name_pattern(word).sub(shade + chr(_FIRST_MARK + index), plain)
    return plain


# A company's name (an invoice title, a workplace): its words are no colour or size
_COMPANY_NAME = re.compile(r"[\u4e00-\u9fa5a-z0-9（）()·&]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团|工作室|事务所)")
_SPOKEN_DIGITS = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
_SPOKEN_RUN = re.compile(r"[零〇一二三四五六七八九幺]{7,}")


def _spoken_digits(text: str, *, shoes: bool = False) -> str:
    """Numbers said in words, as voice input writes them, as digits: long runs of digits (a phone number), a
    measure with its unit ("二十五点三公分", "四十二码", "一百一十斤") and, for shoes, a size on its own ("四十二");
    other numbers stay words."""
    text = _SPOKEN_RUN.sub(lambda m: m.group(0).translate(_SPOKEN_DIGITS), text)

    def measure(m: re.Match[str]) -> str:
        whole = cn_number(m.group(1))
        if whole is None or re.search(r"[一二三四五六七八九两][一二三四五六七八九两]", m.group(1)):
            return m.group(0)  # ("一米六三一百一十斤": 六三 is no number — the height's, then the weight)
        tenths = m.group(2).translate(_SPOKEN_DIGITS) if m.group(2) else ""
        return f"{whole}{'.' + tenths if tenths else ''}{m.group(3)}"

    text = _SPOKEN_MEASURE.sub(measure, text)
    if shoes:
        text = _SPOKEN_SHOE_SIZE.sub(lambda m: str(cn_number(m.group(1)) or m.group(1)), text)
    return text


_CN_NUMERAL = "零一二三四五六七八九十百两"
# "二十五点三公分", "四十二码", "一百一十斤" — not "大一码" (one size up) nor "一百三十来斤" (about)
_SPOKEN_MEASURE = re.compile(rf"(?<![{_CN_NUMERAL}点])([{_CN_NUMERAL}]{{2,6}})(?:点([零一二三四五六七八九]{{1,2}}))?"
                             r"(公分|厘米|毫米|码|公斤|斤)")  # (not 号: "二百零八号" stays as the address says it)
_SPOKEN_SHOE_SIZE = re.compile(rf"(?<![{_CN_NUMERAL}点])([三四]十[一二三四五六七八九]?)(?![{_CN_NUMERAL}点多来几岁年天块元件条个双])")


def _phone(text: str) -> str | None:
    match = _PHONE.search(text)
    return "".join(match.groups()) if match else None


def _order_no(text: str) -> str | None:
    match = _ORDER_NO.search(text)
    return (match.group(1) or match.group(2)) if match else None


def _without(text: str, piece: str) -> str:
    return text.replace(piece, " ") if piece else text


def _named_products(
    plain: str, product: ProductView | None, catalogue: Iterable[ProductView], recent: Iterable[str] = ()
) -> list[ProductView]:
    """The products a message names by name or alias, the one being discussed first — and a product talked about
    earlier in the conversation named by the end of its name ("牛仔裤" for 高腰直筒牛仔裤, "T恤" for 纯棉圆领短袖T恤)."""
    named: list[ProductView] = [product] if product is not None else []
    products = list(catalogue)
    for other in products:
        if other not in named and any(len(w) >= 2 and names_at(w.lower(), plain) for w in (other.name, *other.aliases)):
            named.append(other)
    by_sku = {p.sku: p for p in products}
    for sku in recent:
        earlier = by_sku.get(sku)
        if earlier is not None and earlier not in named and any(tail in plain for tail in name_tails(earlier)):
            named.append(earlier)
    return named


def name_tails(product: ProductView) -> tuple[str, ...]:
    """The ends of a product's name a shopper shortens it to once it has been talked about."""
    name = product.name.lower()
    if len(name) < 4:
        return ()
    tails = tuple(name[-n:] for n in (3, 2) if not _GENERIC_TAIL.intersection(name[-n:]))
    # "裙子" for 高腰百褶半身裙, "鞋子" (and plain "鞋") for 经典帆布小白鞋: the thing's everyday word
    if name[-1] in "鞋靴":
        return (*tails, f"{name[-1]}子", name[-1])
    return (*tails, f"{name[-1]}子") if name[-1] in "裙裤鞋帽袜" else tails


_GENERIC_TAIL = frozenset("装款件个双套")  # "五双装", "套装": tails that name no product


def _is_shoe(product: ProductView | None) -> bool:
    return product is not None and any(s.isdigit() for s in product.sizes)


# ------------------------------------------------------------------ contact: name, address, delivery requests

_GLUED_LABEL = re.compile(r"(?<=[\u4e00-\u9fff\d])(?<![打拨发留个下次遍])(?<!打[她他我])(收件人|收货人|联系人|手机号码|手机号|电话号码|电话|手机)")
# The labels of an order form ("收件人：", "电话："); at the start of a part also the short ones ("收：", "电：").
_LABEL_WORDS = ("收件人姓名|收货人姓名|所在地区|所在地|详细地址|联系电话|"
                "收件人|收货人|联系人|姓名|名字|收货地址|收件地址|地址|手机号码|手机号|手机|电话号码|电话|联系方式|tel|phone")
_LABELS = re.compile(rf"(?:{_LABEL_WORDS})\s*(?:是|为|叫)?\s*[:：]?", re.IGNORECASE)
_LEADING_LABEL = re.compile(rf"^(?:{_LABEL_WORDS}|收件|收货|收|寄|电)\s*(?:是|为|叫)?\s*[:：]?", re.IGNORECASE)
_NAME_LABEL = re.compile(
    r"(?:名字|姓名)[^,，。\d]{0,5}?是\s*([\u4e00-\u9fff]{2,3}?)(?=不是|[\s,，;；。]|$)|"
    r"(?:收件人|收货人|联系人|姓名|名字|收件|收货|收|寄给|我叫|名字叫)\s*(?:写|是|为|叫|改成|改为|换成)?\s*"
    r"(?:我(?:的)?(?:老婆|老公|妈妈|妈|爸爸|爸|奶奶|爷爷|外婆|闺蜜|朋友|同事|儿子|女儿)\s*[:：]?\s*)?[:：]?\s*"
    r"([\u4e00-\u9fff]{2,4}?)(?=就行|就好|不是|[\s,，;；:：/｜|]|\ue000|$|\d)"
)
_PHONE_MARK = "\ue000"
_CHUNK_SPLIT = re.compile(r"[,，;；。\n/｜|～~!！?？]+|\s+")
_NO_PLACE = re.compile(r"省得|省的|省心|省事|省钱|省点|市面|市场价|区别|街坊")
_STRONG_HINT = re.compile(r"(省|市|区|县|镇|乡|街道|路|街|巷|村|小区|栋|幢|单元|室|大厦|花园|公寓|苑|弄|胡同|大道|社区|校区|宿舍)")
# The building part of an address written after the street ("方恒国际中心A座1605", "恒隆广场二期", "B座")
_BUILDING = re.compile(r"[a-z0-9一二三四五六七八九十东西南北]座|中心|广场|大厦|写字楼|园区|公寓|国际|花园|小区|家园|新村|"
                       r"\d{3,4}$|[a-z]\d{2,4}$|\d+-\d+")
_WEAK_HINT = re.compile(r"\d+\s*(号|楼|层|室|栋|幢|单元)")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马上官诸葛"
    "柳蔺岳齐邢裴施牛关聂温左翟鲁葛童凌伍甘祁喻俞项柯单殷乔"
    "符麦冼卓骆庞樊蒙霍游简饶詹涂屈翁倪滕蓝阮邝洪梅褚荣"
)
_NOT_NAMES = ("谢谢", "好的", "麻烦", "就这", "确认", "没问题", "不用", "不要", "可以", "尺码", "颜色", "地址", "电话", "快递",
              "一件", "两件", "周末", "白天", "晚上", "包邮", "备注", "老板", "亲亲", "宝贝", "客服", "发货", "下单", "写错",
              "改成", "直接", "寄到", "送到", "发到", "邮到", "收货", "信息", "款式", "数量", "单号", "订单", "学校", "公司", "单位",
              "孙子", "孙女", "儿子", "女儿", "家里", "宿舍")
# A request about delivery or packing — a note for the warehouse — in any wording: "放门卫就行", "别打电话发短信",
# "包装好一点", "晚上7点以后送", "发货前拍个照", "帮忙写张卡片".
_REQUEST = re.compile(
    r"放门|放前台|放驿站|放快递柜|快递柜|快递站|快递点|别放柜|大堂|管理处|柜台|不要放柜|放柜子|驿站|门卫|前台|物业|代收|本人签收|要签收|签收时|送上门|上门|送货上楼|搬上楼|"
    r"包装|打包|分开装|分开包|分开寄|单独包|礼盒|贺卡|卡片|写上|写张|小票|价签|价格单|价格标|价钱牌|价格牌|价钱单|单据|收据|购物单|吊牌|发票别|不要发票|别放发票|"
    r"(不要|别|不|勿)放[^，,。]{0,6}(发票|价|单|票|收据|吊牌)|(价|标签|签子|吊牌|发票|收据)[^，,。\s]{0,5}(别|不要|不用|勿)放|礼合|"
    r"(快递单|面单|单子|包裹|外包装)[^，,。]{0,3}(别|不要|不能|不用)写|(别|不要)写(商品|品名|东西|名字|价格)|"
    r"(周末|节假日|平时|平日|工作日|白天)[^，,。]{0,4}(送|收|配送|派送|签收)|"
    r"(周末|节假日|白天|晚上|平时|平日|工作日|中午)[^，,。]{0,3}(没人|不在家|有人)|午休|"
    r"打电话|打个电话|打[她他我]的?电话|多打[^，,。\s]{0,3}电话|多打[一两几]?[次遍个]|打[两几]次电话|(不要|别|不用|勿)(打|给)[^，,。]{0,3}电话|打一个电话|打一下电话|先打电话|打我电话|发短信|短信|敲门|周末送|周末收|工作日送|工作日收|工作日配送|晚上|上午|下午|点以后|点之后|点以前|点之前|之前到|前到|内到|"
    r"丰巢|拍个照|拍照片?给|拍照给|拍给我|拍视频|加固|泡沫|别压|轻放|易碎|送人的|送礼的|是送人|礼物|"
    r"发顺丰|发韵达|发中通|发圆通|发申通|发邮政|发ems|发京东|走顺丰|顺丰|韵达|圆通|中通|申通|极兔|邮政|"
    r"尽快发|急用|加急|开发票|开一下发票|开个发票|开张发票"
)
_PICKUP = re.compile(r"驿站|快递柜|丰巢|代收点")
_HANDED_IN = re.compile(r"(?:放|送到?|交给?)?(?:前台|门卫|物业|保安|传达室|收发室|大堂|管理处|管理處)(?:代收|代签|代簽|帮收|幫收|签收|簽收)$")
# When an earlier order was placed ("今天上午十一点拍的"): a description of that order, never a delivery request.
_NOT_A_REQUEST = re.compile(r"(拍|买|下|付)的(单|款)?$|(拍|买|下|付)的(那单|单子|订单)|下(的)?单的?$|付(的)?款的?$")
# "想给女朋友买个毛衣当生日礼物": what is being shopped for, not a request for the parcel (unless it asks more)
_SHOPPING_FOR = re.compile(r"想(给|帮|替)?.{0,6}买|要买|买(个|件|条|双|点)|挑|推荐|选")
_GIFT_WORDS = frozenset({"礼物", "送人的", "送礼的", "是送人"})
# What a gift card should say: "贺卡：…", "卡片上写…", "写张贺卡 …" — up to the end of the sentence
_CARD = re.compile(r"(贺卡|賀卡|卡片|小卡|卡)[^:：，,。!！?？\s「“\"]{0,6}[:：]\s*([^。!！?？\n]+)"
                   r"|(?:[写寫][张張]?(?:贺卡|賀卡|卡片)|卡片上?[写寫]|卡上[写寫]|[贺賀]卡上?[写寫]|[张張]卡[写寫]|卡[写寫])"
                   r"\s*[:：]?\s*[「“\"『]?([^。!！?？\n」”\"』]+)[」”\"』]?"
                   r"|(?:贺卡|賀卡|卡片|小卡|卡)[^「“\"『，,。]{0,8}[「“\"『]([^」”\"』]+)[」”\"』]")
_PACKING = re.compile(r"包装|打包|分开|礼盒|贺卡|卡片|价格单|价签|价格标|价钱|小票|吊牌|加固|放门|驿站|快递柜|丰巢|前台|物业|门卫|打电话|敲门|送上门|上门")
_QUESTIONISH = re.compile(r"吗|么|\?|？|能不能|可不可以|可以吗|行吗|多少|几天|什么时候|哪天")
_NOTE_CONTINUES = re.compile(r"(卡片|贺卡|写上|写张卡片|写张|写)$")



_LABEL_SLIPS = (("地止", "地址"), ("地趾", "地址"), ("收件任", "收件人"), ("收货任", "收货人"), ("收件仁", "收件人"))


def _unslipped(text: str) -> str:
    """The labels as meant where voice input wrote them by sound ("地止是…收件任王浩")."""
    for slip, label in _LABEL_SLIPS:
        text = text.replace(slip, label)
    return text


@dataclass(frozen=True, slots=True)
class _Contact:
    name: str | None = None
    address: str | None = None
    notes: str | None = None
    note_parts: tuple[str, ...] = ()


# An address said, then taken back in the same message: "…海创园 不对不对 寄家里 …西溪里小区7幢"
_CORRECTED = re.compile(r"^(不对|不是|说错了?|写错了?|打错了?|错了|哦不|等等)")


def _after_a_correction(chunks: list[str]) -> tuple[list[str], str]:
    """The chunks of a message without an address taken back by "不对不对" before another, and the address taken
    back (its province and city complete the new one's)."""
    marks = [i for i, c in enumerate(chunks) if _CORRECTED.match(simplify(c))]
    if not marks:
        return chunks, ""
    at = marks[-1]
    before = [c for c in chunks[:at] if _STRONG_HINT.search(simplify(c))]
    if not before or not any(_STRONG_HINT.search(simplify(c)) for c in chunks[at + 1:]):
        return chunks, ""
    return [c for c in chunks[:at] if c not in before] + chunks[at + 1:], " ".join(before)


def _completed(address: str | None, earlier: str) -> str | None:
    """The new address, with the province and city of the one taken back where it starts below them ("余杭区…" after
    "浙江省杭州市余杭区…")."""
    start = re.match(r"^[\u4e00-\u9fff]{2,5}?[区县市]", address or "")
    if not address or not earlier or start is None or (at := earlier.find(start.group(0))) <= 0:
        return address
    head = _LEADING_LABEL.sub("", _ADDRESS_PREFIX.sub("", earlier[:at])).strip(" :：")
    return head + address if head and _STRONG_HINT.search(simplify(head)) else address


def _contact(original: str, *, expecting: str | None) -> _Contact:
    """The recipient's name, the address and the delivery requests in a message (in its own script)."""
    text, notes, card_note = _notes_and_card(_unslipped(unicodedata.normalize("NFKC", original)))
    chunks, name = _chunks_and_labelled_name(text)
    chunks = [c for c in chunks if c == _PHONE_MARK or _LEADING_LABEL.sub("", c).strip(" :：")]  # ("…501王建国 电话 138…")
    chunks, earlier = _after_a_correction(chunks)  # ("地址 A 不对不对 寄家里 B": B)
    beside_phone = {i + d for i, c in enumerate(chunks) if c == _PHONE_MARK for d in (-1, 1) if 0 <= i + d < len(chunks)}
    address_parts: list[str] = []
    note_parts: list[str] = []
    absorb = False
    for index, chunk in enumerate(chunks):
        bare = _LEADING_LABEL.sub("", _ADDRESS_PREFIX.sub("", chunk)).strip(" :：")  # ("寄到…": not 寄 then 到…)
        if name and name in bare and (bare == name or not _STRONG_HINT.search(simplify(bare.replace(name, "")))):
            continue  # "收件人许国栋" / "还是许国栋": the name (its 栋 is no building)
        said_first = re.match(r"^([^:：]{1,10})[:：]", bare)
        if said_first and not _STRONG_HINT.search(simplify(said_first.group(1))) \
                and _STRONG_HINT.search(simplify(bare[said_first.end():])) and not _REQUEST.search(simplify(bare)):
            bare = bare[said_first.end():].strip()  # "地址写公司吧：上海市…" / "还是寄家里吧：…": the address after
        if not bare or bare == _PHONE_MARK or _no_place(plain := simplify(bare)):
            continue  # ("省得等下忘了": 省 saves trouble, it is no province)
        if absorb:  # "帮忙写张卡片 生日快乐": what the card should say
            note_parts[-1] = f"{note_parts[-1]} {bare}"
            absorb = False
            continue
        if name is None and index in beside_phone and (found := _name_in(bare)):
            name = found  # "白雪 138…" / "直接发：王建军138…": the name written next to the phone
            rest = bare[: bare.rfind(found)].strip(" :：")
            if not rest:
                continue
            bare, plain = rest, simplify(rest)
        request = _REQUEST.search(plain)
        if _STRONG_HINT.search(plain) and len(bare) >= 3 and not request:
            address_parts.append(bare)
        elif request and (taken_in := _taken_in(bare)):  # "…中信广场写字楼前台代收": the address, and who takes it in
            address_parts.append(taken_in[0])
            note_parts.append(taken_in[1])
        elif request and len(set(_ADDRESS_HINT.findall(plain))) >= 3 and len(bare) >= 10:
            # "…柳台大道555号学生公寓菜鸟驿站": an address that ends at a pick-up point — the address, and the point
            # as a note for the courier
            address_parts.append(bare)
            if pickup := _PICKUP.search(bare):  # (an office's "28楼前台" is the address, not a note)
                note_parts.append(_pickup_point(bare, pickup))
        elif address_parts and (_WEAK_HINT.search(bare) or _BUILDING.search(plain)) and len(bare) <= 20 \
                and not request:
            address_parts.append(bare)  # "3栋 2单元 501室" / "方恒国际中心A座1605" after the street
        elif _REQUEST.search(plain) and (not _QUESTIONISH.search(plain) or _PACKING.search(plain)) \
                and not _NOT_A_REQUEST.search(plain) \
                and not (_SHOPPING_FOR.search(plain) and all(m.group(0) in _GIFT_WORDS for m in _REQUEST.finditer(plain))):
            # ("两件分开包装行不行" / "能包个礼盒吗": a packing request asked as a question is still the request;
            # "送到后别打电话" keeps its 送到)
            said = _LEADING_LABEL.sub("", chunk).strip(" :：")
            note = said if said.endswith(bare) and _ADDRESS_PREFIX.match(said) else bare
            note_parts.append(_as_instruction(note) if _QUESTIONISH.search(plain) else note)
            absorb = bool(_NOTE_CONTINUES.search(plain)) and index + 1 < len(chunks)
        elif name is None and _looks_like_name(bare, chunks):
            name = bare
    note_parts.extend([card_note] if card_note else [])
    address = _completed(_address_of(address_parts, name, expecting=expecting), earlier)
    notes.extend(note_parts)
    return _Contact(name=name, address=address or None, notes="；".join(notes) or None, note_parts=tuple(note_parts))


def _pickup_point(chunk: str, pickup: re.Match[str]) -> str:
    """The pick-up point an address ends at, with its name before it ("菜鸟驿站") — not part of a building
    ("南苑12栋快递柜": 快递柜, not 2栋快递柜)."""
    return re.sub(r"^.*[\d栋号楼座室层元区幢]", "", chunk[max(0, pickup.start() - 2): pickup.start()]) + pickup.group(0)


def _no_place(plain: str) -> bool:
    """Words with 省, 市 or 区 in them that name no place ("省得等下忘了", "有啥区别")."""
    return bool(_NO_PLACE.search(plain)) and not _ADDRESS_HINT.search(_NO_PLACE.sub("", plain))


def _taken_in(chunk: str) -> tuple[str, str] | None:
    """An address that ends with who takes the parcel in ("…写字楼前台代收"): the address, and that as a note."""
    tail = _HANDED_IN.search(chunk)
    if tail is None or not _STRONG_HINT.search(head := simplify(chunk[: tail.start()])) or _REQUEST.search(head):
        return None
    return chunk[: tail.start()], tail.group(0)


def _notes_and_card(text: str) -> tuple[str, list[str], str | None]:
    """The note after "备注" and the words for a gift card, taken out of ``text``: what is left, the notes, the card's."""
    explicit = _NOTES.search(text)
    notes: list[str] = []
    if explicit:
        note = explicit.group(1).strip(" ，,。.!！~～")
        if note and not re.fullmatch(r"[哈啊呀哦吧呢嘛啦的了哟喔噢一下]+", note):  # "记得备注哈" says nothing yet
            notes.append(note)
        text = text[: explicit.start()]
    card = _CARD.search(text)
    card_note = None
    if card:  # "写张贺卡：妈妈生日快乐，天天开心！": the card's words whole, commas and all
        words = re.sub(r"[\W_]+$", "", card.group(2) or card.group(3) or card.group(4) or "")
        words = re.sub(r"\s*(能行|可以|行|吗|吧|哈|呀|哦)+$", "", words).strip(" ，,～~")
        if words:
            card_note = f"贺卡写：{words}"
            text = text[: card.start()] + "，" + text[card.end():]
    return text, notes, card_note


def _as_instruction(note: str) -> str:
    """A request asked as a question, as the warehouse should read it: "能包个礼盒吗" → "包个礼盒"."""
    bare = re.sub(r"^(请问|请|能不能|可不可以|可以|能|麻烦)\s*", "", note)
    bare = re.sub(r"\s*(可不可以|可以吗|可以不|行吗|行不行|好吗|好不好|得唔得|得吗|吗|么|嘛|呢|呀|啊|哈|[?？])+$", "", bare)
    return bare if len(bare) >= 2 else note


def _chunks_and_labelled_name(text: str) -> tuple[list[str], str | None]:
    """The parts of a message (the phone one of them; after "改成", only what follows) and a name written after its
    label ("收件人：")."""
    text = _PHONE.sub(f"，{_PHONE_MARK}，", text)
    text = _GLUED_LABEL.sub(r"，\1", text)  # "…502室收件人周建国电话…": the labels start new parts
    # ("寄给孙子学校 收件人李浩然": the first labelled word that is a name)
    name = next((said for labelled in _NAME_LABEL.finditer(text)
                 if (said := labelled.group(1) or labelled.group(2)) and _is_name(said)), None)
    changed = _CHANGED_TO.split(text)
    if len(changed) > 1 and len(changed[-1].strip()) >= 6:  # "地址写错了，要改成上海市…": the part after 改成
        text = changed[-1]
    chunks = [c.strip(" :：") for c in _CHUNK_SPLIT.split(text)]
    return [c for c in chunks if c], name


def _address_of(parts: list[str], name: str | None, *, expecting: str | None) -> str:
    """The address the parts make, without the name written before it; "" when too short or vague to be one."""
    address = " ".join(parts)
    if name and address.startswith(name):
        address = address[len(name):].strip()
    hints = len(set(_ADDRESS_HINT.findall(simplify(address))))
    if not (len(address) >= 6 and (hints >= 2 or (expecting == "address" and hints >= 1))):
        address = ""
    return address


def _is_name(word: str) -> bool:
    plain = simplify(word)
    return plain[:1] in _SURNAMES and not any(w in plain for w in _NOT_NAMES) and not plain.endswith("色")


def _name_in(chunk: str) -> str | None:
    """A name in a chunk written next to the phone: the whole chunk, or its last 2–4 characters ("直接发：王建军")."""
    plain = simplify(chunk)
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain) and _is_name(plain) and plain not in _GENERIC_COLOURS:
        return chunk
    tail = re.search(r"([\u4e00-\u9fff]{2,4})$", chunk)
    if tail:
        for size in (3, 2, 4):
            word = tail.group(1)[-size:]
            if len(word) == size and _is_name(word):
                return word
    return None


def _not_a_name(word: str) -> bool:
    plain = simplify(word)
    return any(w in plain for w in _NOT_NAMES) or any(c in plain for c in _GENERIC_COLOURS)


def _looks_like_name(chunk: str, chunks: list[str]) -> bool:
    """A 2–4 character chunk beginning with a common surname, in a message that is giving contact details."""
    plain = simplify(chunk)
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain) or not _is_name(plain) or _not_a_name(plain):
        return False
    return any(_STRONG_HINT.search(simplify(c)) for c in chunks) or _PHONE_MARK in chunks


# ------------------------------------------------------------------ measurements and money

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
_HEIGHT_RE = re.compile(
    rf"(?:身高\s*[:：]?\s*)?(?<![\d.])1\s*(?:米|m)\s*(?P<m>\d{{1,2}})"
    rf"|身高\s*[:：]?\s*1\.(?P<dm>\d{{1,2}})(?![\d])|(?<![\d.])1\.(?P<dm2>\d{{1,2}})\s*(?:米|m)(?![a-z])"
    rf"|身高\s*[:：]?\s*(?P<cm>{_NUM[1:-1]})\s*(?:cm|公分|厘米)?|(?P<unit>{_NUM[1:-1]})\s*(?:cm|公分|厘米)"
    rf"|(?:我|个子|人)\s*(?P<me>1[4-9]\d|20\d)(?![\d.]|\s*(?:元|块|斤|kg|公斤|以内|以下|左右的))"
    rf"|(?P<tall>1[4-9]\d|20\d)\s*的?(?:个子|个儿|高)"
)
_CN_HEIGHT = re.compile(r"一米([一二三四五六七八九])([一二三四五六七八九])?")
_WEIGHT_RE = re.compile(rf"(?:体重\s*[:：]?\s*)?{_NUM}\s*(?:来|多|几)?\s*(斤|kg|公斤|千克|磅|lbs?|pounds?)|体重\s*[:：]?\s*{_NUM}", re.IGNORECASE)
_CN_WEIGHT = re.compile(r"([零一二两三四五六七八九十百]+)\s*(来|多|几)?\s*(斤|公斤)")  # ("一百三十来斤": about 130)
_CN_FOOT = re.compile(r"脚(?:长|掌长)?\s*(?:才|有|只有|大概|差不多|约)?\s*([零一二两三四五六七八九十百点]+)\s*(厘米|公分|cm|毫米|mm)?")
_BARE_FOOT_CM = re.compile(r"(?<![\d.])(2\d\.\d)(?![\d.])(?!\s*(?:元|块|斤|kg|公斤|寸))")
_FOOT_RE = re.compile(rf"脚(?:长|的长度|掌长)?\s*(?:是|有|才|只有|大概|约)?\s*{_NUM}\s*(cm|厘米|公分|mm|毫米)?|{_NUM}\s*(mm|毫米)")
_BUDGET_RE = re.compile(
    rf"(?:预算|不超过|别超过|最多|价位)\s*{_NUM}\s*(?:元|块钱|块|rmb)?"
    rf"|{_NUM}\s*(元|块钱|块|rmb)?\s*(以内|以下|之内|内|左右|上下|的价位|价位)"
    rf"|¥\s*{_NUM}",
    re.IGNORECASE,
)
_CN_BUDGET = re.compile(r"([一二两三四五六七八九十百千]+)\s*(?:元|块钱|块)?\s*(以内|以下|之内|左右|上下)|预算\s*([一二两三四五六七八九十百千]+)")
_BARE_HEIGHT_NEAR_WEIGHT = re.compile(r"(?<![\d.])(?<!预算)(?<!预算 )(?<!价格)(?<!价位)(?<!以内)(1[4-9]\d|20\d)(?![\d.])(?=\s*(?:左右|上下)?\s*[,，/、\s]?\s*(?:体重)?\s*[:：]?\s*\d{2,3}(?:\.\d)?\s*(?:斤|kg|公斤|千克|磅))"
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
    """Heights, weights, foot lengths and budgets, read by their units; the rest of the text without them.

    Each is read where no other was read before it: a foot length first, then a weight, a height, a budget — and
    a bare number, when it answers the question the bot asked.
    """
    foot, spans = _foot_length(text, shoes=shoes)
    height_bare, weight, taken = _bare_pair(text, spans)  # ("173 68 穿啥码", "160/100")
    if weight is None:
        weight, taken = _weight(text, spans)
    spans += taken
    height, foot, taken = _height(text, spans, shoes=shoes, foot=foot)
    height = height_bare or height
    spans += taken
    budget, taken = _budget(text, spans)
    spans += taken
    if expecting in ("measure", "height") and height is None and (bare := _BARE_NUMBER_RE.match(text)):
        value = float(bare.group(1))
        if 140 <= value <= 210:
            height = value
            spans.append(bare.span())
    if shoes and expecting == "size" and foot is None and (bare := _BARE_NUMBER_RE.match(text)):
        value = float(bare.group(1))
        mm = value * 10 if value < 40 and "." in bare.group(1) else value
        if 200 <= mm <= 300:
            foot = int(round(mm))
            spans.append(bare.span())
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return _Measures(rest=rest, height=height, weight=weight, foot=foot, budget=budget)


_Spans = list[tuple[int, int]]


def _foot_length(text: str, *, shoes: bool) -> tuple[int | None, _Spans]:
    """A foot length (mm) by its unit — for a shoe a bare "25.8" (cm) too, or one said in words — and where it is."""
    for match in _FOOT_RE.finditer(text):
        value = float(match.group(1) or match.group(3))
        unit = match.group(2) or match.group(4) or ""
        mm = value * 10 if (unit in ("cm", "厘米", "公分") or (not unit and value < 40)) else value
        if 120 <= mm <= 320:  # (a child's foot too: "他脚才十七公分" — the chart then says no size fits)
            return int(round(mm)), [match.span()]
    if shoes and (bare_foot := _BARE_FOOT_CM.search(text)):
        return int(round(float(bare_foot.group(1)) * 10)), [bare_foot.span()]  # "男朋友25.8" for a shoe: in cm
    if cn_foot := _CN_FOOT.search(text):
        whole, _, tenth = cn_foot.group(1).partition("点")
        value_cn = cn_number(whole)
        if value_cn:
            length = value_cn + (_CN_VALUES.get(tenth[:1], 0) / 10 if tenth else 0)
            mm = length if cn_foot.group(2) in ("毫米", "mm") else length * 10
            if 120 <= mm <= 320:
                return int(round(mm)), [cn_foot.span()]
    return None, []


# A height and a weight with no units ("173 68", "160/100"): how people write them
_BARE_PAIR = re.compile(r"(?<![\d.])(1[4-9]\d|20\d)\s*[/\s,，、]\s*(\d{2,3}(?:\.\d)?)"
                        r"(?![\d.%]|\s*(?:元|块|码|号|cm|公分|厘米|mm|毫米|斤|kg|公斤|以内|以下|件|个|条|双|包|岁|分钟|天))")


def _bare_pair(text: str, spans: _Spans) -> tuple[float | None, float | None, _Spans]:
    """A height and weight written bare: the weight in kilograms or 斤, whichever makes the likelier build for the
    height (a body-mass index nearer 21: "160 100" is 100斤, "180 90" is 90kg)."""
    for match in _BARE_PAIR.finditer(text):
        if _inside(match.span(), spans):
            continue
        height, raw = float(match.group(1)), float(match.group(2))
        fits = [(abs(kg / (height / 100) ** 2 - 21), kg) for kg in (raw, raw / 2)
                if 16 <= kg / (height / 100) ** 2 <= 35]
        if fits:
            return height, min(fits)[1], [match.span()]
    return None, None, []


def _weight(text: str, spans: _Spans) -> tuple[float | None, _Spans]:
    """A weight (kg) by its unit (斤 are half a kilogram; so is a bare number over 100), outside ``spans``."""
    for match in _WEIGHT_RE.finditer(text):
        if _inside(match.span(), spans):
            continue
        raw, unit = match.group(1) or match.group(3), match.group(2) or ""
        value = float(raw)
        kg = value / 2 if unit == "斤" or (not unit and value > 100) else value
        if unit and (unit == "磅" or unit.lower().startswith(("lb", "pound"))):
            kg = round(value * 0.4536, 1)  # ("145磅" in Hong Kong: pounds)
        if 25 <= kg <= 200:
            return kg, [match.span()]
    if cn := _CN_WEIGHT.search(text):
        spoken = cn_number(cn.group(1))
        if spoken:
            spoken += 5 if cn.group(2) == "几" and cn.group(1).endswith("十") else 0  # ("一百一十几斤": about 115)
            kg = spoken / 2 if cn.group(3) == "斤" else float(spoken)
            if 25 <= kg <= 200:
                return kg, [cn.span()]
    return None, []


def _height(text: str, spans: _Spans, *, shoes: bool, foot: int | None) -> tuple[float | None, int | None, _Spans]:
    """A height (cm) — said in words, by its unit, or bare beside a weight — outside ``spans``; and the foot length
    (mm) it may turn out to be ("24.5cm" for a shoe). Returns the height, the foot length and where they are."""
    taken: _Spans = []
    height: float | None = None
    cn_height = _CN_HEIGHT.search(text)
    if cn_height:
        height = 100.0 + _CN_VALUES[cn_height.group(1)] * 10 + (_CN_VALUES[cn_height.group(2)] if cn_height.group(2) else 0)
        taken.append(cn_height.span())
    for match in () if height is not None else _HEIGHT_RE.finditer(text):
        if _inside(match.span(), [*spans, *taken]):
            continue
        metres = match.group("m") or match.group("dm") or match.group("dm2")
        if metres:
            value = 100.0 + float(metres if len(metres) == 2 else metres + "0")
        else:
            value = float(next(g for g in (match.group("cm"), match.group("unit"), match.group("me"), match.group("tall")) if g))
            if shoes and value < 40 and foot is None and match.group("unit"):  # "24.5cm" for a shoe: a foot
                foot = int(round(value * 10))
                taken.append(match.span())
                continue
        if 100 <= value <= 220:
            height = value
            taken.append(match.span())
            break
    if height is None:
        for match in _BARE_HEIGHT_NEAR_WEIGHT.finditer(text):
            if not _inside(match.span(), [*spans, *taken]):
                height = float(match.group(1) or match.group(2))
                taken.append(match.span())
                break
    return height, foot, taken


def _budget(text: str, spans: _Spans) -> tuple[Decimal | None, _Spans]:
    """A budget (yuan) — "160左右" only with a word of money, as it may be a height — outside ``spans``."""
    for match in _BUDGET_RE.finditer(text):
        if _inside(match.span(), spans):
            continue
        amount = Decimal(next(g for g in (match.group(1), match.group(2), match.group(5)) if g))
        loose = match.group(4) in ("左右", "上下") and not match.group(3)
        if loose and amount <= 220 and not _MONEY_CUE.search(text[: match.start()] + text[match.end():]):
            continue  # "160左右" with no word of money may be a height; "300左右" is money
        if amount >= 5:
            return amount, [match.span()]
    if cn := _CN_BUDGET.search(text):
        value_int = cn_number(cn.group(1) or cn.group(3))
        if value_int and value_int >= 5 and (cn.group(2) not in ("左右", "上下") or _MONEY_CUE.search(text)):
            return Decimal(value_int), [cn.span()]
    return None, []


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


# ------------------------------------------------------------------ variants

# A message ordering several lines: "一件白色L一件黑色M", "白色和黑色各一件 都要L", "男的XL女的S", "T恤白色L 再加一条牛仔裤黑色XL".
_ITEM_SPLIT = re.compile(
    r"[,，、;；/+＋。.!！?？]+|\s+|(?:和|跟|还有|再来|另外|以及|加上|外加|再加|再配|配)"
    r"|(?=(?:[一两俩二三四五六七八九十]|\d{1,2})\s*(?:件|条|双|套|顶|个|只|份|包|盒|袋))"
    r"|(?=(?:男的|女的|男款|女款|男生|女生|爸爸|妈妈|老公|老婆|儿子|女儿|大的|小的|一人|给我|给他|给她))"
    r"|(?<=[a-z\d])(?=[我他她](?!们))"  # ("他XL我S": a size, then the next person)
)
_ALL_OF = re.compile(r"(?:[一两俩二三四五六七八九十]|\d{1,2})\s*(?:件|条|双|套|个|顶|包|样)\s*(?=都)")
_EACH = re.compile(r"各\s*(?:来|要|拿)?\s*(\d{1,2}|[一两俩二三四五六七八九十])\s*(?:件|条|双|套|顶|个|只|份|包|盒)?")
# Each product a message names stands in the text as one private-use character (its index in ``named``), so the
# parts of a message ordering two products know which product they are about.
_FIRST_MARK = 0xE010
_COUNT_FIRST = re.compile(r"\s*(?:[一两俩二三四五六七八九十]|\d{1,2})\s*(?:件|条|双|套|顶|个|只|份|包|盒|袋)")
_MARKS_RE = re.compile(f"[{chr(_FIRST_MARK)}-{chr(_FIRST_MARK + 63)}]")
# a colour judged as looking wrong on the wearer ("穿酒红怪得很", "粉的太嫩了") — turned down, not a second line
_LOOKS_WRONG = r"((?:太|好|很|有点|挺)?(?:怪得很|怪怪的|怪(?![好可舒漂帅])|难看|丑|老气|土(?!豪)|显老)|太嫩|不适合[他她我]|太像\S)"
_NOT_AN_ORDER_OF_SEVERAL = re.compile(
    r"不要|别(给我|给他|给她)?(整|要|拿|发|来|寄|弄)|不是(?![\s，,。!！]*(?:[一1]\s*[件条双顶个套]|各))|唔好|唔要|换返|换回|唔钟意|没有.{0,4}的?(啊|呀|哦|吗)?\s*[，,]?\s*那|改成|换成|原来|最开始|一开始|后来改|后改|后换|又改|本来说|之前说|(?<=[色的])\s*怕|怕(脏|透|显|掉色|起球|褪色|染)|(平时|平常)(?![^，,。\s]{0,3}[a-z0-9])|换(?=[^，,。\s]{0,4}(色|的|吧))|显(胖|黑|老|腿粗|矮)"
    r"|(算了|不喜欢|太[^，,。\s]{1,3}了)[^。]{0,10}(换|还是)"  # ("…会不会很脏啊…算了还是黑的吧": the black)  # "算了算了红条太跳了 换白底藏青条": one taken back for another
    # "香槟色还要配肤色内衣有点麻烦，那我要黑色吧": one turned down with its reason, then the other chosen
    r"|(麻烦|不耐脏|容易脏|很脏|太[^，,。\s]{1,3}|不好看|不喜欢|显[胖黑老])[^。]{0,12}(那我?就?要|那就|还是|就要)"
    r"|的?(不经脏|不禁脏|不耐脏|容易脏|显脏)"  # "要黑色的 男孩子白的不经脏": the other colour, turned down
    r"|" + _LOOKS_WRONG  # "颜色要藏青的 男娃娃穿酒红怪得很": the one judged is not bought
    + r"|(的|色)[^，,。！!？?\s]{0,4}(买了|买过了|已经买|早买了)(?![吗么嘛])"  # ("蓝的室友买了": not for her)
    + r"|我?已经有[一两]?[件条双顶个]?了|(的|色)[我他她]?(都|也)?有(好几|几|好多|两)[件条双顶个]了"  # "不对 深蓝 浅蓝我已经有一条了": the one owned already is not bought
)


# A colour's count run on into the next line ("白的两件黑的一件")
_COUNT_AFTER = re.compile(r"((?:的|色)\s*(?:[一两俩二三四五六七八九十]|\d{1,2})\s*[件条双套顶个只份包盒])(?=[^\s，,。、；;])")
# A clause that only turns something down ("那不要白的", "黑色不要了")
_ONLY_TURNS_DOWN = re.compile(r"(喔|哦|噢|嗯|那|那就|好吧)*\s*(不要|不想要|唔要)[^，,。\s]{1,6}的?了?"
                              r"|[他她我]?(从来|一般)?(不穿|不戴|不爱穿|不爱戴|不喜欢)[^，,。\s]{1,6}的?了?|[^，,。\s]{1,6}(的|色)?不要了")


# A last clause that counts out each line ("…一条酒红一条灰色"): what the message settles on, whatever came before
_ONE_EACH_LAST = re.compile(r"(?:^|[\s，,。])((?:[一1两2]\s*[件条双顶个套包盒][^\s，,。一1两2]{1,6}\s*){2,})[\s。!！~～]*$")


def _items(
    text: str, product: ProductView | None, named: list[ProductView], *, expecting: str | None,
    earlier: list[ProductView] = (),  # type: ignore[assignment]
    shop: list[ProductView] = (),  # type: ignore[assignment]
    measured: bool = False,
) -> tuple[Item, ...]:
    """The lines of a message that orders two or more different variants or products; () for one.

    Each part is read against the product it names (or the one being discussed); a size or colour said once for
    all ("白色和黑色各一件，都要L") goes to every line that lacks it. A message weighing options ("黑色和白色哪个显瘦")
    or correcting one ("不要黑色了换成白的") orders one thing.
    """
    # ("喔那不要白的 藏青跟灰色各一件好了": the clause turning one down stands apart — the rest is the order)
    text = " ".join(c for c in re.split(r"(?<=[\s，,。])", text) if not _ONLY_TURNS_DOWN.fullmatch(c.strip(" ，,。")))
    if _NOT_AN_ORDER_OF_SEVERAL.search(text) and (each_at_the_end := _ONE_EACH_LAST.search(text)) is not None:
        text = each_at_the_end.group(1)  # ("算了 公公戴酒红怪怪的 一条酒红一条灰色": the last clause is the order)
    if _NOT_AN_ORDER_OF_SEVERAL.search(text) or _weighing(
        text, _colour_mentions(text, product) + _size_mentions(text, product, expecting=None)
    ):
        return ()
    each = _EACH.search(text)
    each_qty = count_value(each.group(1)) if each else None
    body = _ALL_OF.sub(" ", _EACH.sub(" ", _whose_said_again(text)))  # ("兩件都要燕麥色，我S、他XL": one each)
    body = _COUNT_AFTER.sub(r"\1 ", body)  # ("白的两件黑的一件": each count closes the line it follows)
    lines, leading = _lines_said(_segments(body, named, product, earlier, shop), product)
    if leading is not None and leading == len(lines) > 1 and lines[0]["quantity"] == leading \
            and all(line["quantity"] is None for line in lines[1:]):
        lines[0]["quantity"] = None  # the count was of all the lines together: one each
    counted_keys = {(line["sku"], line["colour"], line["size"]) for line in lines if line["quantity"] is not None}
    if counted_keys:  # "白的和浅蓝的都要 白的两件 浅蓝一件": the variants named, then counted — each line once
        lines = [line for line in lines
                 if line["quantity"] is not None or (line["sku"], line["colour"], line["size"]) not in counted_keys]
    counted = [line for line in lines if line["quantity"] is not None]
    same_product = len({line["sku"] for line in lines}) == 1
    if len(lines) > 1 and same_product and counted == [lines[-1]] and lines[-1]["quantity"] == len(lines):
        lines[-1]["quantity"] = None  # "白L黑M两件": the two of them
    if len(lines) > 1 and same_product and counted == [lines[0]] and lines[0]["quantity"] == len(lines) \
            and lines[0].get("joined"):
        lines[0]["quantity"] = None  # "燕麦色 两件 她S我XL": the two of them, one each
    skus = {line["sku"] for line in lines}
    colours = {line["colour"] for line in lines if line["colour"]}
    sizes = {line["size"] for line in lines if line["size"]}
    if len(skus) < 2 and len(colours) < 2 and len(sizes) < 2:
        return ()
    if (two := _TWO_HUES.search(text)) and len(skus) < 2 and len(sizes) < 2 and colours <= {
            hue + tail for hue in two.groups() for tail in ("", "色")}:
        return ()  # "蓝白条纹的": one colour of two hues, not a blue one and a white one
    if len(skus) >= 2:  # different products: each line as it was said
        if "都" in text:  # ("那都要浅蓝 他XL我S 再加一包袜子": both jackets light blue — the colour said for all of one item)
            for line in lines:
                said = {other["colour"] for other in lines if other["sku"] == line["sku"] and other["colour"]}
                if not line["colour"] and len(said) == 1:
                    line["colour"] = next(iter(said))
        items = [Item(size=_opt_str(line["size"]), colour=_opt_str(line["colour"]),
                      quantity=line["quantity"] if isinstance(line["quantity"], int) else (each_qty or 1),
                      sku=_opt_str(line["sku"])) for line in lines]
        return tuple(items) if len(items) >= 2 else ()
    return _items_of_one_product(lines, colours, each_qty, measured=measured)


_FOR_WHOM = re.compile(r"(.{1,5}?)的?(?:是|就)?(?:给|送)(?:我|他|她)?.{1,5}?的?")


def _whose_said_again(text: str) -> str:
    """The text without a clause that only says whose a variant named before is ("两条 一条红的一条灰的 红的给我妈":
    the red one is mum's — no third scarf)."""
    parts = re.split(r"([，,。；;\s]+)", text)
    kept: list[str] = []
    for part in parts:
        said = _FOR_WHOM.fullmatch(part.strip())
        if said and re.search(r"[红蓝白黑灰黄绿粉紫棕青米杏驼卡]|(?<![a-z])(?:xxl|xl|xs|s|m|l)(?![a-z])", said.group(1)) \
                and said.group(1).removesuffix("色") in "".join(kept):  # (a variant said again: "一条给我爸" is no repeat)
            continue
        kept.append(part)
    return "".join(kept)


def _items_of_one_product(
    lines: list[dict[str, object]], colours: set[object], each_qty: int | None, *, measured: bool = False
) -> tuple[Item, ...]:
    """The lines of one product in two or more variants — a line that carries only the attribute that does not vary
    gives it to all ("都要L"); () for fewer than two. A size said for one colour's line is not the other's when
    the message measures someone ("那白色M给我爸 我要浅蓝 178 148斤": the blue one is sized by the measurements)."""
    varying = "colour" if len(colours) >= 2 else "size"
    other = "size" if varying == "colour" else "colour"
    shared = [line for line in lines if not line[varying]]
    shared_value = next((line[other] for line in shared if line[other]), None)
    if shared_value is None and not (measured and other == "size"):
        found = {line[other] for line in lines if line[other]}
        shared_value = next(iter(found)) if len(found) == 1 else None
    items: list[Item] = []
    for line in lines:
        if not line[varying]:
            continue
        values = {varying: line[varying], other: line[other] or shared_value}
        quantity = line["quantity"] if isinstance(line["quantity"], int) else (each_qty or 1)
        items.append(Item(size=_opt_str(values["size"]), colour=_opt_str(values["colour"]), quantity=quantity,
                          sku=_opt_str(line["sku"])))
    return tuple(items) if len(items) >= 2 else ()


def _lines_said(segments: list[tuple[str, ProductView | None]], product: ProductView | None,
                ) -> tuple[list[dict[str, object]], int | None]:
    """The lines ordered in the parts of a message, each with the count said before or after it; and a count said
    before any line ("要两件 我的白色L 她的黑色M"), or None."""
    lines: list[dict[str, object]] = []
    pending_quantity: int | None = None
    leading: int | None = None  # a count said before the lines ("要两件 我的白色L 她的黑色M")
    for seg, current in segments:
        if (asked := _QUESTIONISH.search(seg)) and not _quantity(seg):
            before = seg[:asked.start()]  # (the colour chosen, then a question of its own after a new subject)
            if not (_colour(before, current) and re.search(r"要|买|来|拍|(色|的)[^，,。]*?[他她我]", before)):
                continue  # "杏色那个会透吗": a colour asked about, not a line ordered
            seg = seg[:asked.start()]  # ("再要一个鸭舌帽黑色的他头大不知道能不能戴": the cap, then a question)
        colour = _colour(seg, current)
        size = _pick(seg, _size_mentions(seg, current, expecting=None))
        quantity = _quantity(seg)
        sku = current.sku if current is not None and current is not product else None
        if colour is None and size is None:
            if quantity is not None and lines and (lines[-1].get("quantity") is None or lines[-1].get("borrowed")) \
                    and lines[-1]["sku"] == sku:
                # "白色L 两件": the count goes with what it follows ("要两件 藏青一件 灰色一件": its own, not the total)
                lines[-1]["quantity"], lines[-1]["borrowed"] = quantity, False
            elif quantity is not None:
                pending_quantity = quantity  # "一件 …白色L": the count goes with what follows it
                if not lines:
                    leading = quantity
            continue
        borrowed = quantity is None and pending_quantity is not None
        if quantity is None:
            quantity, pending_quantity = pending_quantity, None
        elif not lines and _COUNT_FIRST.match(seg):
            leading = quantity  # ("三件藏青 M L XXL": the three of them, each 藏青 — when no other line is counted)
        last = lines[-1] if lines else None
        if last is not None and _shared_out(last, colour, size, quantity, sku):
            # "黑色两条(我S 她M)": the colour's count shared out among the sizes said after it, a line each
            lines.append({"colour": last["colour"], "size": size, "quantity": 1, "sku": sku, "borrowed": False,
                          "left": int(last.pop("left")) - 1})  # type: ignore[call-overload]
            continue
        if last is not None and last["sku"] == sku and (last["quantity"] is None or quantity is None) and (
            (colour is None and last["size"] is None and last["colour"]) or (size is None and last["colour"] is None)
        ):  # "深蓝色。我大腿比较粗，那我拿XL吧": the colour and then the size of one line
            last.update(size=last["size"] or size, colour=last["colour"] or colour, quantity=last["quantity"] or quantity,
                        joined=True)  # (a count said between them may be of all the lines: "燕麦色 两件 她S我XL")
            continue
        lines.append({"colour": colour, "size": size, "quantity": quantity, "sku": sku, "borrowed": borrowed})
    return lines, leading




def _shared_out(last: dict[str, object], colour: str | None, size: str | None, quantity: int | None,
                sku: str | None) -> bool:
    """Whether a part that says only a size takes one of the count of the line before it ("黑色两条 我S 她M": the
    second of the two black ones is the M) — which then counts one, and how many are left to share is kept."""
    if colour is not None or size is None or quantity is not None or last["sku"] != sku or not last["colour"] \
            or not last["size"] or last["size"] == size:
        return False
    if "left" not in last:
        if not (last.get("joined") and isinstance(last["quantity"], int) and last["quantity"] >= 2):
            return False
        last["left"], last["quantity"] = last["quantity"] - 1, 1
    return isinstance(last.get("left"), int) and int(last["left"]) > 0  # type: ignore[call-overload]


def _segments(
    body: str, named: list[ProductView], product: ProductView | None, earlier: list[ProductView] = (),  # type: ignore[assignment]
    shop: list[ProductView] = (),  # type: ignore[assignment]
) -> list[tuple[str, ProductView | None]]:
    """The parts of a message with the product each is about, split at separators, counts and people — and
    between two colours written together ("黑色白色各来一件"). A part is about the product it names, else the one
    named last before it, else ``product`` — or, before any product is named, an item talked about ``earlier``
    that has the colour the part names and ``product`` has not ("藍色碎花，鞋子米白色": the dress's colour)."""
    parts: list[tuple[str, ProductView | None]] = []
    current = product
    # ("T恤要那个雾麻蓝色的鞋子要白色的": a part runs on into the next item's name — each name starts its own part)
    for seg in (piece for whole in _ITEM_SPLIT.split(body) if whole for piece in _pieces(whole, named, product)):
        if not seg or not seg.strip():
            continue
        marker = _MARKS_RE.search(seg)
        if marker:
            current = named[ord(marker.group(0)) - _FIRST_MARK]
            seg = _MARKS_RE.sub(" ", seg)
        elif current is product and product is not None and not any(c.lower() in seg for c in product.colours):
            # (or the size it says, one that item is made in and this one not: "他XL我S 再加一包袜子")
            owner = [p for p in earlier if p is not product and (
                any(len(c) >= 2 and c.lower() in seg for c in p.colours) or _sized_as(seg, p, product))]
            if len(owner) > 1:  # (of two talked about with that size, the one made in the colour the message says)
                owner = [p for p in owner if any(len(c) >= 2 and c.lower() in body for c in p.colours)] or owner
            if len(owner) == 1:
                parts.append((seg, owner[0]))
                continue
        if not marker and product is not None and current is product and _kinds_named(seg, product):
            kind = _other_kind(seg, product, shop) or _other_kind(seg, product, earlier, by_colour=False)
            if kind is None:  # "裤子L，裙子M" with only the trousers talked about: which skirt is not known —
                continue  # not the trousers' size either
            current = kind  # "裤子浅蓝 裙子黑色": the one skirt made in black (or the one skirt talked about)
        mentions = _colour_mentions(seg, current)
        last = 0
        for (_s, _e, before), (start, _end, colour_name) in zip(mentions, mentions[1:], strict=False):
            if colour_name == before:  # "辉色的就是灰色的": the same colour said again, one line
                continue
            parts.append((seg[last:start], current))
            last = start
        parts.append((seg[last:], current))
    return [(text, item) for text, item in parts if text.strip()]


def _sized_as(seg: str, item: ProductView, not_this: ProductView) -> bool:
    """A part that names a size ``item`` is made in and ``not_this`` is not."""
    sizes = [size for _s, _e, size in _size_mentions(seg, item, expecting=None)]
    return bool(sizes) and all(s in item.sizes and s not in not_this.sizes for s in sizes)


# the words that end what is said of one item and point on to the next ("…白底藏青那个阔腿裤…")
_POINTS_ON = re.compile(r"(那个|这个|那条|那件|那双|那顶|那款|还有|然后|另外)\s*$")


def _pieces(seg: str, named: list[ProductView], product: ProductView | None = None) -> list[str]:
    """A part split before each later item named that is followed by its own colour or size ("T恤要那个雾麻蓝色的鞋子要
    白色的": the shoes' white) — not before one a colour is said in front of ("浅蓝牛仔裤", "白T"); and before the
    first one named, where the words before it give the item in focus its own colour or size ("条纹要白底藏青那个阔腿裤
    要黑色": the striped top's colour, then the trousers')."""
    marks = [m for m in _MARKS_RE.finditer(seg)]
    cuts = []
    head = seg[: marks[0].start()] if marks else ""
    first = marks[:1] if product is not None and marks and named[ord(marks[0].group(0)) - _FIRST_MARK] is not product \
        and _POINTS_ON.search(head) \
        and (_colour_mentions(head, product) or _size_mentions(head, product, expecting=None)) else []
    for mark, after in zip(first + marks[1:], [*marks[1 if first else 2:], None], strict=False):
        item = named[ord(mark.group(0)) - _FIRST_MARK]
        tail = seg[mark.end(): after.start() if after else len(seg)]
        if _colour_mentions(tail, item) or _size_mentions(tail, item, expecting=None):
            cuts.append(mark.start())
    return [seg[a:b] for a, b in zip([0, *cuts], [*cuts, len(seg)], strict=True)]


def _kinds_named(seg: str, product: ProductView) -> set[str]:
    """The other categories a part of a message names by their everyday words ("裙子M" beside trousers: skirts)
    — none where it names the product's own kind too."""
    kinds = {cat for cat, words in CATEGORY_WORDS.items() if cat != product.category
             and any(w in seg for w in words if len(w) >= 2 or w in ("裙", "鞋", "裤"))}
    if not kinds or any(w in seg for w in CATEGORY_WORDS.get(product.category, ()) if len(w) >= 2):
        return set()
    return kinds


def _other_kind(seg: str, product: ProductView, shop: list[ProductView], *, by_colour: bool = True) -> ProductView | None:
    """The one item of another kind a part of a message names by its everyday word and a colour only it has of
    that kind ("裙子黑色" beside jeans: the pleated skirt, the shop's only black skirt) — or, ``by_colour`` False,
    the one item of that kind among ``shop`` (those talked about earlier)."""
    kinds = _kinds_named(seg, product)
    if not kinds:
        return None
    if not by_colour:
        fits = [p for p in shop if p.category in kinds and p is not product]
        return fits[0] if len(fits) == 1 else None
    said = {p.sku: max((len(c) for c in p.colours if c.lower() in seg), default=0) for p in shop
            if p.category in kinds and p.in_stock}
    longest = max(said.values(), default=0)  # ("白底藏青条" is the striped tee's, though 藏青 is a sweater's too)
    fits = [p for p in shop if said.get(p.sku) == longest and longest > 0]
    return fits[0] if len(fits) == 1 else None


def _opt_str(value: object) -> str | None:
    return str(value) if value else None





def _size(text: str, product: ProductView | None, *, expecting: str | None) -> str | None:
    """The size a message chooses: the last one it names that it does not turn down ("不要XXL了 拿XL" → XL,
    "还是要M吧 L怕太大" → M); none when it weighs two against each other ("买L还是XL") or asks about one
    ("穿S会不会大")."""
    return _pick(text, _size_mentions(text, product, expecting=expecting))


def _size_mentions(text: str, product: ProductView | None, *, expecting: str | None) -> list[tuple[int, int, str]]:
    """(start, end, size) of each size the text names, in order."""
    sizes = product.sizes if product else ()
    numeric = any(s.isdigit() for s in sizes)
    found: list[tuple[int, int, str]] = []
    if numeric or (product is None and _SHOE.search(text)):
        for match in _SHOE.finditer(text):
            found.append((match.start(), match.end(), match.group(1) or match.group(2)))
        if not found and expecting == "size" and (bare := _BARE_NUMBER.match(text)):
            found.append((bare.start(1), bare.end(1), bare.group(1)))
        if not found and numeric:
            found += [(m.start(1), m.end(1), m.group(1)) for m in _LONE_SHOE.finditer(text) if m.group(1) in sizes]
        if not found and numeric and (cn := _CN_SHOE.search(text)):
            value = cn_number(cn.group(1))
            if value and str(value) in sizes:
                found.append((cn.start(), cn.end(), str(value)))
        return found
    if expecting == "size" and (bare := _ANY_SIZE_NUMBER.match(text)):
        return [(bare.start(1), bare.end(1), bare.group(1))]  # "27" when asked: kept, to say which sizes exist
    for word, size in _CN_SIZE.items():
        at = text.find(word)
        if at > 0 and text[at - 1] in "多啥什" and word.startswith("大"):
            continue  # "穿多大码" asks which size; it is not 大码 (L)
        if at >= 0 and not any(start <= at < end for start, end, _ in found):
            found.append((at, at + len(word), size))
    for match in _SIZE.finditer(text):
        raw = match.group(1).upper()
        size = {"2XL": "XXL", "3XL": "XXXL", "XXXXL": "4XL"}.get(raw, raw)
        # A lone "s"/"m"/"l" in Latin chatter ("ok", "lol") is not a size unless a size is expected
        # or it is written as one (M码, 要L, 白色L).
        if len(raw) == 1 and not (
            expecting == "size" or match.group(0)[-1] in "码号" or _looks_like_size(text, match)
            or (product is not None and raw in product.sizes)
        ):
            continue
        found.append((match.start(), match.end(), size))
    return sorted(found)


_TURNED_DOWN_BEFORE = re.compile(r"(不要|不是|别|不想要|唔要|唔钟意|不喜欢|不用|不穿|不戴|不爱穿|不爱戴|原来是|原来的|之前的|本来是|最开始说|一开始说|开始说|本来说|之前说)"
                                 r"\s*(那个|那种|这个|这种|那件|那条)?\s*$")
_TURNED_DOWN_AFTER = re.compile(r"^\s*(?:色的|色|的)?\s*(?:他|她|我|人家)?\s*(?:还是|就|也)?\s*(?:很|好|太|比较|特别|超)?\s*(不要了|不要|怕|嫌|太大|太小|偏大|偏小|不行|算了|不喜欢|已经有了|有了(?![吗么没])"
                                r"|还要配|容易脏|不耐脏|不经脏|显脏|有点麻烦|太跳|太浅|太艳|显黑|已经有|早就有|有(一|好几|几|好多|两)[件条双顶个]了|"
                                + _LOOKS_WRONG[1:-1] + ")")
_WEIGHING = re.compile(r"还是|哪个|哪一个|哪种|哪款|区别|差多少|差几|比较|对比|和.{0,6}比")
_ASKING_ABOUT = re.compile(r"^\s*(会不会|会|合适吗|可以吗|行吗|怎么样|咋样|大吗|小吗|够吗|能穿吗)")


_CLAUSE = re.compile(r"[^，,。.!！?？；;\s]+")


def _weighing(text: str, mentions: list[tuple[int, int, str]]) -> bool:
    """Whether a clause that weighs options ("L还是XL", "黑色和白色哪个显瘦") holds one of the mentions — not a
    weighing word elsewhere in the message ("我大腿比较粗，那我拿XL吧")."""
    return any(_WEIGHING.search(clause.group(0)) and not _DECIDED.search(clause.group(0))
               and any(clause.start() <= m[0] < clause.end() for m in mentions)
               for clause in _CLAUSE.finditer(text))


# "还是换成白底藏青条的吧" / "还是要M吧": 还是 that decides, not one that weighs ("L还是XL")
_DECIDED = re.compile(r"还是(换成|改成|换|改|要|拿|选|买|来|用)|还是.{1,8}吧$")


#: A question about which size to take, however it is asked ("穿啥码", "拣咩码", "要選哪個尺碼", "M还是S").
SIZE_QUESTION = re.compile(
    r"(?<!有)(什么|啥|咩|哪个|哪一个|多大)的?(尺码|尺寸|码|号|size)|(穿|拿|选|要|买|着|著)几(码|号)|几码(合适|好|比较|啱)"
    r"|穿多大|着多大|著多大|拣咩|选哪个|选哪|尺码推荐|选码|码数"
    r"|偏大|偏小|合身|(?:xxl|xl|l|m|s|\d{2})\s*还是\s*(?:xxl|xl|l|m|s|\d{2})|各自.{0,3}码|各穿"
    r"|(是不是|该不该|应该|适合|能不能)该?穿\s*(?:xxl|xl|l|m|s|\d{2})|穿\s*(?:xxl|xl|l|m|s|\d{2})\s*(合适|行|可以)吗"
    r"|(穿|着|著|拿|要)\s*(?:xxl|xl|l|m|s|\d{2})码?\s*(得唔得|得不得|行不行|行吗|可以吗|合适吗|合不合适|对吗|ok吗|够吗|啱唔啱)",
    re.IGNORECASE,
)
# "平时穿M" / "平常着L": the size they usually wear, not the one they choose here
_USUAL_SIZE = re.compile(r"(平时|平常|一般|通常|以前|之前|日常|上次|上回|去年)(都|也)?(穿|着|买|拿|是)的?\s*$")


# A size or colour bought before, told as the reason for this one ("是M 我上次买S勒死了"): not chosen
_BOUGHT_BEFORE = re.compile(r"(上次|上回|去年|之前|以前|前几天)(买|拍|穿|拿)的?(是)?\s*$")


def _pick(text: str, mentions: list[tuple[int, int, str]]) -> str | None:
    """The value a message chooses among its mentions of one kind (sizes, or colours)."""
    if not mentions:
        return None
    def down_before(m: tuple[int, int, str]) -> bool:
        return bool(_TURNED_DOWN_BEFORE.search(text[max(0, m[0] - 6) : m[0]]))

    mentions = [m for m in mentions if not _BOUGHT_BEFORE.search(text[max(0, m[0] - 6) : m[0]])]
    kept = [m for m in mentions if not down_before(m) and not (
        _TURNED_DOWN_AFTER.search(text[m[1] : m[1] + 4])
        # ("土黄色的不要黑的": the 不要 is the next one's)
        and not any(0 < n[0] - m[1] <= 5 and down_before(n) for n in mentions))]
    values = {m[2] for m in kept}
    if len(values) >= 2 and _weighing(text, mentions):
        return None  # "买L还是XL" / "黑色和白色哪个显瘦": still deciding
    if SIZE_QUESTION.search(text):  # "平时着M 应该拣咩码": the size usually worn, asked about — not chosen
        kept = [m for m in kept if not _USUAL_SIZE.search(text[max(0, m[0] - 6) : m[0]])]
    if len(kept) == 1 and len(mentions) == 1 and (
        _ASKING_ABOUT.search(text[kept[0][1] : kept[0][1] + 6]) or (
            "还是" in text[kept[0][1] : kept[0][1] + 3]  # ("换浅蓝 还是XL": still XL — the colour is chosen)
            and not (re.match(r"\s*还是\s*(?:xxl|xl|xs|l|m|s|\d{2,3})(?![a-z])", text[kept[0][1]:])
                     and not re.fullmatch(r"(?:xxl|xl|xs|l|m|s|\d{2,3})", kept[0][2].lower())))
    ):
        return None  # "穿S会不会大" / "拿41还是42": a question about it, not a choice
    if not kept:
        return None
    if len(values) >= 2 and not _corrects(text):
        return kept[0][2]
    if len(values) >= 2:  # "还是换雾霾蓝吧 黑色的…": the one the correction word goes to
        switched = {m[2] for m in kept if _SWITCHED_TO.search(text[max(0, m[0] - 6) : m[0]])}
        if len(switched) == 1:
            return switched.pop()
    return kept[-1][2]


_SWITCHED_TO = re.compile(r"(改成|改为|换成|换返|换回|换|还是要|还是拿|还是|要|拿)\s*(一下|下)?\s*(那个|那种|这个)?\s*$")


_CORRECTION = re.compile(r"改成|改为|换成|换|改|不要|不是|还是要|还是(?=[^，,。？?]{1,5}吧)|拿|算了")


def _corrects(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def _looks_like_size(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 3) : match.start()]
    return any(word in before for word in ("要", "拿", "选", "穿", "买", "换", "改", "成", "来", "的", "码", "色", "是"))


def _colour(text: str, product: ProductView | None) -> str | None:
    """The colour a message chooses (by the same rules as sizes: the last one not turned down)."""
    return _pick(text, _colour_mentions(text, product))


def _colour_mentions(text: str, product: ProductView | None) -> list[tuple[int, int, str]]:
    """(start, end, colour) of each colour the text names, in order: the product's own colour names first (a stem
    such as 米白 for 米白色, or one shade the product has only one of), else a generic colour with 色."""
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int, colour: str) -> None:
        if not any(s <= start < e or start <= s < end for s, e, _ in found):
            found.append((start, end, colour))

    if product:
        if not any(c.lower() in text or c.removesuffix("色").lower() in text for c in product.colours):
            text = _one_dark_blue(text, product)  # (only where none of its own colours is named: "牛仔裤深蓝，毛衣燕麦色")
        for colour in sorted(product.colours, key=len, reverse=True):
            for word in (colour.lower(), colour.removesuffix("色").lower(), colour.removesuffix("混装").lower()):
                if not word:
                    continue
                for match in re.finditer(re.escape(word), text):
                    if not _stem_is_part_of_other_word(text, match.start(), match.end()):
                        add(match.start(), match.end(), colour)
        for shade in _GENERIC_COLOURS:
            matches = [c for c in product.colours if shade in c]
            if len(matches) > 1:  # "白" for 全白 rather than 黑白灰混装: the colour that is only that shade
                plain = [c for c in matches if len(c.replace(shade, "").replace("色", "")) <= 1]
                matches = plain if len(plain) == 1 else matches
            if len(matches) > 1 and len(shade) == 1 and f"{shade}色" in matches:
                # "纯白的" / "正白": plain 白色, not 米白色
                for match in re.finditer(rf"(?:纯|正|全){shade}", text):
                    add(match.start(), match.end(), f"{shade}色")
            if len(matches) == 1:
                for match in re.finditer(re.escape(shade), text):
                    qualified = text[max(0, match.start() - 1): match.end()]
                    if qualified[:1] in _SHADE_QUALIFIERS and qualified not in matches[0]:
                        continue  # ("浅蓝" is no 深蓝, though 蓝 is the jeans' only blue)
                    if not _stem_is_part_of_other_word(text, match.start(), match.end()):
                        add(match.start(), match.end(), matches[0])
        if not found:  # "白底蓝条" for 白底藏青条: the one colour whose everyday name the text says
            near = [(m.start(), m.end(), colour) for colour in product.colours
                    for plain in {_everyday(colour), _everyday(colour).removesuffix("色")} if len(plain) >= 3
                    for m in re.finditer(re.escape(plain), text)]
            if len({colour for _s, _e, colour in near}) == 1:
                found.append(near[0])
        for loose, shade in _LOOSE_NAMES:  # "土黄色" for 卡其: what shoppers call the shade
            if len(fits := [c for c in product.colours if shade in c]) == 1:
                for match in re.finditer(loose, text):
                    add(match.start(), match.end(), fits[0])
        if not found:  # "蓝白条纹的" for 白底藏青条: the one colour made of the two hues it names
            found.extend(_by_hues(text, product))
        if found:
            return sorted(found)
    own_words = (product.name.lower(), *(a.lower() for a in product.aliases)) if product else ()
    for colour in _GENERIC_COLOURS:
        for match in re.finditer(re.escape(colour), text):
            garment = _GARMENT_AFTER.match(text, match.end())
            if garment and product is not None and not any(garment.group(1) in word for word in own_words):
                continue  # "我妈老穿黑大衣的" about a scarf: the coat's colour, not the scarf's
            if not _stem_is_part_of_other_word(text, match.start(), match.end()):
                add(match.start(), match.end(), colour if colour.endswith("色") else colour + "色")
    return sorted(found)


_SHADE_QUALIFIERS = frozenset("浅深藏宝天湖墨酒奶米雾藕豆军")
_GARMENT_AFTER = re.compile(r"色?的?(大衣|外套|衬衫|裤子|裙子|鞋子?|毛衣|t恤|羽绒服|帽子|围巾|袜子|卫衣|夹克|西装|裤|裙|衣服)")
# A colour character used in another word: 白天, 红包, 黄金周, 蓝牙, 灰心, 明白, 显白, 美白, 粉丝, 紫外线…
_NOT_COLOUR = re.compile(
    r"白天|红包|黄金|蓝牙|黄皮|黑皮|白皮|黄黑皮|灰心|明白|白跑|显白|显黑|美白|白皙|白领|漂白|白送|白给|粉丝|紫外|红利|红火|黑店|拉黑|黑名单|"
    r"白菜|红酒|绿茶|红茶|黄瓜|黑豆|白酒|白糖|黑心|红薯|青菜|绿色食品|黄牛|白条"
)


# A shade's everyday name: 藏青 is a blue, 酒红 a red, 驼色 a brown ("白底蓝条" for 白底藏青条).
_EVERYDAY = (("藏青", "蓝"), ("雾霾蓝", "蓝"), ("深蓝", "蓝"), ("浅蓝", "蓝"), ("宝蓝", "蓝"), ("酒红", "红"),
             ("驼色", "棕色"), ("深棕", "棕"), ("军绿", "绿"), ("浅灰", "灰"), ("浅粉", "粉"), ("奶白", "白"), ("米白", "白"))


def _one_dark_blue(text: str, product: ProductView) -> str:
    """深蓝 and 藏青 are one dark blue to shoppers: "白底深藍條" is 白底藏青条 for an item made in 藏青 and not 深蓝 (and
    "藏青" the 深蓝 of jeans made only in 深蓝). Same length, so what is found keeps its place in the text."""
    names = " ".join(product.colours)
    if "藏青" in names and "深蓝" not in names:
        return text.replace("深蓝", "藏青")
    if "深蓝" in names and "藏青" not in names:
        return text.replace("藏青", "深蓝")
    return text


# ("蓝白条纹的长袖"; with the item's name marked, "蓝白" + the mark of 条纹长袖)
_TWO_HUES = re.compile(r"([红蓝白黑灰黄绿粉紫])([红蓝白黑灰黄绿粉紫])色?(?:条纹|条|间条|相间|格子|格|[\ue010-\ue0ff])")
# What shoppers call a shade the catalogue names otherwise
_LOOSE_NAMES = (("土黄", "卡其"), ("沙色", "卡其"), ("咖色", "咖啡"), ("米黄", "杏色"), ("枣红", "酒红"), ("深红", "酒红"))


def _by_hues(text: str, product: ProductView) -> list[tuple[int, int, str]]:
    """The one colour of ``product`` made of the two hues a message names ("蓝白条纹" → 白底藏青条); none when it is
    not one."""
    for match in _TWO_HUES.finditer(text):
        hues = {match.group(1), match.group(2)}
        fits = [c for c in product.colours if len(hues) == 2 and set(_everyday(c)) & set("红蓝白黑灰黄绿粉紫") == hues]
        if len(fits) == 1:
            return [(match.start(), match.end(), fits[0])]
    return []


def _everyday(colour: str) -> str:
    for shade, plain in _EVERYDAY:
        colour = colour.replace(shade, plain)
    return colour.lower()


def _stem_is_part_of_other_word(text: str, start: int, end: int) -> bool:
    for match in _NOT_COLOUR.finditer(text):
        if match.start() < end and start < match.end():
            return True
    return False


_QTY_RE = re.compile(
    r"(?<![第这那])(\d{1,3}|[一两俩二三四五六七八九十])\s*(件|个(?!小时|钟|月|星期|礼拜|工作日|人|字|半)|条|双|套|顶|只|份|条儿|盒|包(?!邮)|袋|瓶|罐|支|本|副|台|张|箱)(?!装)"
    r"|(?<!第)(俩)(?!个?人)|(一对)|数量\s*[:：]?\s*(\d{1,3})"
)
_TOTAL = re.compile(r"(?:一共|总共|共|合计)\s*(\d{1,3}|[一两俩二三四五六七八九十])")
_PAST = re.compile(r"(买了|买的|拍了|拍的|上次|昨天|前天|之前|以前|已经)\s*$")
_BARE_QTY = re.compile(r"^\s*(?:来|要|拿)?\s*(\d{1,2}|[一两俩二三四五六七八九十])\s*(?:个|件)?\s*(?:吧|就行|就好)?\s*$")


def _quantity(text: str, *, expecting: str | None = None) -> int | None:
    """How many the message orders: a count with its unit ("3包", "两件", "来俩", "一对"), the total when it says
    one ("一共两条"), the new count of a correction ("两件改成一件"); not an ordinal ("第2件") or a past purchase
    ("上次买了3件")."""
    total = _TOTAL.search(text)
    if total:
        return count_value(total.group(1))
    counts = []
    for match in _QTY_RE.finditer(text):
        if _PAST.search(text[max(0, match.start() - 4) : match.start()]):
            continue
        if text[max(0, match.start() - 1): match.start()] in ("这", "那") and match.group(0).startswith("俩"):
            continue  # "就这俩": these two items, pointed at — not two of one
        if match.group(0).startswith("俩") and re.match(r"(加起来|一起|一共|总共|合计|都)", text[match.end():]):
            continue  # "俩加起来三百多了": the two items together — not two of one
        raw = match.group(1) or match.group(3) or match.group(5)
        value = 2 if match.group(4) or raw == "俩" else count_value(raw or "")
        if value:
            counts.append(value)
    if not counts and expecting == "quantity" and (bare := _BARE_QTY.match(text)):
        counts.append(count_value(bare.group(1)) or 0)
    counts = [c for c in counts if 0 < c <= 99]
    if not counts:
        return None
    return counts[-1] if _corrects(text) else counts[0]


def count_value(raw: str) -> int | None:
    """A count written in digits or one Chinese numeral ("3", "三", "两", "俩" → 3, 3, 2, 2); None otherwise."""
    if raw.isdigit():
        return int(raw)
    return _CN_DIGITS.get(raw)


_TURNED_DOWN_KIND = re.compile(r"(不太?喜欢|不要|不想要|不爱穿|嫌)[^，,。\s说]{0,6}"
                               r"|(上衣|衣服|t恤|裤子|鞋子?|外套|裙子|帽子)[我他她]?(已经)?有(了|的)?(?![没吗么点])"
                               r"|[我他她]?(已经)?有(上衣|衣服|t恤|裤子|鞋子?|外套|裙子|帽子)了")  # ("上衣我有": not tops)
_COLLARED = re.compile(r"(?<![圆v])(有|带|要)(个)?领(子)?|翻领|立领|没领子?(不正式|不好看|太随便|不行)")


def need_from(text: str) -> Need:
    """The shopping need a message states: category, for whom, season, style, budget.

    The budget is read like every number, by its units: "身高160" is not a budget of 160 yuan.
    """
    plain = NOT_A_BAG.sub(" ", simplify(text))  # ("不包邮": postage, not a bag)
    plain = _TURNED_DOWN_KIND.sub(" ", plain)  # ("他不喜欢T恤": not T-shirts)
    plain = re.sub(r"(不|别|不要|不用|没必要)太?正式", " 休闲 ", plain)  # ("别太正式": casual)
    if _COLLARED.search(plain):  # "有领子的那种" / "他说没领子不正式": a polo or a shirt (no plain tee)
        plain = re.sub(r"短袖|长袖|t恤|上衣", " ", plain) + " polo 衬衫"
    return Need(
        categories=frozenset(c for c, words in CATEGORY_WORDS.items() if any(w in plain for w in words)),
        audience=frozenset(a for a, words in AUDIENCE_WORDS.items() if any(w in plain for w in words)),
        seasons=frozenset(s for s, words in SEASON_WORDS.items() if any(w in plain for w in words)),
        styles=frozenset(s for s in _STYLE_WORDS if s in plain),
        budget=_measures(_PHONE.sub(" ", plain)).budget,
        kinds=frozenset(w for words in CATEGORY_WORDS.values() for w in words if w in plain and w not in BROAD_WORDS),
        uses=frozenset(use for use, (said, _page) in USE_WORDS.items() if said.search(plain)),
    )


def mentions_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether the simplified text contains one of ``words``."""
    plain = simplify(text)
    return any(word in plain for word in words)


def has_link(text: str) -> bool:
    """Whether the message carries a link (which kefu never opens)."""
    return bool(re.search(r"https?://|www\.|\.com/|\.cn/", text, re.IGNORECASE))
