"""Small key/value state in MongoDB (`_id` = key), including the cross-process data version."""

from __future__ import annotations

import json
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

DATA_VERSION = "data_version"


class MongoMetaRepository:
    """Values are kept as JSON text, so they round-trip exactly as in SQLite (and any dict keys are safe);
    the data version alone is a number, so `$inc` can bump it atomically."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._meta = collection

    async def data_version(self) -> int:
        value = await self.get(DATA_VERSION)
        return int(value or 0)

    async def bump_data_version(self) -> int:
        document = await self._meta.find_one_and_update(
            {"_id": DATA_VERSION}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        return int(document["value"])

    async def get(self, key: str) -> Any | None:
        document = await self._meta.find_one({"_id": key})
        if document is None:
            return None
        value = document["value"]
        return json.loads(value) if isinstance(value, str) else value

    async def put(self, key: str, value: Any) -> None:
        stored = int(value) if key == DATA_VERSION else json.dumps(value, default=str)
        await self._meta.replace_one({"_id": key}, {"_id": key, "value": stored}, upsert=True)
