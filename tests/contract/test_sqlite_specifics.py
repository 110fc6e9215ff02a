"""What only the embedded SQLite store promises: one-time migrations, WAL, and several processes on one file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.storage.sqlite.schema import MIGRATIONS
from core.storage.sqlite.store import SqliteStore
from tests.contract.conftest import D1, D2, make_posting


def _query(path: Path, sql: str) -> list[tuple]:
    """Reads the file through a separate connection, as another process or an operator would."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def test_reopening_keeps_data_and_applies_the_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    applied = []
    for round_ in range(3):
        store = SqliteStore(path)
        await store.open()
        await store.postings.upsert_many([make_posting(f"job-{round_}", D1)])
        await store.close()
        applied.append(_query(path, "SELECT version, applied_at FROM schema_migrations ORDER BY version"))
    assert [version for version, _ in applied[0]] == [version for version, _ in MIGRATIONS]
    assert applied[0] == applied[1] == applied[2]
    assert _query(path, "SELECT COUNT(*) FROM postings") == [(3,)]


async def test_the_database_runs_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = SqliteStore(path)
    await store.open()
    await store.close()
    assert _query(path, "PRAGMA journal_mode") == [("wal",)]


async def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    writer, reader = SqliteStore(path), SqliteStore(path)
    await writer.open()
    await reader.open()
    try:
        await writer.postings.upsert_many([make_posting("j1", D1)])
        assert (await reader.postings.get("j1")).job_id == "j1"
        await reader.postings.upsert_many([make_posting("j2", D2)])
        assert await writer.postings.count() == 2
        assert await writer.meta.bump_data_version() == 1
        assert await reader.meta.bump_data_version() == 2
        assert await writer.meta.data_version() == 2
    finally:
        await writer.close()
        await reader.close()
