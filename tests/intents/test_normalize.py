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
        # whitespace; a space that splits a word is dropped, one between clauses kept
        ("  在\t\t吗  ", "在吗"),
        ("退 款 到 账 了 吗", "退款到账了吗"),
        ("快 递到哪了", "快递到哪了"),
        ("你好 水壶坏了", "你好 水壶坏了"),
        ("iphone 15 充不进电", "iphone 15 充不进电"),
        # a platform's chat-log masks: the inner word says what was there
        ("订单[订单编号x]怎么还没到", "订单 ORDERNO 怎么还没到"),
        ("退款[金额x]还没到账", "退款 AMOUNT 还没到账"),
        ("[數字x]天了還沒發貨", "NUM 天了还没发货"),
        ("我[日期x]下的单", "我 DATE 下的单"),
        ("[时间x]前能送到吗", "TIME 前能送到吗"),
        ("[姓名x]你好", "NAME 你好"),
        ("放[站点x]了", "放 PLACE 了"),
        ("打[电话x]没人接", "打 PHONE 没人接"),
        ("***的快递员", "MASK 的快递员"),
        ("#E-s[数字x]", "EMO"),
        ("好的#E-s[数字x]#E-s[数字x]", "好的 EMO"),
        ("[ORDERID_10086]", "ORDERNO"),
        ("[组织机构x]", "MASK"),
        ("", ""),
        (" \u3000 ", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_traditional_and_simplified_normalise_alike() -> None:
    assert normalize("親，這件衣服會不會起球？？") == normalize("亲，这件衣服会不会起球？？")
