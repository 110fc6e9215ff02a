"""JobCollectionService with the real client against the fake TheirStack over real sockets; the store is checked.

The fake bills only what it returns with 200 (`credits_served`), so "bought twice" is visible there.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.catalog import Catalog
from core.clock import FixedClock
from core.errors import InvalidInput
from core.ingest.collector import INGEST_LEASE_KEY, IngestionBusy, JobCollectionService
from core.ingest.errors import TheirStackAuthError
from core.ingest.mapping import to_posting
from core.ingest.pending import PENDING_KEY
from core.ingest.ratelimit import RateLimiter
from core.ingest.theirstack import TheirStackClient
from core.ingest.theirstack_models import TheirStackJob
from core.models import SearchContext
from core.service import Navigator
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.run_ports import Watermark
from core.storage.sqlite.store import SqliteStore
from tests.fakes.theirstack_jobs import make_job
from tests.fakes.theirstack_server import client_for, FakeTheirStack, Fault

NOW = datetime.now(UTC).replace(microsecond=0)
ROLE, PLACE = "Data Engineer", "United States"
SEARCH = "data_engineer|US"


def job(job_id: int, minutes_ago: int | None = None, **overrides: Any) -> dict[str, Any]:
    """Job `job_id`, discovered `minutes_ago` (default: higher ids are newer)."""
    return make_job(job_id, discovered_at=NOW - timedelta(minutes=60 - job_id if minutes_ago is None else minutes_ago), **overrides)


@pytest.fixture(scope="module")
def server():
    with FakeTheirStack() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeTheirStack) -> FakeTheirStack:
    server.reset(jobs=[job(i) for i in range(1, 6)])
    return server


@pytest.fixture(scope="module")
def reference() -> tuple[Taxonomy, RoleCatalog, Catalog]:
    return Taxonomy.load(), RoleCatalog.load(), Catalog.load()


@pytest.fixture
async def nav(tmp_path: Path, reference) -> AsyncIterator[Navigator]:
    store = SqliteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield Navigator(store, *reference, clock=FixedClock(NOW))
    await store.close()


def make_client(fake: FakeTheirStack, **overrides: Any) -> TheirStackClient:
    return client_for(fake, **({"timeout": 1.0, "backoff_max": 0.2} | overrides))


@pytest.fixture
async def client(fake: FakeTheirStack) -> AsyncIterator[TheirStackClient]:
    async with make_client(fake) as client:
        yield client


def collector(nav: Navigator, client: TheirStackClient, page_size: int = 2) -> JobCollectionService:
    return JobCollectionService(nav, client, page_size=page_size, max_credits=1000)


async def collect(nav: Navigator, client: TheirStackClient, page_size: int = 2, **options: Any):
    return await collector(nav, client, page_size).collect_jobs_for_roles([ROLE], [PLACE], 14, **options)


async def stored_ids(nav: Navigator) -> list[str]:
    return sorted([p.job_id async for p in nav.store.postings.iter_all()], key=int)


def searches(fake: FakeTheirStack) -> list[dict[str, Any]]:
    return [r.body for r in fake.requests if r.path == "/v1/jobs/search" and r.status == 200]


def passes(count: int) -> list[Fault]:
    return [Fault()] * count  # an empty fault answers normally: it lets a later fault hit a later request


# --- a normal run ---------------------------------------------------------------------------------------------


async def test_a_run_stores_every_job_enriched_with_rollups_a_ledger_entry_and_a_new_data_version(fake, nav, client) -> None:
    summary = await collect(nav, client)

    assert await stored_ids(nav) == ["1", "2", "3", "4", "5"]
    posting = await nav.store.postings.get("5")
    assert {"Python", "SQL", "Snowflake", "dbt"} <= set(posting.skill_names)
    assert "data_engineer" in posting.role_keys and posting.search.role == ROLE and posting.search.run_id == summary.run_id
    assert (posting.salary.min_annual_usd, posting.locations) == (140000, ["Denver, Colorado, United States"])
    report = await nav.trending(days=7, role=ROLE)
    assert report.total_jobs_analyzed == 5 and report.top_skills[0].count == 5
    assert await nav.store.meta.data_version() == 1  # rollups rebuilt once, at the end of this small run
    assert (summary.status, summary.postings_new, summary.credits_used) == ("ok", 5, 5)
    assert summary.by_role()[ROLE]["pages"] == 3 and fake.credits_served == 5
    recorded = await nav.store.runs.last("ingest")
    assert recorded.run_id == summary.run_id and recorded.summary["postings_new"] == 5
    last = await nav.store.meta.get("last_ingestion")
    assert (last["status"], last["postings_new"], last["credits_used"]) == ("ok", 5, 5) and last["finished_at"]


async def test_requests_pin_the_window_and_ask_for_the_role_in_the_location(fake, nav, client) -> None:
    await collector(nav, client).collect_jobs_for_roles([ROLE], ["United States", "Remote", "Germany"], 14)

    bodies = searches(fake)
    pinned = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all(b["discovered_at_lte"] == pinned and b["posted_at_max_age_days"] == 14 for b in bodies)
    assert all(b["job_title_or"] == [ROLE] for b in bodies)
    assert {b.get("job_country_code_or", ("-",))[0] for b in bodies} == {"US", "DE", "-"}
    assert any(b.get("remote") is True and "job_country_code_or" not in b for b in bodies)


async def test_an_unknown_location_or_role_is_refused_before_any_request(fake, nav, client) -> None:
    with pytest.raises(InvalidInput, match="Unknown location 'Atlantis'"):
        await collector(nav, client).collect_jobs_for_roles([ROLE], ["Atlantis"], 14)
    with pytest.raises(InvalidInput, match="Unknown role"):
        await collector(nav, client).collect_jobs_for_roles(["Astronaut"], [PLACE], 14)
    assert fake.requests == [] and await nav.store.runs.last() is None


async def test_long_runs_rebuild_rollups_in_batches_as_they_go(fake, nav, client) -> None:
    service = JobCollectionService(nav, client, page_size=1, rollup_batch=2)
    await service.collect_jobs_for_roles([ROLE], [PLACE], 14)

    assert await nav.store.meta.data_version() == 3  # after postings 2 and 4, then the rest at the end
    assert (await nav.trending(days=7)).total_jobs_analyzed == 5 and await nav.store.meta.get(PENDING_KEY) == []


async def test_days_a_killed_run_left_unrebuilt_are_rebuilt_by_the_next_run(fake, nav, client) -> None:
    orphan = to_posting(TheirStackJob.model_validate(job(9)), SearchContext(role=ROLE))
    await nav.store.meta.put(PENDING_KEY, [orphan.analytics_day.isoformat()])
    await nav.store.postings.upsert_many([orphan])  # stored, but the run died before its rollups were rebuilt
    fake.reset(jobs=[])

    await collect(nav, client)

    assert (await nav.trending(days=7)).total_jobs_analyzed == 1 and await nav.store.meta.get(PENDING_KEY) == []


# --- retried faults -------------------------------------------------------------------------------------------


async def test_retried_faults_end_with_every_job_stored_exactly_once(fake, nav) -> None:
    fake.add_jobs(*(job(i) for i in range(6, 10)))
    for fault in (Fault.rate_limited(reset="0.05"), Fault(status=500), Fault(status=502), Fault(status=503),
                  Fault(status=504), Fault(delay=0.5), Fault(drop=True), Fault(malformed=True)):
        fake.fail_next(Fault())  # the balance check (then each retry) succeeds; the fault hits the next page
        fake.fail_next(fault)
    async with make_client(fake, timeout=0.25, max_retries=2) as client:
        summary = await collect(nav, client, page_size=1)

    assert await stored_ids(nav) == [str(i) for i in range(1, 10)]
    assert fake.credits_served == 9 and summary.credits_used == 9
    assert summary.status == "ok" and summary.searches[0].retries == 8 and fake.faults == deque()


async def test_a_search_whose_retries_run_out_is_reported_and_the_next_one_still_runs(fake, nav, client) -> None:
    fake.fail_next(Fault())  # credit balance
    fake.fail_next(Fault(status=503), times=4)  # first search: 1 try + 3 retries
    summary = await collector(nav, client).collect_jobs_for_roles([ROLE], ["United States", "Remote"], 14)

    first, second = summary.searches
    assert "unavailable" in first.errors[0] and not first.complete and second.complete
    assert summary.status == "partial" and summary.reason == "1 of 2 searches failed"
    assert await nav.store.runs.watermark(SEARCH) == Watermark()


# --- auth and credits -----------------------------------------------------------------------------------------


async def test_a_rejected_key_stops_the_run_at_once_with_a_clear_message(fake, nav) -> None:
    async with make_client(fake, api_key="revoked-key") as client:
        with pytest.raises(TheirStackAuthError, match="refused the API key"):
            await collect(nav, client)

    assert len(fake.requests) == 1 and await nav.store.postings.count() == 0
    failed = await nav.store.runs.last("ingest")
    assert failed.status == "failed" and "refused the API key" in failed.summary["reason"]
    assert "revoked-key" not in str(failed.summary)


async def test_a_key_revoked_mid_run_keeps_the_pages_already_stored(fake, nav, client) -> None:
    for fault in passes(2) + [Fault(status=401, title="Unauthorized")]:
        fake.fail_next(fault)
    with pytest.raises(TheirStackAuthError):
        await collect(nav, client)

    assert await stored_ids(nav) == ["4", "5"]
    assert (await nav.store.runs.watermark(SEARCH)).bought_ids == (5, 4)


async def test_402_mid_run_keeps_paid_jobs_and_the_rerun_buys_only_the_rest(fake, nav, client) -> None:
    for fault in passes(2) + [Fault(status=402, title="Not allowed exception")]:
        fake.fail_next(fault)
    first = await collect(nav, client)

    assert await stored_ids(nav) == ["4", "5"]
    assert first.status == "credits_exhausted" and "credits are exhausted" in first.reason
    assert await nav.store.runs.watermark(SEARCH) == Watermark(None, (5, 4), NOW - timedelta(minutes=55))

    second = await collect(nav, client)
    assert await stored_ids(nav) == ["1", "2", "3", "4", "5"]
    assert fake.credits_served == 5 and second.credits_used == 3 and second.status == "ok"
    assert searches(fake)[-1]["job_id_not"] == [5, 4]
    assert await nav.store.runs.watermark(SEARCH) == Watermark(NOW - timedelta(minutes=55))


async def test_truncated_results_keep_the_partial_page_and_stop_the_run(fake, nav, client) -> None:
    for fault in passes(2) + [Fault(truncated_results=7)]:
        fake.fail_next(fault)
    summary = await collector(nav, client).collect_jobs_for_roles([ROLE], ["United States", "Remote"], 14)

    assert await stored_ids(nav) == ["2", "3", "4", "5"]
    assert summary.status == "credits_exhausted" and "withheld 7 jobs" in summary.reason
    assert len(summary.searches) == 1  # the Remote search never started
    assert (await nav.store.runs.watermark(SEARCH)).bought_ids == (5, 4, 3, 2)


async def test_a_run_never_spends_more_than_the_balance_or_the_budget(fake, nav, client) -> None:
    fake.exhaust_credits_after(3)
    low_balance = await collect(nav, client)
    fake.reset(jobs=[job(i) for i in range(1, 6)])
    budgeted = await collect(nav, client, max_credits=1)

    assert (low_balance.credit_budget, low_balance.credits_used, low_balance.status) == (3, 3, "partial")
    assert "credit budget of 3" in low_balance.reason
    assert all(r.status == 200 for r in fake.requests)  # never a 402
    assert budgeted.credits_used == 1 and fake.credits_served == 1
    assert await stored_ids(nav) == ["2", "3", "4", "5"]


async def test_no_credits_left_means_no_search_is_made(fake, nav, client) -> None:
    fake.exhaust_credits_after(0)
    summary = await collect(nav, client)

    assert summary.status == "credits_exhausted" and summary.searches == []
    assert [r.path for r in fake.requests] == ["/v0/billing/credit-balance"]


# --- never twice ----------------------------------------------------------------------------------------------


async def test_a_rerun_buys_no_job_twice(fake, nav, client) -> None:
    await collect(nav, client)
    nav.clock.advance(minutes=30)
    fake.add_jobs(job(6, minutes_ago=-10), job(7, minutes_ago=-20))
    second = await collect(nav, client)
    nav.clock.advance(minutes=30)
    third = await collect(nav, client)

    assert fake.credits_served == 7 and (second.credits_used, third.credits_used) == (2, 0)
    assert await stored_ids(nav) == ["1", "2", "3", "4", "5", "6", "7"]
    assert searches(fake)[-1]["discovered_at_gte"] == (NOW + timedelta(minutes=20, seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_a_job_found_by_two_searches_in_one_run_is_bought_once(fake, nav, client) -> None:
    fake.update_job(5, remote=True)
    summary = await collector(nav, client).collect_jobs_for_roles([ROLE], ["United States", "Remote"], 14)

    assert fake.credits_served == 5 and summary.searches[1].jobs_received == 0
    assert searches(fake)[-1]["job_id_not"] == [5, 4, 3, 2, 1]
    assert (await nav.store.runs.watermark("data_engineer|remote")).discovered_through == NOW - timedelta(minutes=55)


async def test_duplicates_across_pages_are_stored_once_and_the_skipped_job_comes_next_run(fake, nav, client) -> None:
    fake.also_serve_on_page(5, page=1)  # pages: [5, 4], [5, 3], [1] — job 2 is pushed out of sight
    first = await collect(nav, client)

    assert await stored_ids(nav) == ["1", "3", "4", "5"]
    assert first.searches[0].duplicates == 1 and not first.searches[0].complete

    second = await collect(nav, client)
    assert await stored_ids(nav) == ["1", "2", "3", "4", "5"]
    assert second.credits_used == 1 and searches(fake)[-1]["job_id_not"] == [5, 4, 3, 1]


async def test_a_job_updated_upstream_overwrites_without_duplicating(fake, nav, client) -> None:
    await collect(nav, client)
    nav.clock.advance(minutes=30)
    fake.update_job(3, salary_string="$200k", min_annual_salary_usd=190000, max_annual_salary_usd=210000,
                    description="Now with Kafka and Rust.", discovered_at=(NOW + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S"))
    second = await collect(nav, client)

    updated = await nav.store.postings.get("3")
    assert await nav.store.postings.count() == 5 and (second.postings_new, second.postings_updated) == (0, 1)
    assert (updated.salary.text, updated.salary.min_annual_usd) == ("$200k", 190000)
    assert {"Kafka", "Rust"} <= set(updated.skill_names) and "Airflow" not in updated.skill_names
    report = await nav.trending(days=7, role=ROLE, skills_limit=50)
    counts = {row.skill: row.count for row in report.top_skills}
    assert (counts["Kafka"], counts["Airflow"], report.total_jobs_analyzed) == (1, 4, 5)


async def test_a_job_without_an_id_is_keyed_by_its_url_and_overwritten_on_rerun(fake, nav, client) -> None:
    fake.reset(jobs=[job(1, id=None, url="https://jobs.example/a"), job(2, id=None, url=None, final_url=None, source_url=None)])
    summary = await collect(nav, client)
    fake.update_job(None, discovered_at=(NOW + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S"), salary_string="$1")
    nav.clock.advance(minutes=5)
    await collect(nav, client)

    keys = [p.job_id async for p in nav.store.postings.iter_all()]
    assert len(keys) == 1 and keys[0].startswith("url:") and summary.searches[0].skipped == 1
    assert (await nav.store.postings.get(keys[0])).salary.text == "$1"


# --- limits and stopping --------------------------------------------------------------------------------------


def _most_in_window(stamps: list[float], seconds: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + seconds) for start in stamps)


async def test_the_rate_limiter_never_exceeds_its_limits(fake, nav) -> None:
    fake.add_jobs(*(job(i) for i in range(6, 9)))
    limiter = RateLimiter([(2, 0.2), (5, 1.0)])
    async with make_client(fake, rate_limiter=limiter) as client:
        await collect(nav, client, page_size=1)

    stamps = sorted(r.at for r in fake.requests)
    assert len(stamps) == 10 and await nav.store.postings.count() == 8
    # Arrival times at the server jitter on a loaded machine (a delayed request bunches up with the next one), so
    # the windows keep 50 ms / 100 ms of slack; without the limiter all 10 requests arrive within ~0.1 s and the
    # total-duration check below fails on its own.
    assert _most_in_window(stamps, 0.15) <= 2 and _most_in_window(stamps, 0.9) <= 5
    assert stamps[-1] - stamps[0] >= 0.98


async def test_a_stop_request_finishes_the_current_page_and_ends_the_run(fake, nav, client) -> None:
    stop = asyncio.Event()
    summary = await collect(nav, client, stop=stop, on_page=lambda jobs: stop.set())

    assert await stored_ids(nav) == ["4", "5"] and summary.status == "stopped"
    assert (await nav.store.runs.watermark(SEARCH)).bought_ids == (5, 4)
    assert (await nav.store.runs.last()).status == "stopped"


async def test_cancelling_during_a_request_abandons_that_page_cleanly(fake, nav, client) -> None:
    for fault in passes(2) + [Fault(delay=5.0)]:
        fake.fail_next(fault)
    task = asyncio.create_task(collect(nav, client))
    await wait_until(lambda: len(fake.requests) == 3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await client.aclose()  # hang up, as a stopping process does

    assert fake.requests[-1].status == 0  # the page in flight was never answered, so never billed
    assert await stored_ids(nav) == ["4", "5"] and fake.credits_served == 2
    assert (await nav.trending(days=7)).total_jobs_analyzed == 2  # the rollups include what was stored
    assert (await nav.store.runs.watermark(SEARCH)).bought_ids == (5, 4)
    assert (await nav.store.runs.last()).status == "cancelled"


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


# --- one run at a time -----------------------------------------------------------------------------------------


async def test_a_second_run_while_one_is_ingesting_is_refused_and_buys_nothing(fake, nav, client, tmp_path) -> None:
    for fault in passes(2) + [Fault(delay=0.5)]:
        fake.fail_next(fault)
    first = asyncio.create_task(collect(nav, client))
    await wait_until(lambda: len(fake.requests) == 3)  # the first run is waiting on its third request
    other = Navigator(SqliteStore(tmp_path / "store.sqlite3"), nav.taxonomy, nav.roles, nav.catalog, clock=nav.clock)
    await other.store.open()  # another process on the same store
    try:
        with pytest.raises(IngestionBusy, match="Another ingestion is running since"):
            await collect(other, client)
        assert len(fake.requests) == 3  # refused before asking TheirStack anything
    finally:
        await other.store.close()
    assert (await first).status == "ok" and fake.credits_served == 5
    assert (await collect(nav, client)).status == "ok"  # the lease was handed back: the next run starts


async def test_the_lease_of_a_run_that_died_expires_and_the_next_run_starts(fake, nav, client) -> None:
    await nav.store.locks.claim(INGEST_LEASE_KEY, "crashed-host:1:abc", NOW - timedelta(hours=1), timedelta(minutes=10))
    assert (await collect(nav, client)).status == "ok"
    await nav.store.locks.claim(INGEST_LEASE_KEY, "live-host:2:def", NOW, timedelta(minutes=10))  # handed back, so claimable
    with pytest.raises(IngestionBusy, match="live-host:2:def"):
        await collect(nav, client)
