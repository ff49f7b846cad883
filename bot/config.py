"""Settings read from the environment, validated once at start-up."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

Money = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """Everything kefu can be told from outside. Names follow docs/CONTRACT.md.

    Contract names (``DATABASE_URL``, ``TELEGRAM_*``, ``KEFU_API_KEY``) are read as written;
    every other setting is ``KEFU_<FIELD>`` (for example ``KEFU_SHOP_NAME``).
    """

    model_config = SettingsConfigDict(env_prefix="KEFU_", extra="ignore", frozen=True, populate_by_name=True)

    var_dir: Path = Path("var")
    database_url: str | None = Field(default=None, validation_alias=_env("DATABASE_URL"))
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_api_base_url: str | None = Field(default=None, validation_alias=_env("TELEGRAM_API_BASE_URL"))
    telegram_agent_chat_id: int | None = Field(default=None, validation_alias=_env("TELEGRAM_AGENT_CHAT_ID"))
    api_key: SecretStr | None = Field(default=None, validation_alias=_env("KEFU_API_KEY"))
    # The REST API without a key is open to loopback clients only; KEFU_API_OPEN=true opens it to anyone who
    # reaches the port (a trusted network), and `serve` then logs a warning.
    api_open: bool = False
    # A key of its own for the warehouse's scanners: /api/shipping with it, nothing else.
    warehouse_key: SecretStr | None = None

    log_level: str = "INFO"
    demo_catalogue: bool = True

    # The shop and its policies (what the phrase bank's placeholders are filled with).
    shop_name: str = "暖暖衣橱"
    free_shipping_threshold: Money = Decimal("99")
    shipping_fee: Money = Decimal("8")
    courier: str = "中通快递"
    dispatch_cutoff: str = "16:00"
    delivery_days: str = "2–4"
    return_days: int = Field(default=7, ge=0, le=90)
    # Who pays the postage of a return or exchange that is not the shop's fault: buyer | shop | insurance
    # (运费险: the shop buys shipping insurance with every order, which refunds the buyer's return postage).
    return_postage: Literal["buyer", "shop", "insurance"] = "buyer"
    refund_days: str = "1–3"  # working days from the return's arrival (or a cancel) to the money back
    # Where returns go (name, phone, address); empty: the bot never guesses one, a colleague sends it.
    return_address: str = ""
    invoice_days: int = Field(default=3, ge=1, le=60)  # working days from the request to the invoice e-mail
    invoice_types: str = "电子普通发票"
    service_hours: str = "9:00–23:00"

    # Bargaining limits: what the bot may concede, in the order it concedes them.
    coupon_amount: Money = Decimal("10")
    coupon_min_total: Money = Decimal("59")
    gift: str = "同色系棉袜一双"
    free_shipping_concession: bool = True

    # Understanding.
    confidence_threshold: float = Field(default=0.40, gt=0, lt=1)

    # Agents' and admins' logins.
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_lock_minutes: float = Field(default=15, gt=0, le=24 * 60)

    # The agents' console: a chat is flagged when a customer has waited this long without a person's answer.
    agent_flag_seconds: float = Field(default=30, gt=0, le=24 * 3600)
    # After an agent resolves a chat, the bot asks after this many minutes whether the remedy arrived (and for a score).
    follow_up_minutes: float = Field(default=60 * 24, ge=0, le=60 * 24 * 60)
    # Agents' working hours are ``service_hours`` in this time zone (outside them, an escalated customer is told
    # when someone will answer).
    timezone: str = "Asia/Shanghai"
    # An agent whose console has not been seen for this long is offline: their chats go back to the queue.
    agent_offline_seconds: float = Field(default=90, ge=5, le=24 * 3600)
    # The expected wait per chat ahead in the queue until enough real takeovers have been measured.
    minutes_per_chat: float = Field(default=3, gt=0, le=24 * 60)
    # The coupon the bot itself may offer for a late parcel (0: none; the customer is put through to a person).
    late_parcel_coupon: Money = Decimal("10")
    # Photos customers send as evidence: the largest accepted, in bytes.
    max_image_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)

    # Rate limits (in memory, per process; bot/web/limits.py). Off: no buckets at all (the lock-out and the cap on
    # password checks stay).
    rate_limits: bool = True
    # Each customer: this many messages a second on average, this many at once after a quiet spell.
    message_rate: float = Field(default=1.0, gt=0, le=1000)
    # (A person types far below this; a script replaying a long chat at machine speed needs the burst.)
    message_burst: int = Field(default=20, ge=1, le=10_000)
    # Each client address (the web chat, and REST without KEFU_API_KEY): a shop's office or a mobile carrier's
    # NAT may put many customers behind one.
    address_rate: float = Field(default=10.0, gt=0, le=100_000)
    address_burst: int = Field(default=40, ge=1, le=1_000_000)
    # Behind a proxy of the shop's own: the client address is the last X-Forwarded-For entry (else the peer's).
    trust_x_forwarded_for: bool = False
    # Login attempts from one address (any names), and how many argon2 checks run at once (four times as many wait;
    # beyond that a login is refused as busy).
    login_address_per_minute: float = Field(default=5, gt=0, le=100_000)
    login_address_burst: int = Field(default=20, ge=1, le=100_000)
    login_checks_at_once: int = Field(default=1, ge=1, le=64)

    @field_validator("dispatch_cutoff")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value):
            raise ValueError("must be a time of day such as 16:00")
        return value

    @field_validator("service_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        if not re.fullmatch(r"\s*([01]?\d|2[0-4]):[0-5]\d\s*[-–—~至到]\s*([01]?\d|2[0-4]):[0-5]\d\s*", value):
            raise ValueError("must be a range of times of day such as 9:00–23:00")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a time zone name such as Asia/Shanghai") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @model_validator(mode="after")
    def _telegram_needs_token(self) -> Settings:
        if self.telegram_agent_chat_id is not None and self.telegram_bot_token is None:
            raise ValueError("TELEGRAM_AGENT_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not")
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file under ``var_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / 'kefu.db').as_posix()}"


def load_settings(**overrides: object) -> Settings:
    """Read the environment (plus ``overrides``, for tests) into :class:`Settings`.

    Raises:
        ConfigError: with a one-line reason naming the variable, when a value is malformed.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        name = _variable_name(field)
        raise ConfigError(f"{name}: {first['msg']}") from None


def _variable_name(field: str) -> str:
    aliases = {
        "database_url": "DATABASE_URL",
        "DATABASE_URL": "DATABASE_URL",
        "telegram_bot_token": "TELEGRAM_BOT_TOKEN",
        "telegram_api_base_url": "TELEGRAM_API_BASE_URL",
        "telegram_agent_chat_id": "TELEGRAM_AGENT_CHAT_ID",
        "api_key": "KEFU_API_KEY",
    }
    if field.upper().startswith(("TELEGRAM_", "DATABASE_", "KEFU_")):
        return field.upper()
    return aliases.get(field, f"KEFU_{field.upper()}")
