"""MongoDB adapters for the run ledger, ingestion watermarks and slot locks (core.storage.run_ports).

Collections: `job_runs` (`_id` = run id; summaries kept as JSON text, since role names may contain dots),
`ingest_watermarks` (`_id` = search key) and `job_locks` (`_id` = `job:slot` key). A claim is one upsert
filtered on "free": when the key exists and is taken the upsert collides on `_id` and loses, so of concurrent
claimers exactly one wins. A TTL index on `purge_at` forgets locks a week after their lease or completion;
nothing relies on its timing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from core.storage.run_ports import RunRecord, SlotLock, Watermark
from core.storage.mongo.codec import aware_time, bson_time, create_indexes

LOCK_RETENTION = timedelta(days=7)
RUN_INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict[str, Any]]]] = {
    "job_runs": [
        ([("job", ASCENDING), ("finished_at", DESCENDING)], {}),
        ([("finished_at", DESCENDING)], {}),
        ([("slot", ASCENDING)], {}),
    ],
    "job_locks": [([("purge_at", ASCENDING)], {"expireAfterSeconds": 0})],
}


async def create_run_indexes(database: AsyncDatabase) -> None:
    await create_indexes(database, RUN_INDEXES)




def _run(document: dict[str, Any]) -> RunRecord:
    return RunRecord(
        run_id=document["_id"], job=document["job"], status=document["status"],
        started_at=aware_time(document["started_at"]), finished_at=aware_time(document["finished_at"]),  # type: ignore[arg-type]
        slot=document.get("slot"), summary=json.loads(document.get("summary") or "{}"),
    )


class MongoRunLedger:
    def __init__(self, database: AsyncDatabase) -> None:
        self._runs = database["job_runs"]
        self._watermarks = database["ingest_watermarks"]

    async def record(self, run: RunRecord) -> None:
        document = {
            "_id": run.run_id, "job": run.job, "slot": run.slot, "status": run.status,
            "started_at": bson_time(run.started_at), "finished_at": bson_time(run.finished_at),
            "summary": json.dumps(run.summary, default=str),
        }
        await self._runs.replace_one({"_id": run.run_id}, document, upsert=True)

    async def last(self, job: str | None = None) -> RunRecord | None:
        runs = await self.recent(job, limit=1)
        return runs[0] if runs else None

    async def recent(self, job: str | None = None, limit: int = 20) -> list[RunRecord]:
        query = {"job": job} if job else {}
        cursor = self._runs.find(query).sort([("finished_at", DESCENDING), ("_id", ASCENDING)]).limit(limit)
        return [_run(document) async for document in cursor]

    async def for_slot(self, slot: str) -> list[RunRecord]:
        cursor = self._runs.find({"slot": slot}).sort("finished_at", ASCENDING)
        return [_run(document) async for document in cursor]

    async def delete_older_than(self, cutoff: datetime) -> int:
        return (await self._runs.delete_many({"finished_at": {"$lt": bson_time(cutoff)}})).deleted_count

    async def watermark(self, search: str) -> Watermark:
        document = await self._watermarks.find_one({"_id": search})
        if document is None:
            return Watermark()
        return Watermark(
            aware_time(document.get("discovered_through")), tuple(document.get("bought_ids") or ()),
            aware_time(document.get("bought_through")),
        )

    async def save_watermark(self, search: str, watermark: Watermark) -> None:
        document = {
            "_id": search, "discovered_through": bson_time(watermark.discovered_through),
            "bought_ids": list(watermark.bought_ids), "bought_through": bson_time(watermark.bought_through),
        }
        await self._watermarks.replace_one({"_id": search}, document, upsert=True)


def _lock(document: dict[str, Any]) -> SlotLock:
    return SlotLock(
        key=document["_id"], owner=document["owner"], claimed_at=aware_time(document["claimed_at"]),  # type: ignore[arg-type]
        expires_at=aware_time(document["expires_at"]), done_at=aware_time(document.get("done_at")),  # type: ignore[arg-type]
    )


class MongoSlotLocks:
    def __init__(self, database: AsyncDatabase) -> None:
        self._locks = database["job_locks"]

    async def claim(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        free = {"_id": key, "done_at": None, "expires_at": {"$lte": bson_time(now)}}
        fields = {
            "owner": owner, "claimed_at": bson_time(now), "expires_at": bson_time(now + lease),
            "purge_at": bson_time(now + lease + LOCK_RETENTION),
        }
        try:
            await self._locks.update_one(free, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            return False  # the key exists and is held (or done)
        return True

    async def renew(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        fields = {"expires_at": bson_time(now + lease), "purge_at": bson_time(now + lease + LOCK_RETENTION)}
        result = await self._locks.update_one({"_id": key, "owner": owner, "done_at": None}, {"$set": fields})
        return result.matched_count == 1

    async def release(self, key: str, owner: str, now: datetime, *, done: bool = True) -> bool:
        fields = {"done_at": bson_time(now)} if done else {"expires_at": bson_time(now)}
        fields["purge_at"] = bson_time(now + LOCK_RETENTION)
        result = await self._locks.update_one({"_id": key, "owner": owner, "done_at": None}, {"$set": fields})
        return result.matched_count == 1

    async def get(self, key: str) -> SlotLock | None:
        document = await self._locks.find_one({"_id": key})
        return _lock(document) if document else None

    async def delete_older_than(self, cutoff: datetime) -> int:
        old = bson_time(cutoff)
        query = {"expires_at": {"$lt": old}, "$or": [{"done_at": None}, {"done_at": {"$lt": old}}]}
        return (await self._locks.delete_many(query)).deleted_count
