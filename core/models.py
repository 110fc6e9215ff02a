"""Domain models: postings, users/profiles, catalog entries and every report the front ends render.

Report field names keep the original REST product's names (`top_skills`, `required_skills`, `skill_paths`,
`skill_match_percentage`, ...); fields beyond those are additions.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SkillSource = Literal["text", "title", "theirstack", "demo"]


class ExperienceLevel(str, Enum):
    JUNIOR = "Junior"
    MID = "Mid"
    SENIOR = "Senior"
    LEAD = "Lead"


class Difficulty(str, Enum):
    BEGINNER = "Beginner"
    INTERMEDIATE = "Intermediate"
    ADVANCED = "Advanced"


class ResourceType(str, Enum):
    DOCUMENTATION = "Documentation"
    COURSE = "Course"
    VIDEO = "Video"
    BOOK = "Book"
    TUTORIAL = "Tutorial"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# --- postings -------------------------------------------------------------------------------------------


class PostingSkill(_Model):
    name: str
    category: str
    sources: list[SkillSource] = Field(default_factory=list)


class Salary(_Model):
    min_annual: float | None = None
    max_annual: float | None = None
    min_annual_usd: float | None = None
    max_annual_usd: float | None = None
    currency: str | None = None
    text: str | None = None


class SearchContext(_Model):
    role: str | None = None
    location: str | None = None
    run_id: str | None = None


class Posting(_Model):
    """One job posting, keyed by TheirStack's job id (or a URL hash when the id is missing)."""

    job_id: str
    title: str
    normalized_title: str | None = None
    company: str | None = None
    company_domain: str | None = None
    locations: list[str] = Field(default_factory=list)
    country_code: str | None = None
    remote: bool | None = None
    hybrid: bool | None = None
    seniority: str | None = None
    employment_statuses: list[str] = Field(default_factory=list)
    salary: Salary = Field(default_factory=Salary)
    date_posted: date | None = None
    discovered_at: datetime | None = None
    url: str | None = None
    final_url: str | None = None
    description: str = ""
    technology_slugs: list[str] = Field(default_factory=list)
    skills: list[PostingSkill] = Field(default_factory=list)
    soft_skills: list[str] = Field(default_factory=list)
    role_keys: list[str] = Field(default_factory=list)
    search: SearchContext = Field(default_factory=SearchContext)
    is_demo: bool = False
    ingested_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]

    @property
    def analytics_day(self) -> date | None:
        """The day a posting counts for: date_posted, else the day it was discovered."""
        if self.date_posted:
            return self.date_posted
        return self.discovered_at.date() if self.discovered_at else None


class UpsertResult(_Model):
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    days: list[date] = Field(default_factory=list)

    @property
    def touched(self) -> int:
        return self.inserted + self.updated


# --- rollups -------------------------------------------------------------------------------------------

ALL_ROLES = "*"


class DayRollup(_Model):
    """Counts for one day and one role key (ALL_ROLES for every posting)."""

    day: date
    role: str
    total: int
    remote: int = 0
    skills: dict[str, int] = Field(default_factory=dict)
    locations: dict[str, int] = Field(default_factory=dict)
    # per skill: [count with a USD salary, sum of midpoints, min, max] — enough to merge days exactly
    salaries: dict[str, list[float]] = Field(default_factory=dict)
    salary_all: list[float] = Field(default_factory=list)


# --- users ---------------------------------------------------------------------------------------------


class User(_Model):
    id: str
    email: str | None = None
    full_name: str | None = None
    telegram_id: int | None = None
    telegram_username: str | None = None
    skills: list[str] = Field(default_factory=list)
    target_roles: list[str] = Field(default_factory=list)
    experience_level: ExperienceLevel | None = None
    location: str | None = None
    timezone: str = "UTC"
    digest_opt_in: bool = False
    is_active: bool = True
    token_version: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("email")
    @classmethod
    def _normalise_email(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else value


class ProfileUpdate(_Model):
    """Fields a user may change; None means "leave as is"."""

    full_name: str | None = None
    skills: list[str] | None = None
    target_roles: list[str] | None = None
    experience_level: ExperienceLevel | None = None
    location: str | None = None
    timezone: str | None = None
    digest_opt_in: bool | None = None


# --- catalog -------------------------------------------------------------------------------------------


class Resource(_Model):
    type: ResourceType
    title: str
    url: str
    description: str
    free: bool = False
    level: str | None = None
    skill: str | None = None


class Project(_Model):
    id: int
    title: str
    description: str
    difficulty: Difficulty
    estimated_time: str
    skills: list[str]
    features: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)


class ProjectMatch(Project):
    skill_match_percentage: float
    missing_skills: list[str]


# --- reports -------------------------------------------------------------------------------------------


class SkillCount(_Model):
    skill: str
    count: int
    percentage: float
    category: str | None = None


class LocationCount(_Model):
    location: str
    count: int


class SalaryRange(_Model):
    skill: str | None = None
    postings_with_salary: int
    min_usd: float
    max_usd: float
    average_midpoint_usd: float


class RisingSkill(_Model):
    skill: str
    current_percentage: float
    previous_percentage: float
    change_points: float
    relative_change: float | None
    current_count: int
    previous_count: int


class TrendingReport(_Model):
    top_skills: list[SkillCount]
    top_locations: list[LocationCount]
    total_jobs_analyzed: int
    generated_at: datetime
    window_days: int
    role: str | None = None
    remote_share: float = 0.0
    salary_ranges: list[SalaryRange] = Field(default_factory=list)
    overall_salary: SalaryRange | None = None
    rising_skills: list[RisingSkill] = Field(default_factory=list)
    falling_skills: list[RisingSkill] = Field(default_factory=list)
    data_version: int = 0


class RequiredSkill(_Model):
    skill: str
    required_percentage: float
    user_has: bool
    category: str | None = None
    postings: int = 0


class GapReport(_Model):
    role: str
    role_key: str
    total_postings_analyzed: int
    required_skills: list[RequiredSkill]
    missing_skills: list[str]
    coverage_percentage: float
    skill_match_count: int
    total_required_skills: int
    threshold: float
    window_days: int
    user_skills: list[str] = Field(default_factory=list)
    unrecognised_skills: list[str] = Field(default_factory=list)
    next_skill: str | None = None
    next_skill_unlocks: int = 0
    generated_at: datetime


class SkillPath(_Model):
    skill: str
    resources: list[Resource]
    is_missing: bool
    priority_score: float
    required_percentage: float
    unlocks_postings: int = 0
    category: str | None = None


class RoadmapReport(_Model):
    target_role: str
    role_key: str
    skill_paths: list[SkillPath]
    total_skills: int
    missing_skills_count: int
    coverage_percentage: float
    recommendations: list[str]
    total_postings_analyzed: int
    window_days: int
    generated_at: datetime


class ProjectRecommendations(_Model):
    projects: list[ProjectMatch]
    total_projects: int
    filters_applied: dict[str, object]
    user_skill_count: int
    recommendations: list[str]


class ResourceSearchResult(_Model):
    resources: list[Resource]
    total_found: int
    search_query: str
    filters_applied: dict[str, object]


class ProjectSearchResult(_Model):
    projects: list[Project]
    total_found: int
    search_query: str
    filters_applied: dict[str, object]


class Stats(_Model):
    postings: int
    demo_postings: int
    roles: dict[str, int]
    last_ingestion: dict[str, object] | None
    data_version: int
    newest_posting: date | None
    oldest_posting: date | None
    store: str
    users: int = 0


class Health(_Model):
    healthy: bool
    store: str
    store_ok: bool
    postings: int
    data_version: int
    data_age_hours: float | None
    app_name: str
    app_version: str
    detail: str | None = None
