"""Daily rollups in MongoDB: one document per (role, day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from core.models import DayRollup
from core.storage.mongo.documents import rollup_document, rollup_from
from core.storage.ports import RollupBuilder

ROLLUP_INDEXES = [([("role", ASCENDING), ("day", ASCENDING)], {"unique": True})]


class MongoRollupRepository:
    def __init__(self, rollups: AsyncCollection, postings: AsyncCollection) -> None:
        self._rollups = rollups
        self._postings = postings

    async def create_indexes(self) -> None:
        for keys, options in ROLLUP_INDEXES:
            await self._rollups.create_index(keys, **options)

    async def rebuild(self, days: Sequence[date], builder: RollupBuilder) -> None:
        """Replaces the rollups of `days` with ones recomputed from the postings stored on those days.

        Unlike SQLite this runs without a transaction (a standalone server has none). That is safe enough
        because the recompute is idempotent: whatever interleaving happens, the next rebuild of a day writes
        the right counts. The race: two rebuilds of the same day can interleave delete/insert, and the second
        insert then fails on the unique (role, day) index; a reader may also briefly see a day with no
        rollups. Callers rebuild right after each upsert, so a posting written during a rebuild is counted
        by its own writer's rebuild.
        """
        if not days:
            return
        wanted = [d.isoformat() for d in days]
        cursor = self._postings.find({"day": {"$in": wanted}}, {"_id": 0})
        from core.storage.mongo.documents import posting_from

        rollups = builder([posting_from(document) async for document in cursor], days)
        await self._rollups.delete_many({"day": {"$in": wanted}})
        if rollups:
            await self._rollups.insert_many([rollup_document(rollup) for rollup in rollups], ordered=False)

    async def between(self, role: str, start: date, end: date) -> list[DayRollup]:
        query = {"role": role, "day": {"$gte": start.isoformat(), "$lte": end.isoformat()}}
        cursor = self._rollups.find(query, {"_id": 0}).sort("day", ASCENDING)
        return [rollup_from(document) async for document in cursor]
