"""SQLite adapter for the digest ledger (core.storage.digest_ports), table `digest_ledger` (migration 6).

A claim reads and writes the (user, period) row inside one BEGIN IMMEDIATE transaction, so a second process
waits for the write lock and then sees the first one's claim. Times are fixed-width UTC ISO-8601 text.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from core.storage.digest_ports import FAILED, OUTCOME_UNKNOWN, SENDING, SENT, SKIPPED, DigestEntry, is_claimable
from core.storage.sqlite.connection import SqliteConnection
from core.storage.sqlite.codec import parse_time, utc_text

_COLUMNS = (
    "user_id, period, state, attempts, owner, claimed_at, lease_until, transmitting_at, message_id, coverage, "
    "error, retry, sent_at, updated_at"
)
_HELD = "WHERE user_id = ? AND period = ? AND owner = ? AND state = 'sending'"



def _entry(row: tuple) -> DigestEntry:
    user_id, period, state, attempts, owner, claimed, lease, transmitting, message_id, coverage, error, retry, sent, updated = row
    return DigestEntry(
        user_id, period, state, attempts, owner, parse_time(claimed), parse_time(lease), parse_time(transmitting), message_id,
        json.loads(coverage) if coverage else None, error, bool(retry), parse_time(sent), parse_time(updated),
    )


def _select(conn: sqlite3.Connection, user_id: str, period: str) -> DigestEntry | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM digest_ledger WHERE user_id = ? AND period = ?", (user_id, period)).fetchone()
    return _entry(row) if row else None


class SqliteDigestLedger:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def claim(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta, max_attempts: int = 3) -> DigestEntry | None:
        return await self._db.write(lambda c: self._claim(c, user_id, period, owner, now, lease, max_attempts))

    @staticmethod
    def _claim(conn: sqlite3.Connection, user_id: str, period: str, owner: str, now: datetime, lease: timedelta, max_attempts: int) -> DigestEntry | None:
        current = _select(conn, user_id, period)
        if not is_claimable(current, now, max_attempts):
            return None
        stamp, until = utc_text(now), utc_text(now + lease)
        conn.execute(
            "INSERT INTO digest_ledger(user_id, period, state, attempts, owner, claimed_at, lease_until, updated_at) "
            "VALUES (?, ?, 'sending', 1, ?, ?, ?, ?) ON CONFLICT(user_id, period) DO UPDATE SET state = 'sending', "
            "attempts = attempts + 1, owner = excluded.owner, claimed_at = excluded.claimed_at, "
            "lease_until = excluded.lease_until, transmitting_at = NULL, error = NULL, retry = 0, updated_at = excluded.updated_at",
            (user_id, period, owner, stamp, until, stamp),
        )
        return _select(conn, user_id, period)

    async def get(self, user_id: str, period: str) -> DigestEntry | None:
        return await self._db.read(lambda c: _select(c, user_id, period))

    async def mark_transmitting(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta) -> bool:
        sql = f"UPDATE digest_ledger SET transmitting_at = ?, lease_until = ?, updated_at = ? {_HELD}"
        return await self._update(sql, (utc_text(now), utc_text(now + lease), utc_text(now), user_id, period, owner))

    async def clear_transmitting(self, user_id: str, period: str, owner: str, now: datetime) -> bool:
        sql = f"UPDATE digest_ledger SET transmitting_at = NULL, updated_at = ? {_HELD}"
        return await self._update(sql, (utc_text(now), user_id, period, owner))

    async def mark_sent(self, user_id: str, period: str, owner: str, now: datetime, message_id: int | None, coverage: dict[str, Any] | None) -> bool:
        sql = f"UPDATE digest_ledger SET state = '{SENT}', message_id = ?, coverage = ?, sent_at = ?, updated_at = ?, error = NULL {_HELD}"
        snapshot = json.dumps(coverage) if coverage is not None else None
        return await self._update(sql, (message_id, snapshot, utc_text(now), utc_text(now), user_id, period, owner))

    async def mark_failed(self, user_id: str, period: str, owner: str, now: datetime, error: str, *, retry: bool) -> bool:
        sql = f"UPDATE digest_ledger SET state = '{FAILED}', error = ?, retry = ?, transmitting_at = NULL, updated_at = ? {_HELD}"
        return await self._update(sql, (error, int(retry), utc_text(now), user_id, period, owner))

    async def mark_skipped(self, user_id: str, period: str, owner: str, now: datetime, reason: str) -> bool:
        sql = f"UPDATE digest_ledger SET state = '{SKIPPED}', error = ?, transmitting_at = NULL, updated_at = ? {_HELD}"
        return await self._update(sql, (reason, utc_text(now), user_id, period, owner))

    async def _update(self, sql: str, args: tuple) -> bool:
        return await self._db.write(lambda c: c.execute(sql, args).rowcount == 1)

    async def settle_stale(self, now: datetime) -> int:
        sql = (
            f"UPDATE digest_ledger SET state = '{FAILED}', retry = 0, error = ?, updated_at = ? "
            f"WHERE state = '{SENDING}' AND transmitting_at IS NOT NULL AND lease_until <= ?"
        )
        stamp = utc_text(now)
        return await self._db.write(lambda c: c.execute(sql, (OUTCOME_UNKNOWN, stamp, stamp)).rowcount)

    async def finished_users(self, period: str) -> set[str]:
        sql = (
            "SELECT user_id FROM digest_ledger WHERE period = ? "
            f"AND (state IN ('{SENT}', '{SKIPPED}') OR (state = '{FAILED}' AND retry = 0))"
        )
        return await self._db.read(lambda c: {row[0] for row in c.execute(sql, (period,))})

    async def last_sent(self, user_id: str) -> DigestEntry | None:
        sql = f"SELECT {_COLUMNS} FROM digest_ledger WHERE user_id = ? AND state = '{SENT}' ORDER BY sent_at DESC LIMIT 1"
        row = await self._db.read(lambda c: c.execute(sql, (user_id,)).fetchone())
        return _entry(row) if row else None

    async def counts(self, period: str) -> dict[str, int]:
        sql = "SELECT state, COUNT(*) FROM digest_ledger WHERE period = ? GROUP BY state"
        return await self._db.read(lambda c: dict(c.execute(sql, (period,)).fetchall()))

    async def delete_older_than(self, cutoff: datetime) -> int:
        # The subquery reads index digest_ledger_user_sent; one statement, so a digest sent meanwhile waits for it.
        sql = (
            f"DELETE FROM digest_ledger WHERE updated_at < ? AND state != '{SENDING}' AND NOT (state = '{SENT}' AND sent_at = "
            f"(SELECT MAX(newest.sent_at) FROM digest_ledger AS newest WHERE newest.user_id = digest_ledger.user_id AND newest.state = '{SENT}'))"
        )
        return await self._db.write(lambda c: c.execute(sql, (utc_text(cutoff),)).rowcount)

    async def delete_for_user(self, user_id: str) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM digest_ledger WHERE user_id = ?", (user_id,)).rowcount)
