"""Text normalisation: one canonical form for every way a shopper can type the same thing."""

from __future__ import annotations

import re
import unicodedata

import opencc

# Placeholder tokens. They are upper-case ASCII: normalize() lower-cases all Latin text first, so a
# placeholder can never collide with something the customer typed.
URL = "URL"
PHONE = "PHONE"
ORDERNO = "ORDERNO"
NUM = "NUM"
AMOUNT = "AMOUNT"
EMO_POS = "EMOPOS"
EMO_NEG = "EMONEG"
EMO_OK = "EMOOK"
EMO_OTHER = "EMO"
# What a platform's chat-log export masks: [日期x], [姓名x], [地址x] / [站点x], *** and the like.
DATE = "DATE"
TIME = "TIME"
NAME = "NAME"
PLACE = "PLACE"
MASK = "MASK"
PLACEHOLDERS: tuple[str, ...] = (
    URL, PHONE, ORDERNO, NUM, AMOUNT, EMO_POS, EMO_NEG, EMO_OK, EMO_OTHER, DATE, TIME, NAME, PLACE, MASK,
)

_T2S = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified (OpenCC ``t2s``), nothing else changed: the one converter kefu uses, for
    the classifier (:func:`normalize`) and for the conversation's matching (``bot.conversation.slots``)."""
    return str(_T2S.convert(text))

# Emoji that carry a mood (angry/sad, happy) or a gesture of approval (thumbs up, OK, thanks hands).
# Anything else in the emoji blocks becomes EMO_OTHER.
_NEG_EMOJI = frozenset(
    "😠😡🤬😤😢😭😞😔😩😫😣😖😒🙄💢👎💔😰😨😱☹🙁😕😟😓😥😪🤮🤢😑😐💩🖕😾😿🥺😮‍💨🤯😬"
)
_POS_EMOJI = frozenset(
    "😀😁😂🤣😃😄😅😆😊☺🙂😍🥰😘😗😙😚😋😛😜😝🤗❤💕💖💗💓💞💘🎉🌹💐😉🥳😇🤩😺😸😻✨🌸🌺🎁🫶🥂🫰"
)
_OK_EMOJI = frozenset("👍👌🙏✌👏💪🤝💯✅🆗☑✔")
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55\u2300-\u23ff]"
)
# Variation selectors, zero-width joiner and skin-tone modifiers: presentation only.
_EMOJI_NOISE_RE = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]")

# Chat-app text emoticons such as [微笑] / [大哭] (after t2s), and a few kaomoji.
_POS_WORDS = (
    "微笑 憨笑 偷笑 呲牙 大笑 愉快 可爱 玫瑰 爱心 害羞 色 得意 调皮 嘿哈 笑脸 开心 亲亲 飞吻 机智 庆祝 "
    "奸笑 坏笑 拥抱 比心 哇"
).split()
_OK_WORDS = "强 赞 好的 ok 握手 抱拳 鼓掌 耶 胜利 谢谢 合十 拜托 加油 对".split()
_NEG_WORDS = (
    "大哭 流泪 发怒 怒 难过 委屈 抓狂 快哭了 撇嘴 生气 鄙视 弱 衰 心碎 晕 汗 白眼 吐 叹气 哭 囧 冷汗 "
    "敲打 傲慢 无语 尴尬 哼 怄火 裂开 捂脸"
).split()
_BRACKET_RE = re.compile(r"\[([^\[\]\s]{1,4})\]")
_KAOMOJI_POS_RE = re.compile(r"\^[_\-.]?\^|(?<![a-z0-9]):-?[)d](?![a-z0-9])|=\)")
_KAOMOJI_NEG_RE = re.compile(r"(?<![a-z0-9])(?::-?\(|t_t|qaq|qwq|orz)(?![a-z0-9])")

# Masked personal data as platforms export chat logs: [数字x], [订单编号x], [金额x], [日期x] … (the inner word
# tells what was there), a run of *** and emoji written as codes (#E-s[数字x], #E-a12).
_MASKED_RE = re.compile(r"\[([\u4e00-\u9fffa-z_]{1,8}?)(?:x|_?\d+)\]")
_MASKED_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("订单", "单号", "运单", "快递单", "order"), ORDERNO),
    (("金额", "价格", "钱", "money", "price"), AMOUNT),
    (("电话", "手机", "phone", "tel"), PHONE),
    (("日期", "date"), DATE),
    (("时间", "time"), TIME),
    (("姓名", "名字", "用户", "name", "user"), NAME),
    (("地址", "站点", "小区", "城市", "address", "site"), PLACE),
    (("链接", "网址", "url", "link"), URL),
    (("数字", "数量", "number", "num"), NUM),
)
_EMOJI_CODE_RE = re.compile(r"#e-[a-z]{1,3}(?:\[[^\[\]]{1,8}\]|\d{1,4})?")
_STARS_RE = re.compile(r"\*{3,}")
# A space between two Chinese characters of which one stands alone ("退 款", "我 的 快 递") is a stray
# space inside a word; between two longer runs ("你好 水壶坏了") it separates clauses and stays.

_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
    r"|(?<![a-z0-9@.])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|cc|io|me|top|shop)\b"
    r"(?:/[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*)?"
    r"|¥[a-z0-9]{8,14}¥"  # a Taobao share code (淘口令) is a link too
)
_PHONE_RE = re.compile(
    r"(?<![0-9])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?![0-9])"
    r"|(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])"
    r"|(?<![0-9])[48]00-?\d{3}-?\d{4}(?![0-9])"
)
_AMOUNT_RE = re.compile(
    r"[¥$]\s*\d+(?:\.\d+)?"
    r"|(?<![0-9.])\d+(?:\.\d+)?\s*(?:元|块钱|块|rmb|毛钱|毛|角)"
    r"|[一二两三四五六七八九十百千万几]+(?:块钱|元)"
)
_ORDERNO_RE = re.compile(r"(?:(?<![a-z0-9])[a-z]{1,4})?(?<![0-9])\d{8,}(?![0-9])")
_NUM_RE = re.compile(r"(?<![0-9.])\d{4,7}(?![0-9])")

_REPEATED_CHAR_RE = re.compile(r"([^\W\d_])\1{2,}")
_BANG_QUERY_RE = re.compile(r"[!?]{2,}")
_ELLIPSIS_RE = re.compile(r"[.。、]{2,}")
_REPEATED_PUNCT_RE = re.compile(r"([,、~\-_=+*#;:])\1+")
_REPEATED_TOKEN_RE = re.compile(rf"\b({EMO_POS}|{EMO_NEG}|{EMO_OK}|{EMO_OTHER})(?:\s+\1\b)+")
_SPACE_RE = re.compile(r"\s+")


def _pad(token: str) -> str:
    return f" {token} "


def _fold_bang_query(match: re.Match[str]) -> str:
    run = match.group(0)
    if "?" in run and "!" in run:
        return "?!"
    return "??" if "?" in run else "!!"


def _fold_bracket(match: re.Match[str]) -> str:
    word = match.group(1)
    if word in _POS_WORDS:
        return _pad(EMO_POS)
    if word in _NEG_WORDS:
        return _pad(EMO_NEG)
    if word in _OK_WORDS:
        return _pad(EMO_OK)
    return match.group(0)


def _fold_emoji(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NEG_EMOJI:
        return _pad(EMO_NEG)
    if char in _POS_EMOJI:
        return _pad(EMO_POS)
    if char in _OK_EMOJI:
        return _pad(EMO_OK)
    return _pad(EMO_OTHER)


def _fold_masked(match: re.Match[str]) -> str:
    inner = match.group(1)
    for words, token in _MASKED_KINDS:
        if any(w in inner for w in words):
            return _pad(token)
    return _pad(MASK)


def _join_stray_spaces(s: str) -> str:
    """Drop the spaces that split a word ("退 款" → "退款"); keep those between clauses."""
    if " " not in s:
        return s
    parts = s.split(" ")
    out = [parts[0]]
    for part in parts[1:]:
        left, right = out[-1], part
        if left and right and "\u4e00" <= left[-1] <= "\u9fff" and "\u4e00" <= right[0] <= "\u9fff" and (
            _lone_tail(left) or _lone_head(right)
        ):
            out[-1] = left + right
        else:
            out.append(part)
    return " ".join(out)


def _lone_tail(word: str) -> bool:
    return len(word) == 1 or not ("\u4e00" <= word[-2] <= "\u9fff")


def _lone_head(word: str) -> bool:
    return len(word) == 1 or not ("\u4e00" <= word[1] <= "\u9fff")


_FREE_SHIPPING_SLIP_RE = re.compile(r"包油(?![条漆炸饼])")  # (包游 is taught by the corpus itself)


def normalize(text: str) -> str:
    """Bring a customer message into the canonical form the classifier sees.

    Traditional → Simplified, full-width → half-width (NFKC), Latin lower-cased, runs of a letter
    folded to two (哈哈哈哈 → 哈哈, hhhh → hh), ！！！/？？？ folded to one ``!!``/``??`` marker,
    。。。/…… to ``...``. URLs, phone numbers, money amounts, order/tracking numbers (8+ digits),
    other numbers of 4–7 digits, and emoji or chat emoticons (by mood: negative, positive, approval,
    other) become the placeholder tokens in ``PLACEHOLDERS``, as do the masks of an exported chat log
    ([订单编号x] → ORDERNO, [金额x] → AMOUNT, [日期x] → DATE, [姓名x] → NAME, [站点x] → PLACE, *** → MASK,
    #E-s[数字x] → EMO). Whitespace is collapsed; a space that splits a word between single Chinese
    characters ("退 款", "我 的 快 递") is dropped.

    Never fails for any ``str``; an empty or blank message gives ``""``.
    """
    s = unicodedata.normalize("NFKC", text)
    s = to_simplified(s).lower()
    s = _FREE_SHIPPING_SLIP_RE.sub("包邮", s)  # 包油: voice input's 包邮
    s = _EMOJI_NOISE_RE.sub("", s)
    s = _EMOJI_CODE_RE.sub(_pad(EMO_OTHER), s)
    s = _MASKED_RE.sub(_fold_masked, s)
    s = _STARS_RE.sub(_pad(MASK), s)
    s = _REPEATED_CHAR_RE.sub(r"\1\1", s)
    s = _URL_RE.sub(_pad(URL), s)
    s = _PHONE_RE.sub(_pad(PHONE), s)
    s = _AMOUNT_RE.sub(_pad(AMOUNT), s)
    s = _ORDERNO_RE.sub(_pad(ORDERNO), s)
    s = _NUM_RE.sub(_pad(NUM), s)
    s = _BRACKET_RE.sub(_fold_bracket, s)
    s = _KAOMOJI_POS_RE.sub(_pad(EMO_POS), s)
    s = _KAOMOJI_NEG_RE.sub(_pad(EMO_NEG), s)
    s = _EMOJI_RE.sub(_fold_emoji, s)
    s = _BANG_QUERY_RE.sub(_fold_bang_query, s)
    s = _ELLIPSIS_RE.sub("...", s)
    s = _REPEATED_PUNCT_RE.sub(r"\1", s)
    s = _join_stray_spaces(_SPACE_RE.sub(" ", s).strip())
    return _REPEATED_TOKEN_RE.sub(r"\1", s)
