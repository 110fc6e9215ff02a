"""MongoDB adapter for the digest ledger (core.storage.digest_ports), collection `digest_ledger`.

One document per (user_id, period) under a unique index on the pair. A claim is one `find_one_and_update`
upsert filtered on "free": when the entry exists and is not free, the upsert tries to insert a second
document for the pair and the unique index refuses it (DuplicateKeyError), so of concurrent claimers exactly
one wins. Coverage snapshots are stored as JSON text, since role names may contain dots.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from core.storage.digest_ports import FAILED, OUTCOME_UNKNOWN, SENDING, SENT, SKIPPED, DigestEntry
from core.storage.mongo.codec import aware_time, bson_time

DIGEST_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    ([("user_id", ASCENDING), ("period", ASCENDING)], {"unique": True}),
    ([("period", ASCENDING), ("state", ASCENDING)], {}),
    ([("user_id", ASCENDING), ("state", ASCENDING), ("sent_at", DESCENDING)], {}),
    ([("state", ASCENDING), ("lease_until", ASCENDING)], {}),
]
PURGE_BATCH = 1000




def _entry(document: dict[str, Any]) -> DigestEntry:
    coverage = document.get("coverage")
    return DigestEntry(
        user_id=document["user_id"], period=document["period"], state=document["state"],
        attempts=document.get("attempts", 0), owner=document.get("owner"),
        claimed_at=aware_time(document.get("claimed_at")), lease_until=aware_time(document.get("lease_until")),
        transmitting_at=aware_time(document.get("transmitting_at")), message_id=document.get("message_id"),
        coverage=json.loads(coverage) if coverage else None, error=document.get("error"),
        retry=bool(document.get("retry")), sent_at=aware_time(document.get("sent_at")), updated_at=aware_time(document.get("updated_at")),
    )


def _free(now: datetime, max_attempts: int) -> list[dict[str, Any]]:
    """`is_claimable` as a filter (a missing entry is handled by the upsert)."""
    return [
        {"state": FAILED, "retry": True, "attempts": {"$lt": max_attempts}},
        {"state": SENDING, "transmitting_at": None, "lease_until": {"$lte": bson_time(now)}},
    ]


class MongoDigestLedger:
    def __init__(self, database: AsyncDatabase) -> None:
        self._entries = database["digest_ledger"]

    async def create_indexes(self) -> None:
        for keys, options in DIGEST_INDEXES:
            await self._entries.create_index(keys, **options)

    async def claim(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta, max_attempts: int = 3) -> DigestEntry | None:
        query = {"user_id": user_id, "period": period, "$or": _free(now, max_attempts)}
        fields = {
            "state": SENDING, "owner": owner, "claimed_at": bson_time(now), "lease_until": bson_time(now + lease),
            "transmitting_at": None, "error": None, "retry": False, "updated_at": bson_time(now),
        }
        update = {"$set": fields, "$inc": {"attempts": 1}}
        try:
            document = await self._entries.find_one_and_update(query, update, upsert=True, return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:
            return None  # the entry exists and is not free
        return _entry(document)

    async def get(self, user_id: str, period: str) -> DigestEntry | None:
        document = await self._entries.find_one({"user_id": user_id, "period": period})
        return _entry(document) if document else None

    async def mark_transmitting(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta) -> bool:
        return await self._update(user_id, period, owner, {"transmitting_at": bson_time(now), "lease_until": bson_time(now + lease), "updated_at": bson_time(now)})

    async def clear_transmitting(self, user_id: str, period: str, owner: str, now: datetime) -> bool:
        return await self._update(user_id, period, owner, {"transmitting_at": None, "updated_at": bson_time(now)})

    async def mark_sent(self, user_id: str, period: str, owner: str, now: datetime, message_id: int | None, coverage: dict[str, Any] | None) -> bool:
        fields = {
            "state": SENT, "message_id": message_id, "coverage": json.dumps(coverage) if coverage is not None else None,
            "sent_at": bson_time(now), "updated_at": bson_time(now), "error": None,
        }
        return await self._update(user_id, period, owner, fields)

    async def mark_failed(self, user_id: str, period: str, owner: str, now: datetime, error: str, *, retry: bool) -> bool:
        fields = {"state": FAILED, "error": error, "retry": retry, "transmitting_at": None, "updated_at": bson_time(now)}
        return await self._update(user_id, period, owner, fields)

    async def mark_skipped(self, user_id: str, period: str, owner: str, now: datetime, reason: str) -> bool:
        fields = {"state": SKIPPED, "error": reason, "transmitting_at": None, "updated_at": bson_time(now)}
        return await self._update(user_id, period, owner, fields)

    async def _update(self, user_id: str, period: str, owner: str, fields: dict[str, Any]) -> bool:
        held = {"user_id": user_id, "period": period, "owner": owner, "state": SENDING}
        return (await self._entries.update_one(held, {"$set": fields})).matched_count == 1

    async def settle_stale(self, now: datetime) -> int:
        stale = {"state": SENDING, "transmitting_at": {"$ne": None}, "lease_until": {"$lte": bson_time(now)}}
        update = {"$set": {"state": FAILED, "retry": False, "error": OUTCOME_UNKNOWN, "updated_at": bson_time(now)}}
        return (await self._entries.update_many(stale, update)).modified_count

    async def finished_users(self, period: str) -> set[str]:
        query = {"period": period, "$or": [{"state": {"$in": [SENT, SKIPPED]}}, {"state": FAILED, "retry": False}]}
        return {document["user_id"] async for document in self._entries.find(query, {"user_id": 1})}

    async def last_sent(self, user_id: str) -> DigestEntry | None:
        cursor = self._entries.find({"user_id": user_id, "state": SENT}).sort("sent_at", DESCENDING).limit(1)
        documents = await cursor.to_list(1)
        return _entry(documents[0]) if documents else None

    async def counts(self, period: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        async for document in self._entries.find({"period": period}, {"state": 1}):
            counts[document["state"]] = counts.get(document["state"], 0) + 1
        return counts

    async def delete_older_than(self, cutoff: datetime) -> int:
        # No transaction: the newest sent time per user is read first, then old entries are deleted in batches
        # whose filter repeats the age and state test, so an entry claimed or sent meanwhile is never deleted.
        # A digest sent meanwhile only makes an entry kept here redundant; the next purge takes it.
        old = {"updated_at": {"$lt": bson_time(cutoff)}, "state": {"$ne": SENDING}}
        newest = await self._newest_sent()
        doomed = [
            document["_id"] async for document in self._entries.find(old, {"user_id": 1, "state": 1, "sent_at": 1})
            if not (document["state"] == SENT and document.get("sent_at") == newest.get(document["user_id"]))
        ]
        deleted = 0
        for start in range(0, len(doomed), PURGE_BATCH):
            batch = {"_id": {"$in": doomed[start : start + PURGE_BATCH]}, **old}
            deleted += (await self._entries.delete_many(batch)).deleted_count
        return deleted

    async def _newest_sent(self) -> dict[str, Any]:
        """Each user's greatest `sent_at` among sent entries (as stored, so equality is exact)."""
        pipeline = [{"$match": {"state": SENT}}, {"$group": {"_id": "$user_id", "sent_at": {"$max": "$sent_at"}}}]
        return {group["_id"]: group["sent_at"] async for group in await self._entries.aggregate(pipeline)}

    async def delete_for_user(self, user_id: str) -> int:
        return (await self._entries.delete_many({"user_id": user_id})).deleted_count
