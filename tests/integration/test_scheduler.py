"""The scheduler: slot arithmetic, job functions on a fixed clock, leases, and slots run once across processes."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger

from core.catalog import Catalog
from core.clock import FixedClock, SystemClock
from core.ingest.collector import INGEST_LEASE_KEY
from core.ingest.setup import collection_service, theirstack_client
from core.service import Navigator
from core.settings import Settings
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore
from scheduler.app import SchedulerApp, run_scheduler
from scheduler.jobs import NO_TELEGRAM, ScheduledJobs
from scheduler.slots import SlotRunner, latest_slot, slot_key
from tests.factories import posting
from tests.fakes.theirstack_jobs import make_job
from tests.fakes.theirstack_server import FAKE_API_KEY, FakeTheirStack, Fault

ROOT = Path(__file__).parents[2]
AT_0330 = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


def settings(**env: Any) -> Settings:
    values = {
        "THEIR_STACK_API_KEY": "", "JOB_COLLECTION_SCHEDULE": "0 2 * * *", "CLEANUP_SCHEDULE": "0 3 * * *",
        "DIGEST_SCHEDULE": "0 9 * * 1", "JOB_DATA_RETENTION_DAYS": 30, "INGEST_ROLES": "Data Engineer",
        "INGEST_LOCATIONS": "United States", "MONGODB_URI": "", "DEBUG": True,
    }
    return Settings(_env_file=None, **(values | env))


@pytest.fixture(scope="module")
def reference() -> tuple[Taxonomy, RoleCatalog, Catalog]:
    return Taxonomy.load(), RoleCatalog.load(), Catalog.load()


@pytest.fixture
async def navs(tmp_path: Path, reference) -> AsyncIterator[Callable[..., Any]]:
    """Opens navigators on one SQLite file, as separate processes would; all are closed after the test."""
    opened: list[Navigator] = []

    async def open_nav(at: datetime = AT_0330) -> Navigator:
        store = SqliteStore(tmp_path / "store.sqlite3")
        await store.open()
        opened.append(Navigator(store, *reference, clock=FixedClock(at)))
        return opened[-1]

    yield open_nav
    for nav in opened:
        await nav.close()


@pytest.fixture
async def nav(navs) -> Navigator:
    return await navs()


def app_for(nav: Navigator, **env: Any) -> SchedulerApp:
    return SchedulerApp(nav, ScheduledJobs(nav, settings(**env), None), grace=HOUR)


async def wait_until(condition: Callable[[], Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not await _value(condition()):
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def _value(result: Any) -> Any:
    return await result if asyncio.iscoroutine(result) else result


# --- slots ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("now", "grace", "expected"), [
    (AT_0330, HOUR, datetime(2026, 11, 26, 3, tzinfo=UTC)),
    (datetime(2026, 11, 26, 3, tzinfo=UTC), HOUR, datetime(2026, 11, 26, 3, tzinfo=UTC)),
    (datetime(2026, 11, 26, 4, 1, tzinfo=UTC), HOUR, None),
    (datetime(2026, 11, 28, 4, tzinfo=UTC), timedelta(days=3), datetime(2026, 11, 28, 3, tzinfo=UTC)),
])
def test_the_latest_slot_is_the_newest_fire_time_within_the_grace_period(now, grace, expected) -> None:
    assert latest_slot(CronTrigger.from_crontab("0 3 * * *", timezone=UTC), now, grace) == expected


def test_slot_keys_name_the_job_and_the_fire_time_in_utc() -> None:
    from zoneinfo import ZoneInfo

    berlin = datetime(2026, 11, 26, 4, tzinfo=ZoneInfo("Europe/Berlin"))
    assert slot_key("cleanup", berlin) == "cleanup:2026-11-26T03:00:00+00:00"


# --- jobs on a fixed clock ------------------------------------------------------------------------------------


async def test_the_cleanup_slot_deletes_old_postings_and_records_one_run(nav: Navigator) -> None:
    old, fresh = posting(skills=["Python"], day=date(2026, 10, 1)), posting(skills=["Go"], day=date(2026, 11, 20))
    await nav.add_postings([old, fresh])
    app = app_for(nav)

    assert await app.run_latest("cleanup") is True
    assert await app.run_latest("cleanup") is False

    key = "cleanup:2026-11-26T03:00:00+00:00"
    [run] = await nav.store.runs.for_slot(key)
    assert run.job == "cleanup" and run.status == "ok" and run.summary["postings_deleted"] == 1
    assert await nav.store.postings.get(old.job_id) is None and await nav.store.postings.get(fresh.job_id)
    assert (await nav.store.locks.get(key)).done_at == AT_0330


async def test_without_a_bot_token_the_digest_slot_records_a_skipped_run(nav: Navigator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="career_nav.scheduler")
    app = app_for(nav, DIGEST_SCHEDULE="15 3 * * *", TELEGRAM_BOT_TOKEN="")

    assert await app.run_latest("digest")

    [run] = await nav.store.runs.for_slot("digest:2026-11-26T03:30:00+00:00")  # the digest job runs every 15 minutes
    assert run.status == "skipped" and run.summary == {"reason": NO_TELEGRAM}
    assert NO_TELEGRAM in caplog.text


async def test_a_second_scheduler_on_the_same_store_skips_a_slot_the_first_ran(navs) -> None:
    first, second = await navs(), await navs()
    results = await asyncio.gather(app_for(first).run_latest("cleanup"), app_for(second).run_latest("cleanup"))

    assert sorted(results) == [False, True]
    assert len(await first.store.runs.recent("cleanup")) == 1


async def test_a_missed_slot_within_grace_runs_once_on_start_and_an_older_one_not_at_all(navs) -> None:
    early, late = await navs(AT_0330), await navs(datetime(2026, 11, 26, 4, 30, tzinfo=UTC))
    for nav in (early, early, late):
        app = app_for(nav)
        app.start()
        await app.shutdown()

    runs = await early.store.runs.recent("cleanup")  # the digest job runs every 15 minutes, so it has runs too
    assert [(r.job, r.slot) for r in runs] == [("cleanup", "cleanup:2026-11-26T03:00:00+00:00")]


async def test_the_ingest_slot_collects_the_configured_searches_under_its_key(navs) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    nav = await navs(now)
    async with FakeTheirStack(jobs=[make_job(i, discovered_at=now - timedelta(minutes=i)) for i in range(1, 4)]) as fake:
        config = settings(THEIR_STACK_API_KEY=FAKE_API_KEY, THEIR_STACK_BASE_URL=fake.base_url, JOB_COLLECTION_SCHEDULE="* * * * *")
        async with theirstack_client(config) as client:
            app = SchedulerApp(nav, ScheduledJobs(nav, config, collection_service(nav, client, config)), grace=HOUR)
            assert await app.run_latest("ingest")

    [run] = await nav.store.runs.recent("ingest")
    assert run.slot == slot_key("ingest", now.replace(second=0)) and run.summary["postings_new"] == 3
    assert await nav.store.postings.count() == 3 and fake.requests[-1].body["job_title_or"] == ["Data Engineer"]


async def test_the_ingest_slot_is_recorded_as_skipped_while_a_manual_ingestion_runs(navs) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    nav = await navs(now)
    await nav.store.locks.claim(INGEST_LEASE_KEY, "laptop:7:manual", now, timedelta(minutes=10))  # `career-nav ingest`
    async with FakeTheirStack(jobs=[make_job(1, discovered_at=now)]) as fake:
        config = settings(THEIR_STACK_API_KEY=FAKE_API_KEY, THEIR_STACK_BASE_URL=fake.base_url, JOB_COLLECTION_SCHEDULE="* * * * *")
        async with theirstack_client(config) as client:
            app = SchedulerApp(nav, ScheduledJobs(nav, config, collection_service(nav, client, config)), grace=HOUR)
            assert await app.run_latest("ingest")

    [run] = await nav.store.runs.recent("ingest")
    assert run.status == "skipped" and "Another ingestion is running" in run.summary["reason"]
    assert fake.requests == [] and await nav.store.postings.count() == 0


async def test_shutdown_lets_ingestion_store_the_page_in_hand_and_hands_the_slot_back(navs) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    nav = await navs(now)
    async with FakeTheirStack(jobs=[make_job(i, discovered_at=now - timedelta(minutes=i)) for i in range(1, 6)]) as fake:
        config = settings(THEIR_STACK_API_KEY=FAKE_API_KEY, THEIR_STACK_BASE_URL=fake.base_url,
                          JOB_COLLECTION_SCHEDULE="* * * * *", MAX_JOBS_PER_SEARCH=2)
        fake.fail_next(Fault())  # the balance check
        fake.fail_next(Fault(delay=0.3))  # the first page is slow
        async with theirstack_client(config) as client:
            app = SchedulerApp(nav, ScheduledJobs(nav, config, collection_service(nav, client, config)), grace=HOUR)
            app.start()
            await wait_until(lambda: len(fake.requests) == 2)
            await app.shutdown()

    [run] = await nav.store.runs.recent("ingest")
    assert run.status == "stopped" and await nav.store.postings.count() == 2
    assert (await nav.store.locks.get(run.slot)).done_at is None  # a restart within grace may resume it


# --- leases ---------------------------------------------------------------------------------------------------


async def test_a_running_job_renews_its_lease_so_others_stay_out(nav: Navigator) -> None:
    runner = SlotRunner(nav.store.locks, SystemClock(), owner="a", lease=timedelta(seconds=0.3))
    finish = asyncio.Event()

    async def work(key: str, stop: asyncio.Event) -> None:
        await asyncio.wait_for(finish.wait(), timeout=10)

    task = asyncio.create_task(runner.run("ingest:s1", work))
    await wait_until(lambda: nav.store.locks.get("ingest:s1"))
    first_expiry = (await nav.store.locks.get("ingest:s1")).expires_at
    await wait_until(lambda: datetime.now(UTC) > first_expiry + timedelta(seconds=0.2))

    assert not await nav.store.locks.claim("ingest:s1", "b", datetime.now(UTC), timedelta(seconds=1))
    finish.set()
    assert await task is True and (await nav.store.locks.get("ingest:s1")).done_at is not None


async def test_a_job_that_lost_its_lease_is_asked_to_stop(nav: Navigator) -> None:
    stalled = FixedClock(AT_0330)  # this process's clock stands still, as if it had hung
    runner = SlotRunner(nav.store.locks, stalled, owner="a", lease=timedelta(seconds=0.15))
    stopped = asyncio.Event()

    async def work(key: str, stop: asyncio.Event) -> None:
        await asyncio.wait_for(stop.wait(), timeout=10)
        stopped.set()

    task = asyncio.create_task(runner.run("ingest:s1", work))
    await wait_until(lambda: nav.store.locks.get("ingest:s1"))
    assert await nav.store.locks.claim("ingest:s1", "b", AT_0330 + timedelta(seconds=1), HOUR)

    await asyncio.wait_for(task, timeout=10)
    assert stopped.is_set() and (await nav.store.locks.get("ingest:s1")).owner == "b"


async def test_a_cancelled_run_hands_its_slot_back_at_once(nav: Navigator) -> None:
    runner = SlotRunner(nav.store.locks, nav.clock, owner="a")
    started = asyncio.Event()

    async def work(key: str, stop: asyncio.Event) -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(runner.run("ingest:s1", work))
    await asyncio.wait_for(started.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert await nav.store.locks.claim("ingest:s1", "b", AT_0330, HOUR)


# --- startup --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "faults", "logged"), [
    ("wrong-key", [], "TheirStack connectivity check failed: TheirStack refused the API key"),
    (FAKE_API_KEY, [Fault(status=503)], "TheirStack connectivity check failed (ingestion will retry on schedule)"),
    (FAKE_API_KEY, [], "TheirStack connectivity check passed (1 job(s) in the last 24 hours)"),
])
async def test_startup_checks_theirstack_and_logs_problems_without_crashing(nav, caplog, key, faults, logged) -> None:
    caplog.set_level(logging.INFO)
    stop = asyncio.Event()
    stop.set()
    async with FakeTheirStack(jobs=[make_job(1)]) as fake:
        for fault in faults:
            fake.fail_next(fault)
        config = settings(THEIR_STACK_API_KEY=key, THEIR_STACK_BASE_URL=fake.base_url, THEIR_STACK_MAX_RETRIES=0)
        await run_scheduler(nav, config, stop, grace=timedelta(0))

    assert logged in caplog.text and key not in caplog.text
    assert fake.requests[0].body == {"page": 0, "limit": 1, "posted_at_max_age_days": 1}


# --- several processes on one SQLite file ---------------------------------------------------------------------

CLAIMER = textwrap.dedent("""
    import asyncio, sys, time, uuid
    from datetime import UTC, datetime
    from pathlib import Path
    from core.clock import SystemClock
    from core.storage.run_ports import RunRecord
    from core.storage.sqlite.store import SqliteStore
    from scheduler.slots import SlotRunner

    async def main(path, go, slots):
        store = SqliteStore(Path(path))
        await store.open()
        runner = SlotRunner(store.locks, SystemClock())
        async def work(key, stop):
            now = datetime.now(UTC)
            await store.runs.record(RunRecord(uuid.uuid4().hex, "cleanup", "ok", now, now, key, {"by": runner.owner}))
        deadline = time.monotonic() + 30
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        won = [await runner.run(f"cleanup:slot-{n}", work) for n in range(slots)]
        await store.close()
        print(sum(won))

    asyncio.run(main(*sys.argv[1:3], int(sys.argv[3])))
""")


async def test_scheduler_processes_started_together_run_each_slot_once(tmp_path: Path, nav: Navigator) -> None:
    go, slots = tmp_path / "go", 25
    procs = [
        subprocess.Popen([sys.executable, "-c", CLAIMER, str(nav.store.path), str(go), str(slots)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    go.touch()
    outputs = [proc.communicate(timeout=60) for proc in procs]

    assert all(proc.returncode == 0 for proc in procs), [err for _, err in outputs]
    assert sum(int(out) for out, _ in outputs) == slots
    runs = await nav.store.runs.recent("cleanup", limit=1000)
    assert Counter(run.slot for run in runs) == {f"cleanup:slot-{n}": 1 for n in range(slots)}


async def test_two_scheduler_commands_started_together_run_each_slot_once(tmp_path: Path, nav: Navigator) -> None:
    env = {
        **os.environ, "CAREER_NAV_DATA_DIR": str(tmp_path / "data"), "MONGODB_URI": "", "THEIR_STACK_API_KEY": "",
        "CLEANUP_SCHEDULE": "* * * * *", "DIGEST_SCHEDULE": "* * * * *", "LOG_LEVEL": "INFO",
    }
    logs = [tmp_path / f"scheduler-{n}.log" for n in range(2)]
    procs = [
        subprocess.Popen([sys.executable, "-m", "cli.main", "scheduler"], cwd=ROOT, env=env,
                         stdout=subprocess.DEVNULL, stderr=log.open("w"))
        for log in logs
    ]
    store = SqliteStore(tmp_path / "data" / "career_nav.sqlite3")
    try:
        await wait_until(lambda: _both_logged(logs, "scheduler started"), timeout=60)
        await wait_until(lambda: _both_attempted(logs), timeout=60)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        codes = [proc.wait(timeout=30) for proc in procs]

    text = "".join(log.read_text() for log in logs)
    assert codes == [0, 0], text
    await store.open()
    try:
        runs = await store.runs.recent(limit=1000)
    finally:
        await store.close()
    per_slot = Counter(run.slot for run in runs)
    assert per_slot and set(per_slot.values()) == {1}, per_slot
    assert {run.job for run in runs} == {"cleanup", "digest"}
    assert "taken by another scheduler; skipping" in text


def _both_logged(logs: list[Path], text: str) -> bool:
    return all(log.exists() and text in log.read_text() for log in logs)


def _both_attempted(logs: list[Path]) -> bool:
    """Some cleanup slot was claimed by one process and skipped by the other."""
    texts = [log.read_text() for log in logs]
    claimed = {line.split("slot ")[1].split(" ")[0] for t in texts for line in t.splitlines() if " claimed by " in line}
    skipped = {line.split("slot ")[1].split(" ")[0] for t in texts for line in t.splitlines() if "skipping" in line}
    return any(key.startswith("cleanup:") for key in claimed & skipped)
