"""The embedded store: SQLite (stdlib), WAL, one file under CAREER_NAV_DATA_DIR."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from core.errors import Conflict
from core.models import ALL_ROLES, DayRollup, Posting, UpsertResult, User
from core.storage.common import content_hash, day_text, search_role, stamped, utcnow
from core.storage.ports import RollupBuilder
from core.storage.sqlite.accounts import (
    SqliteAttemptRepository,
    SqliteCredentialRepository,
    SqliteLinkCodeRepository,
    SqliteTokenRepository,
)
from core.storage.sqlite.connection import SqliteConnection
from core.storage.sqlite.digests import SqliteDigestLedger
from core.storage.sqlite.runs import SqliteRunLedger, SqliteSlotLocks

CHUNK = 500


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class SqlitePostingRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def upsert_many(self, postings: Sequence[Posting]) -> UpsertResult:
        latest = {posting.job_id: posting for posting in postings}  # last copy of a job in a batch wins
        return await self._db.write(lambda conn: self._upsert(conn, list(latest.values())))

    def _upsert(self, conn: sqlite3.Connection, postings: list[Posting]) -> UpsertResult:
        existing = self._existing(conn, [p.job_id for p in postings])
        result, now, days = UpsertResult(), utcnow(), set()
        rows, role_rows = [], []
        for posting in postings:
            fingerprint = content_hash(posting)
            old = existing.get(posting.job_id)
            if old and old[0] == fingerprint:
                result.unchanged += 1
                continue
            if old:
                result.updated += 1
                days.update(d for d in (old[1],) if d)
            else:
                result.inserted += 1
            stored = stamped(posting, ingested_at=old[2] if old else None, now=now)
            rows.append(self._row(stored, fingerprint))
            skills_json = json.dumps(stored.skill_names)
            role_rows.extend((stored.job_id, key, day_text(stored.analytics_day), skills_json) for key in dict.fromkeys(stored.role_keys))
            days.update(d for d in (day_text(stored.analytics_day),) if d)
        self._write_rows(conn, rows, role_rows)
        result.days = sorted(date.fromisoformat(d) for d in days)
        return result

    @staticmethod
    def _existing(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str | None, datetime | None]]:
        found = {}
        for chunk in _chunks(ids):
            sql = f"SELECT job_id, content_hash, day, json_extract(doc, '$.ingested_at') FROM postings WHERE job_id IN ({_placeholders(len(chunk))})"
            for job_id, fingerprint, day, ingested in conn.execute(sql, chunk):
                found[job_id] = (fingerprint, day, datetime.fromisoformat(ingested) if ingested else None)
        return found

    @staticmethod
    def _row(posting: Posting, fingerprint: str) -> tuple:
        return (
            posting.job_id,
            day_text(posting.analytics_day),
            posting.discovered_at.isoformat() if posting.discovered_at else None,
            search_role(posting),
            int(posting.is_demo),
            json.dumps(posting.skill_names),
            fingerprint,
            posting.model_dump_json(),
        )

    @staticmethod
    def _write_rows(conn: sqlite3.Connection, rows: list[tuple], role_rows: list[tuple]) -> None:
        ids = [(row[0],) for row in rows]
        conn.executemany("DELETE FROM posting_roles WHERE job_id = ?", ids)
        conn.executemany(
            "INSERT OR REPLACE INTO postings(job_id, day, discovered_at, search_role, is_demo, skills, content_hash, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT OR IGNORE INTO posting_roles(job_id, role_key, day, skills) VALUES (?, ?, ?, ?)", role_rows)

    async def get(self, job_id: str) -> Posting | None:
        row = await self._db.read(lambda c: c.execute("SELECT doc FROM postings WHERE job_id = ?", (job_id,)).fetchone())
        return Posting.model_validate_json(row[0]) if row else None

    async def count(self, *, demo: bool | None = None) -> int:
        if demo is None:
            sql, args = "SELECT COUNT(*) FROM postings", ()
        else:
            sql, args = "SELECT COUNT(*) FROM postings WHERE is_demo = ?", (int(demo),)
        return await self._db.read(lambda c: c.execute(sql, args).fetchone()[0])

    async def role_counts(self) -> dict[str, int]:
        sql = "SELECT role_key, COUNT(*) FROM posting_roles GROUP BY role_key ORDER BY 2 DESC"
        return await self._db.read(lambda c: dict(c.execute(sql).fetchall()))

    async def day_range(self) -> tuple[date | None, date | None]:
        row = await self._db.read(lambda c: c.execute("SELECT MIN(day), MAX(day) FROM postings").fetchone())
        return tuple(date.fromisoformat(v) if v else None for v in row)  # type: ignore[return-value]

    async def max_discovered_at(self, role: str | None = None) -> datetime | None:
        if role is None:
            sql, args = "SELECT MAX(discovered_at) FROM postings WHERE is_demo = 0", ()
        else:
            sql, args = "SELECT MAX(discovered_at) FROM postings WHERE search_role = ? AND is_demo = 0", (role.lower(),)
        value = await self._db.read(lambda c: c.execute(sql, args).fetchone()[0])
        return datetime.fromisoformat(value) if value else None

    async def postings_on_days(self, days: Sequence[date]) -> list[Posting]:
        return await self._db.read(lambda c: _postings_on_days(c, days))

    async def iter_all(self, batch_size: int = 500) -> AsyncIterator[Posting]:
        last = ""
        while True:
            sql = "SELECT job_id, doc FROM postings WHERE job_id > ? ORDER BY job_id LIMIT ?"
            rows = await self._db.read(lambda c, last=last: c.execute(sql, (last, batch_size)).fetchall())
            if not rows:
                return
            for _, doc in rows:
                yield Posting.model_validate_json(doc)
            last = rows[-1][0]

    async def skill_sets(self, role: str, start: date, end: date, limit: int) -> list[list[str]]:
        if role == ALL_ROLES:
            sql = "SELECT skills FROM postings WHERE day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?"
            args: tuple = (start.isoformat(), end.isoformat(), limit)
        else:
            sql = "SELECT skills FROM posting_roles WHERE role_key = ? AND day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?"
            args = (role, start.isoformat(), end.isoformat(), limit)
        rows = await self._db.read(lambda c: c.execute(sql, args).fetchall())
        return [json.loads(row[0]) for row in rows]

    async def delete_older_than(self, cutoff: date) -> tuple[int, list[date]]:
        return await self._db.write(lambda c: _delete_where(c, "day < ?", (cutoff.isoformat(),)))

    async def delete_demo(self) -> tuple[int, list[date]]:
        return await self._db.write(lambda c: _delete_where(c, "is_demo = 1", ()))


def _postings_on_days(conn: sqlite3.Connection, days: Sequence[date]) -> list[Posting]:
    postings = []
    for chunk in _chunks([d.isoformat() for d in days]):
        sql = f"SELECT doc FROM postings WHERE day IN ({_placeholders(len(chunk))})"
        postings.extend(Posting.model_validate_json(row[0]) for row in conn.execute(sql, chunk))
    return postings


def _delete_where(conn: sqlite3.Connection, where: str, args: tuple) -> tuple[int, list[date]]:
    days = [row[0] for row in conn.execute(f"SELECT DISTINCT day FROM postings WHERE {where}", args) if row[0]]
    deleted = conn.execute(f"DELETE FROM postings WHERE {where}", args).rowcount
    return deleted, sorted(date.fromisoformat(d) for d in days)


class SqliteRollupRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def rebuild(self, days: Sequence[date], builder: RollupBuilder) -> None:
        if days:
            await self._db.write(lambda conn: self._rebuild(conn, days, builder))

    @staticmethod
    def _rebuild(conn: sqlite3.Connection, days: Sequence[date], builder: RollupBuilder) -> None:
        rollups = builder(_postings_on_days(conn, days), days)
        for chunk in _chunks([d.isoformat() for d in days]):
            conn.execute(f"DELETE FROM rollups WHERE day IN ({_placeholders(len(chunk))})", chunk)
        rows = [(r.day.isoformat(), r.role, r.model_dump_json()) for r in rollups]
        conn.executemany("INSERT INTO rollups(day, role, doc) VALUES (?, ?, ?)", rows)

    async def between(self, role: str, start: date, end: date) -> list[DayRollup]:
        sql = "SELECT doc FROM rollups WHERE role = ? AND day BETWEEN ? AND ? ORDER BY day"
        rows = await self._db.read(lambda c: c.execute(sql, (role, start.isoformat(), end.isoformat())).fetchall())
        return [DayRollup.model_validate_json(row[0]) for row in rows]


class SqliteUserRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def create(self, user: User) -> User:
        stamp = utcnow()
        user = user.model_copy(update={"created_at": user.created_at or stamp, "updated_at": stamp})
        await self._db.write(lambda c: self._insert(c, user))
        return user

    @staticmethod
    def _insert(conn: sqlite3.Connection, user: User) -> None:
        try:
            conn.execute(
                "INSERT INTO users(id, email, telegram_id, digest_opt_in, doc) VALUES (?, ?, ?, ?, ?)",
                (user.id, user.email, user.telegram_id, int(user.digest_opt_in), user.model_dump_json()),
            )
        except sqlite3.IntegrityError as exc:
            message = "An account with this email or Telegram identity already exists."
            raise Conflict(message) from exc

    async def _one(self, where: str, value: object) -> User | None:
        sql = f"SELECT doc FROM users WHERE {where} = ?"
        row = await self._db.read(lambda c: c.execute(sql, (value,)).fetchone())
        return User.model_validate_json(row[0]) if row else None

    async def get(self, user_id: str) -> User | None:
        return await self._one("id", user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self._one("email", email.strip().lower())

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return await self._one("telegram_id", telegram_id)

    async def update(self, user_id: str, fields: dict[str, Any]) -> User | None:
        return await self._db.write(lambda c: self._update(c, user_id, fields))

    @staticmethod
    def _update(conn: sqlite3.Connection, user_id: str, fields: dict[str, Any]) -> User | None:
        row = conn.execute("SELECT doc FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            return None
        current = User.model_validate_json(row[0])
        user = User.model_validate({**current.model_dump(), **fields, "id": user_id, "updated_at": utcnow()})
        try:
            conn.execute(
                "UPDATE users SET email = ?, telegram_id = ?, digest_opt_in = ?, doc = ? WHERE id = ?",
                (user.email, user.telegram_id, int(user.digest_opt_in), user.model_dump_json(), user_id),
            )
        except sqlite3.IntegrityError as exc:
            message = "That email or Telegram identity belongs to another account."
            raise Conflict(message) from exc
        return user

    async def delete(self, user_id: str) -> bool:
        return await self._db.write(lambda c: c.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount > 0)

    async def count(self) -> int:
        return await self._db.read(lambda c: c.execute("SELECT COUNT(*) FROM users").fetchone()[0])

    async def iter_digest_subscribers(self) -> AsyncIterator[User]:
        sql = "SELECT doc FROM users WHERE digest_opt_in = 1 AND telegram_id IS NOT NULL ORDER BY id"
        rows = await self._db.read(lambda c: c.execute(sql).fetchall())
        for row in rows:
            yield User.model_validate_json(row[0])


class SqliteMetaRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def data_version(self) -> int:
        value = await self.get("data_version")
        return int(value or 0)

    async def bump_data_version(self) -> int:
        return await self._db.write(_bump)

    async def get(self, key: str) -> Any | None:
        row = await self._db.read(lambda c: c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone())
        return json.loads(row[0]) if row else None

    async def put(self, key: str, value: Any) -> None:
        sql = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        await self._db.write(lambda c: c.execute(sql, (key, json.dumps(value, default=str))))


def _bump(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
    return int(conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])


class SqliteStore:
    """All repositories over one SQLite file."""

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = SqliteConnection(path)
        self.postings = SqlitePostingRepository(self._db)
        self.rollups = SqliteRollupRepository(self._db)
        self.users = SqliteUserRepository(self._db)
        self.meta = SqliteMetaRepository(self._db)
        self.credentials = SqliteCredentialRepository(self._db)
        self.link_codes = SqliteLinkCodeRepository(self._db)
        self.tokens = SqliteTokenRepository(self._db)
        self.attempts = SqliteAttemptRepository(self._db)
        self.runs = SqliteRunLedger(self._db)
        self.locks = SqliteSlotLocks(self._db)
        self.digests = SqliteDigestLedger(self._db)

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def ping(self) -> bool:
        try:
            await self._db.read(lambda c: c.execute("SELECT 1").fetchone())
        except (sqlite3.Error, RuntimeError):
            return False
        return True
