"""TheirStackClient against a real local fake of the API, over real sockets."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from core.ingest.errors import (
    TheirStackAuthError,
    TheirStackCreditsExhausted,
    TheirStackRequestError,
    TheirStackRetryableError,
)
from core.ingest.ratelimit import RateLimiter
from core.ingest.theirstack import TheirStackClient, retry_after_seconds
from core.ingest.theirstack_models import JobSearchRequest
from tests.fakes.theirstack_server import client_for, FAKE_API_KEY, FakeTheirStack, Fault

TODAY = datetime.now(UTC).date()


def make_job(job_id: int | None, **overrides: Any) -> dict[str, Any]:
    """A job as TheirStack sends it, with every field we read filled in."""
    job = {
        "id": job_id, "job_title": "Senior Analytics Engineer", "normalized_title": "analytics engineer",
        "url": f"https://www.linkedin.com/jobs/view/{job_id}", "final_url": f"https://boards.example/jobs/{job_id}",
        "source_url": f"https://www.linkedin.com/jobs/view/{job_id}", "date_posted": TODAY.isoformat(),
        "discovered_at": f"{TODAY.isoformat()}T14:27:09", "reposted": False, "date_reposted": None,
        "has_blurred_data": False, "company": "Ridgeline Foods", "company_domain": "ridgelinefoods.com",
        "remote": False, "hybrid": True, "seniority": "senior", "employment_statuses": ["full_time"],
        "easy_apply": False, "salary_string": "$140,000 - $165,000", "min_annual_salary": 140000,
        "max_annual_salary": 165000, "min_annual_salary_usd": 140000, "max_annual_salary_usd": 165000,
        "avg_annual_salary_usd": 152500, "salary_currency": "USD", "location": "Denver",
        "short_location": "Denver, CO", "long_location": "Denver, CO 80202", "country": "United States",
        "country_code": "US", "countries": ["United States"], "country_codes": ["US"], "cities": ["Denver"],
        "locations": [{
            "id": 5419384, "name": "Denver", "type": "city", "feature_code": "PPLA", "country_code": "US",
            "country_name": "United States", "admin1_name": "Colorado", "admin1_code": "CO", "continent": "NA",
            "latitude": 39.73915, "longitude": -104.9847, "display_name": "Denver, Colorado, United States",
        }],
        "description": "## About the role\nYou will own our dbt project on Snowflake.",
        "technology_slugs": ["snowflake", "dbt"], "keyword_slugs": ["snowflake", "dbt", "looker"],
        "hiring_team": [{"first_name": "Priya", "full_name": "Priya Raman", "role": "Head of Data"}],
        "manager_roles": ["Head of Data"], "matching_phrases": [], "matching_words": [],
        "company_object": {
            "id": "ridgeline-foods", "name": "Ridgeline Foods", "domain": "ridgelinefoods.com",
            "industry": "Food and Beverage Manufacturing", "employee_count": 850, "num_jobs": 61,
            "technology_slugs": ["snowflake", "dbt", "looker"],
        },
    }
    return job | overrides


def recent(**filters: Any) -> JobSearchRequest:
    return JobSearchRequest(posted_at_max_age_days=7, **filters)


@pytest.fixture(scope="module")
def server():
    with FakeTheirStack() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeTheirStack) -> FakeTheirStack:
    server.reset(jobs=[make_job(i, discovered_at=f"{TODAY}T0{i}:00:00") for i in range(1, 6)])
    return server


def make_client(fake: FakeTheirStack, **overrides: Any) -> TheirStackClient:
    return client_for(fake, **({"timeout": 2.0, "backoff_max": 0.5} | overrides))


@pytest.fixture
async def client(fake: FakeTheirStack):
    async with make_client(fake) as client:
        yield client


# --- parsing --------------------------------------------------------------------------------------------------

async def test_search_parses_every_field_of_a_full_job(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.reset(jobs=[make_job(5120871002)])
    page = await client.search_jobs(recent(include_total_results=True))

    job = page.data[0]
    assert (job.id, job.job_title) == (5120871002, "Senior Analytics Engineer")
    assert job.normalized_title == "analytics engineer"
    assert (job.company, job.company_domain) == ("Ridgeline Foods", "ridgelinefoods.com")
    assert job.company_object.name == "Ridgeline Foods" and job.company_object.employee_count == 850
    assert job.url.endswith("5120871002") and job.final_url and job.source_url
    assert job.date_posted == TODAY
    assert job.discovered_at == datetime(TODAY.year, TODAY.month, TODAY.day, 14, 27, 9, tzinfo=UTC)
    assert (job.remote, job.hybrid, job.reposted, job.seniority) == (False, True, False, "senior")
    assert (job.min_annual_salary_usd, job.max_annual_salary_usd, job.salary_currency) == (140000, 165000, "USD")
    assert job.salary_string == "$140,000 - $165,000" and job.employment_statuses == ["full_time"]
    assert (job.location, job.short_location, job.country_code) == ("Denver", "Denver, CO", "US")
    assert job.locations[0].display_name == "Denver, Colorado, United States" and job.locations[0].id == 5419384
    assert job.technology_slugs == ["snowflake", "dbt"] and job.keyword_slugs == ["snowflake", "dbt", "looker"]
    assert job.hiring_team[0].full_name == "Priya Raman" and job.description.startswith("## About")
    assert job.all_country_codes == ["US"]
    assert (page.metadata.total_results, page.metadata.truncated_results) == (1, 0)


async def test_nulls_missing_fields_and_unknown_fields_all_parse(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    sparse = {"job_title": "Data Engineer", "date_posted": TODAY.isoformat(), "discovered_at": f"{TODAY}",
              "brand_new_field": {"x": 1}}
    nulls = make_job(7, locations=None, technology_slugs=None, employment_statuses=None, hiring_team=None,
                     country_codes=["CA", None], company_domain=None, remote="sometimes", min_annual_salary="n/a",
                     company_object={"id": "x", "name": "Lakeshore", "domain": "lakeshore.ca", "surprise": True})
    fake.reset(jobs=[sparse, nulls])

    page = await client.search_jobs(recent())

    by_title = {job.job_title: job for job in page.data}
    assert by_title["Data Engineer"].id is None and by_title["Data Engineer"].locations == []
    assert by_title["Data Engineer"].discovered_at == datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    parsed = next(job for job in page.data if job.id == 7)
    assert parsed.locations == [] and parsed.technology_slugs == [] and parsed.hiring_team == []
    assert parsed.country_codes == ["CA"] and parsed.remote is None and parsed.min_annual_salary is None
    assert parsed.company_domain == "lakeshore.ca"  # falls back to company_object.domain


async def test_truncated_results_are_reported_in_metadata(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.fail_next(Fault(truncated_results=40))
    page = await client.search_jobs(recent())
    assert page.metadata.truncated_results == 40 and len(page.data) == 5


# --- request model --------------------------------------------------------------------------------------------

def test_request_body_leaves_out_unset_fields_and_empty_lists() -> None:
    request = JobSearchRequest(
        posted_at_max_age_days=14, discovered_at_gte=datetime(2026, 3, 11, 7, tzinfo=UTC) + timedelta(hours=-1),
        discovered_at_lte="2026-03-12", job_title_or=["data engineer"], job_title_not=[], limit=100,
    )
    assert request.to_body() == {
        "page": 0, "limit": 100, "posted_at_max_age_days": 14, "discovered_at_gte": "2026-03-11T06:00:00Z",
        "discovered_at_lte": "2026-03-12", "job_title_or": ["data engineer"],
    }


@pytest.mark.parametrize("bad", [{"job_remote_or": [True]}, {"limit": 0}, {"limit": 501}, {"page": -1}, {}])
def test_request_model_refuses_unknown_fields_bad_bounds_and_missing_required_filter(bad: dict[str, Any]) -> None:
    fields = {"posted_at_max_age_days": 1} if bad else {}
    with pytest.raises(ValidationError):
        JobSearchRequest(**fields, **bad)


async def test_fake_api_refuses_an_unknown_field_with_422(fake: FakeTheirStack) -> None:
    async with httpx.AsyncClient(base_url=fake.base_url, headers={"Authorization": f"Bearer {FAKE_API_KEY}"}) as raw:
        response = await raw.post("/v1/jobs/search", json={"posted_at_max_age_days": 1, "job_remote_or": [True]})
    assert response.status_code == 422
    assert response.json()["error"]["title"] == "Validation error"


async def test_every_field_of_the_request_model_is_accepted_by_the_api(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    schema = JobSearchRequest.model_json_schema()
    sample = {"integer": 1, "number": 1.5, "boolean": True, "string": "x"}
    filled = {}
    for name, prop in schema["properties"].items():
        kinds = [option.get("type", "string") for option in prop.get("anyOf", [prop])]
        filled[name] = [] if "array" in kinds else sample.get(next(k for k in kinds if k != "null"), "x")
    filled |= {"posted_at_gte": "2026-01-01", "posted_at_lte": "2026-12-31", "discovered_at_gte": "2026-01-01",
               "discovered_at_lte": "2026-12-31T00:00:00Z", "company_type": "all", "job_location_or": [{"id": 1}],
               "order_by": [{"field": "discovered_at", "desc": True}], "job_seniority_or": ["senior"]}
    request = JobSearchRequest(**filled)
    await client.search_jobs(request)  # raises TheirStackRequestError on a 422
    assert fake.requests[-1].status == 200


# --- fake behaviour the ingestion tests lean on ----------------------------------------------------------------

async def test_filters_and_pages_follow_the_api(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.add_jobs(make_job(9, job_title="Intern", country_code="CA", country_codes=["CA"], locations=[], remote=True),
                  make_job(10, date_posted=(TODAY - timedelta(days=30)).isoformat()))
    first = await client.search_jobs(recent(limit=2, include_total_results=True, job_title_not=["intern"]))
    second = await client.search_jobs(recent(limit=2, page=1, job_title_not=["intern"]))
    canadian = await client.search_jobs(recent(job_country_code_or=["CA"], remote=True))
    window = await client.search_jobs(
        recent(discovered_at_gte=f"{TODAY}T02:00:00Z", discovered_at_lte=f"{TODAY}T03:00:00Z")
    )

    assert [j.id for j in first.data] == [5, 4] and [j.id for j in second.data] == [3, 2]
    assert first.metadata.total_results == 5 and second.metadata.total_results is None
    assert [j.id for j in canadian.data] == [9] and sorted(j.id for j in window.data) == [2, 3]


async def test_a_job_put_on_two_pages_and_updated_between_runs_is_served_that_way(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    fake.also_serve_on_page(5, page=1)
    pages = [await client.search_jobs(recent(limit=2, page=n)) for n in range(2)]
    fake.update_job(5, salary_string="$200k", discovered_at=f"{TODAY}T23:00:00")
    rerun = await client.search_jobs(recent(limit=1))

    assert [j.id for j in pages[0].data] == [5, 4] and [j.id for j in pages[1].data] == [5, 3]
    assert rerun.data[0].salary_string == "$200k" and fake.credits_served == 5


# --- retries --------------------------------------------------------------------------------------------------

async def test_429_waits_for_ratelimit_reset_then_succeeds(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.fail_next(Fault.rate_limited(reset="0.3"))
    page = await client.search_jobs(recent())

    first, second = fake.requests
    assert len(page.data) == 5 and (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.3
    assert client.stats.retries == 1 and client.stats.statuses == {429: 1, 200: 1}


async def test_retry_after_longer_than_backoff_max_is_capped(fake: FakeTheirStack) -> None:
    fake.fail_next(Fault.rate_limited(retry_after="120"))
    async with make_client(fake, backoff_max=0.2) as client:
        await client.search_jobs(recent())
    first, second = fake.requests
    assert 0.2 <= second.at - first.at < 1.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_retried_until_success(
    fake: FakeTheirStack, client: TheirStackClient, status: int
) -> None:
    fake.fail_next(Fault(status=status), times=2)
    page = await client.search_jobs(recent())
    assert len(page.data) == 5 and [r.status for r in fake.requests] == [status, status, 200]


async def test_persistent_server_errors_raise_retryable_error_after_max_retries(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    fake.fail_next(Fault(status=503, title="Service unavailable"), times=10)
    with pytest.raises(TheirStackRetryableError) as caught:
        await client.search_jobs(recent())
    assert len(fake.requests) == 4 and caught.value.status == 503 and caught.value.attempts == 4
    assert "Service unavailable" in str(caught.value)


async def test_timeouts_are_retried_then_raise_retryable_error(fake: FakeTheirStack) -> None:
    fake.fail_next(Fault(delay=1.5), times=10)
    async with make_client(fake, timeout=0.2, max_retries=2) as client:
        with pytest.raises(TheirStackRetryableError, match="did not answer"):
            await client.search_jobs(recent())
        assert client.stats.failures == {"timeout": 3} and client.stats.requests == 3
    assert len(fake.requests) == 3


async def test_a_dropped_connection_is_retried(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.fail_next(Fault(drop=True))
    page = await client.search_jobs(recent())
    assert len(page.data) == 5 and [r.status for r in fake.requests] == [0, 200]
    assert client.stats.failures == {"connection": 1}


async def test_malformed_json_is_retried_then_raises_retryable_error(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    fake.fail_next(Fault(malformed=True), times=4)
    with pytest.raises(TheirStackRetryableError, match="not valid JSON"):
        await client.search_jobs(recent())
    assert len(fake.requests) == 4 and client.stats.failures == {"malformed_json": 4}


async def test_malformed_json_once_is_retried_and_recovers(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.fail_next(Fault(malformed=True))
    assert len((await client.search_jobs(recent())).data) == 5


# --- non-retryable answers ------------------------------------------------------------------------------------

async def test_a_rejected_key_raises_auth_error_after_exactly_one_request(fake: FakeTheirStack) -> None:
    async with make_client(fake, api_key="wrong-key") as client:
        with pytest.raises(TheirStackAuthError) as caught:
            await client.search_jobs(recent())
    assert len(fake.requests) == 1 and caught.value.status == 401 and caught.value.title == "Unauthorized"


async def test_forbidden_raises_auth_error_without_retry(fake: FakeTheirStack, client: TheirStackClient) -> None:
    fake.fail_next(Fault(status=403, title="Forbidden"), times=3)
    with pytest.raises(TheirStackAuthError):
        await client.credit_balance()
    assert len(fake.requests) == 1


async def test_payment_required_raises_credits_exhausted_without_retry(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    fake.fail_next(Fault(status=402, title="Not allowed exception"), times=3)
    with pytest.raises(TheirStackCreditsExhausted, match="credits are exhausted"):
        await client.search_jobs(recent())
    assert len(fake.requests) == 1


async def test_credits_running_out_mid_run_truncates_a_page_then_raises(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    fake.exhaust_credits_after(3)
    first = await client.search_jobs(recent(limit=2))
    second = await client.search_jobs(recent(limit=2, page=1))
    with pytest.raises(TheirStackCreditsExhausted):
        await client.search_jobs(recent(limit=2, page=2))
    assert (len(first.data), len(second.data), second.metadata.truncated_results) == (2, 1, 1)
    assert (await client.credit_balance()).api_credits_remaining == 0


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_request_errors_carry_title_and_request_id_without_retry(
    fake: FakeTheirStack, client: TheirStackClient, status: int
) -> None:
    fake.fail_next(Fault(status=status, title="Validation error"), times=3)
    with pytest.raises(TheirStackRequestError) as caught:
        await client.search_jobs(recent())
    error = caught.value
    assert (error.status, error.title, error.detail) == (status, "Validation error", "Injected fault")
    assert isinstance(error.request_id, int) and f"request id {error.request_id}" in str(error)
    assert len(fake.requests) == 1


# --- other endpoints ------------------------------------------------------------------------------------------

async def test_credit_balance_reports_remaining_api_credits(fake: FakeTheirStack, client: TheirStackClient) -> None:
    await client.search_jobs(recent(limit=3))
    balance = await client.credit_balance()
    assert (balance.api_credits, balance.used_api_credits, balance.api_credits_remaining) == (10_000, 3, 9_997)


async def test_connectivity_check_asks_for_one_job_from_the_last_day(
    fake: FakeTheirStack, client: TheirStackClient
) -> None:
    page = await client.check_connectivity()
    assert len(page.data) == 1
    assert fake.requests[0].body == {"page": 0, "limit": 1, "posted_at_max_age_days": 1}


# --- rate limiting --------------------------------------------------------------------------------------------

def _max_in_window(stamps: list[float], seconds: float) -> int:
    ordered = sorted(stamps)
    return max(sum(1 for t in ordered if start <= t < start + seconds) for start in ordered)


async def test_twenty_concurrent_callers_stay_within_the_per_second_limit(fake: FakeTheirStack) -> None:
    async with make_client(fake, rate_limit_per_second=10) as client:
        await asyncio.gather(*(client.search_jobs(recent(limit=1)) for _ in range(20)))
    stamps = [r.at for r in fake.requests]
    assert len(stamps) == 20
    # 100 ms of slack: the server reads ten concurrent arrivals one after another, so on a loaded machine the first
    # burst can land up to tens of ms late while the next burst is on time. Without the limiter all 20 arrive within
    # ~0.1 s, which both checks catch.
    assert _max_in_window(stamps, 0.9) <= 10
    assert max(stamps) - min(stamps) >= 0.9


async def test_limiter_enforces_per_second_and_per_minute_windows_together() -> None:
    clock = FakeClock()
    limiter = RateLimiter.per_second_and_minute(4, 10, clock=clock.now, sleep=clock.sleep)
    granted: list[float] = []

    async def caller() -> None:
        await limiter.acquire()
        granted.append(clock.now())

    await asyncio.gather(*(caller() for _ in range(20)))
    assert len(granted) == 20
    assert _max_in_window(granted, 1.0) <= 4 and _max_in_window(granted, 60.0) <= 10
    assert granted[10] >= 60.0


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds
        await asyncio.sleep(0)


# --- header parsing and secrecy -------------------------------------------------------------------------------

@pytest.mark.parametrize(("headers", "expected"), [
    ({"Retry-After": "7"}, 7.0),
    ({"Retry-After": format_datetime(datetime(2030, 1, 1, 0, 0, 30, tzinfo=UTC), usegmt=True)}, 30.0),
    ({"RateLimit-Reset": "1, 45", "RateLimit-Remaining": "0, 9"}, 1.0),
    ({"RateLimit-Reset": "1, 45"}, 45.0),
    ({"Retry-After": "soon", "RateLimit-Reset": "3"}, 3.0),
    ({}, None),
])
def test_server_wait_hints_are_read_from_retry_after_then_ratelimit_reset(
    headers: dict[str, str], expected: float | None
) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
    assert retry_after_seconds(httpx.Headers(headers), now=now) == expected


async def test_api_key_never_appears_in_logs_or_error_messages(
    fake: FakeTheirStack, client: TheirStackClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.fail_next(Fault.rate_limited(reset="0"))
    fake.fail_next(Fault(status=500))
    fake.fail_next(Fault(drop=True))
    fake.fail_next(Fault(status=400, title=f"Bad header Bearer {FAKE_API_KEY}"))
    with pytest.raises(TheirStackRequestError) as caught:
        await client.search_jobs(recent())

    retries = [r.getMessage() for r in caplog.records if r.name == "career_nav.theirstack"]
    assert retries[0].startswith("TheirStack POST /v1/jobs/search failed (HTTP 429); retry 1 of 3")
    assert "(HTTP 500); retry 2 of 3" in retries[1] and "(RemoteProtocolError); retry 3 of 3" in retries[2]
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert FAKE_API_KEY not in logged and "Bearer" not in logged and "uthorization" not in logged
    assert FAKE_API_KEY not in str(caught.value) and FAKE_API_KEY not in (caught.value.title or "")


async def test_date_only_posted_filters_reach_the_api_as_dates(fake: FakeTheirStack, client: TheirStackClient) -> None:
    page = await client.search_jobs(JobSearchRequest(posted_at_gte=TODAY - timedelta(days=1), posted_at_lte=date.max))
    assert len(page.data) == 5 and fake.requests[0].body["posted_at_gte"] == str(TODAY - timedelta(days=1))
