"""The Telegram channel: customers write to the shop's bot in a private chat; agents hear of escalations in
their group.

:class:`TelegramChannel` holds a python-telegram-bot :class:`~telegram.Bot` (it does not inherit from it) and runs
three loops, started and stopped by :func:`bot.engine.services.open_services` when ``TELEGRAM_BOT_TOKEN`` is set
(the web chat runs without it, and keeps running when Telegram is unreachable or rejects the token):

- receiving, and the poller's lock on PostgreSQL — :mod:`.channel`;
- sending what is stored for each customer after their delivery cursor — :mod:`.outbox`;
- the agents' group's escalation notices — :mod:`.notices`;

with what an update is and how a reply looks decided apart, without IO, in :mod:`.parse`.

The token is part of every Bot API URL. This package never logs a URL, a request or a Telegram exception's
traceback: errors are logged as their type and masked message (``Redactor``). httpx logs every request URL at
INFO and python-telegram-bot logs its base URL at DEBUG: :func:`bot.logsafe.configure_logging` (called by
``python -m bot serve``) keeps those loggers at WARNING and masks the token in every record.
"""

from bot.channels.telegram._common import CHANNEL
from bot.channels.telegram.channel import AGENTS_HINT, TelegramChannel
from bot.channels.telegram.notices import Escalation, EscalationNotices, notice_text
from bot.channels.telegram.outbox import AGENT_PREFIX, Outbox
from bot.channels.telegram.parse import (
    Received,
    file_base_url,
    keyboard_rows,
    read_update,
    reply_markup,
    split_text,
)

__all__ = [
    "AGENTS_HINT",
    "AGENT_PREFIX",
    "CHANNEL",
    "Escalation",
    "EscalationNotices",
    "Outbox",
    "Received",
    "TelegramChannel",
    "file_base_url",
    "keyboard_rows",
    "notice_text",
    "read_update",
    "reply_markup",
    "split_text",
]
