"""Typed request and tolerant response models for TheirStack's job search API.

Requests are strict (`extra="forbid"`): the API declares `additionalProperties: false`, so a misspelt key is
caught here instead of costing a 422 round trip. Responses are lenient (`extra="ignore"`, every field
optional, nulls and junk values degrade to None/[]): the API adds fields over time and one odd job must not
lose a page we have already paid for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_serializer,
    model_validator,
)

T = TypeVar("T")

Seniority = Literal["c_level", "staff", "senior", "junior", "mid_level"]
Commitment = Literal[
    "full_time", "part_time", "temporary", "internship", "contract", "freelance",
    "co_founder", "apprenticeship", "seasonal", "volunteer", "other",
]
PropertyName = Literal[
    "company_object.domain", "company_object.linkedin_url", "final_url", "hiring_team", "employment_statuses",
]
# The API refuses a job search unless one of these narrows it (documented "for performance reasons").
REQUIRED_ONE_OF = (
    "posted_at_max_age_days", "posted_at_gte", "posted_at_lte",
    "company_domain_or", "company_linkedin_url_or", "company_name_or",
)


# --- lenient parsing helpers (responses only) -------------------------------------------------------------

def _none_on_error(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


def _clean_list(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if not isinstance(value, list | tuple):
        return []
    items = [item for item in value if item is not None]
    try:
        return handler(items)
    except ValidationError:
        # Keep the entries that parse rather than dropping the whole job.
        kept: list[Any] = []
        for item in items:
            try:
                kept.extend(handler([item]))
            except ValidationError:
                continue
        return kept


def _parse_datetime(value: Any, handler: ValidatorFunctionWrapHandler) -> datetime | None:
    parsed = _to_datetime(value)
    if parsed is None:
        return None
    # TheirStack sends naive timestamps that its filters treat as UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_date(value: Any, handler: ValidatorFunctionWrapHandler) -> date | None:
    parsed = _to_datetime(value)
    return parsed.date() if parsed else None


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


Opt = Annotated[T | None, WrapValidator(_none_on_error)]
LenientList = Annotated[list[T], WrapValidator(_clean_list)]
LenientDate = Annotated[date | None, WrapValidator(_parse_date)]
LenientDateTime = Annotated[datetime | None, WrapValidator(_parse_datetime)]


def _count(value: Any, handler: ValidatorFunctionWrapHandler) -> int:
    result = _none_on_error(value, handler)
    return result if isinstance(result, int) else 0


Count = Annotated[int, WrapValidator(_count)]
Flag = Annotated[bool, WrapValidator(lambda v, h: bool(_none_on_error(v, h)))]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


# --- request ----------------------------------------------------------------------------------------------

class OrderBy(BaseModel):
    """One sort key (the API marks `order_by` deprecated but still honours it)."""

    model_config = ConfigDict(extra="forbid")

    field: Literal["date_posted", "discovered_at", "salary", "job_title", "company", "num_jobs"]
    desc: bool = True


class LocationFilter(BaseModel):
    """A GeoNames location id from `GET /v0/catalog/locations`."""

    model_config = ConfigDict(extra="forbid")

    id: int


class JobSearchRequest(BaseModel):
    """Body of `POST /v1/jobs/search`: the subset of the spec's `JobSearchFilters` that we use."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(0, ge=0)
    # The spec sets no maximum; TheirStack's guides call 500 "the maximum limit" per page.
    limit: int = Field(25, ge=1, le=500)
    offset: int | None = Field(None, ge=0)
    cursor: str | None = None
    include_total_results: bool | None = None
    blur_company_data: bool | None = None
    order_by: list[OrderBy] = []

    posted_at_max_age_days: int | None = Field(None, ge=0)
    posted_at_gte: date | None = None
    posted_at_lte: date | None = None
    discovered_at_max_age_days: int | None = Field(None, ge=0)
    discovered_at_min_age_days: int | None = Field(None, ge=0)
    discovered_at_gte: date | datetime | None = None
    discovered_at_lte: date | datetime | None = None

    job_title_or: list[str] = []
    job_title_not: list[str] = []
    job_title_pattern_and: list[str] = []
    job_title_pattern_or: list[str] = []
    job_title_pattern_not: list[str] = []
    job_description_pattern_or: list[str] = []
    job_description_pattern_not: list[str] = []
    job_description_contains_or: list[str] = []
    job_description_contains_not: list[str] = []

    job_country_code_or: list[str] = []
    job_country_code_not: list[str] = []
    job_location_or: list[LocationFilter] = []
    job_location_not: list[LocationFilter] = []
    job_location_pattern_or: list[str] = []
    job_location_pattern_not: list[str] = []
    remote: bool | None = None

    job_id_or: list[int] = []
    job_id_not: list[int] = []
    job_seniority_or: list[Seniority] = []
    employment_statuses_or: list[Commitment] = []
    min_salary_usd: float | None = None
    max_salary_usd: float | None = None
    easy_apply: bool | None = None
    job_technology_slug_or: list[str] = []
    job_technology_slug_and: list[str] = []
    job_technology_slug_not: list[str] = []
    url_domain_or: list[str] = []
    url_domain_not: list[str] = []
    property_exists_or: list[PropertyName] = []
    property_exists_and: list[PropertyName] = []

    company_name_or: list[str] = []
    company_name_not: list[str] = []
    company_name_case_insensitive_or: list[str] = []
    company_domain_or: list[str] = []
    company_domain_not: list[str] = []
    company_linkedin_url_or: list[str] = []
    company_type: Literal["recruiting_agency", "direct_employer", "all"] | None = None
    company_country_code_or: list[str] = []
    company_country_code_not: list[str] = []
    min_employee_count: int | None = None
    max_employee_count: int | None = None
    min_employee_count_or_null: int | None = None
    max_employee_count_or_null: int | None = None
    industry_id_or: list[int] = []
    industry_id_not: list[int] = []

    @model_validator(mode="before")
    @classmethod
    def _split_date_and_datetime(cls, data: Any) -> Any:
        # "2026-03-11" must stay a date (a whole day); pydantic would otherwise read it as midnight.
        if isinstance(data, dict):
            for key in ("discovered_at_gte", "discovered_at_lte"):
                value = data.get(key)
                if isinstance(value, str) and len(value.strip()) == 10:
                    data = {**data, key: date.fromisoformat(value.strip())}
        return data

    @model_validator(mode="after")
    def _check_required_filter(self) -> JobSearchRequest:
        if all(getattr(self, name) in (None, []) for name in REQUIRED_ONE_OF):
            raise ValueError(f"TheirStack needs at least one of: {', '.join(REQUIRED_ONE_OF)}")
        return self

    @field_serializer("discovered_at_gte", "discovered_at_lte")
    def _serialize_discovered(self, value: date | datetime | None) -> str | None:
        if isinstance(value, datetime):
            utc = value.astimezone(UTC) if value.tzinfo else value
            return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat() if value else None

    def to_body(self) -> dict[str, Any]:
        """The JSON body: unset fields and empty lists left out (the API 422s on some empty arrays)."""
        dumped = self.model_dump(mode="json", exclude_none=True)
        return {key: value for key, value in dumped.items() if value != []}


# --- response ---------------------------------------------------------------------------------------------

class JobLocation(_Lenient):
    """One normalized GeoNames location of a job (`locations[]`)."""

    id: Opt[int] = None
    name: Opt[str] = None
    type: Opt[str] = None
    display_name: Opt[str] = None
    country_code: Opt[str] = None
    country_name: Opt[str] = None
    admin1_name: Opt[str] = None
    admin1_code: Opt[str] = None
    admin2_name: Opt[str] = None
    continent: Opt[str] = None
    feature_code: Opt[str] = None
    latitude: Opt[float] = None
    longitude: Opt[float] = None


class HiringPerson(_Lenient):
    first_name: Opt[str] = None
    full_name: Opt[str] = None
    role: Opt[str] = None
    linkedin_url: Opt[str] = None


class TheirStackCompany(_Lenient):
    """The hiring company (`company_object`); `id` is internal to TheirStack and not a stable key."""

    id: Opt[str] = None
    name: Opt[str] = None
    domain: Opt[str] = None
    url: Opt[str] = None
    possible_domains: LenientList[str] = []
    linkedin_url: Opt[str] = None
    industry: Opt[str] = None
    industry_id: Opt[int] = None
    country: Opt[str] = None
    country_code: Opt[str] = None
    city: Opt[str] = None
    employee_count: Opt[int] = None
    employee_count_range: Opt[str] = None
    founded_year: Opt[int] = None
    annual_revenue_usd: Opt[float] = None
    total_funding_usd: Opt[float] = None
    funding_stage: Opt[str] = None
    is_recruiting_agency: Opt[bool] = None
    logo: Opt[str] = None
    num_jobs: Count = 0
    num_jobs_last_30_days: Count = 0
    technology_slugs: LenientList[str] = []
    keyword_slugs: LenientList[str] = []
    has_blurred_data: Flag = False


class TheirStackJob(_Lenient):
    """One job posting as TheirStack returns it; only what we may use is kept."""

    id: Opt[int] = None
    job_title: Opt[str] = None
    normalized_title: Opt[str] = None
    company: Opt[str] = None
    company_domain: Opt[str] = None
    company_object: Opt[TheirStackCompany] = None
    url: Opt[str] = None
    final_url: Opt[str] = None
    source_url: Opt[str] = None
    date_posted: LenientDate = None
    discovered_at: LenientDateTime = None
    reposted: Opt[bool] = None
    date_reposted: LenientDate = None
    closed_at: LenientDateTime = None
    has_blurred_data: Flag = False

    location: Opt[str] = None
    short_location: Opt[str] = None
    long_location: Opt[str] = None
    locations: LenientList[JobLocation] = []
    country: Opt[str] = None
    country_code: Opt[str] = None
    country_codes: LenientList[str] = []
    countries: LenientList[str] = []
    cities: LenientList[str] = []
    remote: Opt[bool] = None
    hybrid: Opt[bool] = None

    seniority: Opt[str] = None
    employment_statuses: LenientList[str] = []
    easy_apply: Opt[bool] = None
    salary_string: Opt[str] = None
    min_annual_salary: Opt[float] = None
    max_annual_salary: Opt[float] = None
    min_annual_salary_usd: Opt[float] = None
    max_annual_salary_usd: Opt[float] = None
    avg_annual_salary_usd: Opt[float] = None
    salary_currency: Opt[str] = None

    description: Opt[str] = None
    technology_slugs: LenientList[str] = []
    keyword_slugs: LenientList[str] = []
    hiring_team: LenientList[HiringPerson] = []
    manager_roles: LenientList[str] = []

    @model_validator(mode="after")
    def _fill_from_company_object(self) -> TheirStackJob:
        # `company` is deprecated in favour of company_object.name; the two domains can disagree on nulls.
        if self.company_object is not None:
            self.company = self.company or self.company_object.name
            self.company_domain = self.company_domain or self.company_object.domain
        return self

    @property
    def all_country_codes(self) -> list[str]:
        """Every ISO country code the job mentions, from the deprecated fields and `locations`."""
        codes = [*self.country_codes, self.country_code, *(loc.country_code for loc in self.locations)]
        return list(dict.fromkeys(code.upper() for code in codes if code))


class JobSearchMetadata(_Lenient):
    """`total_*` are None unless `include_total_results` was sent; `truncated_*` count rows we lacked credits for."""

    total_results: Opt[int] = None
    total_companies: Opt[int] = None
    truncated_results: Count = 0
    truncated_companies: Count = 0


class JobSearchPage(_Lenient):
    data: LenientList[TheirStackJob] = []
    metadata: Annotated[JobSearchMetadata, WrapValidator(lambda v, h: h(v if isinstance(v, dict) else {}))] = (
        Field(default_factory=JobSearchMetadata)
    )


class CreditBalance(_Lenient):
    """`GET /v0/billing/credit-balance`; `api_credits` behaves like the cycle's allocation, not what is left."""

    ui_credits: Count = 0
    used_ui_credits: Count = 0
    api_credits: Count = 0
    used_api_credits: Count = 0
    earliest_expiration: Opt[str] = None

    @property
    def api_credits_remaining(self) -> int:
        return max(self.api_credits - self.used_api_credits, 0)
