"""A store holding one stale and one still-needed record of every kind the cleanup looks at.

`seed_stale_and_live(store, now)` writes them; `survivors(store)` names what is left, so the core test, the
scheduler test and the CLI test check the same outcome: every `live`/`kept` name survives, nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.storage.account_ports import LinkCodeRecord, TokenRecord
from core.storage.ports import Store
from core.storage.run_ports import RunRecord
from tests.factories import posting

HOUR, DAY, WEEK = timedelta(hours=1), timedelta(days=1), timedelta(weeks=1)
DIGESTS = [("ada", "2026-W10"), ("ada", "2026-W11"), ("ada", "2026-W12"), ("bob", "2026-W10"), ("cy", "2026-W10"), ("cy", "2026-W40")]
TOKENS = ("expired", "expired-an-hour-ago", "live")
CODES = ("expired", "live")
RUNS = ("old", "live")
LOCKS = ("cleanup:old", "cleanup:live")

# What a cleanup with a 90-day retention leaves of the seed (and what its report counts).
SURVIVORS = {
    "postings": ["fresh"],
    "digests": [("ada", "2026-W11"), ("bob", "2026-W10"), ("cy", "2026-W40")],
    "tokens": ["expired-an-hour-ago", "live"],
    "link_codes": ["live"],
    "attempts": 1,
    "runs": ["live"],
    "locks": ["cleanup:live"],
}
REPORTED = {
    "postings_deleted": 1, "days_rebuilt": 1, "runs_deleted": 1, "locks_deleted": 1, "digests_deleted": 3,
    "accounts": {"link_codes": 1, "attempts": 1, "tokens": 1},
}


async def seed_stale_and_live(store: Store, now: datetime) -> None:
    await store.postings.upsert_many([
        posting(job_id="stale", skills=["Python"], day=(now - 200 * DAY).date()),
        posting(job_id="fresh", skills=["Go"], day=(now - DAY).date()),
    ])
    await _digests(store, now)
    await store.tokens.add(TokenRecord("expired", "ada", 0, now - 40 * DAY, now - 10 * DAY, revoked_at=now - 20 * DAY))
    await store.tokens.add(TokenRecord("expired-an-hour-ago", "ada", 0, now - 30 * DAY, now - HOUR))  # within the grace day
    await store.tokens.add(TokenRecord("live", "ada", 0, now, now + 30 * DAY))
    await store.link_codes.add(LinkCodeRecord("expired", "ada", now - HOUR, now - HOUR + timedelta(minutes=10)))
    await store.link_codes.add(LinkCodeRecord("live", "ada", now, now + timedelta(minutes=10)))
    await store.attempts.record("login:ada", now - 2 * DAY, "ada")
    await store.attempts.record("login:ada", now - timedelta(minutes=1), "ada")
    await store.runs.record(RunRecord("old", "ingest", "ok", now - 200 * DAY, now - 200 * DAY))
    await store.runs.record(RunRecord("live", "ingest", "ok", now - DAY, now - DAY))
    for key, at in zip(LOCKS, (now - 40 * DAY, now), strict=True):
        await store.locks.claim(key, "seed", at, HOUR)
        await store.locks.release(key, "seed", at)


async def _digests(store: Store, now: datetime) -> None:
    """ada: two old digests (the newer is kept) and an old final failure; bob: an old claim still `sending`;
    cy: an old skip and a recent retryable failure."""
    old = now - 30 * WEEK
    for period, at in (("2026-W10", old), ("2026-W11", old + WEEK)):
        await store.digests.claim("ada", period, "seed", at, HOUR)
        await store.digests.mark_sent("ada", period, "seed", at, 1, {"matched": 1})
    await store.digests.claim("ada", "2026-W12", "seed", old + 2 * WEEK, HOUR)
    await store.digests.mark_failed("ada", "2026-W12", "seed", old + 2 * WEEK, "chat not found", retry=False)
    await store.digests.claim("bob", "2026-W10", "seed", old, HOUR)
    await store.digests.claim("cy", "2026-W10", "seed", old, HOUR)
    await store.digests.mark_skipped("cy", "2026-W10", "seed", old, "blocked the bot")
    await store.digests.claim("cy", "2026-W40", "seed", now, HOUR)
    await store.digests.mark_failed("cy", "2026-W40", "seed", now, "Telegram unreachable", retry=True)


async def survivors(store: Store, now: datetime) -> dict[str, Any]:
    """Which of the seeded records are still stored."""
    return {
        "postings": sorted([p.job_id async for p in store.postings.iter_all()]),
        "digests": [pair for pair in DIGESTS if await store.digests.get(*pair)],
        "tokens": [jti for jti in TOKENS if await store.tokens.get(jti)],
        "link_codes": [code for code in CODES if await store.link_codes.get(code)],
        "attempts": len(await store.attempts.since("login:ada", now - 365 * DAY)),
        "runs": sorted(run.run_id for run in await store.runs.recent("ingest", limit=100)),
        "locks": [key for key in LOCKS if await store.locks.get(key)],
    }
