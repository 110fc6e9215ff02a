"""Leases on store keys: one holder at a time across processes, renewed while the work runs.

A lease is a `SlotLocks` key claimed with an expiry; the holder renews it every third of its duration. If a renewal
fails (the holder stalled past its lease and another process took the key), the holder's `lost` event is set so its
work can stop at the next safe point. Releasing marks the key done (a scheduler slot that must never run again) or
hands it back for the next claimant.

    lease = Lease(store.locks, "ingest:running", clock, duration=timedelta(minutes=10), lost=stop)
    if not await lease.acquire():
        ...  # someone else holds it
    try:
        ...  # the work; `stop` is set if the lease is lost
    finally:
        await lease.release(done=False)
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import timedelta

from core.clock import Clock
from core.storage.run_ports import SlotLocks

log = logging.getLogger("career_nav.leases")

DEFAULT_DURATION = timedelta(minutes=10)


def process_owner() -> str:
    """`host:pid:random`: names this process as a lease holder in logs and in the store."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(self, locks: SlotLocks, key: str, clock: Clock, *, owner: str | None = None, duration: timedelta = DEFAULT_DURATION, lost: asyncio.Event | None = None) -> None:
        self._locks, self._clock = locks, clock
        self.key, self.owner, self.duration = key, owner or process_owner(), duration
        self.lost = lost or asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None

    async def acquire(self) -> bool:
        """Claims the key and starts renewing it; False when another holder has it."""
        if not await self._locks.claim(self.key, self.owner, self._clock.now(), self.duration):
            return False
        self._keeper = asyncio.create_task(self._renew())
        return True

    async def release(self, *, done: bool) -> None:
        """Stops renewing and releases the key (shielded: a cancelled holder still lets go)."""
        if self._keeper is not None:
            self._keeper.cancel()
            self._keeper = None
        await asyncio.shield(self._locks.release(self.key, self.owner, self._clock.now(), done=done))

    async def _renew(self) -> None:
        interval = self.duration.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            if not await self._locks.renew(self.key, self.owner, self._clock.now(), self.duration):
                log.warning("lease %s lost to another holder; stopping the work", self.key)
                self.lost.set()
                return
