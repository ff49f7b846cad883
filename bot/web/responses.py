"""The responses every area sends: JSON as UTF-8 text (Chinese as it is, not ``\\uXXXX``), HTML pages under a strict
Content-Security-Policy, and redirects."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

#: The pages, scripts and styles the app serves (under ``/static/``) and its HTML templates.
STATIC = Path(__file__).parent / "static"
#: The pages' headers: nothing cached, no script, no framing, nothing sniffed.
PAGE_HEADERS: Mapping[str, str] = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def dumps(value: Any) -> str:
    """``value`` as JSON text, non-ASCII characters kept as they are."""
    return json.dumps(value, ensure_ascii=False)


def json_response(value: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """``value`` as an ``application/json`` response (:func:`dumps`)."""
    return web.json_response(value, status=status, headers=headers, dumps=dumps)


def html_page(text: str, status: int = 200, headers: Mapping[str, str] = PAGE_HEADERS) -> web.Response:
    """An HTML page (UTF-8) with the pages' headers (or ``headers``)."""
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=headers)


def redirect(location: str) -> web.Response:
    """``303 See Other`` to ``location``, not cached."""
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})
