"""Cantonese in a Chinese shop's chat: Hong Kong and Guangdong shoppers write as they speak ("有冇毛衣啱送俾阿媽㗎",
"佢平時著M", "唔好放價錢牌入去", "趕唔趕得切") — glossed into the Mandarin the classifier and the slot reading know,
before either reads the message (as :mod:`bot.conversation.english` does for English). The transcript keeps what
the customer typed; only the reading sees the gloss.

The table is the words of shopping, not a translator: each entry is a Cantonese word or turn of phrase that
Mandarin never writes the same way (冇, 唔, 嘅, 咗, 俾, 啱, 睇…), in Traditional and Simplified characters alike,
and a message with none of them is returned as it is. Words Mandarin shares are left alone (同 "and" / 同色 "the
same colour"; 關係 keeps its 係).
"""

from __future__ import annotations

import re

# A character only Cantonese writes: without one, nothing is glossed (Taiwan's and Mandarin Traditional stay as typed)
_MARKS = re.compile(r"[冇唔嘅咗佢俾啱喺嗰啲咩睇攞㗎喎囉咁嚟哋乜揾搵嘢嘞噉喇啩]|[^關关联聯]係|得唔得|趕唔|赶唔|著[a-zA-Z0-9幾几咩]"
                    r"|要埋|買埋|买埋|同埋|加埋|污糟|仲有|仲要|鍾意|钟意|頸巾|颈巾")

# (pattern, Mandarin), applied in order: the longer turns of phrase before the single words inside them
_GLOSS: tuple[tuple[re.Pattern[str], str], ...] = (
    # asking: "…唔…" questions, "係咪", "得唔得", "有冇"
    (re.compile(r"趕[唔不]趕得[切及]|赶[唔不]赶得[切及]"), "来不来得及"),
    (re.compile(r"趕得[切及]|赶得[切及]"), "来得及"),
    (re.compile(r"趕[唔不][切及]|赶[唔不][切及]"), "来不及"),
    (re.compile(r"得唔得"), "可不可以"),
    (re.compile(r"係咪|系咪"), "是不是"),
    (re.compile(r"有冇"), "有没有"),
    # "黃色碎花定藍色碎花好睇啲": 定 between two choices is "or"
    (re.compile(r"(?<=[\u4e00-\u9fffA-Za-z0-9])定(?=[^，,。\s]{1,8}(好睇|好看|好啲|好d|啱|靚|靓|好))"), "还是"),
    (re.compile(r"啱唔啱"), "合不合适"),
    (re.compile(r"使唔使"), "需不需要"),
    (re.compile(r"夠唔夠|够唔够"), "够不够"),
    (re.compile(r"(好|會|会|易|容易|唔會|唔会)痕"), r"\1痒"),
    (re.compile(r"痕唔痕"), "痒不痒"),
    (re.compile(r"(?<![划劃刮压壓折印裂])痕(?=[\s，,。!！?？]|$)"), "痒"),
    # how much, which, what, how, where
    (re.compile(r"幾多錢|几多钱|幾錢|几钱"), "多少钱"),
    (re.compile(r"幾多|几多"), "多少"),
    (re.compile(r"邊個|边个"), "哪个"),
    (re.compile(r"邊件|边件"), "哪件"),
    (re.compile(r"邊度|边度|邊到|边到"), "哪里"),
    (re.compile(r"咩碼|咩码"), "什么码"),
    (re.compile(r"咩色"), "什么颜色"),
    (re.compile(r"咩嘢|咩野"), "什么"),
    (re.compile(r"點樣|点样"), "怎么样"),
    (re.compile(r"點(?=[買买寄揀拣退換换改付著着選选洗])|点(?=[买寄拣退换改付着选洗])"), "怎么"),
    (re.compile(r"點解|点解"), "为什么"),
    (re.compile(r"乜嘢|乜野"), "什么"),
    (re.compile(r"咩"), "什么"),
    # this, that, some, they
    (re.compile(r"呢(?=[個个件條条對对款套頂顶雙双])"), "这"),
    (re.compile(r"嗰"), "那"),
    (re.compile(r"啲|(?<=[\u4e00-\u9fff\s])d(?=[\u4e00-\u9fff])"), "些"),
    (re.compile(r"佢哋|佢地"), "他们"),
    (re.compile(r"我哋|我地"), "我们"),
    (re.compile(r"你哋|你地"), "你们"),
    # wearing and fitting: 著 is to wear; 細 is small; 啱身 fits
    (re.compile(r"著(?=[a-zA-Z0-9]|幾|几|咩|什么|開|开|落|起|上|唔|不|得|到|嘅|的)"), "穿"),
    (re.compile(r"平時著|平时著"), "平时穿"),
    (re.compile(r"着(?=咩|幾|几|什么|[a-zA-Z0-9])"), "穿"),
    (re.compile(r"(?<=[码碼])啱|(?<=\S)啱(?=$|[?？吖呀啊㗎])"), "合适"),
    (re.compile(r"啱身"), "合身"),
    (re.compile(r"唔啱"), "不合适"),
    (re.compile(r"啱(?=[送買买俾著穿])"), "适合"),
    (re.compile(r"(太|好|偏|有啲|有些|細咗|细咗)細|細(?=[碼码咗一]|[d啲])"), r"\1小"),
    (re.compile(r"細咗|细咗"), "小了"),
    (re.compile(r"細(?=$|[\s?？嗎吗呀啊])"), "小"),
    (re.compile(r"(?<![冰])凍"), "冷"),
    (re.compile(r"頸巾|颈巾"), "围巾"),
    # verbs
    (re.compile(r"睇"), "看"),
    (re.compile(r"攞"), "拿"),
    (re.compile(r"揀|拣"), "选"),
    (re.compile(r"搵|揾"), "找"),
    (re.compile(r"俾"), "给"),
    (re.compile(r"喺"), "在"),
    (re.compile(r"(都|也)?要埋"), "也要"),
    (re.compile(r"(買|买)埋"), "也买"),
    (re.compile(r"同埋"), "和"),
    (re.compile(r"加埋"), "再加"),
    (re.compile(r"(好|太|咁)易(?=污糟|邋遢|脏|髒)"), "很容易"),
    (re.compile(r"污糟|邋遢"), "脏"),
    (re.compile(r"啱晒"), "都对"),
    (re.compile(r"嚟|黎(?=[緊紧])"), "来"),
    (re.compile(r"返(?=[嚟来來])"), "回"),
    (re.compile(r"仲(?=[有要係系想可冇未])"), "还"),
    (re.compile(r"鍾意|钟意"), "喜欢"),
    (re.compile(r"(?<=[都佢我你又])話"), "说"),
    (re.compile(r"(?<![認认知常意])識"), "会"),
    (re.compile(r"諗|谂"), "想"),
    (re.compile(r"搞掂|搞定"), "搞定"),
    # yes, no, thanks
    (re.compile(r"冇問題|冇问题"), "没问题"),
    (re.compile(r"冇"), "没有"),
    (re.compile(r"唔該晒|唔该晒|唔該|唔该"), "谢谢"),
    (re.compile(r"多謝晒|多谢晒|多謝|多谢"), "谢谢"),
    (re.compile(r"唔使|唔駛|唔驶"), "不用"),
    (re.compile(r"唔好"), "不要"),
    (re.compile(r"唔"), "不"),
    (re.compile(r"(?<![關关联聯])係|(?<![關关联聯])系(?=[咪唔])"), "是"),
    (re.compile(r"^啱[\s，,!！]|(?<=[\s，,])啱(?=[\s，,!！]|$)|^啱$"), "对 "),
    # particles and time
    (re.compile(r"嘅"), "的"),
    (re.compile(r"咗"), "了"),
    (re.compile(r"咁(?=[我你佢就都又要买買加\s，,])|(?:^|(?<=[\s，,]))咁(?![樣样多耐大細细快慢靚好貴贵平啱])"), "那"),
    (re.compile(r"咁(?=[樣样])"), "这"),
    (re.compile(r"咁"), "这么"),
    (re.compile(r"聽日|听日"), "明天"),
    (re.compile(r"今日"), "今天"),
    (re.compile(r"尋日|寻日"), "昨天"),
    (re.compile(r"靚"), "好看"),
    (re.compile(r"[㗎喎囉啩嘞噉喇]"), ""),
)


def gloss(text: str) -> str:
    """``text`` with its Cantonese said in Mandarin ("有冇毛衣啱送俾阿媽㗎" → "有没有毛衣适合送给阿媽"); text with no
    Cantonese word is returned as it is."""
    if not _MARKS.search(text):
        return text
    for pattern, mandarin in _GLOSS:
        text = pattern.sub(mandarin, text)
    return text
