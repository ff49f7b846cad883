"""Start-up and shutdown of everything a channel needs: database, knowledge, classifier, engine, and the
Telegram channel when ``TELEGRAM_BOT_TOKEN`` is set.

One owner: :func:`open_services` builds them in order and disposes of them in reverse. The web app
enters it as a cleanup context; the terminal chat enters it directly.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.conversation import Catalogue, ProductView, load_catalogue_file
from bot.desk.presence import OfflineSweeper, requeued_text
from bot.engine.engine import Classifier, Engine, ShopKnowledge
from bot.engine.followups import FollowUps
from bot.engine.hub import Hub
from bot.engine.periodic import periodic
from bot.engine.relay import PgRelay, asyncpg_dsn
from bot.web.limits import MessageLimits, seconds_of, slow_down_text
from models import Clock, Database, Phrase, Product
from replies import PhraseBank, PhraseEntry

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

log = logging.getLogger("kefu.start")
REFRESH_SECONDS = 30.0


@dataclass(slots=True)
class Services:
    """The running parts, shared by every channel of one process."""

    settings: Settings
    db: Database
    hub: Hub
    knowledge: KnowledgeCache
    engine: Engine
    followups: FollowUps
    presence: OfflineSweeper
    limits: MessageLimits  # customers' messages, per customer and per address (every channel of this process)
    telegram: TelegramChannel | None = None  # running when TELEGRAM_BOT_TOKEN is set
    relay: PgRelay | None = None  # on PostgreSQL: the hub's link to the other workers


class KnowledgeCache:
    """The catalogue and phrase bank, read from the database and refreshed every 30 s, so that an
    admin's change reaches every worker without a query on every message."""

    def __init__(self, database: Database, current: ShopKnowledge) -> None:
        self._db = database
        self._current = current

    def __call__(self) -> ShopKnowledge:
        return self._current

    @classmethod
    async def load(cls, database: Database) -> KnowledgeCache:
        return cls(database, await database.run(_read_knowledge))

    async def refresh(self) -> None:
        """Re-read the tables.

        Raises:
            ConfigError / PhraseBankError: what admins stored is invalid; the old snapshot stays.
        """
        self._current = await self._db.run(_read_knowledge)

    async def run(self, every: float = REFRESH_SECONDS) -> None:
        # (a failed refresh keeps serving the last good snapshot, loudly)
        await periodic(self.refresh, every=every, log=log, event="knowledge_refresh_failed")


def _read_knowledge(session: Session) -> ShopKnowledge:
    products = session.execute(select(Product).where(Product.active).order_by(Product.id)).scalars().all()
    phrases = session.execute(select(Phrase).order_by(Phrase.id)).scalars().all()
    catalogue = Catalogue(
        ProductView.from_record(
            {**p.attributes, "sku": p.sku, "name": p.name, "category": p.category, "price": p.price,
             "stock": p.stock, "related": p.related}
        )
        for p in products
    )
    bank = PhraseBank(PhraseEntry(p.key, p.title, p.shortcut, tuple(p.variants)) for p in phrases)
    return ShopKnowledge(catalogue=catalogue, phrases=bank)


def seed(settings: Settings, session: Session) -> None:
    """First start: load the demo catalogue into an empty catalogue; every start: add phrase keys
    the shipped bank has and the database lacks (admins' edits to existing keys are kept)."""
    shipped = PhraseBank.from_yaml()
    if settings.demo_catalogue and not session.execute(select(func.count()).select_from(Product)).scalar_one():
        products = load_catalogue_file()
        session.add_all(
            Product(sku=p.sku, name=p.name, category=p.category, price=p.price, stock=p.stock,
                    attributes=p.attributes(), related=list(p.related))
            for p in products
        )
        log.info("event=demo_catalogue_loaded products=%d", len(products))
    known = set(session.execute(select(Phrase.key)).scalars())
    missing = [e for e in shipped.entries() if e.key not in known]
    session.add_all(Phrase(key=e.key, title=e.title, shortcut=e.shortcut, variants=list(e.variants)) for e in missing)
    if missing:
        log.info("event=phrases_loaded added=%d", len(missing))


def load_classifier(settings: Settings) -> Classifier:
    """The intent model from ``var/models``, trained first if missing or stale."""
    from intents import IntentClassifier

    return IntentClassifier.load(model_dir=settings.var_dir / "models")


@asynccontextmanager
async def open_services(
    settings: Settings, *, classifier: Classifier | None = None, clock: Clock | None = None
) -> AsyncIterator[Services]:
    """Build everything, yield it, and dispose of it in reverse order. ``clock`` (tests move it) decides
    when follow-ups are due and when an agent counts as offline.

    On PostgreSQL the hub is linked to the other workers sharing the database (:class:`bot.engine.relay.PgRelay`).
    With ``TELEGRAM_BOT_TOKEN`` the Telegram channel starts last and stops first; it makes no network call
    at start-up, so an unreachable Telegram (or a rejected token, which it logs) never stops the web chat.

    Raises:
        sqlalchemy errors: the database cannot be reached or migrated (start-up stops).
        ConfigError / PhraseBankError: the catalogue or phrase bank is invalid; TELEGRAM_API_BASE_URL is
            not a Bot API base URL.
    """
    started = time.perf_counter()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.effective_database_url)
    background: list[asyncio.Task[None]] = []
    telegram: TelegramChannel | None = None
    relay: PgRelay | None = None
    try:
        await db.migrate()
        await db.run(partial(seed, settings))
        knowledge = await KnowledgeCache.load(db)
        if classifier is None:
            classifier = await asyncio.to_thread(load_classifier, settings)
        hub = Hub()
        engine = Engine(db, classifier, knowledge, settings, hub, clock)
        if db.backend == "postgresql":  # other workers may share the database: carry the hub's notices to them
            relay = PgRelay(hub, asyncpg_dsn(db.url), engine.history)
            await relay.start()
        followups = FollowUps(db, hub, knowledge, engine.global_values, clock)
        presence = OfflineSweeper(db, hub, settings.agent_offline_seconds, clock,
                                  requeued=lambda: requeued_text(knowledge().phrases, engine.global_values))
        limits = MessageLimits(
            settings, seconds_of(clock), polite=lambda: slow_down_text(knowledge().phrases, engine.global_values)
        )
        background.append(asyncio.create_task(knowledge.run(), name="kefu-knowledge-refresh"))
        background.append(asyncio.create_task(followups.run(), name="kefu-follow-ups"))
        background.append(asyncio.create_task(presence.run(), name="kefu-offline-sweeper"))
        if settings.telegram_bot_token is not None:
            from bot.channels.telegram import (
                TelegramChannel,  # python-telegram-bot is imported only when it is used
            )

            telegram = TelegramChannel(settings, db, engine, hub, clock, limits=limits)
            await telegram.start()
        log.info(
            "event=ready database=%s products=%d phrases=%d ms=%.0f",
            db.backend, len(knowledge().catalogue), len(knowledge().phrases),
            (time.perf_counter() - started) * 1000,
        )
        yield Services(settings, db, hub, knowledge, engine, followups, presence, limits, telegram, relay)
    finally:
        if telegram is not None:
            await telegram.stop()
        if relay is not None:
            await relay.stop()
        for task in background:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        await db.dispose()
