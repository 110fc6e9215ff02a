"""Storage ports for the identity layer: password hashes, link codes, the token ledger and failed attempts.

Every repository here holds per-user data and implements `delete_for_user`, so "delete my data" walks a
list of ledgers (core.accounts.USER_LEDGERS) instead of knowing each table. None of them ever stores a
secret in the clear: link codes are stored as hashes, tokens only by their `jti`, attempt keys are keyed
hashes of the email or source they count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class LinkCodeRecord:
    code_hash: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """What the ledger knows about one issued token: never the token itself."""

    jti: str
    user_id: str
    version: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class PerUserLedger(Protocol):
    async def delete_for_user(self, user_id: str) -> int:
        """Removes every record that belongs to the user; returns how many were removed."""


class CredentialRepository(PerUserLedger, Protocol):
    async def get(self, user_id: str) -> str | None:
        """The user's password hash, or None when the account has no password."""

    async def set(self, user_id: str, password_hash: str, at: datetime) -> None: ...


class LinkCodeRepository(PerUserLedger, Protocol):
    async def add(self, record: LinkCodeRecord) -> None: ...

    async def get(self, code_hash: str) -> LinkCodeRecord | None: ...

    async def consume(self, code_hash: str, now: datetime) -> LinkCodeRecord | None:
        """Marks an unused, unexpired code used; atomic: of concurrent callers exactly one gets the record."""

    async def delete_expired(self, now: datetime) -> int: ...


class TokenRepository(PerUserLedger, Protocol):
    async def add(self, record: TokenRecord) -> None: ...

    async def get(self, jti: str) -> TokenRecord | None: ...

    async def active_for_user(self, user_id: str, now: datetime) -> list[TokenRecord]:
        """Unrevoked, unexpired tokens of one user, newest first."""

    async def touch(self, jti: str, at: datetime) -> None:
        """Records when a token was last used."""

    async def revoke(self, user_id: str, jti: str, at: datetime) -> bool:
        """Revokes one unrevoked token owned by user_id; False when there is no such token."""

    async def revoke_all(self, user_id: str, at: datetime) -> int: ...

    async def delete_expired(self, now: datetime) -> int:
        """Deletes the records of tokens (revoked or not) that expired at or before `now`.

        Such a token is refused on its own `exp` claim before the ledger is read, and a token without a record
        is refused too, so a purged record can never let a token back in."""


class AttemptRepository(PerUserLedger, Protocol):
    """Failed attempts (logins, link codes) as timestamped events under an opaque key."""

    async def record(self, key: str, at: datetime, user_id: str | None = None) -> None: ...

    async def since(self, key: str, since: datetime) -> list[datetime]:
        """Times of the failures under key at or after `since`, oldest first."""

    async def clear(self, key: str) -> int: ...

    async def delete_older_than(self, cutoff: datetime) -> int: ...
