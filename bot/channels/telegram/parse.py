"""Deciding what an update is and how a reply looks in Telegram — plain Python, no IO.

:func:`read_update` turns an update into a :class:`Received` (text / photo / unsupported / a command in the
agents' group) or None (another group, an edit, a service message); :func:`reply_markup` lays buttons out as a
one-time reply keyboard; :func:`split_text` cuts a long message into pieces Telegram accepts;
:func:`file_base_url` derives the file-download URL from the Bot API's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ChatType, MessageLimit

from bot.engine.envelope import cleaned
from bot.errors import ConfigError

GREETING = "你好"  # what ``/start``, Telegram's first message, is taken as

_MARKERS = (  # what the transcript shows for content the bot cannot read
    ("sticker", "[贴纸]"), ("voice", "[语音]"), ("audio", "[音频]"), ("video_note", "[视频]"), ("video", "[视频]"),
    ("animation", "[动图]"), ("document", "[文件]"), ("location", "[位置]"), ("venue", "[位置]"),
    ("contact", "[名片]"), ("poll", "[投票]"), ("dice", "[表情]"),
)
_AGENT_COMMANDS = frozenset({"/start", "/help", "/agent"})


def file_base_url(base_url: str) -> str:
    """The file-download base that goes with a Bot API base URL: ``…/bot`` → ``…/file/bot`` (the layout of
    Telegram's servers and of ``telegram-bot-api``); ``…/bot{token}…`` likewise.

    Raises:
        ConfigError: the URL is not http(s) or has no ``/bot`` part to derive it from.
    """
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL must be an http:// or https:// URL ending in /bot")
    at = base_url.rfind("/bot{")
    if at >= 0:
        return f"{base_url[:at]}/file{base_url[at:]}"
    if base_url.endswith("/bot"):
        return f"{base_url[:-4]}/file/bot"
    raise ConfigError("TELEGRAM_API_BASE_URL must end with /bot (for example http://127.0.0.1:8081/bot)")


@dataclass(frozen=True, slots=True)
class Received:
    """What one update asks of the channel.

    ``kind``: ``text`` and ``photo`` go to the engine; ``unsupported`` is answered by the channel;
    ``agents`` is a command in the agents' group.
    """

    kind: Literal["text", "photo", "unsupported", "agents"]
    chat_id: int
    message_id: str
    text: str = ""
    name: str | None = None
    file_id: str | None = None


def read_update(update: Update, agent_chat_id: int | None, max_image_bytes: int) -> Received | None:
    """Decide what an update is (no IO); None: nothing to do (another group, an edit, a service message)."""
    message = update.message
    if message is None:
        return None
    chat = message.chat
    if chat.type != ChatType.PRIVATE:
        words = (message.text or "").split()
        command = words[0].split("@")[0] if words else ""  # /agent@ShopBot in a group
        if agent_chat_id is not None and chat.id == agent_chat_id and command in _AGENT_COMMANDS:
            return Received("agents", chat.id, str(message.message_id))
        return None
    name = cleaned(message.from_user.full_name[:128]) if message.from_user else None
    base = Received("text", chat.id, str(message.message_id), name=name)
    if message.text is not None:
        text = cleaned(message.text)
        if text == "/start" or text.startswith("/start "):  # Telegram's first message: a greeting
            text = GREETING
        return replace(base, text=text)
    caption = cleaned(message.caption or "")
    if message.photo:
        sizes = [p for p in message.photo if p.file_size is None or p.file_size <= max_image_bytes] or [message.photo[0]]
        largest = max(sizes, key=lambda p: (p.width * p.height, p.file_size or 0))
        return replace(base, kind="photo", text=caption, file_id=largest.file_id)
    document = message.document
    if document is not None and message.animation is None and (document.mime_type or "").startswith("image/"):
        return replace(base, kind="photo", text=caption, file_id=document.file_id)  # a photo sent as a file
    marker = next((m for attr, m in _MARKERS if getattr(message, attr, None)), None)
    if marker is None and message.effective_attachment is not None:
        marker = "[消息]"
    if marker is None:
        return None
    return replace(base, kind="unsupported", text=f"{marker} {caption}".strip())


def keyboard_rows(labels: Sequence[str]) -> list[list[str]]:
    """Buttons laid out in rows: four short labels (sizes) a row, two medium ones, long ones alone."""
    longest = max((len(label) for label in labels), default=0)
    per_row = 4 if longest <= 4 else 2 if longest <= 8 else 1
    return [list(labels[i:i + per_row]) for i in range(0, len(labels), per_row)]


def reply_markup(buttons: Sequence[str], *, keep: bool) -> ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """A one-time reply keyboard for ``buttons``; without buttons, the keyboard is removed (stale choices go)
    unless ``keep`` (an earlier bubble of the same answer carries it)."""
    if buttons:
        rows = [[KeyboardButton(label) for label in row] for row in keyboard_rows(buttons)]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    return None if keep else ReplyKeyboardRemove()


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """``text`` in pieces Telegram accepts (an agent may paste more than 4096 characters)."""
    text = text or " "
    return [text[i:i + limit] for i in range(0, len(text), limit)]
