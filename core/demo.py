"""Synthetic demo postings (clearly marked) so a fresh install has something to analyse.

Deterministic for a seed: the same seed and count give the same postings. Parameters live in data/demo.json:
role-specific skill mixes (some trending up or down over the window), titles, companies, locations, salaries.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from core.models import Posting, PostingSkill, Salary, SearchContext
from core.paths import DATA_DIR
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy

MIN_SKILLS = 3


@cache
def demo_parameters() -> dict[str, Any]:
    return json.loads((DATA_DIR / "demo.json").read_text(encoding="utf-8"))


def _probability(spec: float | list[float], days_ago: int, window: int) -> float:
    if isinstance(spec, list):
        old, new = spec
        return new + (old - new) * days_ago / window
    return spec


class DemoGenerator:
    def __init__(self, taxonomy: Taxonomy, roles: RoleCatalog, today: date, seed: int = 42) -> None:
        self.params = demo_parameters()
        self.taxonomy, self.roles, self.today = taxonomy, roles, today
        self.seed = seed
        self.rng = random.Random(seed)
        self._role_keys = list(self.params["roles"])
        self._role_weights = [self.params["roles"][k]["weight"] for k in self._role_keys]
        window = self.params["days"]
        self._ages = list(range(window))
        self._age_weights = [1 + self.params["growth"] * (1 - age / window) for age in self._ages]

    def postings(self, count: int) -> Iterator[Posting]:
        for index in range(count):
            yield self._posting(index)

    def _posting(self, index: int) -> Posting:
        rng, params = self.rng, self.params
        role_key = rng.choices(self._role_keys, self._role_weights)[0]
        spec = params["roles"][role_key]
        days_ago = rng.choices(self._ages, self._age_weights)[0]
        title = rng.choice(spec["titles"])
        company = rng.choice(params["companies"]) + " (demo)"
        skills = self._skills(spec["skills"], days_ago)
        remote = rng.random() < _probability(params["remote_share"], days_ago, params["days"])
        posted = self.today - timedelta(days=days_ago)
        return Posting(
            job_id=f"demo-{self.seed}-{index}",
            title=title,
            normalized_title=spec["titles"][0],
            company=company,
            company_domain=None,
            locations=[] if remote and rng.random() < 0.5 else [self._location()],
            country_code="US",
            remote=remote,
            hybrid=not remote and rng.random() < 0.3,
            seniority=rng.choices(list(params["seniority"]), list(params["seniority"].values()))[0],
            employment_statuses=["full_time"],
            salary=self._salary(spec["salary"]),
            date_posted=posted,
            discovered_at=datetime.combine(posted, time(hour=rng.randrange(24)), tzinfo=UTC),
            url=f"https://example.com/demo-jobs/{self.seed}/{index}",
            description=self._description(company, title, skills),
            skills=[PostingSkill(name=s, category=self.taxonomy.category_of(s) or "unknown", sources=["demo"]) for s in skills],
            role_keys=sorted({role_key, *self.roles.tag_title(title)}),
            search=SearchContext(role=self.roles.get(role_key).name if self.roles.get(role_key) else None, location="demo"),
            is_demo=True,
        )

    def _skills(self, mix: dict[str, float | list[float]], days_ago: int) -> list[str]:
        window = self.params["days"]
        chances = {name: _probability(spec, days_ago, window) for name, spec in mix.items()}
        chosen = [name for name, p in chances.items() if self.rng.random() < p]
        for name in sorted(chances, key=lambda n: -chances[n]):
            if len(chosen) >= MIN_SKILLS:
                break
            if name not in chosen:
                chosen.append(name)
        return chosen

    def _location(self) -> str:
        locations = self.params["locations"]
        return self.rng.choices(list(locations), list(locations.values()))[0]

    def _salary(self, bounds: list[int]) -> Salary:
        if self.rng.random() >= self.params["salary_share"]:
            return Salary()
        low = round(self.rng.uniform(bounds[0], bounds[1] * 0.85), -3)
        high = round(low * self.rng.uniform(1.15, 1.4), -3)
        return Salary(min_annual=low, max_annual=high, min_annual_usd=low, max_annual_usd=high, currency="USD", text=f"${low:,.0f} - ${high:,.0f}")

    def _description(self, company: str, title: str, skills: list[str]) -> str:
        sentences = self.params["sentences"]
        parts = [self.rng.choice(sentences["intro"]).format(company=company, title=title)]
        for start in range(0, len(skills), 3):
            group = skills[start : start + 3]
            listed = ", ".join(group[:-1]) + (" and " if len(group) > 1 else "") + group[-1]
            parts.append(self.rng.choice(sentences["skill"]).format(skills=listed))
        parts.extend(sentences["outro"])
        return " ".join(parts)
