"""Users in MongoDB: one document per user, `_id` = user id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from core.errors import Conflict
from core.models import User
from core.storage.common import utcnow
from core.storage.mongo.documents import user_document, user_from

# Partial unique indexes: accounts without an email (Telegram-only) or without a Telegram id (CLI-only) must
# not collide on null the way a plain unique index would make them. Lookups repeat the partial filter,
# because the query planner uses a partial index only when the query contains its filter expression.
EMAIL_INDEXED = {"$type": "string"}
TELEGRAM_ID_INDEXED = {"$type": "number"}
USER_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    ([("email", ASCENDING)], {"unique": True, "partialFilterExpression": {"email": EMAIL_INDEXED}}),
    ([("telegram_id", ASCENDING)], {"unique": True, "partialFilterExpression": {"telegram_id": TELEGRAM_ID_INDEXED}}),
]
TAKEN_ON_CREATE = "An account with this email or Telegram identity already exists."
TAKEN_ON_UPDATE = "That email or Telegram identity belongs to another account."


class MongoUserRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._users = collection

    async def create_indexes(self) -> None:
        for keys, options in USER_INDEXES:
            await self._users.create_index(keys, **options)

    async def create(self, user: User) -> User:
        stamp = utcnow()
        user = user.model_copy(update={"created_at": user.created_at or stamp, "updated_at": stamp})
        try:
            await self._users.insert_one(user_document(user))
        except DuplicateKeyError as exc:
            message = TAKEN_ON_CREATE
            raise Conflict(message) from exc
        return user

    async def _one(self, query: dict[str, Any]) -> User | None:
        document = await self._users.find_one(query)
        return user_from(document) if document else None

    async def get(self, user_id: str) -> User | None:
        return await self._one({"_id": user_id})

    async def get_by_email(self, email: str) -> User | None:
        return await self._one({"email": {"$eq": email.strip().lower(), **EMAIL_INDEXED}})

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return await self._one({"telegram_id": {"$eq": telegram_id, **TELEGRAM_ID_INDEXED}})

    async def update(self, user_id: str, fields: dict[str, Any]) -> User | None:
        current = await self.get(user_id)
        if current is None:
            return None
        user = User.model_validate({**current.model_dump(), **fields, "id": user_id, "updated_at": utcnow()})
        try:
            replaced = await self._users.replace_one({"_id": user_id}, user_document(user))
        except DuplicateKeyError as exc:
            message = TAKEN_ON_UPDATE
            raise Conflict(message) from exc
        return user if replaced.matched_count else None  # deleted meanwhile

    async def delete(self, user_id: str) -> bool:
        deleted = await self._users.delete_one({"_id": user_id})
        return deleted.deleted_count > 0

    async def count(self) -> int:
        return await self._users.count_documents({})

    async def iter_digest_subscribers(self) -> AsyncIterator[User]:
        query = {"digest_opt_in": True, "telegram_id": {"$ne": None}}
        async for document in self._users.find(query).sort("_id", ASCENDING):
            yield user_from(document)
