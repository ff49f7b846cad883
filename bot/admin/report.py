"""Learning from disputes (纠纷复盘): every dispute of a period summarised as one table — type | count | main cause |
remedy used | outcome — with the weekly trend, so the shop fixes causes (descriptions, packaging, courier choice,
payment, staff training) rather than only soothing customers.

Deciding apart from doing: :func:`summarise` is plain Python over :class:`DisputeRow` values (no IO, no clock);
:func:`read_disputes` and :func:`read_recent` are units of work that load only the columns and JSON fields the
report needs; :func:`render_text` (``python -m bot disputes``) and :func:`render_page` (``GET /admin/disputes``)
only lay the report out. ``GET /admin/api/disputes`` answers with :meth:`DisputeReport.as_json`. Both routes sit
under ``/admin``, so the guard of :mod:`bot.desk.guard` lets only a logged-in admin through.

How the columns are counted, per dispute type and in total:

- **main cause**: the most frequent sub-type the intake found (``details.subtype``), with its share of *all* the
  type's disputes (those whose cause was never found count in the denominator, so a low share says so);
- **remedy used**: the most frequent ``details.resolution.remedy`` among the resolved ones, its share of the
  resolved, and how many the bot settled by itself (``resolution.by == "bot"``: the late-parcel coupon);
- **outcome**: the average satisfaction score (1–5, half-up to one decimal) over the disputes whose customer
  answered the follow-up — unanswered ones are left out, never counted as zero — and the share resolved.

A tie is broken by the order of the labels (``SUBTYPE_LABELS``, ``REMEDIES``), never by chance.
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation import SUBTYPE_LABELS
from bot.engine.followups import REMEDIES
from bot.errors import BadRequest
from bot.web.keys import CLOCK, SERVICES
from bot.web.responses import html_page, json_response
from models import DISPUTE_TYPES, Database, Dispute, as_utc

#: The dispute types as the report names them, in the report's order.
TYPE_LABELS: Mapping[str, str] = {"product": "商品", "logistics": "物流", "payment": "付款", "service": "服务"}
TOTAL = "total"
DEFAULT_DAYS = 30
MAX_DAYS = 366
PAGE_DAYS = (7, 30, 90)  # the periods the page links to
RECENT = 10  # latest disputes shown with the customer's words
WORDS = 80  # characters of a customer's words or an agent's note shown per case
STATUS_LABELS = {"open": "处理中", "resolved": "已解决"}
_ONE_DECIMAL = Decimal("0.1")


# ------------------------------------------------------------------ what the report is made of


@dataclass(frozen=True, slots=True)
class DisputeRow:
    """What the summary needs of one dispute (no customer text)."""

    type: str
    status: str
    created_at: dt.datetime  # aware
    subtype: str | None = None
    remedy: str | None = None
    by_bot: bool = False
    csat: int | None = None  # 1–5 when the customer answered the follow-up


@dataclass(frozen=True, slots=True)
class RecentDispute:
    """One recent dispute as the page lists it, with the customer's opening words and the resolution note."""

    id: int
    type: str
    status: str
    created_at: dt.datetime  # aware
    subtype: str | None
    words: str
    remedy: str | None
    note: str
    resolved_by: str | None  # "bot" or the agent's name
    csat: int | None


@dataclass(frozen=True, slots=True)
class Share:
    """The most frequent value among ``of`` disputes: its key, Chinese label and how many had it."""

    key: str
    label: str
    count: int
    of: int

    def __str__(self) -> str:
        return f"{self.label} {self.count}/{self.of}"

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "count": self.count, "of": self.of}


@dataclass(frozen=True, slots=True)
class TypeSummary:
    """One line of the table: a dispute type (or ``total``)."""

    type: str
    label: str
    count: int
    open: int
    resolved: int
    main_cause: Share | None
    main_remedy: Share | None
    by_bot: int
    csat_answered: int
    csat_sum: int

    @property
    def csat_average(self) -> Decimal | None:
        """The average score, half-up to one decimal; None when nobody answered."""
        if not self.csat_answered:
            return None
        return (Decimal(self.csat_sum) / self.csat_answered).quantize(_ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def resolved_percent(self) -> int | None:
        """The share resolved, in whole percent (half-up); None for no disputes."""
        if not self.count:
            return None
        return int((Decimal(100 * self.resolved) / self.count).quantize(Decimal(1), ROUND_HALF_UP))

    def as_json(self) -> dict[str, Any]:
        average = self.csat_average
        return {
            "type": self.type, "label": self.label, "count": self.count, "open": self.open, "resolved": self.resolved,
            "resolved_percent": self.resolved_percent,
            "main_cause": self.main_cause.as_json() if self.main_cause else None,
            "main_remedy": self.main_remedy.as_json() if self.main_remedy else None,
            "by_bot": self.by_bot,
            "csat": {"average": float(average) if average is not None else None, "answered": self.csat_answered},
        }


@dataclass(frozen=True, slots=True)
class WeekCount:
    """How many disputes of each type began in one ISO week (in the shop's time zone)."""

    week: str  # 2026-W47
    starts: dt.date  # its Monday
    counts: tuple[int, ...]  # in the order of DisputeReport.types

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class DisputeReport:
    """The table (one :class:`TypeSummary` per type, then the total), the weekly trend and the latest cases."""

    since: dt.datetime
    until: dt.datetime
    zone: str
    rows: tuple[TypeSummary, ...]
    total: TypeSummary
    weeks: tuple[WeekCount, ...]
    recent: tuple[RecentDispute, ...] = ()

    @property
    def days(self) -> int:
        return round((self.until - self.since) / dt.timedelta(days=1))

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(row.type for row in self.rows)

    def as_json(self) -> dict[str, Any]:
        return {
            "days": self.days, "since": self.since.isoformat(), "until": self.until.isoformat(), "timezone": self.zone,
            "types": [row.as_json() for row in self.rows],
            "total": self.total.as_json(),
            "weeks": [
                {"week": w.week, "starts": w.starts.isoformat(), "counts": dict(zip(self.types, w.counts, strict=True)),
                 "total": w.total}
                for w in self.weeks
            ],
            "recent": [
                {"id": r.id, "type": r.type, "status": r.status, "created_at": r.created_at.isoformat(),
                 "cause": _label(SUBTYPE_LABELS, r.subtype), "words": r.words,
                 "remedy": _label(REMEDIES, r.remedy), "note": r.note, "resolved_by": r.resolved_by, "csat": r.csat}
                for r in self.recent
            ],
        }


# ------------------------------------------------------------------ the summary (pure)


def summarise(
    rows: Iterable[DisputeRow], *, since: dt.datetime, until: dt.datetime, zone: ZoneInfo,
    recent: Sequence[RecentDispute] = (),
) -> DisputeReport:
    """The table and the weekly trend of ``rows`` (the disputes opened from ``since`` to ``until``).

    Every known type has its line even without disputes, so no input gives a table of zeros, not an empty one;
    a type the shop does not know (should a row carry one) gets a line of its own after them.
    """
    rows = list(rows)
    types = [*DISPUTE_TYPES, *sorted({r.type for r in rows} - set(DISPUTE_TYPES))]
    lines = tuple(_summary(t, TYPE_LABELS.get(t, t), [r for r in rows if r.type == t]) for t in types)
    return DisputeReport(
        since=since, until=until, zone=zone.key, rows=lines, total=_summary(TOTAL, "合计", rows),
        weeks=_weeks(rows, types, since, until, zone), recent=tuple(recent),
    )


def _summary(kind: str, label: str, rows: Sequence[DisputeRow]) -> TypeSummary:
    resolved = [r for r in rows if r.status == "resolved"]
    scores = [r.csat for r in rows if r.csat is not None]
    return TypeSummary(
        type=kind, label=label, count=len(rows), open=len(rows) - len(resolved), resolved=len(resolved),
        main_cause=_most_frequent([r.subtype for r in rows], SUBTYPE_LABELS, len(rows)),
        main_remedy=_most_frequent([r.remedy for r in resolved], REMEDIES, len(resolved)),
        by_bot=sum(1 for r in resolved if r.by_bot),
        csat_answered=len(scores), csat_sum=sum(scores),
    )


def _most_frequent(keys: Iterable[str | None], labels: Mapping[str, str], of: int) -> Share | None:
    """The most frequent key (None is not a candidate); a tie goes to the one listed first in ``labels``."""
    counts = Counter(k for k in keys if k)
    if not counts:
        return None
    order = {key: i for i, key in enumerate(labels)}
    key = min(counts, key=lambda k: (-counts[k], order.get(k, len(order)), k))
    return Share(key, _label(labels, key) or key, counts[key], of)


def _weeks(
    rows: Sequence[DisputeRow], types: Sequence[str], since: dt.datetime, until: dt.datetime, zone: ZoneInfo
) -> tuple[WeekCount, ...]:
    """Every ISO week from the one holding ``since`` to the one holding ``until`` (or a later dispute), in order."""

    def monday(moment: dt.datetime) -> dt.date:
        day = moment.astimezone(zone).date()
        return day - dt.timedelta(days=day.weekday())

    first = monday(since)
    last = max([monday(until), *(monday(r.created_at) for r in rows)])
    counts: Counter[tuple[dt.date, str]] = Counter((monday(r.created_at), r.type) for r in rows)
    weeks = []
    start = first
    while start <= last:
        iso = start.isocalendar()
        weeks.append(WeekCount(f"{iso.year}-W{iso.week:02d}", start, tuple(counts[start, t] for t in types)))
        start += dt.timedelta(days=7)
    return tuple(weeks)


def _label(labels: Mapping[str, str], key: str | None) -> str | None:
    return labels.get(key, key) if key else None


# ------------------------------------------------------------------ reading the disputes (units of work)


_SUBTYPE = Dispute.details["subtype"].as_string()
_REMEDY = Dispute.details[("resolution", "remedy")].as_string()
_BY = Dispute.details[("resolution", "by")].as_string()
_CSAT = Dispute.details[("csat", "score")].as_float()


def read_disputes(session: Session, since: dt.datetime) -> list[DisputeRow]:
    """Every dispute opened at or after ``since``, oldest first: its type, status, time, and the four fields of
    ``details`` the summary reads (sub-type, remedy, who settled it, satisfaction score) — no customer text."""
    result = session.execute(
        select(Dispute.type, Dispute.status, Dispute.created_at, _SUBTYPE, _REMEDY, _BY, _CSAT)
        .where(Dispute.created_at >= since.astimezone(dt.UTC)).order_by(Dispute.created_at, Dispute.id)
    )
    return [
        DisputeRow(kind, status, as_utc(created), subtype or None, remedy or None, by == "bot", _score(csat))
        for kind, status, created, subtype, remedy, by, csat in result
    ]


def read_recent(session: Session, since: dt.datetime, limit: int = RECENT) -> list[RecentDispute]:
    """The latest ``limit`` disputes opened at or after ``since``, newest first, with the customer's opening words
    and the resolution's note (each cut to 80 characters)."""
    result = session.execute(
        select(Dispute.id, Dispute.type, Dispute.status, Dispute.created_at, Dispute.opening_message, _SUBTYPE,
               _REMEDY, Dispute.details[("resolution", "note")].as_string(), _BY,
               Dispute.details[("resolution", "resolved_by")].as_string(), _CSAT)
        .where(Dispute.created_at >= since.astimezone(dt.UTC))
        .order_by(Dispute.created_at.desc(), Dispute.id.desc()).limit(limit)
    )
    return [
        RecentDispute(ident, kind, status, as_utc(created), subtype or None, _cut(words or ""), remedy or None,
                      _cut(note or ""), "bot" if by == "bot" else agent or None, _score(csat))
        for ident, kind, status, created, words, subtype, remedy, note, by, agent, csat in result
    ]


def read_report(
    since: dt.datetime, until: dt.datetime, zone: ZoneInfo, session: Session
) -> DisputeReport:
    """The report of the disputes opened from ``since`` to ``until``, read in one transaction."""
    return summarise(read_disputes(session, since), since=since, until=until, zone=zone,
                     recent=read_recent(session, since))


async def dispute_report(db: Database, days: int, now: dt.datetime, zone: ZoneInfo) -> DisputeReport:
    """The report of the last ``days`` days up to ``now``.

    Raises:
        BadRequest: ``days`` is not 1–366.
        StorageError: the database failed.
    """
    since = as_utc(now) - dt.timedelta(days=check_days(days))
    return await db.run(partial(read_report, since, as_utc(now), zone))


def check_days(days: int) -> int:
    """``days`` when it is a period the report covers (1–366 days).

    Raises:
        BadRequest: with the reason.
    """
    if not 1 <= days <= MAX_DAYS:
        raise BadRequest(f"days must be a whole number from 1 to {MAX_DAYS}")
    return days


def _score(value: float | None) -> int | None:
    """A stored satisfaction score, when it is one of 1–5 (anything else was not an answer)."""
    if value is None or not 1 <= value <= 5 or value != int(value):  # NaN fails the range test first
        return None
    return int(value)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= WORDS else text[: WORDS - 1] + "…"


# ------------------------------------------------------------------ laying it out


HEADERS = ("类型", "数量", "处理中", "已解决", "主要原因", "主要补救", "机器人解决", "满意度", "解决率")
_NUMERIC = frozenset({1, 2, 3, 6, 8})  # right-aligned columns


def table_cells(row: TypeSummary) -> tuple[str, ...]:
    """One line of the table as text, in the order of :data:`HEADERS`."""
    average = row.csat_average
    percent = row.resolved_percent
    return (
        row.label, str(row.count), str(row.open), str(row.resolved),
        str(row.main_cause) if row.main_cause else "—",
        str(row.main_remedy) if row.main_remedy else "—",
        str(row.by_bot),
        f"{average}（{row.csat_answered} 人评分）" if average is not None else "未评分",
        f"{percent}%" if percent is not None else "—",
    )


def render_text(report: DisputeReport) -> str:
    """The report as aligned plain text (Chinese characters count two columns), for a terminal."""
    zone = ZoneInfo(report.zone)
    lines = [
        f"纠纷复盘 · 最近 {report.days} 天（{report.since.astimezone(zone):%Y-%m-%d} 至 "
        f"{report.until.astimezone(zone):%Y-%m-%d}，{report.zone}）",
        "",
        *_aligned(HEADERS, [table_cells(r) for r in (*report.rows, report.total)], _NUMERIC),
        "",
        "每周趋势（ISO 周）",
        "",
        *_aligned(
            ("周", "起始日", *(TYPE_LABELS.get(t, t) for t in report.types), "合计"),
            [(w.week, f"{w.starts:%m-%d}", *map(str, w.counts), str(w.total)) for w in report.weeks],
            frozenset(range(2, len(report.types) + 3)),
        ),
    ]
    return "\n".join(lines) + "\n"


def _aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> list[str]:
    widths = [max(_width(cells[i]) for cells in (headers, *rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            gap = " " * (widths[i] - _width(cell))
            padded.append(gap + cell if i in right else cell + gap)
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(headers), rule, *(line(cells) for cells in rows)]


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


_STYLE = (
    "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f6f8;color:#222;margin:0;"
    "display:flex;justify-content:center;padding:6vh 16px}"
    "main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px 32px;"
    "max-width:1100px;width:100%;box-sizing:border-box}"
    "h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:28px 0 10px}a{color:#e4572e}"
    ".sub{color:#777;margin:0 0 16px;font-size:14px}.periods a,.periods strong{margin-right:12px}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:14px}"
    "th,td{padding:7px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top;white-space:nowrap}"
    "th{color:#555;font-weight:600;background:#fafafa}td.n,th.n{text-align:right;white-space:nowrap}"
    "tfoot td{font-weight:600;border-top:2px solid #ddd}.bar{display:inline-block;height:10px;"
    "background:#f2a48a;border-radius:3px;vertical-align:middle;margin-left:6px}"
    "td.words{white-space:normal;min-width:180px;max-width:320px}.muted{color:#999}nav{margin-top:24px;font-size:14px}nav a{margin-right:16px}"
)


def render_page(report: DisputeReport, shop: str) -> str:
    """The report as an HTML page (no script; every value HTML-escaped)."""
    e = html.escape
    zone = ZoneInfo(report.zone)
    days = report.days
    periods = "".join(
        f"<strong aria-current=\"page\">最近 {d} 天</strong>" if d == days else f'<a href="?days={d}">最近 {d} 天</a>'
        for d in PAGE_DAYS
    )
    head = "".join(
        f'<th class="n">{e(h)}</th>' if i in _NUMERIC else f"<th>{e(h)}</th>" for i, h in enumerate(HEADERS)
    )

    def cells(row: TypeSummary) -> str:
        return "".join(
            f'<td class="n">{e(c)}</td>' if i in _NUMERIC else f"<td>{e(c)}</td>"
            for i, c in enumerate(table_cells(row))
        )

    body = "".join(f"<tr>{cells(r)}</tr>" for r in report.rows)
    peak = max((w.total for w in report.weeks), default=0)
    week_head = "".join(f'<th class="n">{e(TYPE_LABELS.get(t, t))}</th>' for t in report.types)
    weeks = "".join(
        f"<tr><td>{e(w.week)}</td><td>{w.starts:%m-%d}</td>"
        + "".join(f'<td class="n">{c}</td>' for c in w.counts)
        + f'<td class="n">{w.total}</td><td>'
        + (f'<span class="bar" style="width:{round(160 * w.total / peak)}px"></span>' if peak and w.total else "")
        + "</td></tr>"
        for w in report.weeks
    )
    recent = "".join(_recent_row(r, zone) for r in report.recent) or (
        '<tr><td colspan="8" class="muted">这段时间没有纠纷。</td></tr>'
    )
    title = f"纠纷复盘 · {shop}"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f'<link rel="icon" href="data:,"><title>{e(title)}</title><style>{_STYLE}</style></head><body><main>'
        f"<h1>纠纷复盘</h1><p class=\"sub\">{e(shop)} · 最近 {days} 天（{report.since.astimezone(zone):%Y-%m-%d} 至 "
        f"{report.until.astimezone(zone):%Y-%m-%d}，{e(report.zone)}）· 按类型看数量、主要原因、补救方式和结果，"
        "找到该改进的地方（描述、包装、快递、付款、客服培训）。</p>"
        f'<p class="periods">{periods}</p>'
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        f"<tfoot><tr>{cells(report.total)}</tr></tfoot></table></div>"
        "<h2>每周趋势</h2>"
        f'<div class="scroll"><table><thead><tr><th>周</th><th>起始日</th>{week_head}<th class="n">合计</th><th></th>'
        f"</tr></thead><tbody>{weeks}</tbody></table></div>"
        f"<h2>最近的纠纷（最多 {RECENT} 条）</h2>"
        '<div class="scroll"><table><thead><tr><th>时间</th><th>类型</th><th>原因</th><th>顾客原话</th><th>状态</th>'
        f'<th>补救</th><th>备注</th><th class="n">评分</th></tr></thead><tbody>{recent}</tbody></table></div>'
        f'<nav><a href="/admin/api/disputes?days={days}">JSON</a><a href="/admin">管理后台</a>'
        '<a href="/agent">客服工作台</a></nav></main></body></html>'
    )


def _recent_row(case: RecentDispute, zone: ZoneInfo) -> str:
    e = html.escape
    by = "机器人" if case.resolved_by == "bot" else case.resolved_by
    remedy = _label(REMEDIES, case.remedy) or "—"
    cells = (
        f"{case.created_at.astimezone(zone):%m-%d %H:%M}", TYPE_LABELS.get(case.type, case.type),
        _label(SUBTYPE_LABELS, case.subtype) or "—", case.words, STATUS_LABELS.get(case.status, case.status),
        f"{remedy}（{by}）" if by and case.remedy else remedy, case.note or "—",
    )
    score = str(case.csat) if case.csat is not None else "—"
    return (
        "<tr>" + "".join(f'<td class="words">{e(c)}</td>' if i in (3, 6) else f"<td>{e(c)}</td>"
                         for i, c in enumerate(cells))
        + f'<td class="n">{e(score)}</td></tr>'
    )


# ------------------------------------------------------------------ HTTP


async def _report(request: web.Request) -> DisputeReport:
    """:raise 400: (JSON ``{"error"}``) ``days`` is not a whole number from 1 to 366."""
    raw = request.query.get("days", str(DEFAULT_DAYS))
    if not raw.isascii() or not raw.isdigit() or len(raw) > 3:
        raise BadRequest(f"days must be a whole number from 1 to {MAX_DAYS}")
    services = request.app[SERVICES]
    return await dispute_report(services.db, int(raw), request.app[CLOCK](), ZoneInfo(services.settings.timezone))


async def page(request: web.Request) -> web.StreamResponse:
    """``GET /admin/disputes[?days=N]``: the report as a page.

    :raise 400: (JSON ``{"error"}``) ``days`` is not a whole number from 1 to 366.
    """
    shown = await _report(request)
    return html_page(render_page(shown, request.app[SERVICES].settings.shop_name))


async def data(request: web.Request) -> web.StreamResponse:
    """``GET /admin/api/disputes[?days=N]``: the report as JSON (:meth:`DisputeReport.as_json`).

    :raise 400: (JSON ``{"error"}``) ``days`` is not a whole number from 1 to 366.
    """
    return json_response((await _report(request)).as_json(), headers={"Cache-Control": "no-store"})


def setup_routes(app: web.Application) -> None:
    """Add ``GET /admin/disputes`` (the page) and ``GET /admin/api/disputes`` (JSON), both ``?days=`` (default 30).

    They sit under ``/admin``: the guard of :mod:`bot.desk.guard` sends a browser without a login to ``/login`` and
    refuses an agent (403).
    """
    app.router.add_get("/admin/disputes", page)
    app.router.add_get("/admin/api/disputes", data)
