"""A small per-process result cache that forgets everything when the store's data version changes.

Every process (bot, MCP, scheduler) keeps its own cache; ingestion bumps the data version in the shared store,
so the next read in any process sees the new version and drops stale answers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class VersionedCache:
    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._version: int | None = None
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    async def get_or_compute(self, version: int, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if version != self._version:
            self._entries.clear()
            self._version = version
        if key in self._entries:
            self.hits += 1
            self._entries.move_to_end(key)
            return self._entries[key]  # type: ignore[return-value]
        self.misses += 1
        value = await compute()
        if self._version == version:
            self._entries[key] = value
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        self._entries.clear()
        self._version = None
