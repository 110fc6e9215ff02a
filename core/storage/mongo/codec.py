"""How the MongoDB adapters store times (naive UTC, BSON's only kind) and declare their indexes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

IndexSpec = Mapping[str, Sequence[tuple[list[tuple[str, int]], dict[str, Any]]]]


def bson_time(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None)


def aware_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def create_indexes(database: AsyncDatabase, spec: IndexSpec) -> None:
    """Creates every (keys, options) index listed per collection; existing identical indexes are kept."""
    for name, indexes in spec.items():
        for keys, options in indexes:
            await database[name].create_index(keys, **options)
