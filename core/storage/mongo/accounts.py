"""MongoDB adapters for the identity ports (credentials, link codes, token ledger, failed attempts).

Times are BSON dates written as naive UTC (PyMongo's convention) and read back as aware UTC. TTL indexes
drop link codes an hour after they expire and attempts a day after they happened; the code never relies on
TTL timing (every read filters by time itself), the indexes only keep the collections small. Token records
have no TTL index: the cleanup (core.housekeeping) deletes them a day after the token expired.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument, UpdateMany
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from core.errors import Conflict
from core.storage.account_ports import LinkCodeRecord, TokenRecord
from core.storage.mongo.codec import aware_time, bson_time, create_indexes

Index = tuple[list[tuple[str, int]], dict[str, Any]]
ACCOUNT_INDEXES: dict[str, list[Index]] = {
    "credentials": [],  # looked up by _id (= user id)
    "link_codes": [
        ([("user_id", ASCENDING)], {}),
        ([("expires_at", ASCENDING)], {"expireAfterSeconds": 3600}),
    ],
    "tokens": [([("user_id", ASCENDING), ("created_at", DESCENDING)], {})],
    "auth_attempts": [
        ([("key", ASCENDING), ("at", ASCENDING)], {}),
        ([("user_id", ASCENDING)], {}),
        ([("at", ASCENDING)], {"expireAfterSeconds": 86_400}),
    ],
}


async def create_account_indexes(database: AsyncDatabase) -> None:
    await create_indexes(database, ACCOUNT_INDEXES)




class MongoCredentialRepository:
    def __init__(self, database: AsyncDatabase) -> None:
        self._credentials = database["credentials"]

    async def get(self, user_id: str) -> str | None:
        document = await self._credentials.find_one({"_id": user_id})
        return document["password_hash"] if document else None

    async def set(self, user_id: str, password_hash: str, at: datetime) -> None:
        update = {"$set": {"password_hash": password_hash, "updated_at": bson_time(at)}}
        await self._credentials.update_one({"_id": user_id}, update, upsert=True)

    async def delete_for_user(self, user_id: str) -> int:
        return (await self._credentials.delete_many({"_id": user_id})).deleted_count


def _link_code(document: dict[str, Any]) -> LinkCodeRecord:
    return LinkCodeRecord(
        code_hash=document["_id"],
        user_id=document["user_id"],
        created_at=aware_time(document["created_at"]),  # type: ignore[arg-type]
        expires_at=aware_time(document["expires_at"]),  # type: ignore[arg-type]
        used_at=aware_time(document.get("used_at")),
    )


class MongoLinkCodeRepository:
    def __init__(self, database: AsyncDatabase) -> None:
        self._codes = database["link_codes"]

    async def add(self, record: LinkCodeRecord) -> None:
        document = {
            "_id": record.code_hash,
            "user_id": record.user_id,
            "created_at": bson_time(record.created_at),
            "expires_at": bson_time(record.expires_at),
            "used_at": bson_time(record.used_at),
        }
        try:
            await self._codes.insert_one(document)
        except DuplicateKeyError as exc:
            message = "That link code already exists."
            raise Conflict(message) from exc

    async def get(self, code_hash: str) -> LinkCodeRecord | None:
        document = await self._codes.find_one({"_id": code_hash})
        return _link_code(document) if document else None

    async def consume(self, code_hash: str, now: datetime) -> LinkCodeRecord | None:
        # find_one_and_update is atomic on one document: only one caller sees used_at still null.
        query = {"_id": code_hash, "used_at": None, "expires_at": {"$gt": bson_time(now)}}
        document = await self._codes.find_one_and_update(
            query, {"$set": {"used_at": bson_time(now)}}, return_document=ReturnDocument.AFTER
        )
        return _link_code(document) if document else None

    async def delete_expired(self, now: datetime) -> int:
        return (await self._codes.delete_many({"expires_at": {"$lte": bson_time(now)}})).deleted_count

    async def delete_for_user(self, user_id: str) -> int:
        return (await self._codes.delete_many({"user_id": user_id})).deleted_count


def _token(document: dict[str, Any]) -> TokenRecord:
    return TokenRecord(
        jti=document["_id"],
        user_id=document["user_id"],
        version=int(document["version"]),
        created_at=aware_time(document["created_at"]),  # type: ignore[arg-type]
        expires_at=aware_time(document["expires_at"]),  # type: ignore[arg-type]
        last_used_at=aware_time(document.get("last_used_at")),
        revoked_at=aware_time(document.get("revoked_at")),
    )


class MongoTokenRepository:
    def __init__(self, database: AsyncDatabase) -> None:
        self._tokens = database["tokens"]

    async def add(self, record: TokenRecord) -> None:
        document = {
            "_id": record.jti,
            "user_id": record.user_id,
            "version": record.version,
            "created_at": bson_time(record.created_at),
            "expires_at": bson_time(record.expires_at),
            "last_used_at": bson_time(record.last_used_at),
            "revoked_at": bson_time(record.revoked_at),
        }
        await self._tokens.insert_one(document)

    async def get(self, jti: str) -> TokenRecord | None:
        document = await self._tokens.find_one({"_id": jti})
        return _token(document) if document else None

    async def active_for_user(self, user_id: str, now: datetime) -> list[TokenRecord]:
        query = {"user_id": user_id, "revoked_at": None, "expires_at": {"$gt": bson_time(now)}}
        cursor = self._tokens.find(query).sort([("created_at", DESCENDING), ("_id", ASCENDING)])
        return [_token(document) async for document in cursor]

    async def touch(self, jti: str, at: datetime) -> None:
        await self._tokens.update_one({"_id": jti}, {"$set": {"last_used_at": bson_time(at)}})

    async def revoke(self, user_id: str, jti: str, at: datetime) -> bool:
        query = {"_id": jti, "user_id": user_id, "revoked_at": None}
        result = await self._tokens.update_one(query, {"$set": {"revoked_at": bson_time(at)}})
        return result.modified_count > 0

    async def revoke_all(self, user_id: str, at: datetime) -> int:
        revoke = UpdateMany({"user_id": user_id, "revoked_at": None}, {"$set": {"revoked_at": bson_time(at)}})
        return (await self._tokens.bulk_write([revoke])).modified_count

    async def delete_expired(self, now: datetime) -> int:
        return (await self._tokens.delete_many({"expires_at": {"$lte": bson_time(now)}})).deleted_count

    async def delete_for_user(self, user_id: str) -> int:
        return (await self._tokens.delete_many({"user_id": user_id})).deleted_count


class MongoAttemptRepository:
    def __init__(self, database: AsyncDatabase) -> None:
        self._attempts = database["auth_attempts"]

    async def record(self, key: str, at: datetime, user_id: str | None = None) -> None:
        await self._attempts.insert_one({"key": key, "user_id": user_id, "at": bson_time(at)})

    async def since(self, key: str, since: datetime) -> list[datetime]:
        cursor = self._attempts.find({"key": key, "at": {"$gte": bson_time(since)}}, {"_id": 0, "at": 1}).sort("at", ASCENDING)
        return [aware_time(document["at"]) async for document in cursor]  # type: ignore[misc]

    async def clear(self, key: str) -> int:
        return (await self._attempts.delete_many({"key": key})).deleted_count

    async def delete_older_than(self, cutoff: datetime) -> int:
        return (await self._attempts.delete_many({"at": {"$lt": bson_time(cutoff)}})).deleted_count

    async def delete_for_user(self, user_id: str) -> int:
        return (await self._attempts.delete_many({"user_id": user_id})).deleted_count
