"""The scheduler process: APScheduler 3 `AsyncIOScheduler` running ingest, cleanup and digest on their crons.

    await run_scheduler(nav, settings, stop)      # returns after `stop` is set and running jobs wound down

On start it checks TheirStack connectivity (1 job from the last 24 h; problems are logged, never fatal), then
runs once any slot that fired within the grace period while no scheduler was up (the slot lock makes sure only
one process does), then follows the cron schedules. Every run claims its `job:slot` key first, so several
scheduler processes on one store run each slot once. Shutdown asks running jobs to stop after their current
step (ingestion: after the page in hand is stored), waits up to SHUTDOWN_TIMEOUT, then cancels them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.cron import crontab_trigger
from core.ingest.errors import TheirStackAuthError, TheirStackError
from core.ingest.setup import collection_service, has_api_key, theirstack_client
from core.ingest.theirstack import TheirStackClient
from core.service import Navigator
from core.settings import Settings
from scheduler.jobs import ScheduledJobs
from scheduler.slots import DEFAULT_LEASE, SlotRunner, latest_slot, slot_key

log = logging.getLogger("career_nav.scheduler")

DEFAULT_GRACE = timedelta(hours=1)
SHUTDOWN_TIMEOUT = 30.0


async def check_connectivity(client: TheirStackClient) -> bool:
    """Fetches one job from the last 24 hours; logs the outcome and never raises a TheirStack error."""
    try:
        page = await client.check_connectivity()
    except TheirStackAuthError as exc:
        log.error("TheirStack connectivity check failed: %s", exc)
        return False
    except TheirStackError as exc:
        log.warning("TheirStack connectivity check failed (ingestion will retry on schedule): %s", exc)
        return False
    log.info("TheirStack connectivity check passed (%d job(s) in the last 24 hours)", len(page.data))
    return True


class SchedulerApp:
    """The cron jobs of one process, each run inside its slot."""

    def __init__(self, nav: Navigator, jobs: ScheduledJobs, *, grace: timedelta = DEFAULT_GRACE, lease: timedelta = DEFAULT_LEASE) -> None:
        self._nav = nav
        self._jobs = jobs
        self._grace = grace
        self.runner = SlotRunner(nav.store.locks, nav.clock, lease=lease)
        # crontab weekday numbers (Sunday = 0), in the machine's local zone as before
        self._triggers = {name: crontab_trigger(jobs.schedule(name), timezone=None) for name in jobs.names}
        self._scheduler = AsyncIOScheduler()
        self._tasks: set[asyncio.Task[bool]] = set()

    def start(self) -> None:
        """Catches up missed slots within the grace period, then follows the cron schedules."""
        for name, trigger in self._triggers.items():
            self._scheduler.add_job(
                self.fire, trigger, args=[name], id=name, name=name, coalesce=True, max_instances=1,
                misfire_grace_time=max(1, int(self._grace.total_seconds())),
            )
        for name in self._triggers:
            self._spawn(self.run_latest(name))
        self._scheduler.start()
        log.info("scheduler started: %s", ", ".join(f"{n} '{self._jobs.schedule(n)}'" for n in self._triggers))

    async def fire(self, name: str) -> bool:
        """Called by APScheduler at a fire time (tracked, so shutdown can wait for it)."""
        task = self._spawn(self.run_latest(name))
        return await asyncio.shield(task)

    async def run_latest(self, name: str) -> bool:
        """Runs the job's newest slot within the grace period, if it has one and no process ran it yet."""
        slot = latest_slot(self._triggers[name], self._nav.clock.now(), self._grace)
        if slot is None:
            return False
        key = slot_key(name, slot)
        return await self.runner.run(key, lambda key, stop: self._jobs.run(name, key, stop))

    async def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Stops firing, asks running jobs to stop after their current step, then cancels what is left."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self.runner.stop_all()
        pending = [task for task in self._tasks if not task.done()]
        if pending:
            log.info("waiting up to %.0f s for %s to stop", timeout, ", ".join(self.runner.running) or "jobs")
            _, late = await asyncio.wait(pending, timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        log.info("scheduler stopped")

    def _spawn(self, coroutine) -> asyncio.Task[bool]:  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


async def run_scheduler(nav: Navigator, settings: Settings, stop: asyncio.Event, *, grace: timedelta = DEFAULT_GRACE) -> None:
    """Runs the scheduler until `stop` is set (the `career-nav scheduler` process, and part of `career-nav up`)."""
    client = theirstack_client(settings) if has_api_key(settings) else None
    try:
        jobs = ScheduledJobs(nav, settings, collection_service(nav, client, settings) if client else None)
        jobs.check_configuration()
        if client is None:
            log.warning("THEIR_STACK_API_KEY is not set: scheduled ingestion is off (cleanup and digest still run)")
        else:
            await check_connectivity(client)
        app = SchedulerApp(nav, jobs, grace=grace)
        app.start()
        try:
            await stop.wait()
        finally:
            await app.shutdown()
    finally:
        if client is not None:
            await client.aclose()
