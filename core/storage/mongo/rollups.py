"""Daily rollups in MongoDB: one document per (role, day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pymongo import ASCENDING, ReplaceOne
from pymongo.asynchronous.collection import AsyncCollection

from core.models import DayRollup
from core.storage.mongo.documents import posting_from, rollup_document, rollup_from
from core.storage.ports import RollupBuilder

ROLLUP_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    ([("role", ASCENDING), ("day", ASCENDING)], {"unique": True}),
    ([("day", ASCENDING)], {}),  # rebuild's sweep selects by day
]


class MongoRollupRepository:
    def __init__(self, rollups: AsyncCollection, postings: AsyncCollection) -> None:
        self._rollups = rollups
        self._postings = postings

    async def create_indexes(self) -> None:
        for keys, options in ROLLUP_INDEXES:
            await self._rollups.create_index(keys, **options)

    async def rebuild(self, days: Sequence[date], builder: RollupBuilder) -> None:
        """Replaces the rollups of `days` with ones recomputed from the postings stored on those days.

        SQLite does this in one transaction; here there is none (a standalone server has no multi-document
        transactions). It is safe enough because the recompute is idempotent: the next rebuild of a day
        writes its true counts whatever happened before. Rollups are upserted in place and only then are the
        (role, day) pairs that no longer have postings removed, so readers never see a day emptied halfway
        and two rebuilds never collide on the unique (role, day) index. The remaining race: two rebuilds of
        one day that read different postings finish in either order, so the older snapshot can win until
        that day is rebuilt again (the next ingestion or cleanup touching it).
        """
        if not days:
            return
        wanted = [d.isoformat() for d in days]
        cursor = self._postings.find({"day": {"$in": wanted}}, {"_id": 0})
        rollups = builder([posting_from(document) async for document in cursor], days)
        if rollups:
            await self._rollups.bulk_write([_replace(rollup) for rollup in rollups], ordered=False)
        await self._rollups.delete_many(_stale(wanted, rollups))

    async def between(self, role: str, start: date, end: date) -> list[DayRollup]:
        query = {"role": role, "day": {"$gte": start.isoformat(), "$lte": end.isoformat()}}
        cursor = self._rollups.find(query, {"_id": 0}).sort("day", ASCENDING)
        return [rollup_from(document) async for document in cursor]


def _replace(rollup: DayRollup) -> ReplaceOne:
    return ReplaceOne({"role": rollup.role, "day": rollup.day.isoformat()}, rollup_document(rollup), upsert=True)


def _stale(days: list[str], rollups: Sequence[DayRollup]) -> dict[str, Any]:
    """Rollups of `days` whose role is not among the freshly built ones for that day."""
    fresh: dict[str, list[str]] = {day: [] for day in days}
    for rollup in rollups:
        fresh.setdefault(rollup.day.isoformat(), []).append(rollup.role)
    return {"$or": [{"day": day, "role": {"$nin": roles}} for day, roles in fresh.items()]}
