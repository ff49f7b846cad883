"""A Bot API server of our own, on loopback, for the Telegram channel's tests.

It speaks what python-telegram-bot sends over real HTTP (form-encoded parameters, JSON values where the API
wants them): ``getMe``, ``deleteWebhook``, ``getUpdates`` (long polling with Telegram's offset rule: calling
with an offset confirms — forgets — every update below it), ``sendMessage``, ``getFile`` and the file download
route ``/file/bot<token>/<path>``; any other method answers ``true``. Tests push customers' updates in, read
what the bot sent, and script failures (``403`` blocked, ``429`` flood control, ``5xx``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456789:AAHkefuTestTokenDoNotUse_abcdefghijk"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "暖暖衣橱", "username": "nuannuan_shop_bot"}
LONG_POLL_CAP = 0.5  # the server may answer a long poll early; this keeps shutdowns quick


@dataclass(frozen=True, slots=True)
class Sent:
    """One ``sendMessage`` the bot made."""

    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None

    @property
    def buttons(self) -> list[str]:
        """The reply keyboard's labels, row by row flattened ([] without a keyboard)."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [button["text"] if isinstance(button, dict) else str(button) for row in rows for button in row]

    @property
    def removes_keyboard(self) -> bool:
        return bool((self.reply_markup or {}).get("remove_keyboard"))


@dataclass(slots=True)
class Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeBotApi:
    """The server's state. ``app()`` is the aiohttp application; run it with pytest-aiohttp's ``aiohttp_server``
    and set ``url`` to where it listens."""

    token: str = TOKEN
    url: str = ""
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    attempts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # every call, failed ones too
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _message_ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base_url(self) -> str:
        """What ``TELEGRAM_API_BASE_URL`` is set to."""
        return f"{self.url.rstrip('/')}/bot"

    # ------------------------------------------------------------ what customers do

    def push(self, message: dict[str, Any], *, update_id: int | None = None) -> dict[str, Any]:
        """Queue an update carrying ``message``; returns the update."""
        update = {"update_id": update_id if update_id is not None else next(self._update_ids), "message": message}
        self.updates.append(update)
        self._arrived.set()
        return update

    def message(self, chat_id: int, *, chat_type: str = "private", message_id: int | None = None,
                **content: Any) -> dict[str, Any]:
        """A message from the customer ``chat_id`` (a private chat's id is the user's id)."""
        if message_id is None:
            message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1)))
        user = {"id": abs(chat_id), "is_bot": False, "first_name": "小", "last_name": "明", "language_code": "zh-hans"}
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "小", "last_name": "明"} if chat_type == "private" else {"title": "客服群"})
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": user, **content}

    def text(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """The customer types ``text`` (or taps a reply-keyboard button labelled ``text``)."""
        return self.push(self.message(chat_id, text=text, **kwargs))

    def photo(self, chat_id: int, data: bytes, caption: str | None = None) -> dict[str, Any]:
        """The customer sends a photo: Telegram offers it in sizes; the largest is ``data``."""
        number = len(self.files) + 1
        small, large = f"photo-{number}-small", f"photo-{number}-large"
        self.files[small] = b"\xff\xd8\xff\xe0small"
        self.files[large] = data
        sizes = [
            {"file_id": small, "file_unique_id": f"u{small}", "width": 90, "height": 67, "file_size": 10},
            {"file_id": large, "file_unique_id": f"u{large}", "width": 1280, "height": 960, "file_size": len(data)},
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self.push(self.message(chat_id, **content))

    def sticker(self, chat_id: int) -> dict[str, Any]:
        sticker = {"file_id": "sticker-1", "file_unique_id": "usticker-1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "😀"}
        return self.push(self.message(chat_id, sticker=sticker))

    def voice(self, chat_id: int) -> dict[str, Any]:
        voice = {"file_id": "voice-1", "file_unique_id": "uvoice-1", "duration": 3, "mime_type": "audio/ogg"}
        return self.push(self.message(chat_id, voice=voice))

    # ------------------------------------------------------------ what the bot did

    def to(self, chat_id: int) -> list[Sent]:
        """Everything the bot sent to ``chat_id``, in order."""
        return [s for s in self.sent if s.chat_id == chat_id]

    def fail(self, method: str, status: int, description: str, *, retry_after: int | None = None,
             times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail with ``status``."""
        self.failures.setdefault(method, []).extend(Failure(status, description, retry_after) for _ in range(times))

    async def wait_until(self, check: Callable[[], Any], *, within: float = 10.0, what: str = "") -> Any:
        """Poll ``check`` until it returns something truthy (returned) or fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or check}; sent so far: {self.sent}")
            await asyncio.sleep(0.02)

    async def wait_for_messages(self, chat_id: int, count: int, *, within: float = 10.0) -> list[Sent]:
        """Wait until the bot has sent ``chat_id`` at least ``count`` messages; returns them all."""
        await self.wait_until(lambda: len(self.to(chat_id)) >= count, within=within,
                              what=f"{count} message(s) to {chat_id}")
        return self.to(chat_id)

    # ------------------------------------------------------------ the HTTP side

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._method)
        app.router.add_get("/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await _params(request)
        self.attempts.append((method, params))
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        handler = getattr(self, f"_api_{method}", None)
        result = await handler(params) if handler is not None else True
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]  # confirmed: forgotten
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if not self.updates and timeout > 0:
            self._arrived.clear()
            with suppress(TimeoutError):  # no update arrived within the (capped) long poll: an empty answer
                await asyncio.wait_for(self._arrived.wait(), min(timeout, LONG_POLL_CAP))
        return self.updates[:limit]

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return web.json_response(
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}, status=403
            )
        markup = params.get("reply_markup")
        self.sent.append(Sent(chat_id, str(params["text"]), markup if isinstance(markup, dict) else None))
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        return {"message_id": len(self.sent), "date": int(time.time()), "chat": chat, "from": BOT_USER,
                "text": params["text"]}

    async def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"},
                                     status=400)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}.jpg"}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            raise web.HTTPUnauthorized()
        path = request.match_info["path"]
        file_id = path.removeprefix("photos/").removesuffix(".jpg")
        if file_id not in self.files:
            raise web.HTTPNotFound()
        self.downloads.append(file_id)
        return web.Response(body=self.files[file_id], content_type="image/jpeg")


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters: python-telegram-bot posts a form whose values are JSON where the API wants an
    object (``reply_markup``, ``allowed_updates``); plain JSON bodies work too."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {**request.query}
    for key, value in form.items():
        text = value if isinstance(value, str) else ""
        if key in ("reply_markup", "allowed_updates", "entities"):
            params[key] = json.loads(text)
        else:
            params[key] = text
    return params
