"""Rollups of the days an ingestion run touched, rebuilt in batches rather than after every page.

Rebuilding a day reads every posting stored on it, and each page of a search spans most days of its window,
so rebuilding after every page grows with the square of the run's size. Instead the run upserts pages as they
arrive and rebuilds the touched days (then bumps the data version) when the postings since the last rebuild
reach FLUSH_POSTINGS or as many as the run had already flushed (so a big run rebuilds O(log n) times), when
FLUSH_SECONDS have passed, and when the run ends, however it ends. Days are rebuilt one at a time, so memory
is bounded by the busiest day rather than the run. The pending days are written to the store before their
postings, so a run killed outright leaves them behind and the next run rebuilds them.
"""

from __future__ import annotations

import time
from datetime import date

from core.models import UpsertResult
from core.rollups import build_rollups
from core.storage.ports import Store

PENDING_KEY = "ingest_pending_rollup_days"
FLUSH_POSTINGS = 5000
FLUSH_SECONDS = 300.0


class PendingRollups:
    def __init__(self, store: Store, *, every_postings: int = FLUSH_POSTINGS, every_seconds: float = FLUSH_SECONDS) -> None:
        self._store = store
        self._every_postings = every_postings
        self._every_seconds = every_seconds
        self._days: set[date] = set()
        self._postings = 0
        self._flushed = 0
        self._since = time.monotonic()

    async def recover(self) -> None:
        """Takes over the days a killed run left unrebuilt."""
        left = await self._store.meta.get(PENDING_KEY) or []
        self._days.update(date.fromisoformat(day) for day in left)

    async def expect(self, days: set[date]) -> None:
        """Records days about to receive postings (before they are written)."""
        if not days <= self._days:
            self._days |= days
            await self._store.meta.put(PENDING_KEY, sorted(day.isoformat() for day in self._days))

    async def stored(self, result: UpsertResult) -> None:
        """Counts an upsert; flushes when enough postings or time have gone by."""
        await self.expect(set(result.days))  # an updated posting may have left a day not expected beforehand
        self._postings += result.touched
        due = max(self._every_postings, self._flushed)
        if self._postings >= due or time.monotonic() - self._since >= self._every_seconds:
            await self.flush()

    async def flush(self) -> None:
        """Rebuilds every pending day's rollups and bumps the data version, so every process drops its cache."""
        if self._days:
            for day in sorted(self._days):
                await self._store.rollups.rebuild([day], build_rollups)
            await self._store.meta.bump_data_version()
            await self._store.meta.put(PENDING_KEY, [])
        self._flushed += self._postings
        self._days, self._postings, self._since = set(), 0, time.monotonic()
