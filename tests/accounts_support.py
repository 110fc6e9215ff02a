"""Builders shared by the account tests: a small taxonomy, a fast argon2 hasher, a token config, a service."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher

from core.accounts import AccountService
from core.clock import Clock
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import SkillEntry, Taxonomy
from core.storage.ports import Store

SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PASSWORD = "CorrectHorse9Battery"


def fast_hasher() -> PasswordHasher:
    """argon2id with the smallest parameters, so tests hash in microseconds."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def small_taxonomy() -> Taxonomy:
    return Taxonomy.from_entries(
        [
            SkillEntry("Python", "language", ("python3", "py")),
            SkillEntry("Java", "language"),
            SkillEntry("JavaScript", "language", ("js",)),
            SkillEntry("Kubernetes", "devops/tool", ("k8s",)),
            SkillEntry("PostgreSQL", "database", ("postgres",)),
            SkillEntry("Django", "framework/library", parent="Python"),
        ]
    )


@dataclass
class TokenConfig:
    """The settings AccountService reads (a real class standing in for core.settings.Settings)."""

    jwt_secret_key: str = SECRET
    jwt_algorithm: str = "HS256"
    app_name: str = "Career Navigator"

    def jwt_secret(self) -> str:
        return self.jwt_secret_key


def account_service(store: Store, clock: Clock, *, hasher: PasswordHasher | None = None, config: TokenConfig | None = None) -> AccountService:
    return AccountService(store, small_taxonomy(), RoleCatalog.load(), config or TokenConfig(), clock, hasher=hasher or fast_hasher())


async def everything_stored(store: Any) -> str:
    """Every value in every table/collection of a store, as one string (to prove something is gone)."""
    if store.kind == "sqlite":
        return _sqlite_dump(store.path)
    database = store._client[store.database_name]  # the raw database behind MongoStore
    parts = []
    for name in await database.list_collection_names():
        async for document in database[name].find({}):
            parts.append(f"{name}: {document!r}")
    return "\n".join(parts)


def _sqlite_dump(path: Any) -> str:
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(f"{table}: {row!r}" for table in tables for row in conn.execute(f'SELECT * FROM "{table}"'))
    finally:
        conn.close()
