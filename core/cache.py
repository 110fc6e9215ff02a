"""A small per-process result cache that forgets everything when the store's data version changes.

Every process (bot, MCP, scheduler) keeps its own cache; ingestion bumps the data version in the shared store,
so the next read in any process sees the new version and drops stale answers. Concurrent misses for the same
key share one computation (single flight), so a burst of identical questions costs one query.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class VersionedCache:
    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[object]] = {}
        self._version: int | None = None
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    async def get_or_compute(self, version: int, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if version != self._version:
            self._entries.clear()
            self._pending.clear()
            self._version = version
        if key in self._entries:
            self.hits += 1
            self._entries.move_to_end(key)
            return self._entries[key]  # type: ignore[return-value]
        if key in self._pending:
            self.hits += 1
            return await asyncio.shield(self._pending[key])  # type: ignore[return-value]
        return await self._compute(version, key, compute)

    async def _compute(self, version: int, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        self.misses += 1
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await compute()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters (if any) re-raise it themselves
            raise
        else:
            future.set_result(value)
            if self._version == version:
                self._store(key, value)
            return value
        finally:
            if self._pending.get(key) is future:
                del self._pending[key]

    def _store(self, key: Hashable, value: object) -> None:
        self._entries[key] = value
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()
        self._pending.clear()
        self._version = None


class VersionProbe:
    """The store's data version, read at most once per `max_age` seconds (concurrent readers share one read).

    Reading the version is a store round trip (on SQLite, a hop to the store's worker thread, which under load waits
    for the GIL); probing once a second keeps busy servers off that path. Writes made through this process call
    `expire()` so that its next read is fresh; writes by other processes are seen within `max_age`.
    """

    def __init__(self, read: Callable[[], Awaitable[int]], max_age: float = 1.0) -> None:
        self._read = read
        self._max_age = max_age
        self._value: int | None = None
        self._read_at = 0.0
        self._pending: asyncio.Future[int] | None = None
        self._epoch = 0  # expire() moves it on, so a read that started before a local write is not kept

    async def current(self) -> int:
        if self._value is not None and time.monotonic() - self._read_at < self._max_age:
            return self._value
        if self._pending is not None:
            return await asyncio.shield(self._pending)
        self._pending = future = asyncio.get_running_loop().create_future()
        epoch = self._epoch
        try:
            value = await self._read()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters (if any) re-raise it themselves
            raise
        finally:
            self._pending = None
        if epoch == self._epoch:
            self._value, self._read_at = value, time.monotonic()
        future.set_result(value)
        return value

    def expire(self) -> None:
        self._value = None
        self._epoch += 1
