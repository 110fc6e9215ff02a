"""Storage ports: what the core needs from a store, independent of the database behind it.

Every adapter (SQLite, MongoDB) implements these and passes the same contract suite in tests/contract.
Later ports (link codes, tokens, run ledger, digest ledger) follow the same pattern.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from core.models import DayRollup, Posting, UpsertResult, User
from core.storage.account_ports import AttemptRepository, CredentialRepository, LinkCodeRepository, TokenRepository
from core.storage.digest_ports import DigestLedger
from core.storage.run_ports import RunLedger, SlotLocks

RollupBuilder = Callable[[Sequence[Posting], Sequence[date]], list[DayRollup]]


class PostingRepository(Protocol):
    async def upsert_many(self, postings: Sequence[Posting]) -> UpsertResult:
        """Inserts or overwrites by job_id; a posting identical to the stored one counts as unchanged."""

    async def get(self, job_id: str) -> Posting | None: ...

    async def count(self, *, demo: bool | None = None) -> int: ...

    async def role_counts(self) -> dict[str, int]: ...

    async def day_range(self) -> tuple[date | None, date | None]: ...

    async def max_discovered_at(self, role: str | None = None) -> datetime | None:
        """The ingestion watermark: newest discovered_at stored (optionally for one search role)."""

    async def postings_on_days(self, days: Sequence[date]) -> list[Posting]: ...

    def iter_all(self, batch_size: int = 500) -> AsyncIterator[Posting]: ...

    async def skill_sets(self, role: str, start: date, end: date, limit: int) -> list[list[str]]:
        """Skill names of up to `limit` most recent postings for a role key (or ALL_ROLES) in [start, end]."""

    async def delete_older_than(self, cutoff: date) -> tuple[int, list[date]]:
        """Deletes postings whose analytics day is before cutoff; returns (count, days touched)."""

    async def delete_demo(self) -> tuple[int, list[date]]: ...


class RollupRepository(Protocol):
    async def rebuild(self, days: Sequence[date], builder: RollupBuilder) -> None:
        """Recomputes the rollups of `days` from the postings on those days, atomically per call."""

    async def between(self, role: str, start: date, end: date) -> list[DayRollup]: ...


class UserRepository(Protocol):
    async def create(self, user: User) -> User:
        """Raises core.errors.Conflict when the email or telegram_id is already taken."""

    async def get(self, user_id: str) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None: ...

    async def update(self, user_id: str, fields: dict[str, Any]) -> User | None: ...

    async def delete(self, user_id: str) -> bool: ...

    async def count(self) -> int: ...

    def iter_digest_subscribers(self) -> AsyncIterator[User]: ...


class MetaRepository(Protocol):
    async def data_version(self) -> int: ...

    async def bump_data_version(self) -> int: ...

    async def get(self, key: str) -> Any | None: ...

    async def put(self, key: str, value: Any) -> None: ...


class Store(Protocol):
    kind: str
    postings: PostingRepository
    rollups: RollupRepository
    users: UserRepository
    meta: MetaRepository
    credentials: CredentialRepository
    link_codes: LinkCodeRepository
    tokens: TokenRepository
    attempts: AttemptRepository
    runs: RunLedger
    locks: SlotLocks
    digests: DigestLedger

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def ping(self) -> bool: ...
