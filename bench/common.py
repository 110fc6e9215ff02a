"""Helpers shared by the benchmarks: timing percentiles and a demo-loaded embedded store."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from core.catalog import Catalog
from core.clock import FixedClock
from core.service import Navigator
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


async def demo_navigator(directory: Path, postings: int) -> Navigator:
    store = SqliteStore(directory / f"bench-{postings}.sqlite3")
    await store.open()
    nav = Navigator(store, Taxonomy.load(), RoleCatalog.load(), Catalog.load(), clock=FixedClock(NOW))
    if await store.postings.count() != postings:
        await nav.load_demo_data(postings, seed=1)
    return nav


async def timings_ms(call: Callable[[], Awaitable[object]], repeats: int, before: Callable[[], None] = lambda: None) -> list[float]:
    samples = []
    for _ in range(repeats):
        before()
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc; 0.0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                total += sum(process_tree_cpu_seconds(int(child)) for child in children.read().split())
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return total
