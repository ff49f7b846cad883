"""What the Telegram channel shares between its parts: the channel's name, its logger, the log-safe description
of failures (the token masked), and Telegram's time periods as seconds."""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback

from bot.logsafe import mask

# python-telegram-bot 22 warns whenever a time period (RetryAfter.retry_after) is read as a number of seconds, even
# while building the exception; opt in to the coming type (datetime.timedelta), which the code below expects. It is
# read when used, so setting it here, before any Telegram call, is enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")

log = logging.getLogger("kefu.telegram")
CHANNEL = "telegram"


def seconds(value: int | float | dt.timedelta) -> float:
    """A Telegram time period (``RetryAfter.retry_after``) in seconds."""
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Redactor:
    """Describes failures for the log with the token masked (a Telegram error's message may quote it)."""

    def __init__(self, token: str) -> None:
        self._secrets = (token,)

    def why(self, exc: BaseException) -> str:
        kind, said = type(exc).__name__, str(exc)
        return mask(said if said.startswith(kind) else f"{kind}: {said}", self._secrets)

    def trace(self, exc: BaseException) -> str:
        return mask("".join(traceback.format_exception(exc)), self._secrets)

