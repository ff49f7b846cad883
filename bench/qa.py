"""Shoppers played through a real server, as a shop's backend would: ``POST /api/messages`` for each message,
the bot's questions answered from the shopper's facts, the orders read back from ``GET /api/shipping``.

    python -m bench.qa [SHOPPERS.json] [--out TRANSCRIPTS.md] [--only S01,S02]

The shoppers (bench/data/shoppers.json) were written from personas by a tester who never saw the code: what
they type on their own, how they answer if asked (size, colour, quantity, address, confirm, which order), and
what they should end with (the order lines, notes, whether a person must take over). The harness checks what
a program can — the order, the notes, the escalation — and writes every transcript for a person to judge the
rest (was each question answered, was anything claimed that did not happen).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.__main__ import serving
from bot.conversation import simplify

ROOT = Path(__file__).resolve().parent.parent
SHOPPERS = ROOT / "bench" / "data" / "shoppers.json"
ORDER_NO = re.compile(r"KF\d{8,14}")
MAX_ANSWERS = 6  # answers from the facts between two of the shopper's own messages (a loop guard)


@dataclass
class Played:
    shopper: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    loops: int = 0
    tasks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def escalated(self) -> bool:
        return any(s in ("waiting_agent", "agent") for s in self.statuses)


def _question(replies: list[dict[str, Any]]) -> str | None:
    """What the bot's last reply asks for, by its words and buttons (None: nothing the facts answer)."""
    last = replies[-1]["text"] if replies else ""
    buttons = [b for r in replies for b in r["buttons"]]
    if "确认无误" in buttons or "核对" in last:
        return "confirm"
    if "不是这些订单" in buttons or "哪个订单" in last or "哪一单" in last:
        return "which_order"
    if re.search(r"(发一下|发我|发给我|告诉我|提供|填写?一下|留一下|请问)[^。！？!?]{0,12}(地址|收货人)", last) \
            and not re.search(r"退货地址", last):  # (a reply that only mentions the address asks for nothing)
        return "address"
    if re.search(r"手机号|电话", last) and "?" not in last[-2:]:
        return "phone"
    if re.search(r"什么颜色|哪个颜色|颜色呢|选个颜色", last):
        return "colour"
    if re.search(r"什么码|哪个码|尺码呢|选哪个码|几码|码数呢|要什么尺码|哪个尺码", last):
        return "size"
    if re.search(r"几件|要几|数量", last):
        return "quantity"
    return None


async def _play(http: aiohttp.ClientSession, base: str, shopper: dict[str, Any]) -> Played:
    played = Played(shopper)
    customer = f"qa-{shopper['id']}"
    facts = shopper.get("facts") or {}
    asked: Counter[object] = Counter()

    async def say(text: str) -> list[dict[str, Any]]:
        async with http.post(f"{base}/api/messages", json={"customer": customer, "text": text}) as response:
            body = await response.json()
        played.lines.append(f"- **客** {text}")
        for reply in body.get("replies", []):
            buttons = f"  〔{' | '.join(reply['buttons'])}〕" if reply.get("buttons") else ""
            played.lines.append(f"  - 机 {reply['text']}{buttons}".replace("\n", " / "))
            played.orders += ORDER_NO.findall(reply["text"])
        played.statuses.append(body.get("status", "?"))
        played.lines.append(f"  - _({body.get('intent')} · {body.get('stage')} · {body.get('status')})_")
        return list(body.get("replies", []))

    for turn in shopper["turns"]:
        replies = await say(turn)
        for _ in range(MAX_ANSWERS):
            question = _question(replies)
            if question is None or question not in facts and question not in ("phone", "confirm"):
                break
            # the same question in the same words three times is a loop; a new read-back is answered again
            asked[(question, replies[-1]["text"] if replies else "")] += 1
            asked[question] += 1
            if asked[(question, replies[-1]["text"] if replies else "")] > 3 or asked[question] > 8:
                played.loops += 1
                break
            answer = facts.get(question) or (facts.get("address") if question == "phone" else None) or "确认"
            replies = await say(answer)
    return played


async def _orders(http: aiohttp.ClientSession, base: str) -> dict[str, dict[str, Any]]:
    tasks: dict[str, dict[str, Any]] = {}
    for status in ("queued", "intercepted", "shipped"):
        async with http.get(f"{base}/api/shipping", params={"status": status}) as response:
            for task in (await response.json())["tasks"]:
                tasks[task["order_no"]] = task
    return tasks


def _check(played: Played) -> list[str]:
    """What a program can tell of the outcome: the order lines, the notes, the escalation."""
    expect = played.shopper["expect"]
    problems = []
    want = sorted((line["product"], line.get("colour"), line.get("size"), int(line.get("quantity", 1)))
                  for line in expect.get("order") or [])
    got = sorted((i["name"], i.get("colour"), i.get("size"), int(i["quantity"])) for t in played.tasks for i in t["items"])
    if want != got:
        problems.append(f"order: expected {want or 'none'}, got {got or 'none'}")
    # (a note is kept as the customer wrote it — 禮盒 in Traditional is the 礼盒 asked for)
    # (and a place written into the address — "…32楼前台" — is where the parcel goes, as a note would say)
    notes = simplify(" ".join(f"{t.get('notes') or ''} {t.get('address') or ''}" for t in played.tasks))
    problems += [f"note missing: {n}" for n in expect.get("notes_has") or [] if simplify(n) not in notes]
    if bool(expect.get("escalated")) != played.escalated:
        problems.append("expected a person to take over" if expect.get("escalated") else "queued for a person without reason")
    if played.loops:
        problems.append(f"the bot asked the same question over and over ({played.loops}×)")
    return problems


async def run(shoppers: list[dict[str, Any]]) -> list[str]:
    """Play every shopper; print each one's check and the buyers' count; return the transcripts (Markdown lines)."""
    async with serving() as (base, _process, _cold), aiohttp.ClientSession() as http:
        played = [await _play(http, base, s) for s in shoppers]
        tasks = await _orders(http, base)
    report = ["# QA transcripts", ""]
    buyers = bought = lines_only = 0
    for p in played:
        p.tasks = [tasks[no] for no in dict.fromkeys(p.orders) if no in tasks]
        problems = _check(p)
        s = p.shopper
        if s["expect"].get("order"):
            buyers += 1
            bought += not any(x.startswith(("order", "note")) for x in problems)  # the "exactly": notes too
            lines_only += not any(x.startswith("order") for x in problems)
        verdict = "ok" if not problems else "; ".join(problems)
        print(f"{s['id']}: {verdict}")
        report += [f"## {s['id']} — {s['persona']}", "", f"Goal: {s['goal']}", "", *p.lines, "",
                   f"Checked: {verdict}", "", f"Must answer: {'; '.join(s['expect'].get('must_answer') or [])}", "",
                   f"Must not: {'; '.join(s['expect'].get('must_not') or [])}", ""]
    print(f"buyers who got exactly the order they asked for (lines and notes): {bought} of {buyers}"
          f" (lines right, notes not checked: {lines_only})")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.qa")
    parser.add_argument("shoppers", nargs="?", type=Path, default=SHOPPERS)
    parser.add_argument("--out", type=Path, default=None, help="write the transcripts (Markdown) here")
    parser.add_argument("--only", default="", help="comma-separated shopper ids")
    args = parser.parse_args()
    shoppers = json.loads(args.shoppers.read_text("utf-8"))
    if args.only:
        wanted = set(args.only.split(","))
        shoppers = [s for s in shoppers if s["id"] in wanted]
    report = asyncio.run(run(shoppers))
    if args.out is not None:
        args.out.write_text("\n".join(report) + "\n", "utf-8")


if __name__ == "__main__":
    main()
