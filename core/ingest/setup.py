"""Building the ingestion pieces from Settings (used by the CLI and the scheduler entry points)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.errors import ConfigError
from core.ingest.theirstack import TheirStackClient
from core.settings import Settings

if TYPE_CHECKING:  # the collector pulls in spaCy; only callers that ingest pay for it
    from core.ingest.collector import JobCollectionService
    from core.service import Navigator

NO_KEY = "THEIR_STACK_API_KEY is not set, so there is nothing to ingest from (try `career-nav demo-data`)."


def has_api_key(settings: Settings) -> bool:
    key = settings.their_stack_api_key
    return key is not None and bool(key.get_secret_value().strip())


def theirstack_client(settings: Settings, **overrides: Any) -> TheirStackClient:
    """The process's one TheirStack client; ConfigError when no API key is configured."""
    if not has_api_key(settings):
        raise ConfigError(NO_KEY)
    options: dict[str, Any] = {
        "base_url": settings.their_stack_base_url,
        "timeout": settings.their_stack_timeout,
        "max_retries": settings.their_stack_max_retries,
        "rate_limit_per_minute": settings.their_stack_rate_limit,
    }
    return TheirStackClient(settings.their_stack_api_key.get_secret_value().strip(), **(options | overrides))  # type: ignore[union-attr]


def collection_service(nav: Navigator, client: TheirStackClient, settings: Settings) -> JobCollectionService:
    from core.ingest.collector import JobCollectionService

    return JobCollectionService(
        nav, client, page_size=settings.max_jobs_per_search, max_credits=settings.ingest_max_credits_per_run
    )
