"""The scheduled jobs: daily ingestion, weekly cleanup, and the digest slot (filled by the digest issue).

Each job runs inside its slot (scheduler.slots) and records one run in the ledger under the slot's key.
Jobs get the key and a stop event; business rules live in core (collector, Navigator.cleanup, accounts).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from core.errors import ConfigError
from core.ingest.collector import DEFAULT_MAX_AGE_DAYS, JobCollectionService
from core.ingest.errors import TheirStackError
from core.service import Navigator
from core.settings import Settings
from core.storage.run_ports import RunRecord

log = logging.getLogger("career_nav.scheduler")

INGEST, CLEANUP, DIGEST = "ingest", "cleanup", "digest"
LOCK_RETENTION = timedelta(days=30)
DIGEST_NOT_CONFIGURED = "digest not configured yet"


class ScheduledJobs:
    """The work behind each slot; `collector` is None when no TheirStack key is configured."""

    def __init__(self, nav: Navigator, settings: Settings, collector: JobCollectionService | None) -> None:
        self._nav = nav
        self._settings = settings
        self._collector = collector

    @property
    def names(self) -> list[str]:
        return ([INGEST] if self._collector else []) + [CLEANUP, DIGEST]

    def schedule(self, name: str) -> str:
        """The cron expression a job runs on."""
        settings = self._settings
        return {
            INGEST: settings.job_collection_schedule, CLEANUP: settings.cleanup_schedule, DIGEST: settings.digest_schedule,
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

    async def cleanup(self, key: str, stop: asyncio.Event) -> None:
        """Deletes postings past retention (fixing rollups), expired link codes/attempts, old runs and locks."""
        started = self._nav.clock.now()
        days = self._settings.job_data_retention_days
        result = await self._nav.cleanup(days)
        summary: dict[str, Any] = {
            "postings_deleted": result.deleted, "days_rebuilt": result.days_rebuilt, "cutoff": result.cutoff.isoformat(),
            "accounts": await self._purge_accounts(),
            "runs_deleted": await self._nav.store.runs.delete_older_than(started - timedelta(days=days)),
            "locks_deleted": await self._nav.store.locks.delete_older_than(started - LOCK_RETENTION),
        }
        log.info("cleanup in slot %s: %s", key, summary)
        await self._record(CLEANUP, key, "ok", started, summary)

    async def digest(self, key: str, stop: asyncio.Event) -> None:
        """Placeholder until the digest issue lands: logs and records a skipped run."""
        log.info("%s (slot %s)", DIGEST_NOT_CONFIGURED, key)
        await self._record(DIGEST, key, "skipped", self._nav.clock.now(), {"reason": DIGEST_NOT_CONFIGURED})

    async def _purge_accounts(self) -> dict[str, int]:
        try:
            accounts = self._nav.accounts
        except ConfigError:
            return {}  # a navigator built without accounts (tests, tools) has nothing to purge
        return await accounts.purge_expired()

    async def _record(self, job: str, key: str, status: str, started: datetime, summary: dict[str, Any]) -> None:
        run = RunRecord(uuid.uuid4().hex, job, status, started, self._nav.clock.now(), key, summary)
        await self._nav.store.runs.record(run)
