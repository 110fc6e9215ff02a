"""TheirStack failures, translated at the client boundary into the domain tree.

    UpstreamError (core.errors)
    └── TheirStackError              base: status, request_id, title, detail, code, attempts
        ├── TheirStackAuthError          401/403 — key missing, expired or revoked; fix config, don't retry
        ├── TheirStackCreditsExhausted   402 — out of API credits; stop the run, keep what was paid for
        ├── TheirStackRequestError       400/404/422 and any other non-retryable answer — our request is wrong
        └── TheirStackRetryableError     429/5xx, timeouts, dropped connections, malformed JSON;
                                         raised only once retries are exhausted

Messages are shown to users, so they carry the API's title/description and request id but never the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from core.errors import UpstreamError

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_DETAIL = 300


@dataclass(frozen=True)
class ErrorBody:
    """What we could read from an error response body."""

    title: str | None = None
    detail: str | None = None
    code: str | None = None
    request_id: int | str | None = None


class TheirStackError(UpstreamError):
    """TheirStack did not give us what we asked for."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: int | str | None = None,
        title: str | None = None,
        detail: str | None = None,
        code: str | None = None,
    ) -> None:
        self.status = status
        self.request_id = request_id
        self.title = title
        self.detail = detail
        self.code = code
        self.attempts = 1
        super().__init__(message)


class TheirStackAuthError(TheirStackError):
    """The API key was refused."""


class TheirStackCreditsExhausted(TheirStackError):
    """The account has no API credits left."""


class TheirStackRequestError(TheirStackError):
    """The request itself is wrong; repeating it will not help."""


class TheirStackRetryableError(TheirStackError):
    """A transient failure; `retry_after` is the server's hint in seconds, if it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


def parse_error_body(raw: bytes) -> ErrorBody:
    """Reads TheirStack's `{request_id, error: {code, title, description}}`, or FastAPI's `{detail}` shape."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return ErrorBody()
    if not isinstance(payload, dict):
        return ErrorBody()
    error = payload.get("error")
    request_id = payload.get("request_id")
    if isinstance(error, dict):
        return ErrorBody(
            title=_text(error.get("title")), detail=_text(error.get("description")),
            code=_text(error.get("code")), request_id=request_id,
        )
    detail = payload.get("detail", payload.get("message", error))
    return ErrorBody(detail=_text(detail), request_id=request_id)


def error_for_status(status: int, body: ErrorBody, *, retry_after: float | None = None) -> TheirStackError:
    """Builds the right TheirStackError for a non-2xx answer."""
    fields: dict[str, Any] = {
        "status": status, "request_id": body.request_id, "title": body.title,
        "detail": body.detail, "code": body.code,
    }
    suffix = _describe(status, body)
    if status in (401, 403):
        message = f"TheirStack refused the API key{suffix}. Check THEIR_STACK_API_KEY (it may be expired or revoked)."
        return TheirStackAuthError(message, **fields)
    if status == 402:
        message = f"TheirStack API credits are exhausted{suffix}. Top up or wait for the next billing cycle."
        return TheirStackCreditsExhausted(message, **fields)
    if status in RETRYABLE_STATUSES:
        message = f"TheirStack is unavailable right now{suffix}. Try again later."
        return TheirStackRetryableError(message, retry_after=retry_after, **fields)
    message = f"TheirStack rejected the request{suffix}."
    return TheirStackRequestError(message, **fields)


def _describe(status: int, body: ErrorBody) -> str:
    parts = [str(status)]
    if body.title:
        parts.append(body.title)
    text = " ".join(parts)
    if body.detail:
        text += f": {body.detail}"
    if body.request_id is not None:
        text += f"; request id {body.request_id}"
    return f" (HTTP {text})"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"
