"""Keeping the market answers warm: every role's windows computed before anyone asks, again after each change.

A cold question costs a store read and a merge of the window's daily rollups (tens of milliseconds at 100k postings,
blocking the event loop); a warm one costs a dictionary lookup. Servers warm up before they report ready, then
re-warm in the background when the data version (an ingestion, a cleanup) or the day changes.

    warmed = await warm_up(nav)             # ~0.6 s at 100k postings
    asyncio.create_task(keep_warm(nav, stop, warmed))
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import date

from core.errors import DomainError
from core.service import Navigator

log = logging.getLogger("career_nav.warmup")

WINDOWS = (7, 30, 90)  # the windows the front ends offer (the default is 30)
CHECK_SECONDS = 30.0
WarmState = tuple[int, date]  # (data version, day)


async def warm_up(nav: Navigator, windows: tuple[int, ...] = WINDOWS) -> WarmState:
    """Computes the market-wide and per-role trending reports and unlock samples for each window; returns the data
    version and day it warmed (a change during the warm-up makes the next `keep_warm` check warm again)."""
    state = (await nav.data_version(), nav.clock.now().date())
    started = time.perf_counter()
    roles: list[str | None] = [None, *(role.name for role in nav.roles)]
    for days in windows:
        for role in roles:
            with contextlib.suppress(DomainError):  # a role with too little data answers with an error anyway
                await nav.prepare(days=days, role=role)
    log.info("warmed %d answers in %.2f s", len(windows) * len(roles), time.perf_counter() - started)
    return state


async def keep_warm(nav: Navigator, stop: asyncio.Event, warmed: WarmState | None = None, check_seconds: float = CHECK_SECONDS) -> None:
    """Until `stop`: re-warms whenever the data version or the day has changed since the last warm-up (`warmed`:
    what the caller's own `warm_up` returned, so it is not repeated)."""
    while not stop.is_set():
        try:
            if (await nav.data_version(), nav.clock.now().date()) != warmed:
                warmed = await warm_up(nav)
        except Exception:  # a store hiccup must not end the server; the next check tries again
            log.warning("warm-up failed; answers are computed on demand until the next check", exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), check_seconds)
