"""The one loop of kefu's periodic work: sleep, do a round, log a failed round and go on.

The knowledge refresh (:mod:`bot.engine.services`), the follow-ups (:mod:`bot.engine.followups`), the offline
sweeper (:mod:`bot.desk.presence`) and the Telegram escalation notices (:mod:`bot.channels.telegram.notices`) each
run :func:`periodic` as a background task, cancelled at shutdown. What differs between them is said where they call
it: how often, the failure's event name, which errors a round may fail with and the loop survives, and whether the
failure is a bug worth its traceback (logged at ERROR) or a passing one (a WARNING with the error's type).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import NoReturn

__all__ = ["periodic"]


async def periodic(
    work: Callable[[], Awaitable[object]], *, every: float, log: logging.Logger, event: str,
    survives: tuple[type[Exception], ...] = (Exception,), passing: bool = False,
) -> NoReturn:
    """Run ``work`` every ``every`` seconds (first after one period), forever.

    Args:
        work: one round; what it returns is ignored.
        log: the logger of the part that runs the loop.
        event: the event name of a failed round (``event=…`` in the log line).
        survives: the errors a round may fail with while the loop goes on (what it did not finish, the next round
            does again).
        passing: log a survived failure as a WARNING with the error's type only (a database that is briefly away),
            rather than at ERROR with its traceback (a bug, or something nobody expected).

    Raises:
        Exception: any error of a round that is not in ``survives`` ends the loop.
    """
    while True:
        await asyncio.sleep(every)
        try:
            await work()
        except survives as exc:
            if passing:
                log.warning("event=%s error=%s", event, type(exc).__name__)
            else:
                log.exception("event=%s", event)
