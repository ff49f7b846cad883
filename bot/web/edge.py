"""Input at the edge: every request body, query string and path id is checked here before anything else reads it,
so that malformed input is a 400 with its reason and never an exception deeper in.

One pydantic schema per body; whole numbers are ASCII digits of bounded length (``"²".isdigit()`` is true and
``int("٣")`` is 3, so neither ``isdigit`` nor ``int`` alone will do); JSON is read as UTF-8 whatever charset the
request declares (RFC 8259), and a body nested too deeply or holding a number too long to convert is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import web
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.engine.envelope import MAX_MESSAGE_ID, MAX_TEXT, storable
from bot.errors import BadRequest
from bot.web.keys import JSON_BODY

M = TypeVar("M", bound=BaseModel)
MAX_CUSTOMER = 128
_WHOLE = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1  # ids and sequence numbers are INTEGER columns


def whole_number(raw: str, what: str) -> int:
    """``raw`` as a whole number from 0 to 2³¹−1 (what an id or sequence number column holds).

    Raises:
        BadRequest: it is not one (``what`` names it in the reason).
    """
    if not _WHOLE.fullmatch(raw) or int(raw) > MAX_ID:
        raise BadRequest(f"{what} must be a whole number from 0 to {MAX_ID}")
    return int(raw)


def after_seq(request: web.Request) -> int:
    """The ``after`` query parameter (default 0): what the caller has already seen.

    Raises:
        BadRequest: it is not a whole number.
    """
    return whole_number(request.query.get("after", "0"), "after")


def path_id(raw: str) -> int | None:
    """A row id from a URL path, or None when it cannot be one (the caller answers 404)."""
    return int(raw) if _WHOLE.fullmatch(raw) and int(raw) <= MAX_ID else None


def same_origin(request: web.Request) -> bool:
    """Whether a browser's request comes from a page of this site: its ``Origin`` (when it sends one) names this
    host and port. A WebSocket carries the cookie of whatever page opens it, so a socket that trusts the cookie must
    check this (cross-site WebSocket hijacking); the scheme is not compared, as a TLS proxy may sit in front."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: it could send any Origin anyway
    return urlsplit(origin).netloc.lower() == request.host.lower()


def text_param(value: str, what: str, *, limit: int = MAX_CUSTOMER) -> str:
    """A short text from a query string, stripped: non-empty, at most ``limit`` characters, storable.

    Raises:
        BadRequest: it is not.
    """
    value = value.strip()
    if not value or len(value) > limit or not storable(value):
        raise BadRequest(f"{what} must be a non-empty text of at most {limit} characters")
    return value


async def json_body(request: web.Request, *, example: str, empty: Any = ...) -> Any:
    """The request's JSON body, read as UTF-8.

    Args:
        example: what a good body looks like, for the reason of a 400.
        empty: what an empty body stands for; without it an empty body is refused.

    Raises:
        BadRequest: the body is not JSON, not UTF-8, too deeply nested, or holds a number too long to convert.
    """
    if JSON_BODY in request:  # read once per request (the rate limiter looks at it before the handler does)
        return request[JSON_BODY]
    raw = await request.read()
    if not raw.strip() and empty is not ...:
        return empty
    try:
        parsed = request[JSON_BODY] = json_text(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; BadRequest too
        raise BadRequest(f"the body must be JSON (UTF-8): {example}") from None
    return parsed


async def json_object(request: web.Request, *, example: str) -> dict[str, Any]:
    """The request's JSON body, which must be an object.

    Raises:
        BadRequest: it is not JSON (see :func:`json_body`), or not an object.
    """
    value = await json_body(request, example=example)
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def json_text(text: str) -> Any:
    """A JSON text (a request body, a web chat frame) parsed: the one JSON reader of the edge.

    Raises:
        BadRequest: not JSON, too deeply nested, or a number too long to convert.
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError and over-long integers are ValueErrors
        raise BadRequest("not JSON") from None


def form_field(form: Mapping[str, Any], key: str) -> str:
    """A text field of a posted form; empty when it is missing or a file."""
    value = form.get(key)
    return value if isinstance(value, str) else ""


def body_limit(max_image_bytes: int) -> int:
    """The largest request body or web chat frame: one photo (base64: 4/3 of its size) besides the text."""
    return max_image_bytes * 4 // 3 + 64 * 1024


def decode_image(value: object) -> bytes | None:
    """A photo sent as base64 (or a ``data:image/...;base64,`` URL); the engine checks its size and type.

    Raises:
        BadRequest: it is not a string of base64.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest("image, when given, must be a base64 string (or a data: URL) of a photo")
    if value.startswith("data:"):
        value = value.partition(",")[2]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("image is not valid base64") from None


def validated(model: type[M], value: Any) -> M:
    """``value`` checked against ``model``.

    Raises:
        BadRequest: the first problem found, as ``field: reason``.
    """
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        if error["type"] == "missing":
            raise BadRequest(f"{field} is required") from None
        raise BadRequest(str(error["msg"]).removeprefix("Value error, ")) from None


def _identifier(value: Any, what: str, limit: int) -> str:
    """A string or whole-number id (not a boolean), stripped, bounded and storable."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{what} must be a string or a whole number")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError(f"{what} is out of range")
    text = str(value).strip()
    if not text:
        raise ValueError(f"{what} must not be empty")
    if len(text) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    if not storable(text):
        raise ValueError(f"{what} holds characters that cannot be stored (NUL or an unpaired surrogate)")
    return text


def _message_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("text is required and must be a string")
    if len(value) > MAX_TEXT:
        raise ValueError(f"text is longer than {MAX_TEXT} characters")
    if not storable(value):
        raise ValueError("text holds characters that cannot be stored (NUL or an unpaired surrogate)")
    return value


def _photo(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError("image, when given, must be a base64 string (or a data: URL) of a photo")
    return value


class MessageBody(BaseModel):
    """``POST /api/messages``: ``{"customer", "text", "message_id"?, "image"?}``."""

    model_config = ConfigDict(extra="ignore")

    customer: str
    text: str
    message_id: str | None = None
    image: str | None = None

    @field_validator("customer", mode="before")
    @classmethod
    def _customer(cls, value: Any) -> str:
        if value is None:
            raise ValueError("customer is required: a non-empty string id")
        return _identifier(value, "customer", MAX_CUSTOMER)

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return _message_text(value)

    @field_validator("message_id", mode="before")
    @classmethod
    def _message_id(cls, value: Any) -> str | None:
        return None if value is None else _identifier(value, "message_id", MAX_MESSAGE_ID)

    @field_validator("image", mode="before")
    @classmethod
    def _image(cls, value: Any) -> str | None:
        return _photo(value)


class ChatFrame(BaseModel):
    """The web chat's ``{"type": "message", "id"?, "text", "image"?}`` frame."""

    model_config = ConfigDict(extra="ignore")

    type: str
    id: str | None = None
    text: str = ""
    image: str | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        if value != "message":
            raise ValueError("expected {type: message, id, text}")
        return "message"

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("id must be a string")
        return _identifier(value, "id", MAX_MESSAGE_ID)

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return _message_text(value)

    @field_validator("image", mode="before")
    @classmethod
    def _image(cls, value: Any) -> str | None:
        return _photo(value)
