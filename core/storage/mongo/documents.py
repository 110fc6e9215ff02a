"""How domain models map to MongoDB documents (and back).

Postings are stored as their JSON form plus helper fields the queries and indexes use. Rollup maps (skill,
location and salary counts) are stored as `[name, value]` pairs rather than sub-documents: names like
"Node.js", "ASP.NET" or "St. Louis, MO" contain dots, and dotted or `$`-prefixed field names cannot be
queried or updated and are rejected by servers older than 5.0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from core.models import DayRollup, Posting, User
from core.storage.common import day_text, search_role

ROLLUP_MAP_FIELDS = ("skills", "locations", "salaries")


def discovered_key(value: datetime | None) -> str | None:
    """A fixed-width UTC text that sorts like the instant it names (naive datetimes count as UTC).

    The posting's own `discovered_at` text ("...:00Z" vs "...:00.5Z") does not sort by time within a second
    or across offsets, and the ingestion watermark must.
    """
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def posting_document(posting: Posting, fingerprint: str) -> dict[str, Any]:
    document = posting.model_dump(mode="json")
    document.update(
        day=day_text(posting.analytics_day),
        search_role=search_role(posting),
        skill_names=posting.skill_names,
        content_hash=fingerprint,
        discovered_key=discovered_key(posting.discovered_at),
    )
    return document


def posting_from(document: dict[str, Any]) -> Posting:
    return Posting.model_validate(document)  # _id and helper fields are ignored (extra="ignore")


def rollup_document(rollup: DayRollup) -> dict[str, Any]:
    document = rollup.model_dump(mode="json")
    for field in ROLLUP_MAP_FIELDS:
        document[field] = [[name, value] for name, value in document[field].items()]
    return document


def rollup_from(document: dict[str, Any]) -> DayRollup:
    fields = {key: value for key, value in document.items() if key != "_id"}
    for field in ROLLUP_MAP_FIELDS:
        fields[field] = {name: value for name, value in fields.get(field, [])}
    return DayRollup.model_validate(fields)


def user_document(user: User) -> dict[str, Any]:
    return {"_id": user.id, **user.model_dump(mode="json")}


def user_from(document: dict[str, Any]) -> User:
    return User.model_validate(document)


def parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
