"""The one composition root: settings in, a ready Navigator out. Called inside each process's event loop."""

from __future__ import annotations

import logging

from core.accounts import AccountService
from core.catalog import Catalog
from core.clock import Clock
from core.service import Navigator
from core.settings import Settings
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.ports import Store

log = logging.getLogger("career_nav")


def build_store(settings: Settings) -> Store:
    if settings.uses_mongo:
        from core.storage.mongo.store import MongoStore

        return MongoStore.from_uri(settings.mongodb_uri or "", settings.mongodb_database)
    from core.storage.sqlite.store import SqliteStore

    return SqliteStore(settings.sqlite_path)


async def open_navigator(settings: Settings, *, store: Store | None = None, clock: Clock | None = None) -> Navigator:
    """Opens the store (migrations/indexes included) and wires the core services."""
    taxonomy, roles, catalog = Taxonomy.load(), RoleCatalog.load(), Catalog.load()  # fail fast, before any I/O
    store = store or build_store(settings)
    await store.open()
    log.info("store opened: %s", store.kind)
    accounts = AccountService(store, taxonomy, roles, settings, clock)
    return Navigator(store, taxonomy, roles, catalog, clock=clock, accounts=accounts, app_name=settings.app_name, app_version=settings.app_version)


def configure_logging(settings: Settings, *, level: str | None = None) -> None:
    logging.basicConfig(level=level or settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Bot API URLs contain the bot token; httpx logs every request URL at INFO.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
