"""Job-description match: a pasted posting's skills against a person's, weighted by how common each is for the role.

`Navigator.match_job_description` reads the posting (`read_posting`), finds its role (`detect_role`, or the caller's),
loads the role's market over `MARKET_DAYS` (`market_for`: the same daily rollups and shares the gap analysis uses,
falling back to all roles when the role has too few postings), extracts the skills, and `build_report` does the rest:

- weight(skill) = share of the role's postings in the window that ask for the skill (0..1)
- match_percentage = posting skills the person has / posting skills x 100
- weighted_match_percentage = sum of weights of skills they have / sum of all weights x 100 (plain match when no weight)
- best_next_skill = the missing skill with the highest weight (ties: the one the posting names first)
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field

from core import analytics
from core.errors import InvalidInput
from core.models import ALL_ROLES, Resource
from core.rollups import Aggregate
from core.skills.roles import Role, RoleCatalog

if TYPE_CHECKING:
    from core.catalog import Catalog
    from core.skills.extractor import Extraction

MARKET_DAYS = 90
MIN_CHARS = 80
MIN_WORDS = 12
MAX_CHARS = 50_000
TITLE_MAX_CHARS = 120
ROLE_SEARCH_CHARS = 400
GENERIC_ROLE = "software_engineer"
_MARKUP = re.compile(r"<[^>]+>|^[#>*\-\s]+|[*_`]+")

AggregateReader = Callable[[str, int], Awaitable[Aggregate]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MissingSkill(_Model):
    skill: str
    weight: float = Field(description="share (0..1) of the role's postings that ask for this skill")
    market_percentage: float = Field(description="the same share in percent, as in the gap report")
    postings: int = 0
    category: str | None = None


class JobMatchReport(_Model):
    role: str | None
    role_key: str | None = None
    title: str | None = None
    posting_skills: list[str]
    have: list[str]
    missing: list[MissingSkill]
    match_percentage: float
    weighted_match_percentage: float
    best_next_skill: str | None = None
    resource: Resource | None = None
    soft_skills: list[str] = Field(default_factory=list)
    user_skills: list[str] = Field(default_factory=list)
    unrecognised_skills: list[str] = Field(default_factory=list)
    weights_scope: str = Field(description="whose postings the weights come from: a role name or 'all roles'")
    market_postings: int = 0
    window_days: int = MARKET_DAYS
    summary: str = ""
    generated_at: datetime


@dataclass(frozen=True)
class PastedPosting:
    title: str
    body: str


@dataclass(frozen=True)
class Market:
    """The postings the weights come from: the role's, or every role's when the role has too few."""

    role: Role | None
    aggregate: Aggregate
    days: int

    @property
    def scope(self) -> str:
        return self.role.name if self.role else "all roles"


def read_posting(text: str | None) -> PastedPosting:
    """The pasted text, checked, with its first line as the title when it reads like one."""
    cleaned = (text or "").strip()
    if not cleaned:
        message = "The job description is empty: paste the whole posting (title, responsibilities and requirements)."
        raise InvalidInput(message)
    words = len(cleaned.split())
    if len(cleaned) < MIN_CHARS or words < MIN_WORDS:
        message = f"That is too short for a job description ({words} words): paste the whole posting, including its requirements."
        raise InvalidInput(message)
    if len(cleaned) > MAX_CHARS:
        message = f"That job description is too long ({len(cleaned):,} characters; at most {MAX_CHARS:,}): paste only the posting."
        raise InvalidInput(message)
    first = _MARKUP.sub("", cleaned.splitlines()[0]).strip()
    title = first if first and len(first) <= TITLE_MAX_CHARS and not first.endswith((".", "?", "!")) else ""
    return PastedPosting(title, cleaned)


def detect_role(posting: PastedPosting, roles: RoleCatalog) -> Role | None:
    """The role the title names, else the one named earliest near the top of the text ("We are hiring a ...")."""
    for text in (posting.title, posting.body[:ROLE_SEARCH_CHARS]):
        role = _earliest_role(text, roles) if text else None
        if role is not None:
            return role
    return None


def _earliest_role(text: str, roles: RoleCatalog) -> Role | None:
    lowered = text.lower()
    hits = []
    for role in roles:
        starts = [found.start() for pattern in role.patterns if (found := pattern.search(lowered))]
        if starts:
            hits.append((min(starts), role.key == GENERIC_ROLE, role))
    return min(hits, key=lambda hit: hit[:2])[2] if hits else None


async def market_for(role: Role | None, aggregate: AggregateReader, days: int = MARKET_DAYS) -> Market:
    if role is not None:
        own = await aggregate(role.key, days)
        if own.total >= analytics.MIN_GAP_POSTINGS:
            return Market(role, own, days)
    return Market(None, await aggregate(ALL_ROLES, days), days)


class Subject(Protocol):
    """The person's skills (canonical, with implied parents) and what did not resolve (`service.SkillSet`)."""

    names: frozenset[str]
    unrecognised: tuple[str, ...]


def build_report(posting: PastedPosting, extraction: Extraction, subject: Subject, role: Role | None, market: Market, catalog: Catalog, *, generated_at: datetime, category_of: Callable[[str], str | None]) -> JobMatchReport:
    skills = extraction.names
    if not skills:
        message = "No technical skills found in that text. Is it a job description? Paste the posting with its requirements."
        raise InvalidInput(message)
    agg = market.aggregate
    have = [skill for skill in skills if skill in subject.names]
    missing = sorted(
        (_missing(skill, agg, category_of) for skill in skills if skill not in subject.names),
        key=lambda item: -item.weight,  # stable: equal weights keep the posting's order
    )
    best = missing[0].skill if missing else None
    resources = catalog.resources_for(best) if best else []
    report = JobMatchReport(
        role=role.name if role else None, role_key=role.key if role else None, title=posting.title or None,
        posting_skills=skills, have=have, missing=missing,
        match_percentage=analytics.percentage(len(have), len(skills)),
        weighted_match_percentage=_weighted(have, skills, agg),
        best_next_skill=best, resource=resources[0] if resources else None, soft_skills=extraction.soft_names,
        user_skills=sorted(subject.names), unrecognised_skills=list(subject.unrecognised),
        weights_scope=market.scope, market_postings=agg.total, window_days=market.days, generated_at=generated_at,
    )
    report.summary = _summary(report)
    return report


def _missing(skill: str, agg: Aggregate, category_of: Callable[[str], str | None]) -> MissingSkill:
    count = agg.skills.get(skill, 0)
    return MissingSkill(skill=skill, weight=round(agg.share(skill), 4), market_percentage=analytics.percentage(count, agg.total), postings=count, category=category_of(skill))


def _weighted(have: Sequence[str], skills: Sequence[str], agg: Aggregate) -> float:
    total = sum(agg.share(skill) for skill in skills)
    if not total:
        return analytics.percentage(len(have), len(skills))
    return analytics.percentage(sum(agg.share(skill) for skill in have), total)


def _summary(report: JobMatchReport) -> str:
    about = f"this {report.role} posting" if report.role else "this posting"
    line = f"You have {len(report.have)} of the {len(report.posting_skills)} skills {about} asks for ({report.match_percentage:.0f}%)."
    if report.best_next_skill:
        top = report.missing[0]
        share = f": {top.market_percentage:.0f}% of {report.weights_scope} postings ask for it" if top.postings else ""
        line += f" Learn {report.best_next_skill} next{share}."
    return line
