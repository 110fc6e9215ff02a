"""An in-process MongoDB-compatible engine: an async facade over `mongomock.MongoClient`.

It exposes exactly the subset of PyMongo's async API (`AsyncMongoClient`, `AsyncDatabase`, `AsyncCollection`,
`AsyncCursor`) that `core.storage.mongo` uses, with the same shapes: collection methods are coroutines
except `find()`, which returns a cursor at once; `aggregate()` is a coroutine returning a cursor; cursors
chain `sort/limit/skip` and support `async for` and `await to_list(length)`. Errors are PyMongo's own
classes (mongomock raises them), and like PyMongo 4 a closed client refuses every further operation.

    client = mongo_engine_client()
    store = MongoStore(client, "career_nav_test")
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import mongomock
from pymongo.errors import InvalidOperation


class _ClientState:
    def __init__(self) -> None:
        self.closed = False

    def check_open(self) -> None:
        if self.closed:
            message = "Cannot use AsyncMongoClient after close"
            raise InvalidOperation(message)


class EngineCursor:
    """AsyncCursor/AsyncCommandCursor over a mongomock cursor (or any iterable of documents)."""

    def __init__(self, cursor: Any, state: _ClientState) -> None:
        self._cursor = cursor
        self._state = state
        self._iterator: Iterator[dict[str, Any]] | None = None

    def sort(self, key_or_list: Any, direction: int | None = None) -> EngineCursor:
        if direction is None:
            self._cursor.sort(key_or_list)
        else:
            self._cursor.sort(key_or_list, direction)
        return self

    def limit(self, limit: int) -> EngineCursor:
        self._cursor.limit(limit)
        return self

    def skip(self, skip: int) -> EngineCursor:
        self._cursor.skip(skip)
        return self

    def __aiter__(self) -> EngineCursor:
        return self

    async def __anext__(self) -> dict[str, Any]:
        self._state.check_open()
        if self._iterator is None:
            self._iterator = iter(self._cursor)
        try:
            return next(self._iterator)
        except StopIteration:
            raise StopAsyncIteration from None

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        documents = []
        async for document in self:
            documents.append(document)
            if length is not None and len(documents) >= length:
                break
        return documents

    async def close(self) -> None:
        self._iterator = iter(())


class _BulkBuilderShim:
    """Lets PyMongo write models (ReplaceOne, UpdateOne, ...) add themselves to mongomock's bulk builder.

    PyMongo's models describe themselves through `_add_to_bulk(builder)`, which mongomock relies on too;
    newer PyMongo passes a `sort` option (for updateOne/replaceOne) that mongomock's builder does not know.
    """

    def __init__(self, builder: Any) -> None:
        self._builder = builder

    def add_replace(self, selector: Any, replacement: Any, upsert: Any, sort: Any = None, **options: Any) -> None:
        self._refuse_sort(sort)
        self._builder.add_replace(selector, replacement, upsert, **options)

    def add_update(self, selector: Any, update: Any, multi: bool, upsert: Any = None, sort: Any = None, **options: Any) -> None:
        self._refuse_sort(sort)
        self._builder.add_update(selector, update, multi=multi, upsert=bool(upsert), **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)

    @staticmethod
    def _refuse_sort(sort: Any) -> None:
        if sort:
            raise NotImplementedError("the test engine does not support sort on bulk replace/update")


class _WriteModel:
    def __init__(self, model: Any) -> None:
        self._model = model

    def _add_to_bulk(self, builder: Any) -> None:
        self._model._add_to_bulk(_BulkBuilderShim(builder))


class EngineCollection:
    """AsyncCollection: the methods MongoStore calls, as coroutines over mongomock."""

    def __init__(self, collection: mongomock.Collection, state: _ClientState) -> None:
        self._sync = collection
        self._state = state

    @property
    def name(self) -> str:
        return self._sync.name

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self._state.check_open()
        return getattr(self._sync, method)(*args, **kwargs)

    def find(self, *args: Any, **kwargs: Any) -> EngineCursor:
        return EngineCursor(self._call("find", *args, **kwargs), self._state)

    async def aggregate(self, pipeline: Sequence[Mapping[str, Any]], **kwargs: Any) -> EngineCursor:
        return EngineCursor(self._call("aggregate", list(pipeline), **kwargs), self._state)

    async def find_one(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        return self._call("find_one", *args, **kwargs)

    async def count_documents(self, query: Mapping[str, Any], **kwargs: Any) -> int:
        return self._call("count_documents", query, **kwargs)

    async def distinct(self, key: str, query: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return self._call("distinct", key, query, **kwargs)

    async def insert_one(self, document: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("insert_one", document, **kwargs)

    async def insert_many(self, documents: Sequence[Mapping[str, Any]], **kwargs: Any) -> Any:
        return self._call("insert_many", list(documents), **kwargs)

    async def replace_one(self, query: Mapping[str, Any], replacement: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("replace_one", query, replacement, **kwargs)

    async def update_one(self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("update_one", query, update, **kwargs)

    async def update_many(self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("update_many", query, update, **kwargs)

    async def delete_one(self, query: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("delete_one", query, **kwargs)

    async def delete_many(self, query: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("delete_many", query, **kwargs)

    async def find_one_and_update(self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any) -> Any:
        return self._call("find_one_and_update", query, update, **kwargs)

    async def bulk_write(self, requests: Sequence[Any], ordered: bool = True, **kwargs: Any) -> Any:
        if not requests:
            raise InvalidOperation("No operations to execute")  # as PyMongo does
        return self._call("bulk_write", [_WriteModel(r) for r in requests], ordered=ordered, **kwargs)

    async def create_index(self, keys: Any, **kwargs: Any) -> str:
        return self._call("create_index", keys, **kwargs)

    async def index_information(self) -> dict[str, Any]:
        return self._call("index_information")

    async def drop(self) -> None:
        self._call("drop")


class EngineDatabase:
    """AsyncDatabase: collections by item access, `command`, `drop_collection`."""

    def __init__(self, database: mongomock.Database, state: _ClientState) -> None:
        self._sync = database
        self._state = state

    @property
    def name(self) -> str:
        return self._sync.name

    def __getitem__(self, name: str) -> EngineCollection:
        return EngineCollection(self._sync[name], self._state)

    def get_collection(self, name: str) -> EngineCollection:
        return self[name]

    async def command(self, command: str | Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        self._state.check_open()
        return self._sync.command(command, **kwargs)

    async def list_collection_names(self) -> list[str]:
        self._state.check_open()
        return self._sync.list_collection_names()

    async def drop_collection(self, name: str) -> None:
        self._state.check_open()
        self._sync.drop_collection(name)


class EngineClient:
    """AsyncMongoClient over one in-memory mongomock server."""

    def __init__(self, client: mongomock.MongoClient | None = None) -> None:
        self._sync = client or mongomock.MongoClient()
        self._state = _ClientState()

    def __getitem__(self, name: str) -> EngineDatabase:
        return EngineDatabase(self._sync[name], self._state)

    def get_database(self, name: str) -> EngineDatabase:
        return self[name]

    @property
    def admin(self) -> EngineDatabase:
        return self["admin"]

    async def drop_database(self, name: str) -> None:
        self._state.check_open()
        self._sync.drop_database(name)

    async def close(self) -> None:
        self._state.closed = True

    def reopened(self) -> EngineClient:
        """A second client on the same in-memory data (as a second process would connect to one server)."""
        return EngineClient(self._sync)


def mongo_engine_client() -> EngineClient:
    """A fresh, empty in-process MongoDB-compatible server with an async PyMongo-shaped client."""
    return EngineClient()
