"""The one message envelope every channel speaks: an inbound message in, replies out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TEXT = 4096
MAX_MESSAGE_ID = 128  # the column's length
IMAGE_TEXT = "[图片]"
# Photo formats customers may send, by their first bytes (the declared type is never trusted).
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The photo's media type from its content (JPEG, PNG, GIF, WebP), or None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in IMAGE_SIGNATURES if data.startswith(magic)), None)
def storable(value: str) -> bool:
    """Whether both databases can store ``value``: no NUL (PostgreSQL refuses it in text) and no unpaired
    surrogate (not UTF-8 at all)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def cleaned(value: str) -> str:
    """``value`` made storable, for a channel that cannot refuse what it receives (Telegram): NUL dropped, an unpaired
    surrogate shown as U+FFFD."""
    return _UNSTORABLE.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", value)


CHANNELS = ("web", "rest", "telegram", "terminal")


@dataclass(frozen=True, slots=True)
class Inbound:
    """A customer's message as a channel received it.

    ``customer`` is the channel's own id for the customer; ``message_id`` the channel's id for the
    message, when it has one (a repeat of the same id is answered once).
    """

    channel: str
    customer: str
    text: str
    message_id: str | None = None
    display_name: str | None = None
    image: bytes | None = None  # a photo sent with (or instead of) the text; checked by the engine

    @property
    def stored_text(self) -> str:
        """What the transcript shows: the text, or ``[图片]`` for a photo sent on its own."""
        return self.text if self.text.strip() or self.image is None else IMAGE_TEXT


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the customer: text plus quick choices (channels without buttons list them)."""

    text: str
    buttons: tuple[str, ...] = ()
    seq: int = 0
    sender: str = "bot"  # bot | agent

    def as_json(self) -> dict[str, object]:
        return {"seq": self.seq, "text": self.text, "buttons": list(self.buttons), "from": self.sender}

    def as_plain_text(self) -> str:
        """The reply for a channel that has no buttons: choices listed under the text."""
        if not self.buttons:
            return self.text
        return self.text + "\n" + "  ".join(f"[{label}]" for label in self.buttons)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What handling one inbound message produced."""

    replies: tuple[Reply, ...]
    intent: str
    confidence: float
    stage: str
    status: str
    conversation_id: int
    inbound_seq: int
    duplicate: bool = False
    actions: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "replies": [reply.as_json() for reply in self.replies],
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "stage": self.stage,
            "status": self.status,
            "conversation_id": self.conversation_id,
            "seq": self.inbound_seq,
            "duplicate": self.duplicate,
        }
