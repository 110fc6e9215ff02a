"""The shared cleanup (core.housekeeping) on a fixed clock, and the scheduler's cleanup slot running exactly it."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import InvalidInput
from core.housekeeping import run_cleanup
from core.service import Navigator
from core.settings import Settings
from scheduler.jobs import ScheduledJobs
from tests.accounts_support import account_service
from tests.conftest import NOW
from tests.housekeeping_support import REPORTED, SURVIVORS, seed_stale_and_live, survivors


@pytest.fixture
async def nav(sqlite_store, taxonomy, roles, catalog, clock) -> Navigator:
    await seed_stale_and_live(sqlite_store, NOW)
    return Navigator(sqlite_store, taxonomy, roles, catalog, clock=clock, accounts=account_service(sqlite_store, clock))


async def test_cleanup_purges_every_ledger_but_keeps_what_is_still_needed(nav: Navigator) -> None:
    report = await run_cleanup(nav, 90)

    assert report.model_dump(exclude={"retention_days", "cutoff"}) == REPORTED
    assert (report.retention_days, report.cutoff.isoformat()) == (90, "2026-08-28")
    assert await survivors(nav.store, NOW) == SURVIVORS


async def test_a_second_cleanup_finds_nothing_left_to_purge(nav: Navigator) -> None:
    await run_cleanup(nav, 90)

    again = await run_cleanup(nav, 90)

    assert (again.postings_deleted, again.runs_deleted, again.locks_deleted, again.digests_deleted) == (0, 0, 0, 0)
    assert again.accounts == {"link_codes": 0, "attempts": 0, "tokens": 0}


async def test_a_bad_retention_is_refused_before_anything_is_deleted(nav: Navigator) -> None:
    before = await survivors(nav.store, NOW)

    with pytest.raises(InvalidInput):
        await run_cleanup(nav, 0)

    assert await survivors(nav.store, NOW) == before


async def test_the_scheduled_cleanup_records_the_shared_report_under_its_slot(nav: Navigator) -> None:
    config = Settings(_env_file=None, MONGODB_URI="", THEIR_STACK_API_KEY="", DEBUG=True, JOB_DATA_RETENTION_DAYS=90)

    await ScheduledJobs(nav, config, None).cleanup("cleanup:slot", asyncio.Event())

    [run] = await nav.store.runs.for_slot("cleanup:slot")
    assert run.summary == {**REPORTED, "cutoff": "2026-08-28", "retention_days": 90}
    assert await survivors(nav.store, NOW) == SURVIVORS
