"""Small builders for test data (real domain objects, no mocks)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import count

from core.models import Posting, PostingSkill, Salary, SearchContext

_ids = count(1)


def posting(
    *,
    skills: list[str],
    day: date,
    roles: list[str] | None = None,
    job_id: str | None = None,
    title: str = "Software Engineer",
    location: str | None = "New York, NY",
    remote: bool = False,
    salary_usd: tuple[float, float] | None = None,
    search_role: str | None = None,
    demo: bool = False,
) -> Posting:
    return Posting(
        job_id=job_id or f"job-{next(_ids)}",
        title=title,
        company="Acme",
        locations=[location] if location else [],
        remote=remote,
        date_posted=day,
        discovered_at=datetime.combine(day, time(6), tzinfo=UTC),
        description=" ".join(skills),
        skills=[PostingSkill(name=s, category="language", sources=["text"]) for s in skills],
        role_keys=roles if roles is not None else ["software_engineer"],
        salary=Salary(min_annual_usd=salary_usd[0], max_annual_usd=salary_usd[1]) if salary_usd else Salary(),
        search=SearchContext(role=search_role),
        is_demo=demo,
    )
