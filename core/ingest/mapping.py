"""TheirStack jobs → our Posting model (before skill extraction and role tagging, see core.enrich).

The job id is TheirStack's numeric id as text. A job without one (it happens in drifting payloads) is keyed by
a hash of its URL, so re-ingesting it still overwrites instead of duplicating; a job with neither cannot be
keyed and is skipped.
"""

from __future__ import annotations

import hashlib

from core.ingest.theirstack_models import TheirStackJob
from core.models import Posting, Salary, SearchContext

URL_KEY_PREFIX = "url:"
UNTITLED = "Untitled position"


def posting_key(job: TheirStackJob) -> str | None:
    """The id a job is stored under: its TheirStack id, else a hash of its URL, else None."""
    if job.id is not None:
        return str(job.id)
    url = job.url or job.final_url or job.source_url
    if not url:
        return None
    return URL_KEY_PREFIX + hashlib.blake2b(url.strip().encode(), digest_size=16).hexdigest()


def to_posting(job: TheirStackJob, search: SearchContext) -> Posting | None:
    """The posting for one job, tagged with the search that found it; None when the job cannot be keyed."""
    key = posting_key(job)
    return None if key is None else build_posting(job, key, search)


def build_posting(job: TheirStackJob, key: str, search: SearchContext) -> Posting:
    return Posting(
        job_id=key,
        title=(job.job_title or job.normalized_title or UNTITLED).strip(),
        normalized_title=job.normalized_title,
        company=job.company,
        company_domain=job.company_domain,
        locations=location_names(job),
        country_code=(job.all_country_codes or [None])[0],
        remote=job.remote,
        hybrid=job.hybrid,
        seniority=job.seniority,
        employment_statuses=job.employment_statuses,
        salary=salary(job),
        date_posted=job.date_posted,
        discovered_at=job.discovered_at,
        url=job.url or job.source_url,
        final_url=job.final_url,
        description=job.description or "",
        technology_slugs=list(dict.fromkeys(job.technology_slugs or job.keyword_slugs)),
        search=search,
    )


def location_names(job: TheirStackJob) -> list[str]:
    """Human-readable locations: the normalized `locations[]`, else the deprecated text fields."""
    names = [loc.display_name or loc.name for loc in job.locations]
    if not any(names):
        names = [job.short_location or job.long_location or job.location or job.country]
    return list(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def salary(job: TheirStackJob) -> Salary:
    return Salary(
        min_annual=job.min_annual_salary,
        max_annual=job.max_annual_salary,
        min_annual_usd=job.min_annual_salary_usd,
        max_annual_usd=job.max_annual_salary_usd,
        currency=job.salary_currency,
        text=job.salary_string,
    )
