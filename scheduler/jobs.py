"""The scheduled jobs: daily ingestion, weekly cleanup, and digest delivery every 15 minutes.

Each job runs inside its slot (scheduler.slots) and records one run in the ledger under the slot's key.
Jobs get the key and a stop event; business rules live in core (collector, core.housekeeping, digest delivery).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime
from collections.abc import Callable
from typing import Any

from core.digest_delivery import DigestSender
from core.errors import ConfigError
from core.housekeeping import run_cleanup
from core.ingest.collector import DEFAULT_MAX_AGE_DAYS, IngestionBusy, JobCollectionService
from core.ingest.errors import TheirStackError
from core.service import Navigator
from core.settings import Settings
from core.storage.run_ports import RunRecord
from scheduler.digest import DigestRun
from scheduler.notifier import TelegramNotifier, bot_token

log = logging.getLogger("career_nav.scheduler")

INGEST, CLEANUP, DIGEST = "ingest", "cleanup", "digest"
# Users get their digest at DIGEST_SCHEDULE in their own timezone; every zone's send time is on a quarter hour
# (+05:30, +05:45, +12:45 included), so a run every 15 minutes serves everyone on time.
DIGEST_CADENCE = "*/15 * * * *"
NO_TELEGRAM = "TELEGRAM_BOT_TOKEN is not set"
NotifierFactory = Callable[[], TelegramNotifier]


class ScheduledJobs:
    """The work behind each slot; `collector` is None when no TheirStack key is configured."""

    def __init__(self, nav: Navigator, settings: Settings, collector: JobCollectionService | None, *, notifier_factory: NotifierFactory | None = None) -> None:
        self._nav = nav
        self._settings = settings
        self._collector = collector
        if notifier_factory is None and bot_token(settings):
            notifier_factory = lambda: TelegramNotifier.from_settings(settings)  # noqa: E731 — a fresh client per run
        self._notifier_factory = notifier_factory

    @property
    def names(self) -> list[str]:
        return ([INGEST] if self._collector else []) + [CLEANUP, DIGEST]

    def schedule(self, name: str) -> str:
        """The cron expression a job runs on."""
        settings = self._settings
        return {
            INGEST: settings.job_collection_schedule, CLEANUP: settings.cleanup_schedule, DIGEST: DIGEST_CADENCE,
        }[name]

    def check_configuration(self) -> None:
        """Fails fast (InvalidInput) on an unknown role or location in INGEST_ROLES / INGEST_LOCATIONS."""
        if self._collector:
            self._collector.plan(self._settings.ingest_roles, self._settings.ingest_locations)

    async def run(self, name: str, key: str, stop: asyncio.Event) -> None:
        await {INGEST: self.ingest, CLEANUP: self.cleanup, DIGEST: self.digest}[name](key, stop)

    async def ingest(self, key: str, stop: asyncio.Event) -> None:
        """Collects the configured roles × locations; the collector records the run under the slot."""
        if self._collector is None:
            raise ConfigError("ingestion is not configured (THEIR_STACK_API_KEY is not set)")
        settings = self._settings
        try:
            await self._collector.collect_jobs_for_roles(
                settings.ingest_roles, settings.ingest_locations, DEFAULT_MAX_AGE_DAYS,
                settings.ingest_max_credits_per_run, stop=stop, slot=key,
            )
        except TheirStackError as exc:  # already recorded as a failed run; the next slot tries again
            log.error("ingestion in slot %s failed: %s", key, exc)
        except IngestionBusy as exc:  # e.g. a manual `career-nav ingest` is running: it covers this slot
            log.warning("ingestion slot %s skipped: %s", key, exc)
            await self._record(INGEST, key, "skipped", self._nav.clock.now(), {"reason": str(exc)})

    async def cleanup(self, key: str, stop: asyncio.Event) -> None:
        """Runs core.housekeeping: postings past retention (fixing rollups) and the ledgers' stale entries."""
        started = self._nav.clock.now()
        report = await run_cleanup(self._nav, self._settings.job_data_retention_days)
        summary = report.summary()
        log.info("cleanup in slot %s: %s", key, summary)
        await self._record(CLEANUP, key, "ok", started, summary)

    async def digest(self, key: str, stop: asyncio.Event) -> None:
        """Sends this week's digest to every subscriber whose local send time (DIGEST_SCHEDULE) has come."""
        started = self._nav.clock.now()
        if self._notifier_factory is None:
            log.info("digest slot %s: %s, nothing sent", key, NO_TELEGRAM)
            await self._record(DIGEST, key, "skipped", started, {"reason": NO_TELEGRAM})
            return
        async with self._notifier_factory() as notifier:
            summary = await DigestRun(self._nav, DigestSender(self._nav, notifier), self._settings.digest_schedule).run(stop)
        await self._record(DIGEST, key, summary.status, started, summary.as_dict())

    async def _record(self, job: str, key: str, status: str, started: datetime, summary: dict[str, Any]) -> None:
        run = RunRecord(uuid.uuid4().hex, job, status, started, self._nav.clock.now(), key, summary)
        await self._nav.store.runs.record(run)
