"""The typed conversation state reads and writes exactly what the database and the slots' JSON hold."""

from __future__ import annotations

import json

from bot.conversation import Pending, Stage, Status
from models import STAGES, STATUSES


def test_the_stage_and_status_enums_are_the_columns_values() -> None:
    # A stored row whose stage or status the flow has no member for could not be read back.
    assert [stage.value for stage in Stage] == list(STAGES)
    assert [status.value for status in Status] == list(STATUSES)


def test_an_enum_member_is_stored_as_the_plain_string_it_replaced() -> None:
    slots = {"pending": Pending.READBACK, "stage": Stage.CONFIRM_ORDER}
    assert json.dumps(slots) == json.dumps({"pending": "readback", "stage": "confirm_order"})
    assert Pending("dispute_check") is Pending.DISPUTE_CHECK
    assert "size" in frozenset({Pending.SIZE}) and Pending.SIZE in {"size": 1}
