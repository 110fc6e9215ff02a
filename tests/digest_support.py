"""Shared by the digest tests: a small Data Engineer market over two weeks, the numbers a digest should show
computed independently from those postings (plain counting, not core.analytics), and a store several
navigators can open as separate processes would.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.catalog import Catalog
from core.clock import FixedClock
from core.digest_delivery import DigestComposer, DigestSender
from core.models import Posting, User
from core.service import Navigator
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore
from scheduler.digest import DigestRun, DigestRunSummary
from scheduler.notifier import TelegramNotifier
from tests.factories import posting
from tests.fakes.telegram_server import FakeTelegram

MONDAY = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)  # ISO week 2026-W49, half an hour after 09:00 UTC
PERIOD = "2026-W49"
ROLE, ROLE_KEY = "Data Engineer", "data_engineer"
SCHEDULE = "0 9 * * 1"
SEND_METHODS = ("sendMessage", "sendPhoto")
GAP_THRESHOLD, MIN_MOVER_COUNT, MOSTLY = 0.25, 5, 0.75


def _week(first_day: date, skills_of: Any) -> list[Posting]:
    return [
        posting(skills=skills_of(i), day=first_day + timedelta(days=i % 7), roles=[ROLE_KEY], title="Data Engineer",
                remote=skills_of.remote(i), salary_usd=skills_of.salary(i))
        for i in range(20)
    ]


class _ThisWeek:
    def __call__(self, i: int) -> list[str]:
        return ["Python", *(["SQL"] if i < 16 else []), *(["Spark"] if i < 12 else []), *(["Airflow"] if i % 2 == 0 else []), *(["Kafka"] if i >= 17 else [])]

    def remote(self, i: int) -> bool:
        return i % 4 == 1

    def salary(self, i: int) -> tuple[float, float] | None:
        return [(100_000, 140_000), (120_000, 160_000), (90_000, 130_000), (150_000, 190_000)][i] if i < 4 else None


class _LastWeek(_ThisWeek):
    def __call__(self, i: int) -> list[str]:
        return ["Python", *(["SQL"] if i < 16 else []), *(["Spark"] if i < 4 else []), *(["Airflow"] if i % 2 == 0 else []), *(["Hadoop"] if i < 12 else [])]

    def salary(self, i: int) -> tuple[float, float] | None:
        return None


def market() -> tuple[list[Posting], list[Posting]]:
    """(this week, last week) for Data Engineer: Spark rises, Hadoop disappears, Kafka is too rare to count."""
    return _week(date(2026, 11, 24), _ThisWeek()), _week(date(2026, 11, 17), _LastWeek())


@dataclass(frozen=True)
class Expected:
    postings: int
    remote_percent: float
    salary: tuple[float, float, float]  # min, max, average of the salary midpoints
    rising: list[tuple[str, float]]
    cooling: list[tuple[str, float]]
    matched: int
    required: int
    next_skill: str
    unlocks: int


def expected_digest(this_week: Sequence[Posting], last_week: Sequence[Posting], have: set[str]) -> Expected:
    """What the digest must say, counted straight from the postings."""
    now, before = Counter(s for p in this_week for s in p.skill_names), Counter(s for p in last_week for s in p.skill_names)
    changes = {s: round((now[s] / len(this_week) - before[s] / len(last_week)) * 100, 1) for s in now | before if max(now[s], before[s]) >= MIN_MOVER_COUNT}
    window = [*this_week, *last_week]
    counts = Counter(s for p in window for s in p.skill_names)
    required = sorted((s for s, c in counts.items() if c >= GAP_THRESHOLD * len(window)), key=lambda s: (-counts[s], s))
    missing = [s for s in required if s not in have]
    unlocks = {s: sum(1 for p in window if not _mostly(p, have) and _mostly(p, have | {s})) for s in missing}
    midpoints = [(p.salary.min_annual_usd + p.salary.max_annual_usd) / 2 for p in this_week if p.salary.min_annual_usd]
    return Expected(
        postings=len(this_week), remote_percent=100 * sum(p.remote for p in this_week) / len(this_week),
        salary=(min(midpoints), max(midpoints), sum(midpoints) / len(midpoints)),
        rising=sorted(((s, c) for s, c in changes.items() if c > 0), key=lambda x: -x[1]),
        cooling=sorted(((s, c) for s, c in changes.items() if c < 0), key=lambda x: x[1]),
        matched=len(required) - len(missing), required=len(required),
        next_skill=max(missing, key=lambda s: (unlocks[s], -missing.index(s))), unlocks=max(unlocks.values()),
    )


def _mostly(p: Posting, have: set[str]) -> bool:
    skills = set(p.skill_names)
    return len(skills & have) >= math.ceil(MOSTLY * len(skills) - 1e-9)


def subscriber(n: int, **fields: Any) -> User:
    values: dict[str, Any] = {
        "id": f"user-{n:03d}", "telegram_id": 70_000 + n, "full_name": f"Reader {n}", "skills": ["Python", "SQL"],
        "target_roles": [ROLE], "digest_opt_in": True,
    }
    return User(**(values | fields))


def digest_sends(fake: FakeTelegram) -> list[Any]:
    """Successful digest messages the fake delivered."""
    return [call for call in fake.calls if call.method in SEND_METHODS and call.status == 200]


def per_chat(fake: FakeTelegram) -> Counter[int]:
    return Counter(call.params["chat_id"] for call in digest_sends(fake))


class World:
    """One SQLite file; each `open()` is a separate connection, as another process would have."""

    def __init__(self, path: Path, reference: tuple[Taxonomy, RoleCatalog, Catalog], clock: FixedClock) -> None:
        self.path, self.reference, self.clock = path, reference, clock
        self.opened: list[Navigator] = []

    async def open(self, clock: FixedClock | None = None) -> Navigator:
        store = SqliteStore(self.path)
        await store.open()
        self.opened.append(Navigator(store, *self.reference, clock=clock or self.clock))
        return self.opened[-1]

    async def close(self) -> None:
        for nav in self.opened:
            await nav.close()


async def run_digest(nav: Navigator, fake: FakeTelegram, *, concurrency: int = 2, charts: bool = False, stop: Any = None,
                     owner: str | None = None, **notifier_options: Any) -> DigestRunSummary:
    """One delivery run against the fake Bot API, with small retry delays."""
    options = {"backoff": 0.01, "max_backoff": 0.05} | notifier_options
    async with TelegramNotifier(fake.token, fake.base_url, **options) as notifier:
        sender = DigestSender(nav, notifier, DigestComposer(nav, charts=charts), owner=owner)
        return await DigestRun(nav, sender, SCHEDULE, concurrency=concurrency).run(stop)
