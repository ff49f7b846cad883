"""The typed conversation state reads and writes exactly what the database and the slots' JSON hold."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bot.conversation import Intake, Pending, Slots, Stage, Status, dump_slots, load_slots
from models import STAGES, STATUSES
from tests.conftest import ROOT

CONVERSATION = ROOT / "bot" / "conversation"


def test_the_stage_and_status_enums_are_the_columns_values() -> None:
    # A stored row whose stage or status the flow has no member for could not be read back.
    assert [stage.value for stage in Stage] == list(STAGES)
    assert [status.value for status in Status] == list(STATUSES)


def test_an_enum_member_is_stored_as_the_plain_string_it_replaced() -> None:
    slots = {"pending": Pending.READBACK, "stage": Stage.CONFIRM_ORDER}
    assert json.dumps(slots) == json.dumps({"pending": "readback", "stage": "confirm_order"})
    assert Pending("dispute_check") is Pending.DISPUTE_CHECK
    assert "size" in frozenset({Pending.SIZE}) and Pending.SIZE in {"size": 1}


STORED = json.loads((Path(__file__).parent / "stored_slots.json").read_text("utf-8"))


@pytest.mark.parametrize("row", STORED, ids=lambda row: f"{row['stage']}-{row['status']}")
def test_a_row_written_before_the_typed_state_loads_and_is_written_back_unchanged(row: dict[str, str]) -> None:
    # Conversation rows written by the flow before the typed state (taken from the QA shoppers' database):
    # read into the typed state and written back, the JSON is the same text, byte for byte.
    slots = load_slots(json.loads(row["slots"]))
    if slots.get("pending") is not None:
        assert isinstance(slots["pending"], Pending)
    assert json.dumps(dump_slots(slots)) == row["slots"]
    assert Stage(row["stage"]) == row["stage"] and Status(row["status"]) == row["status"]


def test_the_stored_rows_cover_the_slots_and_the_intake() -> None:
    seen = {key for row in STORED for key in json.loads(row["slots"])}
    intake = {key for row in STORED for key in json.loads(row["slots"]).get("intake", {})}
    assert {"pending", "lines", "ordered", "intake", "people", "invoice"} <= seen and {"kind", "asked"} <= intake


def _keys_used(names: set[str]) -> set[str]:
    # The string keys the conversation modules read or write on the slots (``state["x"]``, ``s.get("x")``,
    # ``d.slots.pop("x")``) or, for the intake, on ``it`` / ``intake``.
    found: set[str] = set()
    for path in CONVERSATION.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            target, key = None, None
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                target, key = node.value, node.slice.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                    and node.func.attr in ("get", "pop", "setdefault") and isinstance(node.args[0], ast.Constant):
                target, key = node.func.value, node.args[0].value
            if isinstance(key, str) and ast.unparse(target) in names if target is not None else False:
                found.add(key)
    return found


def test_every_slot_the_flow_uses_is_declared_in_the_typed_state() -> None:
    # A new slot must be declared (with its type) in Slots or Intake, or the typed state no longer says what
    # a conversation row holds.
    slots = _keys_used({"state", "slots", "s", "d.slots"})
    intake = _keys_used({"it", "intake"})
    assert len(slots) > 40 and len(intake) > 5
    assert slots - set(Slots.__annotations__) == set()
    assert intake - set(Intake.__annotations__) == set()
