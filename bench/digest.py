"""The weekly digest at 5,000 subscribers: a dry run (build every digest, send nothing), how long a real send
would take under Telegram's limits, and a baseline build for comparison.

    .venv/bin/python bench/digest.py [--subscribers 5000] [--postings 20000] [--baseline-sample 250] [--real-send 300]

- dry run: the production path (`scheduler.digest.dry_run`): sequential, with the Navigator's versioned cache
  shared across users and one chart rendered per role and period.
- baseline: a naive sequential build (cache cleared before every user, a chart rendered for every user),
  timed on a sample and extrapolated to all subscribers.
- send: Telegram's limits (30 messages/s overall, 1/s per chat) through the notifier's real pacer on virtual
  time, vs a sender that plays safe with one message per second; `--real-send N` also pushes N digests
  through the real run to the fake Bot API over HTTP and reports the rate achieved.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog import Catalog  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.digest import digest_period  # noqa: E402
from core.digest_chart import chart_helps, movers_png  # noqa: E402
from core.digest_delivery import DigestComposer, DigestSender  # noqa: E402
from core.models import User  # noqa: E402
from core.service import Navigator  # noqa: E402
from core.skills.roles import RoleCatalog  # noqa: E402
from core.skills.taxonomy import Taxonomy  # noqa: E402
from core.storage.sqlite.store import SqliteStore  # noqa: E402
from scheduler.digest import DigestRun, dry_run  # noqa: E402
from scheduler.notifier import TelegramNotifier  # noqa: E402

MONDAY = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
SCHEDULE = "0 9 * * 1"
ROLES = ["Software Engineer", "Data Scientist", "DevOps Engineer", "Frontend Developer", "Backend Developer", "Machine Learning Engineer", "Data Engineer", "Product Manager"]
ZONES = ["UTC", "Europe/Berlin", "Europe/London", "Asia/Kolkata", "Asia/Tokyo", "America/New_York", "America/Los_Angeles", "Australia/Sydney"]


async def prepared(directory: Path, postings: int, subscribers: int) -> Navigator:
    store = SqliteStore(directory / "bench-digest.sqlite3")
    await store.open()
    nav = Navigator(store, Taxonomy.load(), RoleCatalog.load(), Catalog.load(), clock=FixedClock(MONDAY))
    await nav.load_demo_data(postings, seed=3)
    pool = [entry.name for entry in nav.taxonomy][:400]
    rng = random.Random(5)
    for n in range(subscribers):
        roles = [] if n % 5 == 0 else [rng.choice(ROLES)]
        user = User(id=f"sub-{n:05d}", telegram_id=1_000_000 + n, full_name=f"Reader {n}", skills=rng.sample(pool, rng.randint(0, 8)),
                    target_roles=roles, timezone=rng.choice(ZONES), digest_opt_in=True)
        await store.users.create(user)
    return nav


async def baseline_build(nav: Navigator, sample: int) -> float:
    """Seconds per digest for the naive build: no shared cache, one chart per user."""
    users = [user async for user in nav.store.users.iter_digest_subscribers()][:sample]
    composer = DigestComposer(nav, charts=False)
    started = time.perf_counter()
    for user in users:
        nav.cache.clear()
        composed = await composer.compose(user, digest_period(nav.clock.now(), user.timezone))
        if chart_helps(composed.digest):
            await asyncio.to_thread(movers_png, composed.digest)
    return (time.perf_counter() - started) / max(1, len(users))


async def real_send(nav: Navigator, count: int) -> tuple[int, float]:
    """Sends `count` digests through the real run to the fake Bot API; returns (sent, seconds)."""
    from tests.fakes.telegram_server import FakeTelegram

    kept = 0
    for user in [user async for user in nav.store.users.iter_digest_subscribers()]:
        if user.timezone == "UTC" and kept < count:
            kept += 1
        else:
            await nav.store.users.update(user.id, {"digest_opt_in": False})
    async with FakeTelegram() as fake, TelegramNotifier(fake.token, fake.base_url) as notifier:
        started = time.perf_counter()
        summary = await DigestRun(nav, DigestSender(nav, notifier), SCHEDULE, concurrency=4).run()
        return summary.outcomes.get("sent", 0), time.perf_counter() - started


def minutes(seconds: float) -> str:
    return f"{seconds:,.1f} s ({seconds / 60:,.1f} min)"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--postings", type=int, default=20000)
    parser.add_argument("--baseline-sample", type=int, default=250)
    parser.add_argument("--real-send", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        nav = await prepared(Path(directory), args.postings, args.subscribers)
        print(f"{args.postings:,} demo postings and {args.subscribers:,} subscribers ready in {time.perf_counter() - started:.1f} s", flush=True)
        report = await dry_run(nav, SCHEDULE)
        per_digest = report.build_seconds / max(1, report.built)
        baseline = await baseline_build(nav, args.baseline_sample)
        print(f"\nDry run (production path): built {report.built:,} digests in {report.build_seconds:.1f} s ({per_digest * 1000:.1f} ms each), "
              f"{report.build_errors} error(s); {report.with_chart:,} with a chart from {report.charts_rendered} rendered; "
              f"due now {report.due_now:,}; longest {report.max_visible_chars} visible characters")
        print(f"Baseline (sequential, no shared cache, chart per user; {args.baseline_sample} sampled): {baseline * 1000:.1f} ms each, "
              f"~{minutes(baseline * report.subscribers)} for all -> {baseline / max(per_digest, 1e-9):.1f}x slower")
        print(f"\nSending under Telegram's limits (30/s overall, 1/s per chat): at least {minutes(report.send_seconds_all)} for all "
              f"{report.subscribers:,}; {minutes(report.send_seconds_due)} for the {report.due_now:,} due at Monday 09:30 UTC")
        print(f"Baseline sender at 1 message/s: {minutes(float(report.subscribers))}")
        if args.real_send:
            sent, seconds = await real_send(nav, args.real_send)
            print(f"\nReal run to the fake Bot API over HTTP: {sent} digests in {seconds:.1f} s = {sent / seconds:.1f} messages/s")
        await nav.close()


if __name__ == "__main__":
    asyncio.run(main())
