"""Ingestion throughput: TheirStack (the fake, on loopback, in its own process) → map → extract → upsert → rollups.

The full pipeline is JobCollectionService on the embedded SQLite store, 6 roles × 3 countries, pages of 500.
Baselines from the same data in the same run: each stage alone (fetch + parse, map + extract, upsert +
rollups in page-sized batches) and a naive pipeline that upserts one posting at a time. Target: ≥ 500
postings/s end-to-end at 10k. `--rss-postings 100000` also ingests 100k and reports the peak RSS
(target < 300 MB); the fake server's memory is in the other process and not counted.

    .venv/bin/python bench/ingest.py [--postings 10000] [--page-size 500] [--naive 1000] [--rss-postings 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog import Catalog  # noqa: E402
from core.enrich import enrich  # noqa: E402
from core.ingest.collector import JobCollectionService  # noqa: E402
from core.ingest.mapping import to_posting  # noqa: E402
from core.ingest.pending import PendingRollups  # noqa: E402
from core.ingest.theirstack import TheirStackClient  # noqa: E402
from core.ingest.theirstack_models import JobSearchRequest, TheirStackJob  # noqa: E402
from core.models import Posting, SearchContext  # noqa: E402
from core.service import Navigator, batched  # noqa: E402
from core.skills.roles import RoleCatalog  # noqa: E402
from core.skills.taxonomy import Taxonomy  # noqa: E402
from core.storage.sqlite.store import SqliteStore  # noqa: E402
from tests.fakes.theirstack_server import FAKE_API_KEY  # noqa: E402

ROLES = ["Software Engineer", "Data Scientist", "DevOps Engineer", "Frontend Developer", "Backend Developer", "Machine Learning Engineer"]
COUNTRIES = ["US", "DE", "CA"]
MAX_AGE_DAYS = 30


# --- the fake API in its own process ------------------------------------------------------------------------


def _serve(conn, count: int) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.theirstack_jobs import synthetic_jobs
    from tests.fakes.theirstack_server import FakeTheirStack

    with FakeTheirStack(jobs=synthetic_jobs(count, now=datetime.now(UTC))) as fake:
        fake.exhaust_credits_after(10**9)
        conn.send(fake.base_url)
        conn.recv()  # until the benchmark is done


class FakeProcess:
    def __init__(self, count: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, count), daemon=True)

    def __enter__(self) -> str:
        self._process.start()
        return self._conn.recv()

    def __exit__(self, *exc_info: object) -> None:
        self._conn.send("stop")
        self._process.join(timeout=30)


# --- measurements -------------------------------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def navigator(directory: Path, name: str, reference: tuple) -> Navigator:  # type: ignore[type-arg]
    store = SqliteStore(directory / f"{name}.sqlite3")
    await store.open()
    return Navigator(store, *reference)


def client(base_url: str) -> TheirStackClient:
    return TheirStackClient(FAKE_API_KEY, base_url=base_url, rate_limit_per_second=10_000, rate_limit_per_minute=10**6, timeout=120)


async def full_pipeline(base_url: str, directory: Path, reference: tuple, page_size: int, on_page: Callable[[int], None] | None = None) -> tuple[int, float]:  # type: ignore[type-arg]
    nav = await navigator(directory, "full", reference)
    nav.extractor  # noqa: B018 — built before the clock starts, as in a long-running process
    async with client(base_url) as api:
        service = JobCollectionService(nav, api, page_size=page_size, max_credits=10**9)
        started = time.perf_counter()
        summary = await service.collect_jobs_for_roles(ROLES, COUNTRIES, MAX_AGE_DAYS, on_page=on_page)
        elapsed = time.perf_counter() - started
    stored = await nav.store.postings.count()
    await nav.close()
    assert summary.status == "ok", summary.describe()
    return stored, elapsed


async def fetch_all(base_url: str, page_size: int) -> tuple[list[tuple[TheirStackJob, str]], float]:
    jobs: list[tuple[TheirStackJob, str]] = []
    async with client(base_url) as api:
        started = time.perf_counter()
        for role in ROLES:
            for country in COUNTRIES:
                page = 0
                while True:
                    request = JobSearchRequest(posted_at_max_age_days=MAX_AGE_DAYS, job_title_or=[role], job_country_code_or=[country], page=page, limit=page_size)
                    data = (await api.search_jobs(request)).data
                    jobs.extend((job, role) for job in data)
                    page += 1
                    if len(data) < page_size:
                        break
        return jobs, time.perf_counter() - started


def map_and_extract(jobs: list[tuple[TheirStackJob, str]], nav: Navigator) -> tuple[list[Posting], float]:
    started = time.perf_counter()
    postings = [to_posting(job, SearchContext(role=role)) for job, role in jobs]
    enriched = [enrich(p, nav.extractor, nav.roles) for p in postings if p is not None]
    return enriched, time.perf_counter() - started


async def upsert_batches(nav: Navigator, postings: list[Posting], size: int) -> float:
    started = time.perf_counter()
    for batch in batched(postings, size):
        await nav.add_postings(batch)
    return time.perf_counter() - started


async def upsert_then_rebuild(nav: Navigator, postings: list[Posting], size: int) -> float:
    started = time.perf_counter()
    pending = PendingRollups(nav.store)
    for batch in batched(postings, size):
        await pending.stored(await nav.store.postings.upsert_many(batch))
    await pending.flush()
    return time.perf_counter() - started


async def upsert_one_by_one(nav: Navigator, postings: list[Posting]) -> float:
    started = time.perf_counter()
    for posting in postings:
        await nav.add_postings([posting])
    return time.perf_counter() - started


# --- report -------------------------------------------------------------------------------------------------


def line(name: str, count: int, seconds: float) -> str:
    return f"  {name:<50}{count:>9,} postings {seconds:>8.2f} s {count / seconds:>10,.0f} postings/s"


async def throughput(count: int, page_size: int, naive: int, directory: Path, reference: tuple) -> None:  # type: ignore[type-arg]
    with FakeProcess(count) as base_url:
        stored, elapsed = await full_pipeline(base_url, directory, reference, page_size)
        jobs, fetch_s = await fetch_all(base_url, page_size)
    stage_nav = await navigator(directory, "stages", reference)
    postings, extract_s = map_and_extract(jobs, stage_nav)
    upsert_s = await upsert_batches(stage_nav, postings, page_size)
    batched_nav = await navigator(directory, "batched", reference)
    batched_s = await upsert_then_rebuild(batched_nav, postings, page_size)
    naive_nav = await navigator(directory, "naive", reference)
    naive_s = await upsert_one_by_one(naive_nav, postings[:naive])
    for nav in (stage_nav, batched_nav, naive_nav):
        await nav.close()
    print(f"\nIngestion, {count:,} synthetic postings from the fake TheirStack on loopback, pages of {page_size}")
    print(line("end-to-end (fetch→map→extract→upsert→rollups)", stored, elapsed))
    print("  baselines, same data:")
    print(line("fetch + parse only", len(jobs), fetch_s))
    print(line("map + extract only", len(postings), extract_s))
    print(line("upsert + batched rollups only (as the collector)", len(postings), batched_s))
    print(line(f"upsert + rollups after every page of {page_size}", len(postings), upsert_s))
    print(line("naive: upsert + rollups one posting at a time", min(naive, len(postings)), naive_s))
    print(f"  target ≥ 500 postings/s end-to-end: {'met' if stored / elapsed >= 500 else 'NOT met'}")


async def peak_rss(count: int, page_size: int, directory: Path, reference: tuple) -> None:  # type: ignore[type-arg]
    samples = [rss_mb()]
    with FakeProcess(count) as base_url:
        stored, elapsed = await full_pipeline(base_url, directory, reference, page_size, on_page=lambda _: samples.append(rss_mb()))
    peak = max(samples)
    print(f"\nRSS while ingesting {stored:,} postings ({stored / elapsed:,.0f} postings/s): start {samples[0]:.0f} MB, "
          f"peak {peak:.0f} MB (ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB); "
          f"target < 300 MB: {'met' if peak < 300 else 'NOT met'}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--naive", type=int, default=1000, help="postings for the one-at-a-time baseline")
    parser.add_argument("--rss-postings", type=int, default=0, help="also ingest this many and report peak RSS")
    args = parser.parse_args()
    reference = (Taxonomy.load(), RoleCatalog.load(), Catalog.load())
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        if args.rss_postings:
            await peak_rss(args.rss_postings, args.page_size, Path(tmp) / "rss", reference)  # first: a clean heap
        await throughput(args.postings, args.page_size, args.naive, Path(tmp), reference)


if __name__ == "__main__":
    asyncio.run(main())
