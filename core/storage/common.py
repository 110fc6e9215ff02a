"""Helpers shared by every storage adapter (so both adapters decide "changed" and "touched days" alike)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from core.models import Posting

VOLATILE_FIELDS = {"ingested_at", "updated_at"}


def content_hash(posting: Posting) -> str:
    """A fingerprint of what a posting says, ignoring bookkeeping timestamps."""
    payload = posting.model_dump_json(exclude=VOLATILE_FIELDS)
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def stamped(posting: Posting, *, ingested_at: datetime | None, now: datetime) -> Posting:
    """The posting as stored: first-seen time kept, updated time set now."""
    return posting.model_copy(update={"ingested_at": ingested_at or now, "updated_at": now})


def utcnow() -> datetime:
    return datetime.now(UTC)


def day_text(day: date | None) -> str | None:
    return day.isoformat() if day else None


def search_role(posting: Posting) -> str | None:
    return posting.search.role.lower() if posting.search.role else None
