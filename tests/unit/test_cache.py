"""The per-process cache: invalidated by the data version (probed at most once per max_age), one computation per burst of identical misses."""

from __future__ import annotations

import asyncio

from core.cache import VersionedCache, VersionProbe


async def test_a_new_data_version_drops_every_cached_answer():
    cache, calls = VersionedCache(), []

    async def compute():
        calls.append(1)
        return len(calls)

    assert await cache.get_or_compute(1, "k", compute) == 1
    assert await cache.get_or_compute(1, "k", compute) == 1
    assert await cache.get_or_compute(2, "k", compute) == 2


async def test_concurrent_identical_misses_share_one_computation():
    cache, calls, gate = VersionedCache(), [], asyncio.Event()

    async def compute():
        calls.append(1)
        await gate.wait()
        return "answer"

    waiting = [asyncio.create_task(cache.get_or_compute(1, "k", compute)) for _ in range(10)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == ["answer"] * 10
    assert len(calls) == 1


async def test_a_failed_computation_is_not_cached_and_reaches_every_waiter():
    cache, gate = VersionedCache(), asyncio.Event()

    async def boom():
        await gate.wait()
        raise ValueError("no")

    waiting = [asyncio.create_task(cache.get_or_compute(1, "k", boom)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(r, ValueError) for r in results)

    async def ok():
        return 5

    assert await cache.get_or_compute(1, "k", ok) == 5


async def test_the_cache_keeps_at_most_max_entries():
    cache = VersionedCache(max_entries=2)
    for key in "abc":
        await cache.get_or_compute(1, key, lambda key=key: asyncio.sleep(0, result=key))
    calls = []

    async def recompute():
        calls.append(1)
        return "a2"

    assert await cache.get_or_compute(1, "a", recompute) == "a2" and calls == [1]


class CountingVersion:
    def __init__(self) -> None:
        self.value, self.reads, self.gate = 1, 0, None

    async def read(self) -> int:
        self.reads += 1
        value = self.value
        if self.gate is not None:
            await self.gate.wait()
        return value


async def test_the_data_version_is_read_at_most_once_per_max_age():
    store = CountingVersion()
    probe = VersionProbe(store.read, max_age=0.05)
    assert [await probe.current() for _ in range(20)] == [1] * 20
    assert store.reads == 1
    store.value = 2  # another process writes
    await asyncio.sleep(0.06)
    assert await probe.current() == 2 and store.reads == 2


async def test_a_write_by_this_process_is_seen_at_once():
    store = CountingVersion()
    probe = VersionProbe(store.read, max_age=60)
    await probe.current()
    store.value = 2
    probe.expire()
    assert await probe.current() == 2


async def test_a_read_that_started_before_a_local_write_is_not_kept():
    store = CountingVersion()
    probe = VersionProbe(store.read, max_age=60)
    store.gate = asyncio.Event()
    early = asyncio.create_task(probe.current())
    await asyncio.sleep(0)
    store.value = 2
    probe.expire()
    store.gate.set()
    assert await early == 1
    store.gate = None
    assert await probe.current() == 2


async def test_concurrent_version_reads_share_one_store_read():
    store = CountingVersion()
    store.gate = asyncio.Event()
    probe = VersionProbe(store.read, max_age=60)
    readers = [asyncio.create_task(probe.current()) for _ in range(10)]
    await asyncio.sleep(0)
    store.gate.set()
    assert await asyncio.gather(*readers) == [1] * 10
    assert store.reads == 1
