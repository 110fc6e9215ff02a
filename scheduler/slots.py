"""Run each scheduled slot once across every scheduler process: claim `job:slot`, hold a lease, release.

A slot is one fire time of a job's cron trigger. Whichever process claims the slot's key first runs it; the
others skip. While the job runs, the holder renews its lease; if it ever loses the lease (another process
took over after it stalled), the job is asked to stop. A finished (or failed) run releases the key as done,
so the slot never runs again; a run stopped or cancelled by shutdown hands the key back, so a restarted
scheduler may pick the slot up again within the grace period (ingestion resumes from its watermarks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from core.clock import Clock
from core.leases import Lease, process_owner
from core.storage.run_ports import SlotLocks

log = logging.getLogger("career_nav.scheduler")

DEFAULT_LEASE = timedelta(minutes=10)
Work = Callable[[str, asyncio.Event], Awaitable[None]]


class FireTimes(Protocol):
    """What we need from an APScheduler trigger."""

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None: ...


def latest_slot(trigger: FireTimes, now: datetime, grace: timedelta) -> datetime | None:
    """The newest fire time in [now - grace, now], or None when the trigger did not fire in that span."""
    fire = trigger.get_next_fire_time(None, now - grace)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


def slot_key(job: str, fire_time: datetime) -> str:
    """`job:<fire time in UTC>`: the same in every process, whatever its local time zone."""
    return f"{job}:{fire_time.astimezone(UTC).isoformat(timespec='seconds')}"


class SlotRunner:
    """Runs work under a slot lock; `stop_all()` asks every running job to finish its current step."""

    def __init__(self, locks: SlotLocks, clock: Clock, *, owner: str | None = None, lease: timedelta = DEFAULT_LEASE) -> None:
        self._locks = locks
        self._clock = clock
        self.owner = owner or process_owner()
        self._lease = lease
        self._running: dict[str, asyncio.Event] = {}

    @property
    def running(self) -> list[str]:
        return list(self._running)

    def stop_all(self) -> None:
        for stop in self._running.values():
            stop.set()

    async def run(self, key: str, work: Work) -> bool:
        """Runs `work(key, stop)` if this process wins the key; False when another process has it."""
        stop = asyncio.Event()  # set by stop_all(), or by the lease when another scheduler took the slot over
        lease = Lease(self._locks, key, self._clock, owner=self.owner, duration=self._lease, lost=stop)
        if not await lease.acquire():
            log.info("slot %s is taken by another scheduler; skipping", key)
            return False
        log.info("slot %s claimed by %s", key, self.owner)
        self._running[key] = stop
        finished = False
        try:
            await work(key, stop)
            finished = not stop.is_set()  # asked to stop: the slot may not be complete, so hand it back
        except Exception:  # a job's failure must not take the scheduler down; it is logged and the slot is spent
            log.exception("slot %s failed", key)
            finished = True
        finally:
            del self._running[key]
            await lease.release(done=finished)
            log.info("slot %s %s", key, "done" if finished else "handed back unfinished")
        return True
