"""The one periodic loop: a failed round is logged as its caller says and the loop goes on; an error it was not
told to survive ends it (the task fails loudly rather than looping on a bug)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

import pytest
from sqlalchemy.exc import OperationalError

from bot.engine.periodic import periodic

log = logging.getLogger("kefu.test-periodic")


class Rounds:
    """Fails with each of ``errors`` in turn, then succeeds; counts the rounds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.count = list(errors), 0
        self.done = asyncio.Event()

    async def __call__(self) -> None:
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        self.done.set()


async def test_a_bug_in_a_round_is_logged_with_its_traceback_and_the_next_round_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds = Rounds(RuntimeError("a bug"))
    task = asyncio.create_task(periodic(rounds, every=0.01, log=log, event="thing_failed"))
    try:
        await asyncio.wait_for(rounds.done.wait(), 5)
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
    assert rounds.count == 2
    (record,) = [r for r in caplog.records if r.name == log.name]
    assert (record.levelno, record.getMessage()) == (logging.ERROR, "event=thing_failed")
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


async def test_a_passing_failure_is_a_warning_with_the_error_type_only(caplog: pytest.LogCaptureFixture) -> None:
    rounds = Rounds(OperationalError("SELECT secret", {}, Exception("gone")))
    task = asyncio.create_task(periodic(rounds, every=0.01, log=log, event="db_round_failed",
                                        survives=(OperationalError,), passing=True))
    try:
        await asyncio.wait_for(rounds.done.wait(), 5)
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
    (record,) = [r for r in caplog.records if r.name == log.name]
    assert (record.levelno, record.getMessage()) == (logging.WARNING, "event=db_round_failed error=OperationalError")
    assert record.exc_info is None, "no traceback, no SQL text in the log"


async def test_an_error_the_loop_was_not_told_to_survive_ends_it() -> None:
    rounds = Rounds(ValueError("not a database error"))
    with pytest.raises(ValueError, match="not a database error"):
        await asyncio.wait_for(periodic(rounds, every=0.01, log=log, event="x", survives=(OperationalError,)), 5)
    assert rounds.count == 1
