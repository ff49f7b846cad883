"""Learning from disputes (DOMAIN.md, 纠纷复盘): the summary table — type | count | main cause | remedy used |
outcome — and its weekly trend; pure on hand-built rows, then end to end: disputes made through the REST channel,
resolved in the console, read by an admin as JSON and as a page (an agent is refused), and printed by
``python -m bot disputes`` — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import random
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import SERVICES
from bot.admin.report import (
    HEADERS,
    DisputeReport,
    DisputeRow,
    RecentDispute,
    Share,
    read_disputes,
    render_page,
    render_text,
    summarise,
)
from models import Conversation, Customer, Database, Dispute, utcnow
from tests.bot.desk.test_console import DISPUTE, Agent, Shop
from tests.conftest import ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNTIL = dt.datetime(2026, 11, 25, 4, 0, tzinfo=dt.UTC)  # a Wednesday, 12:00 in Shanghai
SINCE = UNTIL - dt.timedelta(days=30)


def row(kind: str = "product", status: str = "open", *, days_ago: float = 1, **fields: Any) -> DisputeRow:
    return DisputeRow(kind, status, UNTIL - dt.timedelta(days=days_ago), **fields)


def report_of(rows: list[DisputeRow], **kwargs: Any) -> DisputeReport:
    return summarise(rows, since=SINCE, until=UNTIL, zone=SHANGHAI, **kwargs)


def line(report: DisputeReport, kind: str) -> Any:
    return report.total if kind == "total" else next(r for r in report.rows if r.type == kind)


# ------------------------------------------------------------------ the summary, on hand-built rows


def test_each_type_gets_its_count_cause_remedy_and_outcome_and_the_total_adds_up() -> None:
    rows = [
        row(subtype="damaged", status="resolved", remedy="partial_refund_gift", csat=5),
        row(subtype="damaged", status="resolved", remedy="partial_refund_gift", csat=4),
        row(subtype="damaged", status="resolved", remedy="exchange"),  # never answered the follow-up
        row(subtype="damaged"),
        row(subtype="size"),
        row(),  # the intake never learned what happened
        row("logistics", "resolved", subtype="late", remedy="coupon", by_bot=True, csat=3),
        row("logistics", "resolved", subtype="late", remedy="coupon", by_bot=True),
        row("logistics", "resolved", subtype="lost", remedy="reship", csat=2),
        row("payment", subtype="charged_twice"),
    ]
    report = report_of(rows)

    assert [r.label for r in report.rows] == ["商品", "物流", "付款", "服务"]
    product = line(report, "product")
    assert (product.count, product.open, product.resolved) == (6, 3, 3)
    assert product.main_cause == Share("damaged", "商品有破损或质量问题", 4, 6), "the share is of all six"
    assert product.main_remedy == Share("partial_refund_gift", "部分退款并赠送小礼物", 2, 3)
    assert product.by_bot == 0
    assert (product.csat_average, product.csat_answered) == (Decimal("4.5"), 2), "the unanswered one is left out"
    assert product.resolved_percent == 50

    logistics = line(report, "logistics")
    assert str(logistics.main_cause) == "迟迟没有收到 2/3"
    assert str(logistics.main_remedy) == "优惠券补偿 2/3" and logistics.by_bot == 2
    assert (logistics.csat_average, logistics.resolved_percent) == (Decimal("2.5"), 100)

    payment, service = line(report, "payment"), line(report, "service")
    assert (payment.count, payment.main_remedy, payment.csat_average, payment.resolved_percent) == (1, None, None, 0)
    assert (service.count, service.main_cause, service.resolved_percent) == (0, None, None)

    total = report.total
    assert (total.label, total.count, total.open, total.resolved, total.by_bot) == ("合计", 10, 4, 6, 2)
    assert total.main_cause == Share("damaged", "商品有破损或质量问题", 4, 10)
    assert (total.csat_average, total.csat_answered) == (Decimal("3.5"), 4)
    assert sum(r.count for r in report.rows) == total.count


def test_a_tie_goes_to_the_label_listed_first_whatever_the_order_of_the_rows() -> None:
    rows = [
        row(subtype="size", status="resolved", remedy="reship"),
        row(subtype="wrong_item", status="resolved", remedy="exchange"),
        row(subtype="size", status="resolved", remedy="exchange"),
        row(subtype="wrong_item", status="resolved", remedy="reship"),
    ]
    for _ in range(10):
        random.shuffle(rows)
        product = line(report_of(rows), "product")
        # SUBTYPE_LABELS lists wrong_item before size; REMEDIES lists exchange before reship.
        assert product.main_cause == Share("wrong_item", "发错货", 2, 4)
        assert product.main_remedy == Share("exchange", "换货", 2, 4)


def test_an_average_is_rounded_half_up_to_one_decimal() -> None:
    rows = [row(status="resolved", remedy="refund", csat=score) for score in (4, 4, 5, 4)]  # 4.25
    assert line(report_of(rows), "product").csat_average == Decimal("4.3")
    rows = [row(status="resolved", remedy="refund", csat=score) for score in (1, 2, 2)]  # 1.666…
    assert line(report_of(rows), "product").csat_average == Decimal("1.7")


def test_no_disputes_give_a_table_of_zeros_not_an_empty_one() -> None:
    report = report_of([])
    assert [(r.type, r.count, r.main_cause, r.main_remedy, r.csat_average, r.resolved_percent) for r in report.rows] == [
        (kind, 0, None, None, None, None) for kind in ("product", "logistics", "payment", "service")
    ]
    assert report.total.count == 0 and report.days == 30
    assert report.weeks and all(w.total == 0 for w in report.weeks)
    data = json.loads(json.dumps(report.as_json()))
    assert data["total"]["count"] == 0 and data["total"]["csat"] == {"average": None, "answered": 0}
    assert [t["label"] for t in data["types"]] == ["商品", "物流", "付款", "服务"] and data["recent"] == []
    text = render_text(report)
    assert "未评分" in text and "合计" in text
    page = render_page(report, "暖暖衣橱")
    assert "这段时间没有纠纷" in page


def test_the_trend_counts_each_iso_week_of_the_shops_time_zone() -> None:
    # Sunday 23:30 in Shanghai (15:30 UTC) is week 47; Monday 00:30 in Shanghai (still Sunday, 16:30, in UTC) is
    # week 48: the week turns at the shop's midnight, not at UTC's.
    sunday_late = dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC)
    monday_early = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC)
    rows = [
        DisputeRow("product", "open", sunday_late),
        DisputeRow("logistics", "open", monday_early),
        DisputeRow("logistics", "open", monday_early + dt.timedelta(hours=1)),
        DisputeRow("payment", "open", SINCE + dt.timedelta(hours=1)),
    ]
    report = report_of(rows)
    weeks = {w.week: w for w in report.weeks}
    assert list(weeks) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert weeks["2026-W47"].counts == (1, 0, 0, 0) and weeks["2026-W47"].starts == dt.date(2026, 11, 16)
    assert weeks["2026-W48"].counts == (0, 2, 0, 0)
    assert weeks["2026-W44"].counts == (0, 0, 1, 0), "the first week is the one holding the start of the period"
    assert sum(w.total for w in report.weeks) == 4
    data = report.as_json()["weeks"][-1]
    assert data == {"week": "2026-W48", "starts": "2026-11-23",
                    "counts": {"product": 0, "logistics": 2, "payment": 0, "service": 0}, "total": 2}


def test_a_type_the_shop_does_not_know_gets_its_own_line_so_the_total_still_adds_up() -> None:
    report = report_of([row(), row("warranty")])
    assert [r.type for r in report.rows] == ["product", "logistics", "payment", "service", "warranty"]
    assert line(report, "warranty").label == "warranty" and report.total.count == 2
    assert all(len(w.counts) == 5 for w in report.weeks)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def test_the_text_table_is_aligned_with_chinese_headers() -> None:
    rows = [row(subtype="damaged", status="resolved", remedy="partial_refund_gift", csat=5),
            row("logistics", "resolved", subtype="late", remedy="coupon", by_bot=True)]
    text = render_text(report_of(rows))
    lines = text.splitlines()
    header = next(i for i, text_line in enumerate(lines) if text_line.startswith("类型"))
    table = lines[header:header + 7]
    assert table[0].split() == list(HEADERS)
    assert [t.split()[0] for t in table[2:]] == ["商品", "物流", "付款", "服务", "合计"]
    # Every column starts at the same display column on every line (Chinese characters are two columns wide).
    cause_at = _width(table[0][: table[0].index("主要原因")])
    for text_line, cause in zip(table[2:], ["商品有破损或质量问题 1/1", "迟迟没有收到 1/1", "—", "—",
                                            "商品有破损或质量问题 1/2"], strict=True):
        assert _width(text_line[: text_line.index(cause)]) == cause_at, text_line
    assert "5.0（1 人评分）" in table[2] and "100%" in table[2]
    assert "优惠券补偿 1/1" in table[3]
    assert "每周趋势" in text


def test_the_page_escapes_every_customer_and_agent_word() -> None:
    case = RecentDispute(
        7, "product", "resolved", UNTIL, "<b>odd</b>", '<script>alert("x")</script>衣服破了', "<img src=x>",
        "note <i>x</i> & co", "<agent>", 2,
    )
    page = render_page(report_of([row(subtype="<b>odd</b>", status="resolved", remedy="<img src=x>")], recent=[case]),
                       'Shop "<x>"')
    assert "<script>" not in page and "<b>" not in page and "<img" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;衣服破了" in page
    assert "note &lt;i&gt;x&lt;/i&gt; &amp; co" in page and "&lt;agent&gt;" in page
    assert "Shop &quot;&lt;x&gt;&quot;" in page


# ------------------------------------------------------------------ end to end, through the real channels


async def _resolve(agent: Agent, conv: int, payload: dict[str, Any]) -> None:
    assert (await agent.take(conv))[0] == 200
    status, body = await agent.post_json(f"/agent/api/conversations/{conv}/resolve", payload)
    assert status == 200, body


async def test_an_admin_reads_the_summary_of_disputes_customers_raised(shop: Shop) -> None:
    await shop.say("c-hole", DISPUTE)  # 收到的衣服有个洞，质量太差了
    await shop.say("c-late", "快递一直没到")
    await shop.say("c-twice", "我付了两次钱")
    await shop.say("c-shopper", "有T恤吗")  # not a dispute
    alice = await shop.agent("alice")
    hole = await shop.conversation_of("c-hole")
    await _resolve(alice, hole.id, {"remedy": "partial_refund_gift", "amount": 20, "note": "破洞，留用"})
    # The follow-up a day later, and the customer's score.
    shop.clock.advance(days=1, seconds=1)
    assert await shop.customers.server.app[SERVICES].followups.run_due() == 1
    await shop.say("c-hole", "5分 非常满意")

    boss = await shop.agent("boss", "admin")
    status, data = await boss.get_json("/admin/api/disputes?days=30")
    assert status == 200, data
    types = {t["type"]: t for t in data["types"]}
    assert data["days"] == 30 and data["timezone"] == "Asia/Shanghai"
    assert (data["total"]["count"], data["total"]["open"], data["total"]["resolved"]) == (3, 2, 1)
    product = types["product"]
    assert (product["count"], product["resolved"], product["resolved_percent"]) == (1, 1, 100)
    assert product["main_cause"] == {"key": "damaged", "label": "商品有破损或质量问题", "count": 1, "of": 1}
    assert product["main_remedy"]["label"] == "部分退款并赠送小礼物" and product["by_bot"] == 0
    assert product["csat"] == {"average": 5.0, "answered": 1}
    assert (types["logistics"]["count"], types["logistics"]["open"]) == (1, 1)
    assert types["logistics"]["main_cause"]["key"] == "late"
    assert types["payment"]["main_cause"]["key"] == "charged_twice"
    assert types["service"]["count"] == 0
    assert sum(w["total"] for w in data["weeks"]) == 3
    newest_first = [(r["type"], r["words"]) for r in data["recent"]]
    assert newest_first == [("payment", "我付了两次钱"), ("logistics", "快递一直没到"), ("product", DISPUTE)]
    assert data["recent"][2]["note"] == "破洞，留用" and data["recent"][2]["resolved_by"] == "alice"

    status, page = await boss.page("/admin/disputes")
    assert status == 200 and "纠纷复盘" in page
    assert "商品有破损或质量问题 1/1" in page and "部分退款并赠送小礼物 1/1" in page and "5.0（1 人评分）" in page
    assert '<strong aria-current="page">最近 30 天</strong>' in page and 'href="?days=90"' in page
    response = await boss.client.get("/admin/disputes?days=7", allow_redirects=False)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["Cache-Control"] == "no-store"
    assert '<strong aria-current="page">最近 7 天</strong>' in await response.text()
    status, home = await boss.page("/admin")
    assert status == 200 and 'href="/admin/disputes"' in home

    for bad in ("0", "367", "abc", "-5", "9999"):
        status, body = await boss.get_json(f"/admin/api/disputes?days={bad}")
        assert status == 400 and "days must be" in body["error"], bad


async def test_the_report_is_for_admins_only(shop: Shop) -> None:
    await shop.say("c-hole", DISPUTE)
    outsider = await shop.agent("nobody")
    outsider.forget_cookies()
    for path in ("/admin/disputes", "/admin/api/disputes"):
        assert (await outsider.page(path))[0] == 303, "no login: to the login page"
    alice = await shop.agent("alice")
    for path in ("/admin/disputes", "/admin/api/disputes?days=7"):
        status, page = await alice.page(path)
        assert status == 403 and "仅限管理员" in page and DISPUTE not in page


async def test_a_customers_and_an_agents_html_is_shown_as_text(shop: Shop) -> None:
    words = "<script>alert(1)</script>收到的衣服有个洞，质量太差了"
    await shop.say("c-xss", words)
    alice = await shop.agent("alice")
    conv = await shop.conversation_of("c-xss")
    await _resolve(alice, conv.id, {"remedy": "exchange", "note": '<img src=x onerror="alert(2)">换一件'})
    boss = await shop.agent("boss", "admin")
    status, page = await boss.page("/admin/disputes")
    assert status == 200
    assert "<script>" not in page and "<img" not in page
    assert html.escape(words) in page and html.escape('<img src=x onerror="alert(2)">换一件') in page
    status, data = await boss.get_json("/admin/api/disputes")
    assert data["recent"][0]["words"] == words, "JSON carries the words as they were; escaping is the page's job"


async def test_read_disputes_loads_only_the_period_on_both_databases(shop: Shop) -> None:
    await shop.say("c-hole", DISPUTE)
    await shop.db.run(_seed_old)
    since = shop.clock.now - dt.timedelta(days=30)
    rows = await shop.db.run(lambda session: read_disputes(session, since))
    assert [(r.type, r.subtype, r.status, r.remedy, r.by_bot, r.csat) for r in rows] == [
        ("product", "damaged", "open", None, False, None)
    ]
    assert rows[0].created_at.tzinfo is not None
    everything = await shop.db.run(lambda session: read_disputes(session, since - dt.timedelta(days=30)))
    assert [(r.type, r.remedy, r.by_bot, r.csat) for r in everything][0] == ("logistics", "coupon", True, 4)


# ------------------------------------------------------------------ the command line


def _seed_old(session: Session) -> None:
    """A dispute 40 days ago: the late-parcel coupon the bot gave by itself, scored 4."""
    customer = Customer(channel="rest", external_id="c-old")
    session.add(customer)
    session.flush()
    conversation = Conversation(customer_id=customer.id, slots={})
    session.add(conversation)
    session.flush()
    session.add(Dispute(
        conversation_id=conversation.id, customer_id=customer.id, type="logistics", status="resolved",
        opening_message="快递怎么还没到", created_at=utcnow() - dt.timedelta(days=40),
        details={"subtype": "late", "resolution": {"remedy": "coupon", "amount": "5", "note": "", "by": "bot",
                                                    "at": utcnow().isoformat()},
                 "csat": {"score": 4, "comment": None, "at": utcnow().isoformat()}},
    ))


def _seed_recent(session: Session) -> None:
    customer = Customer(channel="rest", external_id="c-new")
    session.add(customer)
    session.flush()
    conversation = Conversation(customer_id=customer.id, slots={})
    session.add(conversation)
    session.flush()
    for subtype, status, remedy in (("damaged", "resolved", "refund"), ("damaged", "open", None),
                                    ("size", "open", None)):
        details: dict[str, Any] = {"subtype": subtype}
        if remedy:
            details["resolution"] = {"remedy": remedy, "amount": "30", "note": "", "resolved_by": "alice",
                                     "resolved_by_id": 1, "resolved_at": utcnow().isoformat()}
        session.add(Dispute(conversation_id=conversation.id, customer_id=customer.id, type="product", status=status,
                            opening_message="衣服破了", details=details, created_at=utcnow() - dt.timedelta(days=2)))


async def test_python_m_bot_disputes_prints_the_table(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    db = Database(url)
    try:
        await db.migrate()
        await db.run(_seed_old)
        await db.run(_seed_recent)
    finally:
        await db.dispose()

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": url, "KEFU_VAR_DIR": str(tmp_path)}
        return subprocess.run([sys.executable, "-m", "bot", "disputes", *argv], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    month = run()
    assert month.returncode == 0, month.stderr
    lines = month.stdout.splitlines()
    assert lines[0].startswith("纠纷复盘 · 最近 30 天")
    assert lines[2].split() == list(HEADERS)
    by_label = {text_line.split()[0]: text_line for text_line in lines[4:9]}
    assert by_label["商品"].split()[:4] == ["商品", "3", "2", "1"]
    assert "商品有破损或质量问题 2/3" in by_label["商品"] and "退款 1/1" in by_label["商品"]
    assert by_label["物流"].split()[:2] == ["物流", "0"], "the 40-day-old dispute is outside the last 30 days"
    assert by_label["合计"].split()[:4] == ["合计", "3", "2", "1"]
    assert "每周趋势" in month.stdout

    quarter = run("--days", "90")
    assert quarter.returncode == 0, quarter.stderr
    logistics = next(text_line for text_line in quarter.stdout.splitlines() if text_line.startswith("物流"))
    assert "迟迟没有收到 1/1" in logistics and "优惠券补偿 1/1" in logistics and "4.0（1 人评分）" in logistics
    assert logistics.split()[8] == "1", "settled by the bot itself"  # 机器人解决

    refused = run("--days", "0")
    assert refused.returncode == 2 and "1 to 366" in refused.stderr
