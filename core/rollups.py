"""Daily rollups: per day x role key (and ALL_ROLES) counts that analytics read instead of postings.

Ingestion recomputes the rollups of every day it touched from the postings stored on that day, so the result
is the same however often a posting is re-ingested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from core.models import ALL_ROLES, DayRollup, Posting

REMOTE_LOCATION = "Remote"


def primary_location(posting: Posting) -> str | None:
    if posting.locations:
        return posting.locations[0]
    return REMOTE_LOCATION if posting.remote else None


def salary_midpoint(posting: Posting) -> float | None:
    low, high = posting.salary.min_annual_usd, posting.salary.max_annual_usd
    values = [v for v in (low, high) if v is not None and v > 0]
    return sum(values) / len(values) if values else None


def _add_salary(stat: list[float], value: float) -> None:
    if not stat:
        stat.extend([1, value, value, value])
        return
    stat[0] += 1
    stat[1] += value
    stat[2] = min(stat[2], value)
    stat[3] = max(stat[3], value)


def merge_salary(into: list[float], other: Sequence[float]) -> None:
    if not other:
        return
    if not into:
        into.extend(other)
        return
    into[0] += other[0]
    into[1] += other[1]
    into[2] = min(into[2], other[2])
    into[3] = max(into[3], other[3])


def _add_posting(rollup: DayRollup, posting: Posting, location: str | None, salary: float | None) -> None:
    rollup.total += 1
    rollup.remote += 1 if posting.remote else 0
    for name in dict.fromkeys(posting.skill_names):
        rollup.skills[name] = rollup.skills.get(name, 0) + 1
        if salary is not None:
            _add_salary(rollup.salaries.setdefault(name, []), salary)
    if location:
        rollup.locations[location] = rollup.locations.get(location, 0) + 1
    if salary is not None:
        _add_salary(rollup.salary_all, salary)


def build_rollups(postings: Iterable[Posting], days: Sequence[date]) -> list[DayRollup]:
    """Rollups for `days` from the postings on those days (other postings are ignored)."""
    wanted = set(days)
    rollups: dict[tuple[date, str], DayRollup] = {}
    for posting in postings:
        day = posting.analytics_day
        if day not in wanted:
            continue
        location, salary = primary_location(posting), salary_midpoint(posting)
        for role in (ALL_ROLES, *dict.fromkeys(posting.role_keys)):
            key = (day, role)
            if key not in rollups:
                rollups[key] = DayRollup(day=day, role=role, total=0)
            _add_posting(rollups[key], posting, location, salary)
    return sorted(rollups.values(), key=lambda r: (r.day, r.role))


class Aggregate:
    """Several days of rollups merged into one set of counts."""

    def __init__(self, rollups: Iterable[DayRollup] = ()) -> None:
        self.total = 0
        self.remote = 0
        self.skills: dict[str, int] = defaultdict(int)
        self.locations: dict[str, int] = defaultdict(int)
        self.salaries: dict[str, list[float]] = defaultdict(list)
        self.salary_all: list[float] = []
        for rollup in rollups:
            self.add(rollup)

    def add(self, rollup: DayRollup) -> None:
        self.total += rollup.total
        self.remote += rollup.remote
        for name, count in rollup.skills.items():
            self.skills[name] += count
        for name, count in rollup.locations.items():
            self.locations[name] += count
        for name, stat in rollup.salaries.items():
            merge_salary(self.salaries[name], stat)
        merge_salary(self.salary_all, rollup.salary_all)

    def share(self, skill: str) -> float:
        """Fraction (0..1) of postings mentioning skill."""
        return self.skills.get(skill, 0) / self.total if self.total else 0.0
