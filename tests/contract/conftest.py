"""Fixtures for the storage contract suite: one `store` fixture parametrized over every adapter.

Each adapter fixture returns a factory of async context managers that yield an opened store and clean up
after it; `store` opens the one its parameter names. The real-MongoDB adapter runs only when
CAREER_NAV_TEST_MONGODB_URI is set (e.g. `mongodb://localhost:27017` with compose's MongoDB up).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from core.models import Posting, PostingSkill, Salary, SearchContext
from core.storage.ports import Store

MONGO_URI_VARIABLE = "CAREER_NAV_TEST_MONGODB_URI"
ADAPTERS = ["sqlite_store", "mongo_engine_store", "mongo_real_store"]

StoreFactory = Callable[[], AbstractAsyncContextManager[Store]]


@asynccontextmanager
async def _opened(store: Store) -> AsyncIterator[Store]:
    try:
        await store.open()
        yield store
    finally:
        await store.close()  # also when open() failed halfway


@pytest.fixture
def sqlite_store(tmp_path: Path) -> StoreFactory:
    from core.storage.sqlite.store import SqliteStore

    return lambda: _opened(SqliteStore(tmp_path / "career-nav.sqlite3"))


@pytest.fixture
def mongo_engine_store() -> StoreFactory:
    from core.storage.mongo.store import MongoStore
    from tests.fakes.mongo_engine import mongo_engine_client

    return lambda: _opened(MongoStore(mongo_engine_client(), "career_nav_contract"))


@pytest.fixture
def mongo_real_store() -> StoreFactory:
    uri = os.environ.get(MONGO_URI_VARIABLE)
    if not uri:
        pytest.skip(f"{MONGO_URI_VARIABLE} is not set")
    return lambda: _real_mongo_store(uri)


@asynccontextmanager
async def _real_mongo_store(uri: str) -> AsyncIterator[Store]:
    from pymongo import AsyncMongoClient

    from core.storage.mongo.store import MongoStore

    name = f"career_nav_test_{uuid.uuid4().hex[:12]}"
    try:
        async with _opened(MongoStore(AsyncMongoClient(uri, serverSelectionTimeoutMS=5_000), name)) as store:
            yield store
    finally:
        # A client of its own: the test may have closed the store's client already.
        async with AsyncMongoClient(uri, serverSelectionTimeoutMS=5_000) as admin:
            await admin.drop_database(name)


@pytest.fixture(params=ADAPTERS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    factory: StoreFactory = request.getfixturevalue(request.param)
    async with factory() as opened:
        yield opened


# --- postings ---------------------------------------------------------------------------------------------

D1, D2, D3, D4 = date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3), date(2025, 3, 4)


def at(day: date, hour: int = 12, microsecond: int = 0) -> datetime:
    return datetime.combine(day, time(hour, 0, 0, microsecond), tzinfo=UTC)


def make_posting(
    job_id: str,
    day: date | None = D1,
    *,
    skills: tuple[str, ...] = ("Python", "SQL"),
    roles: tuple[str, ...] = ("backend",),
    location: str | None = "Berlin, Germany",
    salary: tuple[float, float] | None = None,
    discovered_at: datetime | None = None,
    search_role: str | None = "Backend Developer",
    remote: bool = False,
    demo: bool = False,
    title: str = "Backend Developer",
) -> Posting:
    """A posting dated `day` (date_posted) with the given skills, role keys, location and USD salary."""
    low, high = salary or (None, None)
    return Posting(
        job_id=job_id,
        title=title,
        company="Acme",
        locations=[location] if location else [],
        remote=remote,
        salary=Salary(min_annual_usd=low, max_annual_usd=high, currency="USD" if salary else None),
        date_posted=day,
        discovered_at=discovered_at or (at(day) if day else None),
        description=f"We need {', '.join(skills)}.",
        skills=[PostingSkill(name=name, category="language", sources=["text"]) for name in skills],
        role_keys=list(roles),
        search=SearchContext(role=search_role, location="United States"),
        is_demo=demo,
    )


def market() -> list[Posting]:
    """A small market over four days: several roles, shared skills, dotted names, salaries, remote jobs."""
    return [
        make_posting("j1", D1, skills=("Python", "SQL"), roles=("backend",), salary=(100_000, 140_000)),
        make_posting("j2", D1, skills=("Python", "Node.js"), roles=("backend", "fullstack"), location="St. Louis, MO"),
        make_posting("j3", D2, skills=("React", "TypeScript"), roles=("frontend",), location=None, remote=True),
        make_posting("j4", D2, skills=("Python", "Spark"), roles=("data_engineer",), salary=(120_000, 160_000)),
        make_posting("j5", D3, skills=("Go", "Kubernetes"), roles=("backend", "devops"), salary=(150_000, 150_000)),
        make_posting("j6", D4, skills=("Python",), roles=(), search_role=None),
    ]
