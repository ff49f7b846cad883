"""Pinyin typed instead of characters ("dui de", "bao you ma", "ta 178 75kg chuan sha ma"): a shopper on a phone who
does not pick the characters. Such a run of letters is glossed into the Chinese the classifier and the slot reading
know, before either reads the message; the transcript keeps what the customer typed.

The table is the shop's own vocabulary, written here in characters and turned into pinyin by ``pypinyin`` — yes and
no, asking and buying, sizes, colours, garments, the people bought for, delivery. A run of letters is glossed only
when the whole of it is made of those words (so English — "do you have black", "ok", "xl" — is never touched), and
a run of one short syllable is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

# The words, in characters. Longer words win over shorter ones when both fit the letters.
_WORDS: tuple[str, ...] = (
    # yes, no, thanks, greeting
    "对的", "对", "好的", "好滴", "好", "是的", "是", "可以", "行", "没问题", "没错", "确认", "谢谢", "多谢", "不用了",
    "不用", "不要", "不要了", "算了", "在吗", "在不在", "你好", "您好", "亲", "老板", "客服", "人工", "转人工", "再见", "拜拜",
    "知道了", "收到", "麻烦", "麻烦你", "辛苦了",
    # asking and buying
    "吗", "呢", "吧", "啊", "呀", "了", "的", "那就", "那", "就", "这个", "那个", "就这个", "就要", "要", "我要", "要了",
    "买", "我买", "想买", "下单", "拍", "拍了", "给我", "给", "我", "你", "您", "他", "她", "我们", "有", "有没有", "没有",
    "有货", "还有", "多少钱", "多少", "几天", "什么", "啥", "怎么", "为什么", "哪个", "哪款", "还是", "能", "能不能", "会",
    "会不会", "可不可以", "包邮", "包邮吗", "运费", "便宜", "便宜点", "优惠", "贵", "太贵", "打折", "券", "送", "发货",
    "快递", "顺丰", "到", "几号", "明天", "今天", "什么时候", "退", "退货", "换", "换货", "退款", "改", "改成", "取消",
    "地址", "电话", "订单", "单号", "查", "查一下", "一下", "看看", "看一下", "推荐", "合适", "再", "也", "都", "一样",
    "一件", "两件", "一条", "两条", "一双", "件", "条", "双", "个", "只",
    # sizes and measures
    "码", "尺码", "什么码", "啥码", "穿", "穿什么码", "穿啥码", "大码", "小码", "偏大", "偏小", "大", "小", "大了", "小了",
    "身高", "体重", "斤", "公斤", "米", "高", "胖", "瘦", "脚", "脚长",
    # how it is
    "透", "透吗", "厚", "薄", "暖和", "冷", "热", "起球", "掉色", "缩水", "面料", "颜色", "好看", "质量", "舒服",
    # colours
    "颜色", "白色", "白的", "黑色", "黑的", "灰色", "灰的", "藏青", "深蓝", "浅蓝", "蓝色", "卡其", "米白", "驼色", "燕麦色",
    "酒红", "军绿", "杏色", "粉色", "浅粉", "浅灰", "红色", "绿色", "黄色", "咖啡色", "雾霾蓝", "白", "黑", "灰", "红",
    "蓝", "粉",
    # garments
    "衣服", "衬衫", "卫衣", "毛衣", "外套", "大衣", "羽绒服", "夹克", "裤子", "牛仔裤", "工装裤", "阔腿裤", "裙子",
    "连衣裙", "半身裙", "围巾", "帽子", "袜子", "鞋子", "鞋", "小白鞋", "靴子", "睡衣",
    # people
    "爸", "爸爸", "我爸", "妈", "妈妈", "我妈", "老公", "老婆", "男朋友", "女朋友", "儿子", "女儿", "孩子", "朋友",
    "同事", "自己", "送人", "礼物", "礼盒",
)
# Words whose characters the common reading gets wrong here (藏青 is zàng qīng), and how people shorten words
_ALSO_READ: tuple[tuple[str, str], ...] = (("zangqing", "藏青"), ("shenmema", "什么码"))


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Pinyin without tones or spaces → the word (its common reading, and the ones of :data:`_ALSO_READ`); where two
    words sound the same, the first listed keeps it."""
    table: dict[str, str] = {}
    for word in _WORDS:
        table.setdefault("".join(lazy_pinyin(word)), word)
    for reading, word in _ALSO_READ:
        table.setdefault(reading, word)
    return table


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(len(key) for key in _table())


# A run of letters and spaces between anything else (digits, characters, punctuation)
_RUN = re.compile(r"[a-zA-Z]+(?:\s+[a-zA-Z]+)*")


def _segment(tokens: list[str]) -> list[str] | None:
    """The words the tokens' letters are made of, the fewest first (dynamic programming); None if they are not all
    words. A word lies within one token ("duide" is 对的) or spans whole tokens ("zang qing" is 藏青) — never part of
    one token and part of the next ("want a" is no pinyin)."""
    table, longest = _table(), _longest()
    letters = "".join(tokens).lower()
    cuts = {0}
    for token in tokens:
        cuts.add(max(cuts) + len(token))
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - longest), end):
            words = best[start]
            if words is None or (word := table.get(letters[start:end])) is None:
                continue
            if any(start < cut < end for cut in cuts) and not (start in cuts and end in cuts):
                continue
            if best[end] is None or len(words) + 1 < len(best[end] or ()):
                best[end] = [*words, word]
    return best[len(letters)]


def gloss(text: str) -> str:
    """``text`` with each run of pinyin said in characters ("na jiu zang qing" → "那就藏青"); anything else as it is.

    Within a run of letters, the longest stretches of whole words are glossed ("kg chuan sha ma": "kg" stays). A short
    stretch alone ("ok", "xl", "ta") is too short to tell from a size or an English word: glossed only in a message
    with a longer stretch of pinyin ("ta 178 75kg chuan sha ma" → "他 178 75kg 穿啥码")."""
    glossed = _RUN.sub(lambda run: _said(run.group(0), short=False), text)
    return glossed if glossed == text else _RUN.sub(lambda run: _said(run.group(0), short=True), glossed)


def _said(run: str, *, short: bool) -> str:
    tokens = run.split()
    out: list[str] = []
    at = 0
    while at < len(tokens):
        for end in range(len(tokens), at, -1):  # the longest stretch from here that is all words
            letters = "".join(tokens[at:end])
            if (end - at >= 2 or len(letters) >= 4 or short) and (words := _segment(tokens[at:end])):
                out.append("".join(words))
                at = end
                break
        else:
            out.append(tokens[at])
            at += 1
    return run if out == tokens else " ".join(out)
