"""Postings in MongoDB: one document per job id (the posting's JSON plus helper fields)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReplaceOne
from pymongo.asynchronous.collection import AsyncCollection

from core.models import ALL_ROLES, Posting, UpsertResult
from core.storage.common import content_hash, day_text, stamped, utcnow
from core.storage.mongo.documents import parse_datetime, parse_day, posting_document, posting_from

POSTING_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    ([("job_id", ASCENDING)], {"unique": True}),
    ([("day", ASCENDING)], {}),
    ([("discovered_key", ASCENDING)], {}),
    ([("search_role", ASCENDING), ("discovered_key", ASCENDING)], {}),
    ([("role_keys", ASCENDING), ("day", ASCENDING)], {}),
    ([("skill_names", ASCENDING)], {}),
]
_EXISTING_FIELDS = {"_id": 0, "job_id": 1, "content_hash": 1, "day": 1, "ingested_at": 1}


@dataclass
class _UpsertPlan:
    """What one upsert batch writes and how it is counted (same rules as the SQLite adapter)."""

    result: UpsertResult = field(default_factory=UpsertResult)
    writes: list[ReplaceOne] = field(default_factory=list)
    days: set[str] = field(default_factory=set)

    def add(self, posting: Posting, old: dict[str, Any] | None, now: datetime) -> None:
        fingerprint = content_hash(posting)
        if old and old.get("content_hash") == fingerprint:
            self.result.unchanged += 1
            return
        if old:
            self.result.updated += 1
            self.days.update(d for d in (old.get("day"),) if d)  # a moved posting also changes its old day
        else:
            self.result.inserted += 1
        stored = stamped(posting, ingested_at=parse_datetime(old and old.get("ingested_at")), now=now)
        self.writes.append(ReplaceOne({"job_id": stored.job_id}, posting_document(stored, fingerprint), upsert=True))
        self.days.update(d for d in (day_text(stored.analytics_day),) if d)

    def finish(self) -> UpsertResult:
        self.result.days = sorted(date.fromisoformat(d) for d in self.days)
        return self.result


class MongoPostingRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._postings = collection

    async def create_indexes(self) -> None:
        for keys, options in POSTING_INDEXES:
            await self._postings.create_index(keys, **options)

    async def upsert_many(self, postings: Sequence[Posting]) -> UpsertResult:
        latest = {posting.job_id: posting for posting in postings}  # last copy of a job in a batch wins
        existing = await self._existing(list(latest))
        plan, now = _UpsertPlan(), utcnow()
        for posting in latest.values():
            plan.add(posting, existing.get(posting.job_id), now)
        if plan.writes:
            await self._postings.bulk_write(plan.writes, ordered=False)
        return plan.finish()

    async def _existing(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        cursor = self._postings.find({"job_id": {"$in": ids}}, _EXISTING_FIELDS)
        return {doc["job_id"]: doc async for doc in cursor}

    async def get(self, job_id: str) -> Posting | None:
        document = await self._postings.find_one({"job_id": job_id}, {"_id": 0})
        return posting_from(document) if document else None

    async def count(self, *, demo: bool | None = None) -> int:
        query = {} if demo is None else {"is_demo": demo}
        return await self._postings.count_documents(query)

    async def role_counts(self) -> dict[str, int]:
        pipeline = [
            {"$project": {"_id": 0, "role": {"$setUnion": ["$role_keys", []]}}},  # a role counts once per posting
            {"$unwind": "$role"},
            {"$group": {"_id": "$role", "count": {"$sum": 1}}},
            {"$sort": {"count": DESCENDING, "_id": ASCENDING}},
        ]
        cursor = await self._postings.aggregate(pipeline)
        return {row["_id"]: row["count"] async for row in cursor}

    async def day_range(self) -> tuple[date | None, date | None]:
        return await self._edge_day(ASCENDING), await self._edge_day(DESCENDING)

    async def _edge_day(self, direction: int) -> date | None:
        cursor = self._postings.find({"day": {"$ne": None}}, {"_id": 0, "day": 1}).sort("day", direction).limit(1)
        rows = await cursor.to_list()
        return parse_day(rows[0]["day"]) if rows else None

    async def max_discovered_at(self, role: str | None = None) -> datetime | None:
        query: dict[str, Any] = {"is_demo": False, "discovered_key": {"$ne": None}}
        if role is not None:
            query["search_role"] = role.lower()
        cursor = self._postings.find(query, {"_id": 0, "discovered_at": 1}).sort("discovered_key", DESCENDING)
        rows = await cursor.limit(1).to_list()
        return parse_datetime(rows[0]["discovered_at"]) if rows else None

    async def postings_on_days(self, days: Sequence[date]) -> list[Posting]:
        if not days:
            return []
        cursor = self._postings.find({"day": {"$in": [d.isoformat() for d in days]}}, {"_id": 0})
        return [posting_from(document) async for document in cursor]

    async def iter_all(self, batch_size: int = 500) -> AsyncIterator[Posting]:
        last = ""
        while True:
            cursor = self._postings.find({"job_id": {"$gt": last}}, {"_id": 0}).sort("job_id", ASCENDING)
            rows = await cursor.limit(batch_size).to_list()
            if not rows:
                return
            for document in rows:
                yield posting_from(document)
            last = rows[-1]["job_id"]

    async def skill_sets(self, role: str, start: date, end: date, limit: int) -> list[list[str]]:
        if limit <= 0:
            return []  # MongoDB reads limit(0) as "no limit"
        query: dict[str, Any] = {"day": {"$gte": start.isoformat(), "$lte": end.isoformat()}}
        if role != ALL_ROLES:
            query["role_keys"] = role
        cursor = self._postings.find(query, {"_id": 0, "skill_names": 1}).sort("day", DESCENDING).limit(limit)
        return [document["skill_names"] async for document in cursor]

    async def delete_older_than(self, cutoff: date) -> tuple[int, list[date]]:
        return await self._delete_where({"day": {"$lt": cutoff.isoformat()}})  # null days never match $lt

    async def delete_demo(self) -> tuple[int, list[date]]:
        return await self._delete_where({"is_demo": True})

    async def _delete_where(self, query: dict[str, Any]) -> tuple[int, list[date]]:
        # Without a transaction the days are read just before the delete: a posting written in between on a
        # day not yet listed would be deleted without its day reported. Only a write dated before the cutoff
        # (or a demo posting) can race this way, which ingestion of fresh postings does not produce.
        days = await self._postings.distinct("day", query)
        deleted = await self._postings.delete_many(query)
        return deleted.deleted_count, sorted(date.fromisoformat(d) for d in days if d)
