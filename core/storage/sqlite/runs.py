"""SQLite adapters for the run ledger, ingestion watermarks and slot locks (core.storage.run_ports).

Times are stored as fixed-width UTC ISO-8601 text, so SQL compares them correctly as strings. A claim is one
upsert whose conflict branch only fires on a free key; inside BEGIN IMMEDIATE a second process waits for
the write lock and then finds the key taken.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from core.storage.run_ports import RunRecord, SlotLock, Watermark
from core.storage.sqlite.connection import SqliteConnection
from core.storage.sqlite.codec import parse_time, utc_text

_RUN_COLUMNS = "run_id, job, slot, status, started_at, finished_at, summary"
_LOCK_COLUMNS = "key, owner, claimed_at, expires_at, done_at"




def _run(row: tuple) -> RunRecord:
    run_id, job, slot, status, started_at, finished_at, summary = row
    return RunRecord(run_id, job, status, parse_time(started_at), parse_time(finished_at), slot, json.loads(summary))  # type: ignore[arg-type]


class SqliteRunLedger:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def record(self, run: RunRecord) -> None:
        sql = f"INSERT OR REPLACE INTO job_runs({_RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
        args = (
            run.run_id, run.job, run.slot, run.status, utc_text(run.started_at), utc_text(run.finished_at),
            json.dumps(run.summary, default=str),
        )
        await self._db.write(lambda c: c.execute(sql, args))

    async def last(self, job: str | None = None) -> RunRecord | None:
        runs = await self.recent(job, limit=1)
        return runs[0] if runs else None

    async def recent(self, job: str | None = None, limit: int = 20) -> list[RunRecord]:
        where, args = ("WHERE job = ?", (job,)) if job else ("", ())
        sql = f"SELECT {_RUN_COLUMNS} FROM job_runs {where} ORDER BY finished_at DESC, run_id LIMIT ?"
        rows = await self._db.read(lambda c: c.execute(sql, (*args, limit)).fetchall())
        return [_run(row) for row in rows]

    async def for_slot(self, slot: str) -> list[RunRecord]:
        sql = f"SELECT {_RUN_COLUMNS} FROM job_runs WHERE slot = ? ORDER BY finished_at"
        return [_run(row) for row in await self._db.read(lambda c: c.execute(sql, (slot,)).fetchall())]

    async def delete_older_than(self, cutoff: datetime) -> int:
        sql = "DELETE FROM job_runs WHERE finished_at < ?"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(cutoff),)).rowcount)

    async def watermark(self, search: str) -> Watermark:
        sql = "SELECT discovered_through, bought_ids, bought_through FROM ingest_watermarks WHERE search = ?"
        row = await self._db.read(lambda c: c.execute(sql, (search,)).fetchone())
        if row is None:
            return Watermark()
        return Watermark(parse_time(row[0]), tuple(json.loads(row[1])), parse_time(row[2]))

    async def save_watermark(self, search: str, watermark: Watermark) -> None:
        sql = (
            "INSERT OR REPLACE INTO ingest_watermarks(search, discovered_through, bought_ids, bought_through) "
            "VALUES (?, ?, ?, ?)"
        )
        args = (
            search, utc_text(watermark.discovered_through), json.dumps(list(watermark.bought_ids)),
            utc_text(watermark.bought_through),
        )
        await self._db.write(lambda c: c.execute(sql, args))


class SqliteSlotLocks:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def claim(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        sql = (
            f"INSERT INTO job_locks({_LOCK_COLUMNS}) VALUES (?, ?, ?, ?, NULL) "
            "ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, "
            "expires_at = excluded.expires_at "
            "WHERE job_locks.done_at IS NULL AND job_locks.expires_at <= excluded.claimed_at"
        )
        args = (key, owner, utc_text(now), utc_text(now + lease))
        return await self._db.write(lambda c: c.execute(sql, args).rowcount == 1)

    async def renew(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        sql = "UPDATE job_locks SET expires_at = ? WHERE key = ? AND owner = ? AND done_at IS NULL"
        args = (utc_text(now + lease), key, owner)
        return await self._db.write(lambda c: c.execute(sql, args).rowcount == 1)

    async def release(self, key: str, owner: str, now: datetime, *, done: bool = True) -> bool:
        column = "done_at" if done else "expires_at"
        sql = f"UPDATE job_locks SET {column} = ? WHERE key = ? AND owner = ? AND done_at IS NULL"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(now), key, owner)).rowcount == 1)

    async def get(self, key: str) -> SlotLock | None:
        sql = f"SELECT {_LOCK_COLUMNS} FROM job_locks WHERE key = ?"
        row = await self._db.read(lambda c: c.execute(sql, (key,)).fetchone())
        return _lock(row) if row else None

    async def delete_older_than(self, cutoff: datetime) -> int:
        sql = "DELETE FROM job_locks WHERE expires_at < ? AND (done_at IS NULL OR done_at < ?)"
        text = utc_text(cutoff)
        return await self._db.write(lambda c: c.execute(sql, (text, text)).rowcount)


def _lock(row: tuple) -> SlotLock:
    key, owner, claimed_at, expires_at, done_at = row
    return SlotLock(key, owner, parse_time(claimed_at), parse_time(expires_at), parse_time(done_at))  # type: ignore[arg-type]

