"""TheirStack jobs → postings, and configured location names → search filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import InvalidInput
from core.ingest.locations import parse_location
from core.ingest.mapping import posting_key, to_posting
from core.ingest.theirstack_models import JobSearchRequest, TheirStackJob
from core.models import SearchContext
from tests.fakes.theirstack_jobs import make_job

SEARCH = SearchContext(role="Data Engineer", location="United States", run_id="r1")
SEEN = datetime(2026, 3, 11, 14, 27, 9, tzinfo=UTC)


def job(**overrides) -> TheirStackJob:
    return TheirStackJob.model_validate(make_job(5120871002, discovered_at=SEEN, **overrides))


def test_every_posting_field_comes_from_the_job() -> None:
    posting = to_posting(job(), SEARCH)

    assert (posting.job_id, posting.title, posting.normalized_title) == ("5120871002", "Senior Data Engineer", "data engineer")
    assert (posting.company, posting.company_domain) == ("Ridgeline Foods", "ridgelinefoods.com")
    assert (posting.locations, posting.country_code) == (["Denver, Colorado, United States"], "US")
    assert (posting.remote, posting.hybrid, posting.seniority, posting.employment_statuses) == (False, True, "senior", ["full_time"])
    assert posting.salary.model_dump() == {
        "min_annual": 140000, "max_annual": 165000, "min_annual_usd": 140000, "max_annual_usd": 165000,
        "currency": "USD", "text": "$140,000 - $165,000",
    }
    assert (posting.date_posted, posting.discovered_at) == (date(2026, 3, 11), SEEN)
    assert posting.url == "https://www.linkedin.com/jobs/view/5120871002" and posting.final_url.endswith("/5120871002")
    assert posting.description.startswith("## About the role") and posting.technology_slugs == ["snowflake", "dbt"]
    assert posting.search == SEARCH and posting.skills == [] and posting.role_keys == [] and not posting.is_demo


def test_a_sparse_job_maps_with_fallbacks_instead_of_failing() -> None:
    sparse = TheirStackJob.model_validate({
        "id": 7, "job_title": None, "normalized_title": "data engineer", "description": None, "locations": None,
        "short_location": "Austin, TX", "technology_slugs": [], "keyword_slugs": ["dbt", "dbt"], "remote": "maybe",
    })
    posting = to_posting(sparse, SEARCH)

    assert (posting.title, posting.description, posting.locations) == ("data engineer", "", ["Austin, TX"])
    assert posting.technology_slugs == ["dbt"] and posting.remote is None and posting.country_code is None


def test_a_job_without_an_id_is_keyed_by_its_url_and_one_without_either_is_skipped() -> None:
    by_url = job(id=None, url="https://jobs.example/a")

    assert posting_key(by_url) == posting_key(job(id=None, url="https://jobs.example/a")) != posting_key(job(id=None, url="https://jobs.example/b"))
    assert posting_key(by_url).startswith("url:")
    assert to_posting(job(id=None, url=None, final_url=None, source_url=None), SEARCH) is None


@pytest.mark.parametrize(("text", "key", "filters"), [
    ("United States", "US", {"job_country_code_or": ["US"]}),
    ("  usa ", "US", {"job_country_code_or": ["US"]}),
    ("de", "DE", {"job_country_code_or": ["DE"]}),
    ("United Kingdom", "GB", {"job_country_code_or": ["GB"]}),
    ("Remote", "remote", {"remote": True}),
    ("Remote Germany", "remote-DE", {"job_country_code_or": ["DE"], "remote": True}),
    ("Canada (Remote)", "remote-CA", {"job_country_code_or": ["CA"], "remote": True}),
    ("geonames:5419384", "geonames:5419384", {"job_location_or": [{"id": 5419384}]}),
    ("pattern:Berlin|Munich", "pattern:berlin|munich", {"job_location_pattern_or": ["Berlin|Munich"]}),
])
def test_locations_become_the_search_filters_the_api_offers(text: str, key: str, filters: dict) -> None:
    location = parse_location(text)

    assert (location.key, location.filters) == (key, filters)
    JobSearchRequest(posted_at_max_age_days=1, **location.filters)  # the request model accepts them


@pytest.mark.parametrize(("text", "message"), [
    ("Untied States", "Unknown location 'Untied States'. Did you mean: United States?"),
    ("Atlantis", "Unknown location 'Atlantis'. Use a country name or ISO code"),
    ("", "Empty location"),
    ("geonames:abc", "needs a value"),
])
def test_unknown_locations_are_refused_with_the_accepted_forms(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("?", r"\?").replace("(", r"\(")):
        parse_location(text)
