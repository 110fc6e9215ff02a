"""A real HTTP fake of TheirStack: uvicorn + starlette on 127.0.0.1 in a background thread.

It speaks the API's field names and error envelope, refuses unknown body keys like the real API
(`additionalProperties: false`), filters and pages an in-memory job list, counts credits, and records every
request with a monotonic timestamp. `fail_next()` queues faults (429/5xx/401/402, slow answers, dropped
connections, malformed JSON, truncated pages) for the next requests, in order.

    with FakeTheirStack(jobs=[{"id": 1, "job_title": "Data Engineer", ...}]) as fake:   # or `async with`
        client = TheirStackClient(FAKE_API_KEY, base_url=fake.base_url)
        fake.fail_next(Fault(status=503), times=2)
"""

from __future__ import annotations

import asyncio
import copy
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

FAKE_API_KEY = "ts-test-key-5f2a9c"
Producer = Callable[[Any, "Fault | None"], "tuple[Response, int]"]


@dataclass
class Fault:
    """How to misbehave for one request: an error status, a delay, a hang-up, broken JSON or a short page."""

    status: int | None = None
    title: str = "Internal server error"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    malformed: bool = False
    truncated_results: int = 0

    @classmethod
    def rate_limited(cls, *, reset: str | None = None, retry_after: str | None = None) -> Fault:
        headers = {"RateLimit-Limit": "4", "RateLimit-Remaining": "0"}
        headers |= {"RateLimit-Reset": reset} if reset is not None else {}
        headers |= {"Retry-After": retry_after} if retry_after is not None else {}
        return cls(status=429, title="Too many requests exception", headers=headers)


@dataclass
class Served:
    """One request as the fake saw it; `status` 0 means it got no answer (yet)."""

    at: float
    method: str
    path: str
    body: Any = None
    status: int = 0
    jobs: int = 0


class FakeTheirStack:
    """The fake server and its inspectable state."""

    def __init__(self, *, jobs: Iterable[dict[str, Any]] = (), api_key: str = FAKE_API_KEY) -> None:
        self.api_key = api_key
        self.base_url = ""
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.reset(jobs=jobs)

    # --- test controls ------------------------------------------------------------------------------------

    def reset(self, *, jobs: Iterable[dict[str, Any]] = ()) -> None:
        """Forgets requests, faults and credits; serves `jobs` from now on."""
        with self._lock:
            self.jobs = [copy.deepcopy(job) for job in jobs]
            self.requests: list[Served] = []
            self.faults: deque[Fault] = deque()
            self.credits_served = 0
            self.credit_limit: int | None = None
            self.today = datetime.now(UTC).date()
            self._extra_on_page: list[tuple[int, int]] = []
            self._next_request_id = 1000

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Answers the next `times` requests with `fault` (after any faults already queued)."""
        with self._lock:
            self.faults.extend([fault] * times)

    def exhaust_credits_after(self, credits: int) -> None:
        """Serves at most `credits` jobs in total: a page that crosses the line is truncated, later ones get 402."""
        self.credit_limit = credits

    def also_serve_on_page(self, job_id: int, page: int) -> None:
        """Puts job `job_id` on `page` as well, as when new postings shift a live result set between pages."""
        self._extra_on_page.append((job_id, page))

    def add_jobs(self, *jobs: dict[str, Any]) -> None:
        self.jobs.extend(copy.deepcopy(job) for job in jobs)

    def update_job(self, job_id: int, **changes: Any) -> None:
        """Changes a stored job, e.g. a new salary or `discovered_at` between two runs."""
        job = next(job for job in self.jobs if job.get("id") == job_id)
        job.update(changes)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Starts serving on a free port; returns once the server accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            self._app(), http=_dropping_protocol(self), lifespan="off", log_config=None, log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        _wait_for(lambda: self._server.started or not self._thread.is_alive(), timeout=10)
        if not self._server.started:
            raise RuntimeError("fake TheirStack server did not start")

    def stop(self) -> None:
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeTheirStack:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeTheirStack:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    # --- HTTP ---------------------------------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/jobs/search", self._search, methods=["POST"]),
            Route("/v0/billing/credit-balance", self._credit_balance, methods=["GET"]),
        ])

    async def _search(self, request: Request) -> Response:
        return await self._serve(request, self._search_page)

    async def _credit_balance(self, request: Request) -> Response:
        return await self._serve(request, self._balance)

    async def _serve(self, request: Request, produce: Producer) -> Response:
        # Recorded on arrival so a test can count requests the moment its client gives up.
        record = Served(time.monotonic(), request.method, request.url.path)
        self.requests.append(record)
        fault = self._take_fault(drop=False)
        record.body = body = _json_or_none(await request.body())
        if fault and fault.delay and await self._client_left_during(request, fault.delay):
            return Response(status_code=504)  # nobody is listening any more; serve (and bill) nothing
        response, record.jobs = self._respond(request, body, fault, produce)
        record.status = response.status_code
        return response

    def _respond(self, request: Request, body: Any, fault: Fault | None, produce: Producer) -> tuple[Response, int]:
        if fault and fault.status:
            return self._error(fault.status, fault.title, "Injected fault", fault.headers), 0
        if fault and fault.malformed:
            return Response(b'{"metadata": {"total_results": 3}, "data": [{"id": 1,', media_type="application/json"), 0
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._error(401, "Unauthorized", "Invalid or missing API key"), 0
        return produce(body, fault)

    def _search_page(self, body: Any, fault: Fault | None) -> tuple[Response, int]:
        problem = validate_search_body(body)
        if problem:
            return self._error(422, "Validation error", problem), 0
        remaining = None if self.credit_limit is None else self.credit_limit - self.credits_served
        if remaining is not None and remaining <= 0:
            return self._error(402, "Not allowed exception", "Not enough API credits"), 0
        allowed = _ids_filter(body)
        matches = sorted(
            (job for job in self.jobs if allowed(job) and _matches(job, body, self.today)), key=_newest_first, reverse=True
        )
        rows = self._page_rows(matches, body)
        served = rows if remaining is None else rows[:remaining]
        self.credits_served += len(served)
        metadata = {
            "total_results": len(matches) if body.get("include_total_results") else None,
            "total_companies": len({_company(job) for job in matches}) if body.get("include_total_results") else None,
            "truncated_results": len(rows) - len(served) + (fault.truncated_results if fault else 0),
            "truncated_companies": 0,
        }
        return JSONResponse({"metadata": metadata, "data": served}), len(served)

    def _page_rows(self, matches: list[dict[str, Any]], body: dict[str, Any]) -> list[dict[str, Any]]:
        limit, page = body.get("limit", 25), body.get("page", 0)
        start = body["offset"] if body.get("offset") else page * limit
        extra = [job for job_id, on_page in self._extra_on_page if on_page == page
                 for job in self.jobs if job.get("id") == job_id]
        return (extra + matches[start:start + limit])[:limit]

    def _balance(self, body: Any, fault: Fault | None) -> tuple[Response, int]:
        allocation = 10_000 if self.credit_limit is None else self.credit_limit
        return JSONResponse({
            "ui_credits": 50, "used_ui_credits": 0,
            "api_credits": allocation, "used_api_credits": self.credits_served,
        }), 0

    def _error(self, status: int, title: str, description: str, headers: dict[str, str] | None = None) -> Response:
        with self._lock:
            self._next_request_id += 1
            request_id = self._next_request_id
        payload = {"request_id": request_id, "error": {"code": None, "title": title, "description": description}}
        return JSONResponse(payload, status_code=status, headers=headers)

    def _take_fault(self, *, drop: bool) -> Fault | None:
        with self._lock:
            if self.faults and self.faults[0].drop == drop:
                return self.faults.popleft()
        return None

    async def _client_left_during(self, request: Request, delay: float) -> bool:
        # Sleep in slices so a timed-out client or a stopping server ends the wait early.
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and not (self._server and self._server.should_exit):
            if await request.is_disconnected():
                return True
            await asyncio.sleep(0.02)
        return False


def _dropping_protocol(fake: FakeTheirStack) -> type[H11Protocol]:
    """uvicorn's h11 protocol, except that it can hang up on a request without answering it."""

    class DroppingProtocol(H11Protocol):
        def data_received(self, data: bytes) -> None:
            at_request_start = self.cycle is None or self.cycle.response_complete
            if at_request_start and fake._take_fault(drop=True):
                method, _, rest = data.partition(b" ")
                path = rest.partition(b" ")[0].decode("latin-1")
                fake.requests.append(Served(time.monotonic(), method.decode("latin-1"), path))
                self.transport.close()
                return
            super().data_received(data)

    return DroppingProtocol


# --- request validation: the OpenAPI `JobSearchFilters` subset our client may send -----------------------

REQUIRED_ONE_OF = (
    "posted_at_max_age_days", "posted_at_gte", "posted_at_lte",
    "company_domain_or", "company_linkedin_url_or", "company_name_or",
)
_SENIORITY = ("c_level", "staff", "senior", "junior", "mid_level")
_COMMITMENT = ("full_time", "part_time", "temporary", "internship", "contract", "freelance",
               "co_founder", "apprenticeship", "seasonal", "volunteer", "other")
_PROPERTIES = ("company_object.domain", "company_object.linkedin_url", "final_url", "hiring_team",
               "employment_statuses")
_SORT_FIELDS = ("date_posted", "discovered_at", "salary", "job_title", "company", "num_jobs")
_STR_LISTS = (
    "job_title_or", "job_title_not", "job_title_pattern_and", "job_title_pattern_or", "job_title_pattern_not",
    "job_description_pattern_or", "job_description_pattern_not", "job_description_contains_or",
    "job_description_contains_not", "job_country_code_or", "job_country_code_not", "job_location_pattern_or",
    "job_location_pattern_not", "job_technology_slug_or", "job_technology_slug_and", "job_technology_slug_not",
    "url_domain_or", "url_domain_not", "company_name_or", "company_name_not", "company_name_case_insensitive_or",
    "company_domain_or", "company_domain_not", "company_linkedin_url_or", "company_country_code_or",
    "company_country_code_not",
)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and _as_utc(value) is not None


def _is_date_or_datetime(value: Any) -> bool:
    return isinstance(value, str) and _as_utc(value) is not None


def _nullable(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


def _list_of(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


def _one_of(*allowed: str) -> Callable[[Any], bool]:
    return lambda value: value in allowed


def _object(**fields: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, dict) and set(value) <= set(fields) and all(
        fields[key](item) for key, item in value.items())


SEARCH_FIELDS: dict[str, Callable[[Any], bool]] = {
    "page": lambda v: _is_int(v) and v >= 0, "offset": lambda v: _is_int(v) and v >= 0,
    "limit": lambda v: _is_int(v) and v >= 1, "cursor": _nullable(lambda v: isinstance(v, str)),
    "include_total_results": lambda v: isinstance(v, bool), "blur_company_data": lambda v: isinstance(v, bool),
    "order_by": _list_of(_object(field=_one_of(*_SORT_FIELDS), desc=lambda v: isinstance(v, bool))),
    **{name: _nullable(_is_int) for name in (
        "posted_at_max_age_days", "discovered_at_max_age_days", "discovered_at_min_age_days", "min_employee_count",
        "max_employee_count", "min_employee_count_or_null", "max_employee_count_or_null")},
    "posted_at_gte": _nullable(_is_date), "posted_at_lte": _nullable(_is_date),
    "discovered_at_gte": _nullable(_is_date_or_datetime), "discovered_at_lte": _nullable(_is_date_or_datetime),
    "remote": _nullable(lambda v: isinstance(v, bool)), "easy_apply": _nullable(lambda v: isinstance(v, bool)),
    "min_salary_usd": _nullable(_is_number), "max_salary_usd": _nullable(_is_number),
    "job_location_or": _list_of(_object(id=_nullable(_is_int))),
    "job_location_not": _list_of(_object(id=_nullable(_is_int))),
    **{name: _list_of(_is_int) for name in ("job_id_or", "job_id_not", "industry_id_or", "industry_id_not")},
    "job_seniority_or": _list_of(_one_of(*_SENIORITY)),
    "employment_statuses_or": _nullable(_list_of(_one_of(*_COMMITMENT))),
    "property_exists_or": _list_of(_one_of(*_PROPERTIES)), "property_exists_and": _list_of(_one_of(*_PROPERTIES)),
    "company_type": _nullable(_one_of("recruiting_agency", "direct_employer", "all")),
    **{name: _list_of(lambda v: isinstance(v, str)) for name in _STR_LISTS},
}


def validate_search_body(body: Any) -> str | None:
    """Why the API would refuse this body with 422, or None. Keys outside our subset count as unknown."""
    if not isinstance(body, dict):
        return "The request body must be a JSON object"
    unknown = sorted(set(body) - set(SEARCH_FIELDS))
    if unknown:
        return f"Extra inputs are not permitted: {', '.join(unknown)}"
    invalid = sorted(key for key, value in body.items() if not SEARCH_FIELDS[key](value))
    if invalid:
        return f"Invalid value for: {', '.join(invalid)}"
    if all(body.get(name) in (None, []) for name in REQUIRED_ONE_OF):
        return f"You must specify at least one of: {', '.join(REQUIRED_ONE_OF)}"
    return None


# --- filtering ----------------------------------------------------------------------------------------------

def _matches(job: dict[str, Any], body: dict[str, Any], today: date) -> bool:
    return (
        _in_discovered_window(job, body)
        and _posted_ok(job, body, today)
        and _title_ok(job, body)
        and _country_ok(job, body)
        and (body.get("remote") is None or job.get("remote") == body["remote"])
    )


def _ids_filter(body: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    wanted, unwanted = set(body.get("job_id_or") or ()), set(body.get("job_id_not") or ())
    return lambda job: (not wanted or job.get("id") in wanted) and job.get("id") not in unwanted


def _in_discovered_window(job: dict[str, Any], body: dict[str, Any]) -> bool:
    low = _bound(body.get("discovered_at_gte"), end_of_day=False)
    high = _bound(body.get("discovered_at_lte"), end_of_day=True)
    if low is None and high is None:
        return True
    seen = _as_utc(job.get("discovered_at"))
    return seen is not None and (low is None or seen >= low) and (high is None or seen <= high)


def _bound(value: str | None, *, end_of_day: bool) -> datetime | None:
    parsed = _as_utc(value)
    if parsed is None or len(value or "") != 10:
        return parsed
    # A bare date covers the whole UTC day.
    return parsed + timedelta(days=1, microseconds=-1) if end_of_day else parsed


def _posted_ok(job: dict[str, Any], body: dict[str, Any], today: date) -> bool:
    lows = [date.fromisoformat(body["posted_at_gte"])] if body.get("posted_at_gte") else []
    if body.get("posted_at_max_age_days") is not None:
        lows.append(today - timedelta(days=body["posted_at_max_age_days"]))
    high = date.fromisoformat(body["posted_at_lte"]) if body.get("posted_at_lte") else None
    if not lows and high is None:
        return True
    posted = date.fromisoformat(job["date_posted"][:10]) if job.get("date_posted") else None
    return posted is not None and all(posted >= low for low in lows) and (high is None or posted <= high)


def _title_ok(job: dict[str, Any], body: dict[str, Any]) -> bool:
    title = (job.get("job_title") or "").lower()
    wanted, unwanted = body.get("job_title_or") or [], body.get("job_title_not") or []
    if wanted and not any(term.lower() in title for term in wanted):
        return False
    return not any(term.lower() in title for term in unwanted)


def _country_ok(job: dict[str, Any], body: dict[str, Any]) -> bool:
    wanted = {code.upper() for code in body.get("job_country_code_or") or []}
    if not wanted:
        return True
    codes = {job.get("country_code"), *(job.get("country_codes") or [])}
    codes |= {loc.get("country_code") for loc in job.get("locations") or []}
    return bool(wanted & {code.upper() for code in codes if code})


def _newest_first(job: dict[str, Any]) -> tuple[str, str, int]:
    return job.get("date_posted") or "", job.get("discovered_at") or "", job.get("id") or 0


def _as_utc(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _company(job: dict[str, Any]) -> str:
    return (job.get("company_object") or {}).get("name") or job.get("company") or ""


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _wait_for(condition: Callable[[], bool], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def client_for(fake: FakeTheirStack, *, timeout: float, backoff_max: float, **overrides: Any) -> Any:
    """The real TheirStackClient pointed at the fake: test-sized backoff, client-side limits out of the way."""
    from core.ingest.theirstack import TheirStackClient

    options: dict[str, Any] = dict(
        base_url=fake.base_url, timeout=timeout, backoff_base=0.01, backoff_max=backoff_max,
        rate_limit_per_second=1000, rate_limit_per_minute=100_000,
    )
    return TheirStackClient(overrides.pop("api_key", FAKE_API_KEY), **(options | overrides))
