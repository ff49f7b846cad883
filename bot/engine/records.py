"""The one shape of a dispute's record (``disputes.details``), and the only way it is written.

A dispute's record grows in steps, each written by one part of kefu: the engine opens it with the customer's
opening words (:meth:`DisputeRecord.opening`), the intake adds facts, the sub-type and the expectation, with the
emotion re-scored over all the customer's words (:meth:`DisputeRecord.noted`); it is settled once — by the bot's
own remedy or by an agent in the console — with one :class:`Resolution` shape whichever settled it
(:meth:`DisputeRecord.settled`); and the follow-up's satisfaction score is added last
(:meth:`DisputeRecord.scored`). Readers (the console, the Telegram notice, the dispute report's JSON paths) read
this one shape.

The stored JSON, every key optional but ``facts``::

    facts:       [{text, at}]                 the customer's words, oldest first
    intake:      "listening" | "done"
    subtype:     str                          intake.SUBTYPE_LABELS' keys
    expectation: str                          intake.EXPECTATION_LABELS' keys
    emotion:     {score, level, label, signals}
    resolution:  {remedy, amount, note, by: "bot" | "agent", resolved_by, resolved_by_id, resolved_at,
                  follow_up_id, follow_up_at}  (resolved_by*, follow_up*: null when the bot settled it)
    csat:        {score, comment, at}

Times are ISO 8601 strings as ``datetime.isoformat()`` writes them. Migration 0010 brought the records written
before this module (the bot's ``by``/``at``, the console's ``resolved_by``/``resolved_at``) into this shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer

from bot.conversation import score_emotion

__all__ = ["Csat", "DisputeRecord", "EmotionRecord", "Fact", "Resolution"]

Stamp = Annotated[dt.datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def as_json(self) -> dict[str, Any]:
        """The part as stored (``None`` values kept: a key is there even when it holds nothing)."""
        return self.model_dump(mode="json")


class Fact(_Part):
    """Something the customer said about the dispute, and when."""

    text: str
    at: Stamp


class EmotionRecord(_Part):
    """How upset the customer's words sound (the console shows ``label`` and the signals)."""

    score: int
    level: str
    label: str
    signals: tuple[str, ...] = ()

    @classmethod
    def of(cls, texts: Sequence[str]) -> EmotionRecord:
        """The emotion scored over all of ``texts``."""
        emotion = score_emotion(list(texts))
        return cls(score=emotion.score, level=emotion.level, label=emotion.label, signals=tuple(emotion.signals))


class Resolution(_Part):
    """How the dispute was settled, by the bot (``by="bot"``) or an agent (``by="agent"``, with who and the
    follow-up scheduled)."""

    remedy: str
    amount: str | None
    note: str
    by: Literal["bot", "agent"]
    resolved_by: str | None = None
    resolved_by_id: int | None = None
    resolved_at: Stamp
    follow_up_id: int | None = None
    follow_up_at: Stamp | None = None

    @classmethod
    def by_bot(cls, remedy: str, amount: str | None, note: str, at: dt.datetime) -> Resolution:
        """The bot's own remedy (the late-parcel coupon): no agent, no follow-up."""
        return cls(remedy=remedy, amount=amount, note=note, by="bot", resolved_at=at)

    @classmethod
    def by_agent(
        cls, remedy: str, amount: str | None, note: str, *, agent: str, agent_id: int, at: dt.datetime,
        follow_up_id: int, follow_up_at: dt.datetime,
    ) -> Resolution:
        """An agent's resolution in the console, with the follow-up it scheduled."""
        return cls(remedy=remedy, amount=amount, note=note, by="agent", resolved_by=agent, resolved_by_id=agent_id,
                   resolved_at=at, follow_up_id=follow_up_id, follow_up_at=follow_up_at)


class Csat(_Part):
    """The customer's answer to the follow-up: a 1–5 score and what they added."""

    score: int
    comment: str | None
    at: Stamp


class DisputeRecord(_Part):
    """A dispute's ``details``: what the bot and the agents learned of it (see the module's docstring).

    Raises:
        pydantic.ValidationError: from :meth:`of`, for stored JSON that is not this shape.
    """

    facts: tuple[Fact, ...] = ()
    intake: Literal["listening", "done"] | None = None
    subtype: str | None = None
    expectation: str | None = None
    emotion: EmotionRecord | None = None
    resolution: Resolution | None = None
    csat: Csat | None = None

    @classmethod
    def of(cls, details: Mapping[str, Any] | None) -> DisputeRecord:
        """The record stored in ``details`` (None or empty: a record with nothing in it yet)."""
        return cls.model_validate(dict(details or {}))

    @classmethod
    def opening(cls, text: str, at: dt.datetime) -> DisputeRecord:
        """A new dispute's record: the opening words as the first fact, and how upset they sound."""
        return cls(facts=(Fact(text=text, at=at),) if text else (), intake="listening",
                   emotion=EmotionRecord.of([text]))

    def noted(
        self, *, at: dt.datetime, fact: str | None = None, subtype: str | None = None,
        expectation: str | None = None, done: bool = False,
    ) -> DisputeRecord:
        """The record with what the intake learned added (what is None stays as it was), and the emotion scored
        again over all the customer's words."""
        facts = (*self.facts, Fact(text=fact, at=at)) if fact else self.facts
        return self.model_copy(update={
            "facts": facts,
            "subtype": subtype or self.subtype,
            "expectation": expectation or self.expectation,
            "intake": "done" if done else self.intake,
            "emotion": EmotionRecord.of([f.text for f in facts]),
        })

    def settled(self, resolution: Resolution) -> DisputeRecord:
        """The record with its resolution."""
        return self.model_copy(update={"resolution": resolution})

    def scored(self, csat: Csat) -> DisputeRecord:
        """The record with the follow-up's answer."""
        return self.model_copy(update={"csat": csat})

    def as_json(self) -> dict[str, Any]:
        """The record as stored in ``disputes.details``: the parts not there yet are left out."""
        return {key: value for key, value in self.model_dump(mode="json").items() if value is not None}
