"""Bot handler time per command at 100k demo postings, through the fake Bot API over HTTP (p50/p95 in ms).

Each sample is `Application.process_update` for one update: parsing, the Navigator call, rendering (charts
included) and the Bot API calls to the fake server. The baseline, measured in the same run, is the bare
Navigator call the command makes. "cold" clears the Navigator's result cache and the bot's chart cache before
every sample (the worst case: the first request after new data); "warm" is the cached steady state.
Target: p95 <= 300 ms.

    .venv/bin/python bench/bot.py [--postings 100000] [--repeats 30] [--dir bench/out]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update  # noqa: E402

from bench.common import demo_navigator, p50_p95, timings_ms  # noqa: E402
from bot import build_application, charts  # noqa: E402
from core.accounts import AccountService  # noqa: E402
from core.models import ExperienceLevel, ProfileUpdate  # noqa: E402
from core.service import Navigator  # noqa: E402
from core.settings import Settings  # noqa: E402
from tests.fakes.telegram_server import FakeTelegram  # noqa: E402

TARGET_MS = 300
PACE_S = 0.08  # keeps the bot under AIORateLimiter's 30 messages/s, so no sample waits on the limiter
BENCH_SECRET = "bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


async def bench_navigator(directory: Path, postings: int, settings: Settings) -> Navigator:
    base = await demo_navigator(directory, postings)
    accounts = AccountService(base.store, base.taxonomy, base.roles, settings, base.clock)
    return Navigator(base.store, base.taxonomy, base.roles, base.catalog, clock=base.clock, accounts=accounts)


def commands(nav: Navigator, user_id: str) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
    """(label, what the user sends, the bare Navigator call behind it)."""
    accounts = nav.accounts

    async def user():  # type: ignore[no-untyped-def]
        return await accounts.get_profile(user_id)

    async def none() -> None:
        return None

    return [
        ("/help", "/help", none),
        ("/start (set up)", "/start", user),
        ("/profile", "/profile", user),
        ("/skills add", "/skills add docker", lambda: accounts.add_skills(user_id, ["docker"])),
        ("/role", "/role data scientist", lambda: accounts.update_profile(user_id, ProfileUpdate(target_roles=["data scientist"]))),
        ("/trending", "/trending", lambda: nav.trending(days=30)),
        ("/trending role 90", "/trending data engineer 90", lambda: nav.trending(days=90, role="data engineer")),
        ("/gap", "/gap", lambda: _with_user(accounts, user_id, lambda u: nav.skill_gap(user=u))),
        ("/roadmap", "/roadmap", lambda: _with_user(accounts, user_id, lambda u: nav.roadmap(user=u))),
        ("roadmap page tap", "tap:rm:data_scientist", lambda: _with_user(accounts, user_id, lambda u: nav.roadmap("data_scientist", user=u))),
        ("/projects", "/projects", lambda: _with_user(accounts, user_id, lambda u: nav.recommend_projects(user=u, limit=30))),
        ("/resources", "/resources python", lambda: _sync(nav.find_resources, ["python"])),
        ("/token", "/token", lambda: accounts.issue_token(user_id)),
        ("/digest on", "/digest on", lambda: accounts.update_profile(user_id, ProfileUpdate(digest_opt_in=True))),
    ]


async def _with_user(accounts: AccountService, user_id: str, call: Callable[[Any], Awaitable[Any]]) -> Any:
    return await call(await accounts.get_profile(user_id))


async def _sync(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


class Driver:
    """Feeds updates from one Telegram user straight into the Application and times each one."""

    def __init__(self, application: Any, fake: FakeTelegram) -> None:
        self.application = application
        self.fake = fake
        self.person = fake.user("Bench", username="bench", id=777)
        self.page = 0

    def update(self, text: str) -> Update:
        if text.startswith("tap:"):
            message = next(m for m in reversed(self.fake.sent(self.person.id)) if "Roadmap" in m.text and m.buttons)
            self.page = 2 if self.page == 1 else 1  # alternate, so every edit changes the message
            return Update.de_json(self.fake.callback_update(self.person, message, f"{text[4:]}:{self.page}"), self.application.bot)
        return Update.de_json(self.fake.message_update(self.person, text), self.application.bot)

    async def handle(self, text: str) -> None:
        update = self.update(text)
        await self.application.process_update(update)

    async def timed(self, text: str, repeats: int, before: Callable[[], None]) -> list[float]:
        samples = []
        for _ in range(repeats):
            before()
            update = self.update(text)
            started = time.perf_counter()
            await self.application.process_update(update)
            samples.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(PACE_S)
        return samples


async def measure(postings: int, repeats: int, directory: Path) -> list[tuple[str, tuple[float, float], tuple[float, float], tuple[float, float]]]:
    with FakeTelegram() as fake:
        settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url, JWT_SECRET_KEY=BENCH_SECRET, MONGODB_URI="", CAREER_NAV_DATA_DIR=str(directory))
        started = time.perf_counter()
        nav = await bench_navigator(directory, postings, settings)
        print(f"  {await nav.store.postings.count():,} postings ready in {time.perf_counter() - started:.1f} s", flush=True)
        application = build_application(settings, nav)
        await application.initialize()
        driver = Driver(application, fake)
        user = await nav.accounts.get_or_create_telegram_user(driver.person.id, "Bench", "bench")
        profile = ProfileUpdate(target_roles=["Data Scientist"], skills=["Python", "SQL", "Pandas"], experience_level=ExperienceLevel.MID, location="Remote")
        await nav.accounts.update_profile(user.id, profile)
        await driver.handle("/roadmap")  # a roadmap message to page through; also warms matplotlib and the page cache
        await driver.handle("/gap")
        rows = []
        for label, text, call in commands(nav, user.id):
            baseline = p50_p95(await timings_ms(call, repeats, before=nav.cache.clear))
            cold = p50_p95(await driver.timed(text, repeats, before=lambda: (nav.cache.clear(), charts.clear_cache())))
            warm = p50_p95(await driver.timed(text, repeats, before=lambda: None))
            rows.append((label, cold, warm, baseline))
            print(f"  {label:<20} done", flush=True)
        failures = [m.text for m in fake.sent(driver.person.id) if "Sorry" in m.text or m.text.startswith("⚠️")]
        await application.shutdown()
        await nav.close()
    if failures:
        raise SystemExit(f"the bot answered with errors during the run: {failures[:3]}")
    return rows


def report(rows: list[tuple[str, tuple[float, float], tuple[float, float], tuple[float, float]]], postings: int) -> None:
    print(f"\nHandler time per command at {postings:,} postings, ms (p50 / p95); target p95 <= {TARGET_MS} ms")
    print(f"{'command':<20}{'handler cold':>18}{'handler warm':>18}{'navigator call':>18}   ")
    for label, cold, warm, baseline in rows:
        verdict = "ok" if cold[1] <= TARGET_MS else "OVER"
        print(f"{label:<20}{cold[0]:>9.1f} /{cold[1]:>6.1f}{warm[0]:>11.1f} /{warm[1]:>6.1f}{baseline[0]:>11.1f} /{baseline[1]:>6.1f}   {verdict}")
    worst = max(rows, key=lambda row: row[1][1])
    print(f"\nSlowest p95 (cold): {worst[0]} {worst[1][1]:.1f} ms — {'within' if worst[1][1] <= TARGET_MS else 'OVER'} the {TARGET_MS} ms target.")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"Telegram bot handlers through the fake Bot API ({args.repeats} samples per column)")
    report(await measure(args.postings, args.repeats, args.dir), args.postings)


if __name__ == "__main__":
    asyncio.run(main())
