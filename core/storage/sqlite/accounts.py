"""SQLite adapters for the identity ports (credentials, link codes, token ledger, failed attempts).

Times are stored as UTC ISO-8601 text with a fixed width, so SQL compares them correctly as strings.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from core.errors import Conflict
from core.storage.account_ports import LinkCodeRecord, TokenRecord
from core.storage.sqlite.connection import SqliteConnection
from core.storage.sqlite.codec import parse_time, utc_text




class SqliteCredentialRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def get(self, user_id: str) -> str | None:
        sql = "SELECT password_hash FROM credentials WHERE user_id = ?"
        row = await self._db.read(lambda c: c.execute(sql, (user_id,)).fetchone())
        return row[0] if row else None

    async def set(self, user_id: str, password_hash: str, at: datetime) -> None:
        sql = (
            "INSERT INTO credentials(user_id, password_hash, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at"
        )
        await self._db.write(lambda c: c.execute(sql, (user_id, password_hash, utc_text(at))))

    async def delete_for_user(self, user_id: str) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM credentials WHERE user_id = ?", (user_id,)).rowcount)


_LINK_COLUMNS = "code_hash, user_id, created_at, expires_at, used_at"


def _link_code(row: tuple) -> LinkCodeRecord:
    code_hash, user_id, created_at, expires_at, used_at = row
    return LinkCodeRecord(code_hash, user_id, parse_time(created_at), parse_time(expires_at), parse_time(used_at))  # type: ignore[arg-type]


class SqliteLinkCodeRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def add(self, record: LinkCodeRecord) -> None:
        sql = f"INSERT INTO link_codes({_LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
        args = (record.code_hash, record.user_id, utc_text(record.created_at), utc_text(record.expires_at), utc_text(record.used_at))
        try:
            await self._db.write(lambda c: c.execute(sql, args))
        except sqlite3.IntegrityError as exc:
            message = "That link code already exists."
            raise Conflict(message) from exc

    async def get(self, code_hash: str) -> LinkCodeRecord | None:
        sql = f"SELECT {_LINK_COLUMNS} FROM link_codes WHERE code_hash = ?"
        row = await self._db.read(lambda c: c.execute(sql, (code_hash,)).fetchone())
        return _link_code(row) if row else None

    async def consume(self, code_hash: str, now: datetime) -> LinkCodeRecord | None:
        return await self._db.write(lambda c: self._consume(c, code_hash, utc_text(now)))

    @staticmethod
    def _consume(conn: sqlite3.Connection, code_hash: str, now: str | None) -> LinkCodeRecord | None:
        # One conditional UPDATE inside BEGIN IMMEDIATE: a second process waits for the lock, then matches nothing.
        sql = (
            f"UPDATE link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? "
            f"RETURNING {_LINK_COLUMNS}"
        )
        row = conn.execute(sql, (now, code_hash, now)).fetchone()
        return _link_code(row) if row else None

    async def delete_expired(self, now: datetime) -> int:
        sql = "DELETE FROM link_codes WHERE expires_at <= ?"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(now),)).rowcount)

    async def delete_for_user(self, user_id: str) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM link_codes WHERE user_id = ?", (user_id,)).rowcount)


_TOKEN_COLUMNS = "jti, user_id, version, created_at, expires_at, last_used_at, revoked_at"


def _token(row: tuple) -> TokenRecord:
    jti, user_id, version, created_at, expires_at, last_used_at, revoked_at = row
    return TokenRecord(
        jti, user_id, int(version), parse_time(created_at), parse_time(expires_at), parse_time(last_used_at), parse_time(revoked_at)  # type: ignore[arg-type]
    )


class SqliteTokenRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def add(self, record: TokenRecord) -> None:
        sql = f"INSERT INTO tokens({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
        args = (
            record.jti,
            record.user_id,
            record.version,
            utc_text(record.created_at),
            utc_text(record.expires_at),
            utc_text(record.last_used_at),
            utc_text(record.revoked_at),
        )
        await self._db.write(lambda c: c.execute(sql, args))

    async def get(self, jti: str) -> TokenRecord | None:
        sql = f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE jti = ?"
        row = await self._db.read(lambda c: c.execute(sql, (jti,)).fetchone())
        return _token(row) if row else None

    async def active_for_user(self, user_id: str, now: datetime) -> list[TokenRecord]:
        sql = (
            f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? "
            "ORDER BY created_at DESC, jti"
        )
        rows = await self._db.read(lambda c: c.execute(sql, (user_id, utc_text(now))).fetchall())
        return [_token(row) for row in rows]

    async def touch(self, jti: str, at: datetime) -> None:
        await self._db.write(lambda c: c.execute("UPDATE tokens SET last_used_at = ? WHERE jti = ?", (utc_text(at), jti)))

    async def revoke(self, user_id: str, jti: str, at: datetime) -> bool:
        sql = "UPDATE tokens SET revoked_at = ? WHERE jti = ? AND user_id = ? AND revoked_at IS NULL"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(at), jti, user_id)).rowcount > 0)

    async def revoke_all(self, user_id: str, at: datetime) -> int:
        sql = "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(at), user_id)).rowcount)

    async def delete_expired(self, now: datetime) -> int:
        sql = "DELETE FROM tokens WHERE expires_at <= ?"
        return await self._db.write(lambda c: c.execute(sql, (utc_text(now),)).rowcount)

    async def delete_for_user(self, user_id: str) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,)).rowcount)


class SqliteAttemptRepository:
    def __init__(self, db: SqliteConnection) -> None:
        self._db = db

    async def record(self, key: str, at: datetime, user_id: str | None = None) -> None:
        sql = "INSERT INTO auth_attempts(key, user_id, at) VALUES (?, ?, ?)"
        await self._db.write(lambda c: c.execute(sql, (key, user_id, utc_text(at))))

    async def since(self, key: str, since: datetime) -> list[datetime]:
        sql = "SELECT at FROM auth_attempts WHERE key = ? AND at >= ? ORDER BY at"
        rows = await self._db.read(lambda c: c.execute(sql, (key, utc_text(since))).fetchall())
        return [datetime.fromisoformat(row[0]) for row in rows]

    async def clear(self, key: str) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM auth_attempts WHERE key = ?", (key,)).rowcount)

    async def delete_older_than(self, cutoff: datetime) -> int:
        return await self._db.write(lambda c: c.execute("DELETE FROM auth_attempts WHERE at < ?", (utc_text(cutoff),)).rowcount)

    async def delete_for_user(self, user_id: str) -> int:
        sql = "DELETE FROM auth_attempts WHERE user_id = ?"
        return await self._db.write(lambda c: c.execute(sql, (user_id,)).rowcount)
