"""The one dispute record: what each writer adds, in the shape every reader reads, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bot.engine.records import Csat, DisputeRecord, Resolution

AT = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)


def test_a_record_grows_from_the_opening_words_to_the_score_and_is_stored_as_it_reads() -> None:
    record = DisputeRecord.opening("收到的衣服破了！！", AT)
    assert (record.intake, [f.text for f in record.facts]) == ("listening", ["收到的衣服破了！！"])
    calm = record.emotion
    record = record.noted(at=AT, fact="太差了，气死我了", subtype="damaged", done=True)
    record = record.noted(at=AT, expectation="exchange")  # nothing said again is lost
    assert (record.subtype, record.expectation, record.intake, len(record.facts)) == ("damaged", "exchange", "done", 2)
    assert record.emotion is not None and calm is not None and record.emotion.score > calm.score, "scored on all words"
    record = record.settled(Resolution.by_bot("coupon", "10", "晚到补偿", AT)).scored(Csat(score=4, comment=None, at=AT))

    stored = record.as_json()
    assert stored["facts"][0] == {"text": "收到的衣服破了！！", "at": "2026-12-01T08:30:00+00:00"}
    assert stored["resolution"]["by"] == "bot" and stored["resolution"]["resolved_by"] is None
    assert stored["csat"] == {"score": 4, "comment": None, "at": "2026-12-01T08:30:00+00:00"}
    assert DisputeRecord.of(stored) == record


def test_an_agent_resolution_names_the_agent_and_the_follow_up() -> None:
    resolution = Resolution.by_agent("refund", "30.00", "破洞", agent="alice", agent_id=1, at=AT, follow_up_id=7,
                                     follow_up_at=AT + dt.timedelta(days=1))
    stored = DisputeRecord().settled(resolution).as_json()["resolution"]
    assert (stored["by"], stored["resolved_by"], stored["resolved_by_id"], stored["follow_up_id"]) == (
        "agent", "alice", 1, 7)
    assert stored["follow_up_at"] == "2026-12-02T08:30:00+00:00"


@pytest.mark.parametrize("details", [
    {"facts": [], "mood": "angry"},  # a key no reader knows
    {"resolution": {"remedy": "coupon", "amount": None, "note": "", "by": "bot", "at": "2026-12-01T08:30:00+00:00"}},
    {"intake": "maybe"},
])
def test_a_record_not_in_the_one_shape_is_refused(details: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DisputeRecord.of(details)
