"""JobCollectionService: role × location searches on TheirStack → enriched, stored postings, never paid twice.

A run pins its window (`discovered_at_lte` = run start) and checks the credit balance first. Each search
starts from its stored watermark (`discovered_at_gte`), excludes the jobs already bought (`job_id_not`: jobs
an unfinished earlier search paid for, and jobs this run bought through other searches), and pages until a
short page. Each page is mapped, enriched (skills, role keys), upserted by job id and recorded in the search's
watermark before the next page is requested, so a crash or a 402 never loses what was paid for. The rollups
of the touched days are rebuilt (and the data version bumped) in batches and when the run ends
(core.ingest.pending), because rebuilding after every page grows with the square of the run's size.

The watermark only moves once a search has seen every result of its window (results are ordered by posting
date, not discovery time, so an unfinished search proves nothing about discovery times), and not when a job
came back twice while paging (the result set shifted, so another job may have been skipped: the next run
re-reads the window, bought jobs excluded). Known limit: when a search fails outright, the next run re-reads
its window, and jobs that other searches bought meanwhile can be bought again there.

Stopping: a set `stop` event ends the run after the page in hand is stored; cancelling the task abandons a
request in flight but still finishes storing a page already received.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from core import validation
from core.enrich import enrich
from core.errors import Conflict, InvalidInput
from core.ingest.errors import (
    TheirStackAuthError,
    TheirStackCreditsExhausted,
    TheirStackRequestError,
    TheirStackRetryableError,
)
from core.ingest.locations import LocationFilter, parse_location
from core.ingest.mapping import build_posting, posting_key
from core.ingest.pending import FLUSH_POSTINGS, PendingRollups
from core.ingest.summary import CANCELLED, CREDITS_EXHAUSTED, FAILED, OK, PARTIAL, STOPPED, RunSummary, SearchSummary
from core.ingest.theirstack import TheirStackClient
from core.ingest.theirstack_models import JobSearchRequest, TheirStackJob
from core.leases import Lease
from core.models import Posting, SearchContext
from core.service import Navigator
from core.skills.roles import Role
from core.storage.run_ports import RunRecord, SlotLock, Watermark

log = logging.getLogger("career_nav.ingest")
T = TypeVar("T")

INGEST_JOB = "ingest"
LAST_INGESTION_KEY = "last_ingestion"
DEFAULT_MAX_AGE_DAYS = 14
MAX_AGE_DAYS = (1, 365)
MAX_EXCLUDED_IDS = 5000  # keeps `job_id_not` bodies small; beyond this the oldest exclusions are dropped
ONE_SECOND = timedelta(seconds=1)
INGEST_LEASE_KEY = "ingest:running"  # held by whichever process is ingesting (renewed while it runs)


class IngestionBusy(Conflict):
    """Another ingestion run holds the lease; this one did not start (nothing was requested or bought)."""

    def __init__(self, holder: SlotLock | None) -> None:
        since = f" since {holder.claimed_at:%Y-%m-%d %H:%M} UTC" if holder else ""
        owner = f" ({holder.owner})" if holder else ""
        super().__init__(f"Another ingestion is running{since}{owner}; this one did not start. Try again when it has finished.")


@dataclass(frozen=True)
class Search:
    role: Role
    location: LocationFilter

    @property
    def key(self) -> str:
        """The watermark's name: stable across runs, independent of how the location was spelt."""
        return f"{self.role.key}|{self.location.key}"


@dataclass
class _Run:
    summary: RunSummary
    window_end: datetime
    max_age_days: int
    stop: asyncio.Event | None
    on_page: Callable[[int], None] | None
    pending: PendingRollups
    budget_left: int = 0
    seen: set[str] = field(default_factory=set)
    bought: dict[int, datetime | None] = field(default_factory=dict)


class _Halt(Exception):
    """Ends the run early (not an error of one search)."""

    def __init__(self, status: str, reason: str) -> None:
        self.status, self.reason = status, reason
        super().__init__(reason)


class JobCollectionService:
    def __init__(
        self, nav: Navigator, client: TheirStackClient, *, page_size: int = 100, max_credits: int = 1000,
        rollup_batch: int = FLUSH_POSTINGS,
    ) -> None:
        validation.bounded("page_size", page_size, (1, 500))
        validation.non_negative("max_credits", max_credits)
        self._nav, self._store, self._client = nav, nav.store, client
        self._page_size, self._max_credits, self._rollup_batch = page_size, max_credits, rollup_batch

    def plan(self, roles: Iterable[str], locations: Iterable[str]) -> list[Search]:
        """Role × location searches; raises InvalidInput for an unknown role or location before any request."""
        resolved = list(dict.fromkeys(self._nav.resolve_role(role) for role in roles))
        places = list({place.key: place for place in map(parse_location, locations)}.values())
        if not resolved or not places:
            raise InvalidInput("Ingestion needs at least one role and one location.")
        return [Search(role, place) for role in resolved for place in places]

    async def collect_jobs_for_roles(
        self,
        roles: Sequence[str],
        locations: Sequence[str],
        max_age_days: int = DEFAULT_MAX_AGE_DAYS,
        max_credits: int | None = None,
        *,
        stop: asyncio.Event | None = None,
        on_page: Callable[[int], None] | None = None,
        slot: str | None = None,
    ) -> RunSummary:
        """Runs every search once within a credit budget; records and returns the run summary.

        One run at a time across processes (a manual `career-nav ingest` and the scheduler would otherwise buy the
        same jobs): IngestionBusy when another run holds the ingestion lease."""
        searches = self.plan(roles, locations)
        validation.bounded("max_age_days", max_age_days, MAX_AGE_DAYS)
        cap = self._max_credits if max_credits is None else max_credits
        validation.non_negative("max_credits", cap)
        stop = stop or asyncio.Event()
        lease = Lease(self._store.locks, INGEST_LEASE_KEY, self._nav.clock, lost=stop)  # a lost lease stops the run
        if not await lease.acquire():
            raise IngestionBusy(await self._store.locks.get(INGEST_LEASE_KEY))
        try:
            return await self._run(searches, max_age_days, cap, stop, on_page, slot)
        finally:
            await lease.release(done=False)

    async def _run(self, searches: list[Search], max_age_days: int, cap: int, stop: asyncio.Event, on_page: Callable[[int], None] | None, slot: str | None) -> RunSummary:
        started = self._nav.clock.now().replace(microsecond=0)
        pending = PendingRollups(self._store, every_postings=self._rollup_batch)
        run = _Run(RunSummary(uuid.uuid4().hex, started, cap), started, max_age_days, stop, on_page, pending)
        try:
            status, reason = await self._collect(run, searches, cap)
        except TheirStackAuthError as exc:
            await self._finish(run, FAILED, str(exc), slot)
            raise
        except asyncio.CancelledError:
            await self._finish(run, CANCELLED, "cancelled while running", slot)
            raise
        await self._finish(run, status, reason, slot)
        return run.summary

    async def _collect(self, run: _Run, searches: list[Search], cap: int) -> tuple[str, str | None]:
        await run.pending.recover()
        try:
            run.budget_left = run.summary.credit_budget = await self._budget(cap)
            for search in searches:
                await self._search_or_note_error(run, search)
        except _Halt as halt:
            return halt.status, halt.reason
        failed = sum(1 for s in run.summary.searches if s.errors)
        return (PARTIAL, f"{failed} of {len(searches)} searches failed") if failed else (OK, None)

    async def _budget(self, cap: int) -> int:
        if cap == 0:
            raise _Halt(PARTIAL, "the credit budget is 0")
        try:
            remaining = (await self._client.credit_balance()).api_credits_remaining
        except (TheirStackRetryableError, TheirStackRequestError) as exc:
            log.warning("could not read the TheirStack credit balance (%s); budgeting %d credits", exc, cap)
            return cap
        if remaining == 0:
            raise _Halt(CREDITS_EXHAUSTED, "no TheirStack API credits left")
        return min(cap, remaining)

    async def _search_or_note_error(self, run: _Run, search: Search) -> None:
        summary = SearchSummary(search.role.name, search.location.label)
        run.summary.searches.append(summary)
        started, retries = time.perf_counter(), self._client.stats.retries
        try:
            await self._search(run, search, summary)
        except TheirStackCreditsExhausted as exc:
            summary.errors.append(str(exc))
            raise _Halt(CREDITS_EXHAUSTED, f"{exc} Paid jobs were kept.") from exc
        except (TheirStackRequestError, TheirStackRetryableError) as exc:
            summary.errors.append(str(exc))  # this search failed; the others may still work
        finally:
            summary.duration_s = time.perf_counter() - started
            summary.retries = self._client.stats.retries - retries
            log.info("%s", _describe(summary))

    async def _search(self, run: _Run, search: Search, summary: SearchSummary) -> None:
        mark = await self._store.runs.watermark(search.key)
        fields = self._search_fields(run, search, mark)
        while True:
            _check_halt(run)
            limit = min(self._page_size, run.budget_left)
            page = await self._client.search_jobs(JobSearchRequest(**fields, **_paging(summary.jobs_received, limit)))
            mark = await self._keep_page(run, search, summary, page.data, mark)
            if page.metadata.truncated_results:
                reason = f"TheirStack withheld {page.metadata.truncated_results} jobs for lack of credits; paid jobs were kept"
                raise _Halt(CREDITS_EXHAUSTED, reason)
            if len(page.data) < limit:
                break
        if summary.duplicates:
            # Results shifted between pages, so a job may have been skipped: keep the window (bought jobs stay
            # excluded) and let the next run re-read it.
            log.warning("search %s saw %d jobs twice; its window is re-read next run", search.key, summary.duplicates)
            return
        summary.complete = True
        await self._store.runs.save_watermark(search.key, _advanced(mark, run))

    def _search_fields(self, run: _Run, search: Search, mark: Watermark) -> dict[str, Any]:
        excluded = list(dict.fromkeys([*mark.bought_ids, *run.bought]))[-MAX_EXCLUDED_IDS:]
        fields: dict[str, Any] = {
            "posted_at_max_age_days": run.max_age_days,
            "discovered_at_lte": run.window_end,
            "job_title_or": [search.role.name],
            "job_id_not": excluded,
            **search.location.filters,
        }
        if mark.discovered_through is not None:
            # `_gte` is inclusive and timestamps have whole seconds: start just past what is stored.
            fields["discovered_at_gte"] = mark.discovered_through.replace(microsecond=0) + ONE_SECOND
        return fields

    async def _keep_page(
        self, run: _Run, search: Search, summary: SearchSummary, jobs: list[TheirStackJob], mark: Watermark
    ) -> Watermark:
        run.budget_left -= len(jobs)
        summary.pages += 1
        summary.jobs_received += len(jobs)
        return await _unstoppable(self._store_page(run, search, summary, jobs, mark))  # paid for: store them

    async def _store_page(
        self, run: _Run, search: Search, summary: SearchSummary, jobs: list[TheirStackJob], mark: Watermark
    ) -> Watermark:
        postings = self._new_postings(run, search, summary, jobs)
        if postings:
            enriched = await asyncio.to_thread(self._enrich, postings)
            await run.pending.expect({day for day in (p.analytics_day for p in enriched) if day})
            result = await self._store.postings.upsert_many(enriched)
            await run.pending.stored(result)
            summary.new += result.inserted
            summary.updated += result.updated
            summary.unchanged += result.unchanged
        mark = _with_bought(mark, jobs)
        await self._store.runs.save_watermark(search.key, mark)
        if run.on_page:
            run.on_page(len(jobs))
        return mark

    def _new_postings(self, run: _Run, search: Search, summary: SearchSummary, jobs: list[TheirStackJob]) -> list[Posting]:
        context = SearchContext(role=search.role.name, location=search.location.label, run_id=run.summary.run_id)
        postings = []
        for job in jobs:
            key = posting_key(job)
            if key is None:
                summary.skipped += 1
            elif key in run.seen:
                summary.duplicates += 1  # served twice in this run (pages shifted): paid, stored once
            else:
                run.seen.add(key)
                postings.append(build_posting(job, key, context))
            if job.id is not None:
                run.bought[job.id] = job.discovered_at
        return postings

    def _enrich(self, postings: list[Posting]) -> list[Posting]:
        extractor, roles = self._nav.extractor, self._nav.roles
        return [enrich(posting, extractor, roles) for posting in postings]

    async def _finish(self, run: _Run, status: str, reason: str | None, slot: str | None) -> None:
        await _unstoppable(run.pending.flush())  # whatever ended the run, stored postings reach the rollups
        summary = run.summary
        summary.status, summary.reason, summary.finished_at = status, reason, self._nav.clock.now()
        record = RunRecord(summary.run_id, INGEST_JOB, status, summary.started_at, summary.finished_at, slot, summary.as_dict())
        await self._store.runs.record(record)
        await self._store.meta.put(LAST_INGESTION_KEY, summary.last_ingestion())
        log.info("%s", summary.describe())  # the CLI prints the summary itself; the scheduler logs at INFO


async def _unstoppable(step: Awaitable[T]) -> T:
    """Runs a step to completion even if the caller is cancelled meanwhile (then re-raises the cancel)."""
    task = asyncio.ensure_future(step)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})
        raise


def _check_halt(run: _Run) -> None:
    if run.stop is not None and run.stop.is_set():
        raise _Halt(STOPPED, "stopped on request after storing the last page received")
    if run.budget_left <= 0:
        raise _Halt(PARTIAL, f"the credit budget of {run.summary.credit_budget} was reached")


def _paging(offset: int, limit: int) -> dict[str, int]:
    """Page numbers where the offset allows; an explicit offset after a budget-shortened page."""
    if offset % limit == 0:
        return {"page": offset // limit, "limit": limit}
    return {"offset": offset, "limit": limit}


def _with_bought(mark: Watermark, jobs: list[TheirStackJob]) -> Watermark:
    ids = list(dict.fromkeys([*mark.bought_ids, *(job.id for job in jobs if job.id is not None)]))
    through = _latest([mark.bought_through, *(job.discovered_at for job in jobs)])
    return Watermark(mark.discovered_through, tuple(ids[-MAX_EXCLUDED_IDS:]), through)


def _advanced(mark: Watermark, run: _Run) -> Watermark:
    """After a complete search everything up to the window's end is stored or excluded as bought."""
    through = _latest([mark.discovered_through, mark.bought_through, *run.bought.values()])
    return Watermark(min(through, run.window_end) if through else None)


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _describe(summary: SearchSummary) -> str:
    state = "complete" if summary.complete else "incomplete"
    errors = f", error: {summary.errors[-1]}" if summary.errors else ""
    return (
        f"search {summary.role} / {summary.location}: {summary.pages} pages, {summary.new} new, "
        f"{summary.updated} updated, {summary.credits} credits, {summary.retries} retries, "
        f"{summary.duration_s:.1f} s, {state}{errors}"
    )
