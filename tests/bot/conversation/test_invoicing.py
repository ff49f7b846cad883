"""Invoice details as customers send them — in one message or spread over several, with labels or without."""

from __future__ import annotations

import pytest

from bot.conversation.invoicing import describe, merged, missing, read
from replies import PhraseBank, Value

BANK = PhraseBank.from_yaml()


def text(value: Value) -> str:
    """A fragment as the customer reads it: rendered from the shipped phrase bank."""
    return str(BANK.fill(value, {}))

CASES = [
    ("抬头：杭州青禾科技有限公司 税号91330106MA2B3C4D5E 邮箱qinghe@163.com",
     {"kind": "company", "title": "杭州青禾科技有限公司", "tax_no": "91330106MA2B3C4D5E", "email": "qinghe@163.com"}),
    ("公司抬头是上海木森文化传播有限公司，税号 91310115MA1K4XYZ7Q，发到 finance@musen.cn 谢谢",
     {"kind": "company", "title": "上海木森文化传播有限公司", "tax_no": "91310115MA1K4XYZ7Q", "email": "finance@musen.cn"}),
    ("开个人的就行 发我邮箱 lili_88@qq.com", {"kind": "personal", "email": "lili_88@qq.com"}),
    ("个人抬头 王芳", {"kind": "personal", "title": "王芳"}),
    ("抬頭：深圳市啟明設計工作室", {"kind": "company", "title": "深圳市启明设计工作室"}),
    ("税号是92440300MA5FABCD1X", {"kind": "company", "tax_no": "92440300MA5FABCD1X"}),
    ("邮箱：ZHANG.wei@Example.com", {"email": "ZHANG.wei@Example.com"}),
    ("我的邮箱是 abc123＠126.com", {"email": "abc123@126.com"}),
    ("电话13812345678 邮箱 tom@163.com", {"email": "tom@163.com"}),
    # where the parcel goes is said first; the title is the company after 抬头
    ("快递寄到公司前台。发票抬头 宁波星禾文化传媒有限公司，税号 91330212MA2K7H3Q9W",
     {"kind": "company", "title": "宁波星禾文化传媒有限公司", "tax_no": "91330212MA2K7H3Q9W"}),
    ("能开发票吗", {}),
    ("电子发票还是纸质的", {}),
    ("订单号KF2612041234567 要开票", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_invoice_details_read_from_a_message(text: str, expected: dict[str, str]) -> None:
    assert read(text).as_dict() == expected


def test_details_spread_over_messages_add_up_and_what_is_missing_is_named() -> None:
    kept = merged({}, read("抬头 杭州青禾科技有限公司"))
    assert [text(need) for need in missing(kept)] == ["税号", "接收发票的邮箱"]
    kept = merged(kept, read("91330106MA2B3C4D5E"))
    assert [text(need) for need in missing(kept)] == ["接收发票的邮箱"]
    kept = merged(kept, read("qinghe@163.com"))
    assert missing(kept) == []
    assert text(describe(kept)) == "公司抬头 杭州青禾科技有限公司，税号 91330106MA2B3C4D5E，邮箱 qinghe@163.com"


def test_a_personal_invoice_needs_only_an_email() -> None:
    kept = merged({}, read("个人的"))
    assert [text(need) for need in missing(kept)] == ["接收发票的邮箱"]
    assert text(describe(merged(kept, read("a@b.cn")))) == "个人抬头，邮箱 a@b.cn"
