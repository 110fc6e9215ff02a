"""Storage ports for scheduled work: the run ledger, ingestion watermarks and slot locks.

    RunLedger   one record per finished run (ingest, cleanup, digest) with its summary, plus the incremental
                sync watermark of every TheirStack search, so paid jobs are never bought twice
    SlotLocks   a `job:slot` key claimed by exactly one process; the claim is a lease the holder renews while
                it works and releases as done (never claimable again) or abandoned (claimable at once)

Times are aware UTC datetimes. Adapters must make `claim` atomic across processes: of concurrent claimers of
one key exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One finished run of a job; `summary` is plain JSON data (what the job did, per role/search)."""

    run_id: str
    job: str
    status: str
    started_at: datetime
    finished_at: datetime
    slot: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Watermark:
    """How far one search's incremental sync has got.

    Every job discovered at or before `discovered_through` is stored. A search that stopped early (credits,
    budget, shutdown) cannot move that point, because results are not sorted by discovery time; it records
    the jobs it paid for in `bought_ids` (newest discovery among them: `bought_through`) so the next run
    excludes them instead of buying them again.
    """

    discovered_through: datetime | None = None
    bought_ids: tuple[int, ...] = ()
    bought_through: datetime | None = None


@dataclass(frozen=True, slots=True)
class SlotLock:
    key: str
    owner: str
    claimed_at: datetime
    expires_at: datetime
    done_at: datetime | None = None


class RunLedger(Protocol):
    async def record(self, run: RunRecord) -> None:
        """Stores a finished run (a second record with the same run_id replaces the first)."""

    async def last(self, job: str | None = None) -> RunRecord | None:
        """The most recently finished run (of one job, when given)."""

    async def recent(self, job: str | None = None, limit: int = 20) -> list[RunRecord]:
        """Finished runs, newest first."""

    async def for_slot(self, slot: str) -> list[RunRecord]: ...

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Forgets runs that finished before cutoff."""

    async def watermark(self, search: str) -> Watermark:
        """The stored watermark of a search (an empty one if it never ran)."""

    async def save_watermark(self, search: str, watermark: Watermark) -> None: ...


class SlotLocks(Protocol):
    async def claim(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        """Takes the key if nobody holds it: unclaimed, or claimed and neither done nor within its lease."""

    async def renew(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        """Extends the owner's lease to now + lease; False when the owner no longer holds the key."""

    async def release(self, key: str, owner: str, now: datetime, *, done: bool = True) -> bool:
        """Marks the key done (never claimable again) or, with done=False, hands it back at once."""

    async def get(self, key: str) -> SlotLock | None: ...

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Forgets keys whose lease ended before cutoff."""
