"""When a parcel ordered now would come, against the day the customer needs it by.

"12月20号前能到吗", "周五能收到不", "过年前来得及吗": the day is read from the message (a date, a weekday, 明天/后天,
"N天内", or a holiday — the lunar ones through ``lunardate``), and the answer is worked out from the shop's own
settings (the dispatch cut-off and the delivery days) and the shop's clock: in time, tight, or too late. It is an
estimate from those settings and is said as one — never a promise the shop's settings do not make.
"""

from __future__ import annotations

import datetime as dt
import re

from lunardate import LunarDate

from bot.conversation.cues import _ARRIVES, _IN_TIME
from bot.conversation.intake import chinese_date, delivery_span
from bot.conversation.slots import cn_number, simplify
from bot.conversation.views import Context
from replies import Fragment, Value

_CN_NUMBER = r"[一二两三四五六七八九十]+"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}

_MONTH_DAY = re.compile(rf"(\d{{1,2}}|{_CN_NUMBER})\s*月\s*(\d{{1,2}}|{_CN_NUMBER})\s*[号日]?")
_SLASH_DAY = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})(?=\s*(?:号|日|前|之前|以前|那天|能|可以|到))")
_DAY_ONLY = re.compile(rf"(?<![\d月./路街巷弄栋楼村道区])(\d{{1,2}}|{_CN_NUMBER})\s*[号日]\s*(?=之?前|以前|能|可以|那天|到|收|左右)")
_WEEKDAY = re.compile(r"(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天末])")
_NEXT_WEEK = re.compile(r"下个?(?:礼拜|星期|周)(?![一二三四五六日天末])")
_NEAR = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}
_WITHIN = re.compile(rf"(\d{{1,2}}|{_CN_NUMBER})\s*天(?:之内|以内|内)")

# holidays on the solar calendar: (month, day)
_SOLAR = {"元旦": (1, 1), "情人节": (2, 14), "妇女节": (3, 8), "三八节": (3, 8), "五一": (5, 1), "劳动节": (5, 1),
          "六一": (6, 1), "儿童节": (6, 1), "国庆": (10, 1), "双十一": (11, 11), "双11": (11, 11),
          "双十二": (12, 12), "双12": (12, 12), "平安夜": (12, 24), "圣诞": (12, 25)}
# holidays on the lunar calendar: (lunar month, day); 过年 is wanted by New Year's Eve, the day before 春节
_LUNAR = {"除夕": (0, 0), "大年三十": (0, 0), "过年": (0, 0), "年前": (0, 0), "春节": (1, 1), "元宵": (1, 15),
          "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15), "重阳": (9, 9)}


def _number(raw: str) -> int:
    """12 or 十二 (0 for neither)."""
    return int(raw) if raw.isdigit() else cn_number(raw) or 0


def _next(today: dt.date, month: int, day: int) -> dt.date | None:
    """The next ``month``/``day`` from today (this year's, or next year's once it has passed)."""
    for year in (today.year, today.year + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if date >= today:
            return date
    return None


def _lunar(today: dt.date, month: int, day: int) -> dt.date:
    """The next lunar ``month``/``day`` on the solar calendar; (0, 0) is New Year's Eve."""
    for year in (today.year - 1, today.year, today.year + 1):
        if (month, day) == (0, 0):
            date = LunarDate(year + 1, 1, 1).to_solar_date() - dt.timedelta(days=1)
        else:
            date = LunarDate(year, month, day).to_solar_date()
        if date >= today:
            return dt.date(date.year, date.month, date.day)
    return today


# a holiday named in digits ("五一", "六一") is no holiday inside a number said in words ("一八六一一七…")
_DIGIT_WORDS = "零〇一二两三四五六七八九十"


def _named(name: str, text: str) -> bool:
    """``name`` stands in ``text`` on its own, not inside a number said in words."""
    for found in re.finditer(re.escape(name), text):
        before = text[found.start() - 1] if found.start() else ""
        after = text[found.end()] if found.end() < len(text) else ""
        if not (before and before in _DIGIT_WORDS) and not (after and after in _DIGIT_WORDS):
            return True
    return False


def _holiday(text: str, today: dt.date) -> tuple[str, dt.date] | None:
    for name, (month, day) in _SOLAR.items():
        if _named(name, text):
            date = _next(today, month, day)
            if date is not None:
                return name, date
    for name, (month, day) in _LUNAR.items():
        if name in text and not (name == "年前" and re.search(r"[一两三四五半去今明前\d]年前", text)):
            return ("除夕" if (month, day) == (0, 0) else name), _lunar(today, month, day)
    return None


def _weekday(match: re.Match[str], today: dt.date) -> dt.date:
    which, day = match.group(1) or "", _WEEKDAYS[match.group(2)]
    monday = today - dt.timedelta(days=today.weekday())
    weeks = 2 if which == "下下" else 1 if which.startswith("下") else 0
    date = monday + dt.timedelta(days=7 * weeks + day)
    if match.group(2) == "末" and not which:
        date = max(date, today)  # "周末" said on a Sunday is today
    return date if date >= today else date + dt.timedelta(days=7)


#: Every phrase that says when a parcel comes.
ARRIVAL_KEYS = frozenset({"shipping.delivery_time", "shipping.by_date_in_time", "shipping.by_date_tight",
                          "shipping.by_date_late"})


def needed_by(text: str, today: dt.date) -> tuple[str, dt.date] | None:
    """The day the customer needs the parcel by, and how they named it — or None if no day is said."""
    plain = simplify(text)
    if holiday := _holiday(plain, today):
        return holiday
    if m := _MONTH_DAY.search(plain) or _SLASH_DAY.search(plain):
        date = _next(today, _number(m.group(1)), _number(m.group(2)))
        return (None if date is None else ("", date))
    if m := _WEEKDAY.search(plain):
        return m.group(0), _weekday(m, today)
    if m := _NEXT_WEEK.search(plain):  # ("下个礼拜去旅行": by the start of next week)
        return m.group(0), today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    near = [(days, word) for word, days in _NEAR.items()
            if re.search(word + r"(?!(能|可以|会)?(发|下单|拍|付|买))", plain) and not (word == "后天" and "大后天" in plain)]
    if near:  # "今天下单明天能到吗": the day it should come, not the day it is ordered
        days, word = max(near)
        return word, today + dt.timedelta(days=days)
    if m := _WITHIN.search(plain):
        return "", today + dt.timedelta(days=_number(m.group(1)))
    if m := _DAY_ONLY.search(plain):
        day = _number(m.group(1))
        if 1 <= day <= 31:
            month = today.month if day >= today.day else today.month % 12 + 1
            date = _next(today, month, day)
            return (None if date is None else ("", date))
    return None


# "明天能到吗", "周五收得到不": a day, and whether it comes by then asked
_ARRIVE_ASKED = re.compile(r"(能|可以|会)?(到|收到|送到|寄到)(吗|不|么|嘛|否|没|了吗|\?|？)|(能|可以)(到|收到|送到)|收得到|到得了")


def asks_arrival(text: str, today: dt.date) -> bool:
    """Whether the message asks when the parcel comes ("几时到", "来得及吗", "围巾明天能到吗")."""
    plain = simplify(text)
    return bool(_ARRIVES.search(plain) or _IN_TIME.search(plain)
                or (_ARRIVE_ASKED.search(plain) and needed_by(plain, today) is not None))


def arrival_answer(text: str, ctx: Context) -> tuple[str, dict[str, Value]]:
    """The phrase that answers "when will it come" — for the day the customer named, if they named one: counted from
    the day an order placed now ships (the same day as one placed earlier today)."""
    wanted = needed_by(text, ctx.today)
    if wanted is None:
        return "shipping.delivery_time", {}
    name, by = wanted
    today = ctx.today
    ships = today if ctx.now < ctx.policy.dispatch_cutoff else today + dt.timedelta(days=1)
    shortest, longest = delivery_span(ctx.policy.delivery_days)
    earliest, latest = ships + dt.timedelta(days=shortest), ships + dt.timedelta(days=longest)
    label: Value = chinese_date(by, today)
    if name and name not in ("今天", "明天", "后天"):
        label = Fragment("part.date_named", {"when": name, "date": label})
    params: dict[str, Value] = {"when": label, "date": chinese_date(ships, today)}
    span = chinese_date(earliest, today) if earliest == latest else \
        Fragment("part.date_range", {"date": chinese_date(earliest, today), "other": chinese_date(latest, today)})
    if latest <= by:
        key = "shipping.by_date_in_time"
    elif earliest <= by:
        key = "shipping.by_date_tight"
    else:
        key, span = "shipping.by_date_late", chinese_date(earliest, today)
    params["range"] = span
    return key, params
