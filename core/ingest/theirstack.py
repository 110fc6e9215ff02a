"""Async client for TheirStack's job search and credit-balance endpoints.

Every request passes a client-side rate limiter, then tenacity retries transient failures (429, 5xx, timeouts,
dropped connections, unparsable JSON) with exponential backoff and jitter, preferring the server's own
`Retry-After` / `RateLimit-Reset` hint. Everything else is translated into core.ingest.errors at once.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from functools import partial
from types import TracebackType
from typing import Any

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from core.ingest.errors import (
    RETRYABLE_STATUSES,
    TheirStackError,
    TheirStackRetryableError,
    error_for_status,
    parse_error_body,
)
from core.ingest.ratelimit import RateLimiter
from core.ingest.theirstack_models import CreditBalance, JobSearchPage, JobSearchRequest

logger = logging.getLogger("career_nav.theirstack")

SEARCH_PATH = "/v1/jobs/search"
CREDIT_BALANCE_PATH = "/v0/billing/credit-balance"


@dataclass
class ClientStats:
    """Counters for run summaries: HTTP attempts, retries, answers per status, failures without one."""

    requests: int = 0
    retries: int = 0
    jobs_received: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "retries": self.retries, "jobs_received": self.jobs_received,
            "statuses": dict(self.statuses), "failures": dict(self.failures),
        }


class TheirStackClient:
    """Talks to TheirStack; one instance per process, shared by concurrent callers."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = "https://api.theirstack.com",
        timeout: float = 30.0,
        max_retries: int = 3,
        rate_limit_per_minute: int = 300,
        rate_limit_per_second: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("TheirStack API key is empty")
        self._api_key = api_key
        self._timeout = timeout
        self._max_retries = max(0, max_retries)
        self._backoff = wait_exponential_jitter(multiplier=backoff_base, max=backoff_max, jitter=backoff_base)
        self._backoff_max = backoff_max
        # Limits are per TheirStack user: pass one limiter to every client that uses the same key.
        self._limiter = rate_limiter or RateLimiter.per_second_and_minute(rate_limit_per_second, rate_limit_per_minute)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
        )
        self.stats = ClientStats()

    async def __aenter__(self) -> TheirStackClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the connection pool."""
        await self._http.aclose()

    async def search_jobs(self, request: JobSearchRequest) -> JobSearchPage:
        """Fetches one page of jobs (costs one API credit per job returned)."""
        payload = await self._call("POST", SEARCH_PATH, request.to_body())
        page = JobSearchPage.model_validate(payload)
        self.stats.jobs_received += len(page.data)
        return page

    async def credit_balance(self) -> CreditBalance:
        """Reads the account's credit balance (free)."""
        return CreditBalance.model_validate(await self._call("GET", CREDIT_BALANCE_PATH, None))

    async def check_connectivity(self) -> JobSearchPage:
        """Proves the key and network work by fetching one job from the last 24 hours (costs at most 1 credit)."""
        return await self.search_jobs(JobSearchRequest(posted_at_max_age_days=1, limit=1))

    async def _call(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(TheirStackRetryableError),
            before_sleep=partial(self._log_retry, method, path),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(method, path, body)
        except TheirStackError as exc:
            exc.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    async def _attempt(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        await self._limiter.acquire()
        self.stats.requests += 1
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.TimeoutException as exc:
            self.stats.failures["timeout"] += 1
            message = f"TheirStack did not answer within {self._timeout:g} s. Try again later."
            raise TheirStackRetryableError(message) from exc
        except httpx.TransportError as exc:
            self.stats.failures["connection"] += 1
            message = f"Could not reach TheirStack ({type(exc).__name__}). Try again later."
            raise TheirStackRetryableError(message) from exc
        self.stats.statuses[response.status_code] += 1
        if response.is_success:
            return self._json_object(response)
        raise self._error_from(response)

    def _json_object(self, response: httpx.Response) -> dict[str, Any]:
        try:
            payload = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            self.stats.failures["malformed_json"] += 1
            raise TheirStackRetryableError("TheirStack sent a response that is not valid JSON. Try again later.") from exc
        if not isinstance(payload, dict):
            self.stats.failures["malformed_json"] += 1
            raise TheirStackRetryableError("TheirStack sent a response of an unexpected shape. Try again later.")
        return payload

    def _error_from(self, response: httpx.Response) -> TheirStackError:
        body = parse_error_body(response.content)
        # Belt and braces: an error text that echoes our request must not leak the key to users or logs.
        body = replace(body, title=self._redact(body.title), detail=self._redact(body.detail))
        hint = retry_after_seconds(response.headers) if response.status_code in RETRYABLE_STATUSES else None
        return error_for_status(response.status_code, body, retry_after=hint)

    def _redact(self, text: str | None) -> str | None:
        return text.replace(self._api_key, "***") if text else text

    def _wait(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        hint = getattr(exc, "retry_after", None)
        if hint is not None:
            return min(max(hint, 0.0), self._backoff_max)
        return self._backoff(retry_state)

    def _log_retry(self, method: str, path: str, retry_state: RetryCallState) -> None:
        self.stats.retries += 1
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        logger.warning(
            "TheirStack %s %s failed (%s); retry %d of %d in %.2f s",
            method, path, _reason(exc), retry_state.attempt_number, self._max_retries, wait,
        )


def _reason(exc: BaseException | None) -> str:
    status = getattr(exc, "status", None)
    if status:
        return f"HTTP {status}"
    return type(exc.__cause__).__name__ if exc and exc.__cause__ else "unexpected response"


def retry_after_seconds(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: `Retry-After` (seconds or HTTP date), else `RateLimit-Reset`."""
    retry_after = headers.get("retry-after")
    if retry_after:
        parsed = _parse_retry_after(retry_after.strip(), time.time() if now is None else now)
        if parsed is not None:
            return parsed
    return _ratelimit_reset(headers.get("ratelimit-reset"), headers.get("ratelimit-remaining"))


def _parse_retry_after(value: str, now: float) -> float | None:
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError, IndexError):
        return None


def _ratelimit_reset(reset: str | None, remaining: str | None) -> float | None:
    """`RateLimit-Reset` lists one value per window; wait for the exhausted windows (or all, if unknown)."""
    resets = _numbers(reset)
    if not resets:
        return None
    remainders = _numbers(remaining)
    if len(remainders) == len(resets):
        exhausted = [r for r, left in zip(resets, remainders, strict=True) if left <= 0]
        resets = exhausted or resets
    return max(max(resets), 0.0)


def _numbers(header: str | None) -> list[float]:
    values: list[float] = []
    for part in (header or "").split(","):
        try:
            values.append(float(part.strip()))
        except ValueError:
            continue
    return values
