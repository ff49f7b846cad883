"""Slot extraction, case by case: 274 messages with what a careful person reads from each, written by a tester
who never saw the extraction code (tests/bot/data/slots.jsonl): mixed details in any order, units deciding what
a number is, several lines in one message, corrections, Traditional characters, typos and full-width digits.

Each case names the product in focus (or none) and the bot's open question; ``expect`` holds only what the
message says — every other detail must come back empty (a height is not a budget, a past purchase is not a
quantity)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot._catalogue import Catalogue, load_catalogue_file
from bot._slots import extract

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "slots.jsonl").read_text("utf-8").splitlines()]
CATALOGUE = Catalogue(load_catalogue_file())
BY_NAME = {p.name: p for p in CATALOGUE}
SCALARS = {"size": "size", "colour": "colour", "quantity": "quantity", "height_cm": "height", "weight_kg": "weight",
           "budget_yuan": "budget", "foot_mm": "foot", "phone": "phone", "name": "name"}
MEASURES = ("height", "weight", "budget", "foot")
# What the extraction does not read yet, with the reason (strict: a fix makes these fail until removed).
KNOWN_GAPS = {
    "哈哈哈 我老公说这个黑色显老": "an opinion about a colour is read as choosing it",
}


def _problems(case: dict[str, Any]) -> list[str]:
    product = BY_NAME[case["product"]] if case.get("product") else None
    found = extract(case["text"], product, expecting=case.get("asked"), catalogue=CATALOGUE)
    expect = case["expect"]
    problems = []
    for key, attr in SCALARS.items():
        got, want = getattr(found, attr), expect.get(key)
        if want is None:
            if got is not None:
                problems.append(f"{attr}: nothing expected, found {got!r}")
        elif not (abs(float(got) - float(want)) < 0.6 if attr in MEASURES and got is not None else got == want):
            problems.append(f"{attr}: expected {want!r}, found {got!r}")
    for key, attr in (("address_has", "address"), ("notes_has", "notes")):
        got = getattr(found, attr)
        if key in expect and not (got and expect[key] in got):
            problems.append(f"{attr}: expected to hold {expect[key]!r}, found {got!r}")
        if key not in expect and got:
            problems.append(f"{attr}: nothing expected, found {got!r}")
    want_items = sorted(str((i.get("colour"), i.get("size"), i.get("quantity", 1))) for i in expect.get("items") or [])
    got_items = sorted(str((i.colour, i.size, i.quantity)) for i in found.items)
    if want_items != got_items:
        problems.append(f"items: expected {want_items}, found {got_items}")
    return problems


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c["text"][:30], marks=[pytest.mark.xfail(reason=KNOWN_GAPS[c["text"]])]
                  if c["text"] in KNOWN_GAPS else []) for c in CASES],
)
def test_what_a_message_says_is_read_and_nothing_else(case: dict[str, Any]) -> None:
    problems = _problems(case)
    assert not problems, f"{case['text']} ({case.get('why', '')}): " + "; ".join(problems)


def test_the_table_is_big_and_varied() -> None:
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if c["expect"].get("items")) >= 20
    assert sum(1 for c in CASES if "foot_mm" in c["expect"]) >= 10
    assert sum(1 for c in CASES if not c["expect"]) >= 10, "messages whose numbers are no detail at all"


@pytest.mark.parametrize(
    ("text", "address", "name", "phone", "notes"),
    [
        # found in the QA pass (docs/QA.md): labels glued into a voice-typed address, an empty 备注
        ("地址是江苏省南京市鼓楼区中山北路二百零八号三单元五零二收件人周建国电话一三九五一六七八九零二",
         "江苏省南京市鼓楼区中山北路二百零八号三单元五零二", "周建国", "13951678902", None),
        ("记得备注哈", None, None, None, None),
        ("货到了先打电话 放门卫", None, None, None, "货到了先打电话；放门卫"),
    ],
)
def test_contact_details_found_in_the_qa_pass(
    text: str, address: str | None, name: str | None, phone: str | None, notes: str | None
) -> None:
    found = extract(text, expecting="address")
    assert (found.address, found.name, found.phone, found.notes) == (address, name, phone, notes)
