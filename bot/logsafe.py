"""Logging that keeps secrets out and masks customers' phone numbers and addresses."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
_TOKEN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b")
_ADDRESS = re.compile(
    r"([\u4e00-\u9fff]{2,6}(?:省|自治区|市))[\u4e00-\u9fffA-Za-z0-9\-#（）()·\s]*?"
    r"(?:区|县|镇|乡|路|街|巷|号|村|小区|栋|幢|单元|室|楼|大厦|花园|公寓)[\u4e00-\u9fffA-Za-z0-9\-#（）()·]*"
)


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with phone numbers (138****8000), addresses (浙江省***) and secrets (***) hidden."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _TOKEN.sub("***", text)
    text = _PHONE.sub(r"\1****\2", text)
    return _ADDRESS.sub(lambda m: m.group(1) + "***", text)


class MaskingFilter(logging.Filter):
    """Masks every record's final message, whoever logged it (kefu, aiohttp, httpx...)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message, self._secrets)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info), self._secrets)
            record.exc_info = None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """One line per event on stderr, masked. Safe to call twice (tests build several apps)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kefu", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._kefu = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(MaskingFilter(secrets))
    root.addHandler(handler)
    root.setLevel(level)
    # Libraries that would log request URLs (a Telegram URL carries the bot token) stay quiet.
    for noisy in ("httpx", "httpcore", "telegram", "aiohttp.access", "jieba"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class ClientErrorFilter(logging.Filter):
    """aiohttp logs a request it cannot even parse (a request line over 8 KB, a malformed header) as an error with a
    traceback and the raw request line. That is the client's fault, not the server's: one warning line, naming the
    kind of fault only (the request line may carry a customer's id or text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "event=bad_http_request status=%s error=%s", (error.code, type(error).__name__)
            record.exc_info, record.exc_text = None, None
        return True


def quiet_client_errors() -> None:
    """Install :class:`ClientErrorFilter` on aiohttp's server logger (once, however many apps are built)."""
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, ClientErrorFilter) for f in server.filters):
        server.addFilter(ClientErrorFilter())
