"""Customers' photos (dispute evidence) for the agents' console.

``GET /agent/api/attachments/{id}`` answers with the stored bytes and the type the engine found in them (JPEG,
PNG, GIF or WebP, by their first bytes: the type a customer declared is never trusted). It sits under ``/agent``,
so the guard of :mod:`bot.desk.guard` already demands a login: a browser without one is sent to ``/login``.

The bytes came from a customer, so the response is locked down even though it is an image: ``nosniff`` (the
browser never guesses another type), ``inline`` (shown, not run), and ``Content-Security-Policy: default-src
'none'; sandbox`` for when an agent opens it in a tab of its own. It is private to the agent's browser and does
not change (``ETag`` = its SHA-256), so it may be cached for an hour.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation import EXPECTATION_LABELS, SUBTYPE_LABELS
from bot.web.edge import path_id
from bot.web.keys import SERVICES
from bot.web.responses import json_response
from models import Attachment

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=3600",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@dataclass(frozen=True, slots=True)
class Photo:
    """One stored attachment: its media type, its SHA-256 (hex) and its bytes."""

    id: int
    content_type: str
    sha256: str
    data: bytes


def read_attachment(attachment_id: int, session: Session) -> Photo | None:
    """The attachment ``attachment_id``, or None if there is no such one."""
    row = session.execute(
        select(Attachment.content_type, Attachment.sha256, Attachment.data).where(Attachment.id == attachment_id)
    ).one_or_none()
    if row is None:
        return None
    content_type, sha256, data = row
    return Photo(attachment_id, content_type, sha256, bytes(data))


async def attachment(request: web.Request) -> web.StreamResponse:
    """``GET /agent/api/attachments/{id}``: the photo's bytes with its own content type.

    :raise 404: (JSON ``{"error"}``) the id is not a whole number or no attachment has it.
    """
    photo, row = None, path_id(request.match_info["id"])
    if row is not None:
        photo = await request.app[SERVICES].db.run(partial(read_attachment, row))
    if photo is None:
        return json_response({"error": "no such attachment"}, status=404)
    etag = f'"{photo.sha256}"'
    headers = {**_HEADERS, "ETag": etag}
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers=headers)
    extension = _EXTENSIONS.get(photo.content_type, "bin")
    headers["Content-Disposition"] = f'inline; filename="kefu-photo-{photo.id}.{extension}"'
    return web.Response(body=photo.data, content_type=photo.content_type, headers=headers)


def setup_routes(app: web.Application) -> None:
    """Add ``GET /agent/api/attachments/{id}`` (guarded by :mod:`bot.desk.guard`, like everything under ``/agent``)."""
    app.router.add_get("/agent/api/attachments/{id}", attachment)


# ------------------------------------------------------------------ what the console shows of a dispute


def photos_by_seq(session: Session, conversation_id: int) -> dict[int, list[int]]:
    """The ids of a conversation's photos, by the seq of the message each came with."""
    found: dict[int, list[int]] = {}
    for ident, seq in session.execute(
        select(Attachment.id, Attachment.seq).where(Attachment.conversation_id == conversation_id).order_by(Attachment.id)
    ):
        found.setdefault(seq, []).append(ident)
    return found


def photos_by_dispute(session: Session, dispute_ids: Collection[int]) -> dict[int, list[int]]:
    """The ids of the photos kept as evidence on each of ``dispute_ids`` (disputes without any are absent)."""
    found: dict[int, list[int]] = {}
    if not dispute_ids:
        return found
    for ident, dispute_id in session.execute(
        select(Attachment.id, Attachment.dispute_id).where(Attachment.dispute_id.in_(dispute_ids)).order_by(Attachment.id)
    ):
        if dispute_id is not None:
            found.setdefault(dispute_id, []).append(ident)
    return found


def emotion_of(details: Mapping[str, Any] | None) -> dict[str, str] | None:
    """How upset the customer sounds on a dispute's record: ``{"level", "label"}`` (calm 平静 … furious 非常愤怒)."""
    emotion = (details or {}).get("emotion")
    if not isinstance(emotion, Mapping) or not isinstance(emotion.get("level"), str):
        return None
    return {"level": str(emotion["level"]), "label": str(emotion.get("label") or emotion["level"])}


def expectation_label(details: Mapping[str, Any] | None) -> str | None:
    """What the customer asked for, in Chinese (退款, 换货 …), if they said it."""
    key = (details or {}).get("expectation")
    return EXPECTATION_LABELS.get(key, str(key)) if isinstance(key, str) and key else None


def subtype_label(details: Mapping[str, Any] | None) -> str | None:
    """What went wrong, in Chinese (商品有破损或质量问题, 迟迟没有收到 …), if the intake found out."""
    key = (details or {}).get("subtype")
    return SUBTYPE_LABELS.get(key, str(key)) if isinstance(key, str) and key else None
