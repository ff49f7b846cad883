"""What a customer writes to get an invoice — 抬头, 税号, 邮箱, personal or company — read from any mix of
messages ("抬头：杭州青禾科技有限公司 税号91330106MA2B3C4D5E 发到qing@163.com"). Pure: no IO."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.conversation.slots import simplify
from replies import Fragment

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 统一社会信用代码 (18) or the older 15/20-character numbers: letters and digits, mostly digits.
_TAX_NO = re.compile(r"(?<![A-Za-z0-9@._-])[0-9A-Z]{15,20}(?![A-Za-z0-9@])")
_COMPANY = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9（）()·&]{2,40}?(?:股份有限公司|有限责任公司|有限公司|集团|公司|工作室|事务所|研究院|研究所|"
    r"中心|学校|大学|学院|医院|商行|经营部|门市部|合作社|协会|银行)"
)
# where a parcel goes ("快递送到公司前台"), not whom an invoice is made out to
_DELIVERY = re.compile(r"送到|寄到|发到|放到?|快递|收货|地址")
_TITLE = re.compile(r"抬头\s*(?:是|为|写|开|填)?\s*[:：]?\s*([^\s,，。;；:：]{2,40})")
_PERSONAL = re.compile(r"个人(?:抬头)?|抬头\s*(?:是|为|写|开|填)?\s*[:：]?\s*个人|不用税号|没有税号|开给我自己")
_NAME_AFTER_PERSONAL = re.compile(r"个人(?:抬头)?\s*(?:是|为|写|就写|开|填|：|:)?\s*([\u4e00-\u9fa5]{2,4})(?![\u4e00-\u9fa5])")
_MY_NAME = re.compile(r"(?:写|填|开|是|叫)\s*(?:我的?)?(?:名字|姓名|全名)\s*[:：]?\s*([\u4e00-\u9fa5]{2,4})(?![\u4e00-\u9fa5])")
_NOT_NAMES = ("发票", "抬头", "就行", "就好", "邮箱", "电子", "纸质", "普票", "专票", "可以", "谢谢", "的话")


@dataclass(frozen=True, slots=True)
class InvoiceDetails:
    kind: str | None = None  # personal | company
    title: str | None = None
    tax_no: str | None = None
    email: str | None = None

    def __bool__(self) -> bool:
        return any((self.kind, self.title, self.tax_no, self.email))

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("kind", self.kind), ("title", self.title), ("tax_no", self.tax_no),
                                  ("email", self.email)) if v}


def read(text: str) -> InvoiceDetails:
    """The invoice details a message gives; None for each it does not."""
    raw = text.replace("＠", "@")
    email_match = _EMAIL.search(raw)
    email = email_match.group(0) if email_match else None
    rest = _EMAIL.sub(" ", raw)
    upper = simplify(rest).upper()
    tax_no = next((m.group(0) for m in _TAX_NO.finditer(upper)
                   if sum(c.isdigit() for c in m.group(0)) >= 6 and not m.group(0).startswith("KF")
                   and not re.fullmatch(r"1[3-9]\d{9}", m.group(0))), None)
    plain = simplify(_TAX_NO.sub(" ", upper))
    companies = [m for m in _COMPANY.finditer(plain) if not _DELIVERY.search(m.group(0))]
    after_title = [m for m in companies if (at := plain.find("抬头")) >= 0 and m.start() >= at]
    company = (after_title or companies)[0] if companies else None  # ("快递送到公司前台…发票抬头 …有限公司": the title's)
    title = None
    if company:
        title = re.sub(r"^(抬头|公司|开|是|为|写)+[:：]?", "", company.group(0)) or company.group(0)
    elif (named := _TITLE.search(plain)) and named.group(1) not in ("个人",) and not named.group(1).startswith("个人") \
            and not any(named.group(1).startswith(w) for w in (*_NOT_NAMES, "和", "跟", "与", "我", "等", "稍")) \
            and "发给" not in named.group(1):  # ("个人抬头就行", "抬头和税号我发给你": no title said)
        title = named.group(1)
    kind = None
    if company or tax_no:
        kind = "company"
    elif _PERSONAL.search(plain):
        kind = "personal"
        for name in (_NAME_AFTER_PERSONAL.search(plain), _MY_NAME.search(plain)):
            if name and not any(w in name.group(1) for w in _NOT_NAMES):
                title = title or name.group(1)  # ("个人抬头 写我名字 邓凯")
    elif title:
        kind = "personal"
    return InvoiceDetails(kind=kind, title=title, tax_no=tax_no, email=email)


def merged(kept: Mapping[str, str], new: InvoiceDetails) -> dict[str, str]:
    """What the conversation holds after this message: a new value replaces the one kept."""
    out = {**kept, **new.as_dict()}
    if new.kind == "company" and kept.get("kind") == "personal" and not new.title:
        out.pop("title", None)  # a personal name is no company's title
    return out


def missing(details: Mapping[str, str]) -> list[Fragment]:
    """What is still needed, in the customer's words (the bank's ``part.invoice_need_*``): 抬头, 税号 (companies),
    邮箱."""
    need = []
    if not details.get("title") and details.get("kind") != "personal":
        need.append(Fragment("part.invoice_need_title"))
    if details.get("kind") == "company" and not details.get("tax_no"):
        need.append(Fragment("part.invoice_need_tax_no"))
    if not details.get("email"):
        need.append(Fragment("part.invoice_need_email"))
    return need


def describe(details: Mapping[str, str]) -> Fragment:
    """"公司抬头 杭州青禾科技有限公司，税号 9133…，邮箱 qing@163.com" for the reply (the bank's ``part.invoice_*``)."""
    email = details.get("email", "")
    if details.get("kind") == "company":
        return Fragment("part.invoice_company",
                        {"title": details.get("title", ""), "tax_no": details.get("tax_no", ""), "email": email})
    if details.get("title"):
        return Fragment("part.invoice_personal_named", {"title": details["title"], "email": email})
    return Fragment("part.invoice_personal", {"email": email})
