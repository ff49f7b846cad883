"""Who is on duty: working hours, agents online, the queue position and the expected wait, and chats
whose agent went away.

An agent is *online* while one of their login sessions is unexpired and was seen within
``KEFU_AGENT_OFFLINE_SECONDS`` (90 s): the console's queue socket writes ``last_seen`` every 15 s while it is
open, and every console request does too (:mod:`bot.desk.sessions`). A chat whose holder is no longer online (or
whose account was disabled) goes back to the queue at its old place (``escalated_at`` is kept), with an
``offline_release`` audit row and a message telling the customer; :class:`OfflineSweeper` does this every
15 s, and logging out of one's last live session does it at once (:func:`release_all`).

The unit-of-work functions take the :class:`~sqlalchemy.orm.Session` first; the messages they store are
returned as :class:`Requeued`, for the caller to publish through the ``Hub`` after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, SQLColumnExpression, Table, func, insert, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.engine import store
from bot.engine.envelope import Reply
from bot.engine.hub import QUEUE, CustomerKey, Hub
from bot.engine.periodic import periodic
from bot.errors import ConfigError
from models import (
    ROLES,
    AgentAction,
    Clock,
    Conversation,
    Customer,
    Database,
    LoginSession,
    User,
    as_utc,
    utcnow,
)
from replies import Fragment, PhraseBank

log = logging.getLogger("kefu.presence")
ACTIONS = cast(Table, AgentAction.__table__)

#: The phrase a customer is told when their agent went away (offline, disabled, logged out) and the chat is queued again.
REQUEUED = "handoff.requeued"
SWEEP_SECONDS = 15.0  # how often the sweeper looks for chats held by agents who went away
OFFLINE_RELEASE = "offline_release"  # the agent_actions.action of a chat put back in the queue
MEASURED_TAKES = 20  # the expected wait uses the median wait of at most this many recent takeovers,
MIN_MEASURED = 5  # when there are at least this many,
MEASURE_WINDOW = dt.timedelta(days=7)  # within this long

_DAY = 24 * 60
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—~至到]\s*(\d{1,2}):(\d{2})\s*$")




# ------------------------------------------------------------------ working hours (pure)


class WorkingHours:
    """The agents' daily hours (``KEFU_SERVICE_HOURS``, for example ``9:00–23:00``) in the shop's time zone.

    A range that ends at or before its start runs overnight (``22:00–06:00``); ``0:00–24:00`` (or any range
    whose ends meet, such as ``8:00–8:00``) is always open. The end is exclusive: at 23:00 ``9:00–23:00`` is closed.

    Raises:
        ConfigError: on construction, for a malformed range, a time past 24:00 or an unknown time zone.
    """

    def __init__(self, hours: str, timezone: str) -> None:
        found = _HOURS.match(hours)
        if found is None:
            raise ConfigError(f"service hours must be a range of times of day such as 9:00–23:00, not {hours!r}")
        start_h, start_m, end_h, end_m = (int(part) for part in found.groups())
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if start_m > 59 or end_m > 59 or start > _DAY or end > _DAY:
            raise ConfigError(f"service hours must be times between 0:00 and 24:00, not {hours!r}")
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone {timezone!r}") from None
        self.text = hours.strip()
        self._start = start % _DAY  # minutes after midnight; 24:00 as a start is midnight
        self._end = end or _DAY  # 0:00 as an end is the following midnight
        self.always_open = (self._end - self._start) % _DAY == 0

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingHours:
        return cls(settings.service_hours, settings.timezone)

    def is_open(self, now: dt.datetime) -> bool:
        """Whether agents are on duty at ``now`` (aware)."""
        if self.always_open:
            return True
        local = now.astimezone(self.zone)
        minute = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
        if self._start < self._end:
            return self._start <= minute < self._end
        return minute >= self._start or minute < self._end  # overnight

    def next_open(self, now: dt.datetime) -> dt.datetime:
        """The next moment agents are on duty, aware in the shop's time zone: ``now`` itself while open."""
        local = now.astimezone(self.zone)
        if self.is_open(now):
            return local
        opening = dt.time(self._start // 60, self._start % 60)
        candidate = dt.datetime.combine(local.date(), opening, tzinfo=self.zone)
        if candidate <= local:
            candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), opening, tzinfo=self.zone)
        return candidate

    def describe_next_open(self, now: dt.datetime) -> Fragment:
        """When agents are next on duty, in the shop's time zone and the bank's words: "现在" while open, else
        "今天 9:00", "明天 9:00" (or "后天 …", or a date further off)."""
        if self.is_open(now):
            return Fragment("part.open_now")
        local, opening = now.astimezone(self.zone), self.next_open(now)
        near = {0: "part.day_today", 1: "part.day_tomorrow", 2: "part.day_after_tomorrow"}.get(
            (opening.date() - local.date()).days)
        day = Fragment(near) if near else Fragment("part.date", {"month": str(opening.month), "day": str(opening.day)})
        return Fragment("part.opens_at", {"when": day, "time": f"{opening.hour}:{opening.minute:02d}"})


# ------------------------------------------------------------------ who is online, the queue, the wait


def _live(user: Any, now: dt.datetime, window_seconds: float) -> ColumnElement[bool]:
    """A login session of ``user`` (an id or a column) that is unexpired and was seen within the window."""
    return select(LoginSession.id).where(
        LoginSession.user_id == user,
        LoginSession.expires_at > now,
        LoginSession.last_seen >= now - dt.timedelta(seconds=window_seconds),
    ).exists()


def agents_online(session: Session, now: dt.datetime, window_seconds: float) -> int:
    """How many active agents and admins have a live login session: unexpired, seen within ``window_seconds``."""
    now = as_utc(now)
    return int(session.execute(
        select(func.count(func.distinct(User.id)))
        .select_from(LoginSession).join(User, LoginSession.user_id == User.id)
        .where(
            User.active, User.role.in_(ROLES), LoginSession.expires_at > now,
            LoginSession.last_seen >= now - dt.timedelta(seconds=window_seconds),
        )
    ).scalar_one())


def is_online(session: Session, user_id: int, now: dt.datetime, window_seconds: float) -> bool:
    """Whether ``user_id`` has a live login session (unexpired, seen within ``window_seconds``)."""
    return bool(session.execute(select(_live(user_id, as_utc(now), window_seconds))).scalar_one())


def queue_order() -> tuple[SQLColumnExpression[Any], ...]:
    """The queue's order, for the console and for positions alike: oldest escalation first, then by id."""
    return func.coalesce(Conversation.escalated_at, Conversation.created_at), Conversation.id


def queue_position(session: Session, conversation_id: int) -> int:
    """The chat's 1-based place among the chats waiting for an agent, in the console's order; 0 if it is not waiting."""
    waiting = session.execute(
        select(Conversation.id).where(Conversation.status == "waiting_agent").order_by(*queue_order())
    ).scalars().all()
    return waiting.index(conversation_id) + 1 if conversation_id in waiting else 0


def queue_wait_seconds(session: Session, conversation: Conversation, now: dt.datetime) -> int | None:
    """How long the chat has waited in the queue at ``now``: since its escalation, or since it was last put
    back after its agent went away. None when it was never escalated."""
    if conversation.escalated_at is None:
        return None
    since = as_utc(conversation.escalated_at)
    requeued = session.execute(
        select(func.max(AgentAction.created_at)).where(
            AgentAction.conversation_id == conversation.id, AgentAction.action == OFFLINE_RELEASE,
            AgentAction.created_at >= since,
        )
    ).scalar_one_or_none()
    if requeued is not None:
        since = max(since, as_utc(requeued))
    return max(0, round((as_utc(now) - since).total_seconds()))


def measured_waits(session: Session, now: dt.datetime) -> list[float]:
    """The queue waits (seconds) the console's takeovers recorded, newest first: at most 20, within 7 days."""
    waited = AgentAction.detail["waited_seconds"].as_float()
    return [float(value) for value in session.execute(
        select(waited)
        .where(AgentAction.action == "take", AgentAction.created_at >= as_utc(now) - MEASURE_WINDOW, waited.is_not(None))
        .order_by(AgentAction.created_at.desc(), AgentAction.id.desc())
        .limit(MEASURED_TAKES)
    ).scalars()]


def expected_wait_minutes(
    session: Session, position: int, online: int, now: dt.datetime, minutes_per_chat: float
) -> int:
    """An honest estimate of a queued customer's wait, in whole minutes (rounded up, at least 1).

    Each agent online takes one chat per round, so the chats ahead take ``ceil(position / max(online, 1))``
    rounds of ``per_chat`` minutes each; ``per_chat`` is the median of the recent measured waits (see
    :func:`measured_waits`) when there are at least 5 of them, else ``minutes_per_chat`` (the setting).

    Args:
        position: the 1-based place in the queue (:func:`queue_position`); 0 (not waiting) gives 0.
        online: agents online (:func:`agents_online`); 0 counts as one, so the estimate stays finite.
    """
    if position < 1:
        return 0
    waits = measured_waits(session, now)
    per_chat = statistics.median(waits) / 60 if len(waits) >= MIN_MEASURED else minutes_per_chat
    rounds = math.ceil(position / max(online, 1))
    return max(1, math.ceil(per_chat * rounds - 1e-9))  # the epsilon keeps 3.0000000001 from becoming 4


# ------------------------------------------------------------------ chats whose agent went away


@dataclass(frozen=True, slots=True)
class Requeued:
    """A chat put back in the queue, and the message its customer must get once the unit of work is committed."""

    conversation_id: int
    former_agent_id: int
    customer: CustomerKey
    reply: Reply


def requeued_text(phrases: PhraseBank, values: Mapping[str, str]) -> str:
    """What a customer whose agent went away is told: the phrase bank's ``handoff.requeued``, as the shop has it."""
    return phrases.render(REQUEUED, values)


def _requeue(
    session: Session, conversation_id: int, agent_id: int, now: dt.datetime, text: str, detail: dict[str, Any],
    *still: ColumnElement[bool],
) -> Requeued | None:
    """Put one held chat back in the queue, if ``agent_id`` still holds it (and the conditions ``still`` hold):
    one conditional UPDATE, so of two workers doing this at once only one does (the other gets None)."""
    moved = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "agent", Conversation.agent_id == agent_id,
               *still)
        .values(status="waiting_agent", agent_id=None, assigned_at=None)  # escalated_at stays: so does its place
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return None
    conversation = session.get(Conversation, conversation_id, populate_existing=True)
    assert conversation is not None
    customer = session.get(Customer, conversation.customer_id)
    assert customer is not None
    seq = store.next_seq(session, customer.id)
    session.execute(insert(store.MESSAGES).values(
        customer_id=customer.id, conversation_id=conversation_id, seq=seq, direction="out", sender="bot",
        text=text, buttons=[], channel_message_id=None, intent=None, confidence=None,
        stage=conversation.stage, reply_to_seq=None,
    ))
    session.execute(insert(ACTIONS).values(
        user_id=agent_id, conversation_id=conversation_id, action=OFFLINE_RELEASE, detail={**detail, "seq": seq},
        created_at=now,
    ))
    return Requeued(conversation_id, agent_id, (customer.channel, customer.external_id),
                    Reply(text=text, seq=seq, sender="bot"))


def release_offline(session: Session, now: dt.datetime, window_seconds: float, text: str) -> list[Requeued]:
    """Put back in the queue every chat whose holder has no live login session (none unexpired and seen within
    ``window_seconds``) or whose account is disabled; one ``offline_release`` audit row (by the former holder)
    and one message to the customer per chat (``text``, :func:`requeued_text`).

    Safe to run from several workers at once: each chat is moved by one conditional UPDATE that re-checks
    that its holder is still away, so it is released (and its customer told) once.
    """
    now = as_utc(now)
    enabled = select(User.id).where(User.id == Conversation.agent_id, User.active).correlate(Conversation).exists()
    away = ~_live(Conversation.agent_id, now, window_seconds) | ~enabled
    last_seen = (
        select(func.max(LoginSession.last_seen))
        .where(LoginSession.user_id == Conversation.agent_id, LoginSession.expires_at > now)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Conversation.id, Conversation.agent_id, Conversation.assigned_at, User.active, last_seen)
        .join(User, Conversation.agent_id == User.id)
        .where(Conversation.status == "agent", away)
        .order_by(Conversation.id)  # one order for every worker: no deadlock between two sweeps
    ).all()
    released = []
    for conversation_id, agent_id, assigned_at, active, seen in rows:
        assert agent_id is not None  # joined to its user
        detail = {
            "reason": "offline" if active else "disabled",
            "last_seen": as_utc(seen).isoformat() if seen is not None else None,
            "held_since": as_utc(assigned_at).isoformat() if assigned_at is not None else None,
        }
        requeued = _requeue(session, conversation_id, agent_id, now, text, detail, away)
        if requeued is not None:
            released.append(requeued)
    return released


def release_all(session: Session, user_id: int, now: dt.datetime, text: str) -> list[Requeued]:
    """Put every chat ``user_id`` holds back in the queue at once (they logged out of their last live session):
    the same audit row (reason ``logout``) and customer message as :func:`release_offline`."""
    now = as_utc(now)
    rows = session.execute(
        select(Conversation.id, Conversation.assigned_at)
        .where(Conversation.status == "agent", Conversation.agent_id == user_id)
        .order_by(Conversation.id)
    ).all()
    released = []
    for conversation_id, assigned_at in rows:
        detail = {"reason": "logout", "held_since": as_utc(assigned_at).isoformat() if assigned_at is not None else None}
        requeued = _requeue(session, conversation_id, user_id, now, text, detail)
        if requeued is not None:
            released.append(requeued)
    return released


def publish(hub: Hub, released: Sequence[Requeued]) -> None:
    """Push the requeued chats' messages to their customers' live listeners (after the commit)."""
    for item in released:
        hub.publish(item.customer, [item.reply])
        log.info("event=requeued conv=%s former_agent=%s seq=%s", item.conversation_id, item.former_agent_id,
                 item.reply.seq)
    if released:
        hub.changed(QUEUE)  # the agents' queue sockets, on every worker


class OfflineSweeper:
    """Puts back in the queue the chats of agents who went away; :meth:`run` does it every 15 s in the background.

    Args:
        window_seconds: ``KEFU_AGENT_OFFLINE_SECONDS``: unseen this long, an agent is offline.
        clock: returns the current time, aware (tests move it instead of sleeping).
        requeued: what the customers are told (:func:`requeued_text` over the shop's current phrase bank).
    """

    def __init__(
        self, database: Database, hub: Hub, window_seconds: float, clock: Clock | None = None, *,
        requeued: Callable[[], str],
    ) -> None:
        self._db = database
        self._hub = hub
        self._window = window_seconds
        self._clock = clock or utcnow
        self.requeued_text = requeued

    async def sweep(self, now: dt.datetime | None = None) -> list[Requeued]:
        """Release the chats of agents offline at ``now`` (default: the clock's time) and tell their customers."""
        when = as_utc(now or self._clock())
        released = await self._db.run(
            partial(release_offline, now=when, window_seconds=self._window, text=self.requeued_text())
        )
        publish(self._hub, released)
        return released

    async def run(self, every: float = SWEEP_SECONDS) -> None:
        # (a failed round released nothing: the next round tries again)
        await periodic(self.sweep, every=every, log=log, event="offline_sweep_failed")
