"""Warm-up: servers compute every role's market answers before the first caller, and again after data changes."""

from __future__ import annotations

import asyncio

from core.warmup import WINDOWS, keep_warm, warm_up
from tests.conftest import NOW
from tests.factories import posting


async def seed(nav, count: int = 40) -> None:
    await nav.add_postings([posting(skills=["Python", "SQL"] if i % 2 else ["Go", "Docker"], day=NOW.date(), roles=["backend_developer"]) for i in range(count)])


async def test_after_warm_up_market_questions_compute_nothing(nav):
    await seed(nav)
    await warm_up(nav)
    misses = nav.cache.misses
    for days in WINDOWS:
        await nav.trending(days=days)
        await nav.trending(days=days, role="Backend Developer")
    await nav.skill_gap("Backend Developer", ["Python"])  # person-specific: computed, but on the warm sample
    assert nav.cache.misses - misses == 1


async def test_warm_up_on_an_empty_store_does_not_fail(nav):
    await warm_up(nav)
    assert (await nav.trending(days=30)).total_jobs_analyzed == 0


async def test_keep_warm_rewarms_after_new_postings(nav):
    await seed(nav)
    stop = asyncio.Event()
    keeper = asyncio.create_task(keep_warm(nav, stop, check_seconds=0.01))
    try:
        await asyncio.sleep(0.2)
        await seed(nav, 10)  # a new data version: every cached answer is dropped
        await asyncio.sleep(0.3)  # a write by this process is seen at once; the keeper checks every 10 ms here
        misses = nav.cache.misses
        report = await nav.trending(days=30, role="Backend Developer")
        assert nav.cache.misses == misses
        assert report.total_jobs_analyzed == 50
    finally:
        stop.set()
        await keeper


async def test_keep_warm_does_not_repeat_the_warm_up_its_caller_just_did(nav):
    await seed(nav)
    warmed = await warm_up(nav)
    asked = nav.cache.hits + nav.cache.misses
    stop = asyncio.Event()
    keeper = asyncio.create_task(keep_warm(nav, stop, warmed, check_seconds=0.01))
    await asyncio.sleep(0.1)
    stop.set()
    await keeper
    assert nav.cache.hits + nav.cache.misses == asked
