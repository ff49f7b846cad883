"""kefu's service: the conversation, the engine, its channels, the agents' desk and the admin side.

Other packages and tests import the names below from here. They are loaded on first use (PEP 562), so that
importing ``bot.conversation`` or ``bot.config`` does not load aiohttp or SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings, load_settings
    from bot.engine.engine import Engine
    from bot.engine.envelope import Inbound, Outcome, Reply
    from bot.engine.services import Services, open_services
    from bot.errors import BadRequest, ConfigError, KefuError, StorageError
    from bot.web.app import create_app
    from bot.web.keys import SERVICES

_WHERE = {
    "SERVICES": "bot.web.keys",
    "create_app": "bot.web.app",
    "Engine": "bot.engine.engine",
    "Inbound": "bot.engine.envelope",
    "Outcome": "bot.engine.envelope",
    "Reply": "bot.engine.envelope",
    "Services": "bot.engine.services",
    "open_services": "bot.engine.services",
    "Settings": "bot.config",
    "load_settings": "bot.config",
    "BadRequest": "bot.errors",
    "ConfigError": "bot.errors",
    "KefuError": "bot.errors",
    "StorageError": "bot.errors",
}

__all__ = [
    "BadRequest",
    "ConfigError",
    "Engine",
    "Inbound",
    "KefuError",
    "Outcome",
    "Reply",
    "SERVICES",
    "Services",
    "Settings",
    "StorageError",
    "create_app",
    "load_settings",
    "open_services",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value
