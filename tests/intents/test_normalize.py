"""normalize(): one canonical form for the many ways shoppers type the same thing."""

from __future__ import annotations

import pytest

from intents import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Traditional → Simplified
        ("在嗎", "在吗"),
        ("我的訂單到哪了", "我的订单到哪了"),
        ("能開發票嗎", "能开发票吗"),
        ("退貨運費誰出", "退货运费谁出"),
        # full-width → half-width, Latin lower-cased
        ("ＯＫ", "ok"),
        ("ＸＬ碼有嗎", "xl码有吗"),
        ("Hello 在吗", "hello 在吗"),
        ("有货吗？", "有货吗?"),
        # repeated punctuation folded into one marker that still signals emphasis
        ("在吗？？？", "在吗??"),
        ("太差了！！！！！", "太差了!!"),
        ("什么？！？！", "什么?!"),
        ("好的。。。", "好的..."),
        ("嗯……", "嗯..."),
        ("哦、、、", "哦..."),
        ("好滴～～～", "好滴~"),
        # letter runs folded to two
        ("哈哈哈哈哈哈", "哈哈"),
        ("hhhhhh", "hh"),
        # emoji and chat emoticons → mood tokens, runs folded
        ("气死了😡😡😡", "气死了 EMONEG"),
        ("谢谢亲😊", "谢谢亲 EMOPOS"),
        ("好的👍", "好的 EMOOK"),
        ("🐶", "EMO"),
        ("[大哭][大哭]", "EMONEG"),
        ("^_^", "EMOPOS"),
        # URLs, share codes, phones, amounts, order numbers
        ("看下这个 https://item.taobao.com/item.htm?id=6512345 咋样", "看下这个 URL 咋样"),
        ("m.tb.cn/h.5xYz 这个有吗", "URL 这个有吗"),
        ("￥AbCdEf12345￥ 复制打开", "URL 复制打开"),
        ("我电话13812345678", "我电话 PHONE"),
        ("打 138-1234-5678", "打 PHONE"),
        ("+86 13912345678", "PHONE"),
        ("¥99包邮吗", "AMOUNT 包邮吗"),
        ("￥199", "AMOUNT"),
        ("99元", "AMOUNT"),
        ("便宜10块呗", "便宜 AMOUNT 呗"),
        ("9.9元", "AMOUNT"),
        ("十块钱", "AMOUNT"),
        ("订单号123456789012345678", "订单号 ORDERNO"),
        ("顺丰SF1234567890123", "顺丰 ORDERNO"),
        ("身高1700毫米", "身高 NUM 毫米"),
        # short numbers are kept: they carry meaning (7天无理由, 886)
        ("7天无理由吗", "7天无理由吗"),
        ("886", "886"),
        # whitespace
        ("  在\t\t吗  ", "在 吗"),
        ("", ""),
        (" \u3000 ", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_traditional_and_simplified_normalise_alike() -> None:
    assert normalize("親，這件衣服會不會起球？？") == normalize("亲，这件衣服会不会起球？？")
