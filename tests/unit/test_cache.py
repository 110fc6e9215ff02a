"""The per-process cache: invalidated by the data version, one computation per burst of identical misses."""

from __future__ import annotations

import asyncio

from core.cache import VersionedCache


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
