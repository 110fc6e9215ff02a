"""A small per-process result cache that forgets everything when the store's data version changes.

Every process (bot, MCP, scheduler) keeps its own cache; ingestion bumps the data version in the shared store,
so the next read in any process sees the new version and drops stale answers. Concurrent misses for the same
key share one computation (single flight), so a burst of identical questions costs one query.
"""

from __future__ import annotations

import asyncio
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
