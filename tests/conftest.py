"""Shared fixtures: real stores in temp dirs, the real taxonomy/catalog, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.catalog import Catalog
from core.clock import FixedClock
from core.service import Navigator
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.fixture(scope="session")
def roles() -> RoleCatalog:
    return RoleCatalog.load()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
async def sqlite_store(tmp_path: Path):
    store = SqliteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield store
    await store.close()


@pytest.fixture
async def nav(sqlite_store, taxonomy, roles, catalog, clock) -> Navigator:
    return Navigator(sqlite_store, taxonomy, roles, catalog, clock=clock)


@pytest.fixture
async def mongo_engine_store():
    from core.storage.mongo.store import MongoStore
    from tests.fakes.mongo_engine import mongo_engine_client

    store = MongoStore(mongo_engine_client(), "career_nav_test")
    await store.open()
    yield store
    await store.close()


@pytest.fixture(params=["sqlite_store", "mongo_engine_store"])
def any_nav(request, taxonomy, roles, catalog, clock) -> Navigator:
    """A Navigator over each store adapter: analytics must give identical answers on both."""
    return Navigator(request.getfixturevalue(request.param), taxonomy, roles, catalog, clock=clock)
