"""kefu's service: the conversation engine, its channels and start-up.

Other packages and tests import from here; the underscore modules are private.
"""

from bot._app import SERVICES, create_app
from bot._engine import Engine
from bot._envelope import Inbound, Outcome, Reply
from bot._services import Services, open_services
from bot.config import Settings, load_settings
from bot.errors import BadRequest, ConfigError, KefuError, StorageError

__all__ = [
    "SERVICES",
    "BadRequest",
    "ConfigError",
    "Engine",
    "Inbound",
    "KefuError",
    "Outcome",
    "Reply",
    "Services",
    "Settings",
    "StorageError",
    "create_app",
    "load_settings",
    "open_services",
]
