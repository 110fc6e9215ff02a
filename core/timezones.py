"""Timezones as people type them: IANA names in any case, "UTC"/"GMT", whole-hour offsets, and close names on a miss.

    find_timezone("europe/berlin")      -> "Europe/Berlin"
    find_timezone("America/New York")   -> "America/New_York"
    find_timezone("UTC+2")              -> "Etc/GMT-2"    (IANA's Etc/ signs are inverted: Etc/GMT-2 is UTC+02:00)
    resolve_timezone("Berlin")          -> UnknownTimezone("Berlin", suggestions=["Europe/Berlin"])
    suggest_timezones("Berlin")         -> ["Europe/Berlin"]
    suggest_timezones("new york")       -> ["America/New_York"]
    suggest_timezones("UTC+5:30")       -> ["Asia/Calcutta", "Asia/Colombo", "Asia/Kolkata"]
    timezone_label("Europe/Berlin", at) -> "Europe/Berlin (UTC+01:00)"

`core.accounts` validates every timezone a profile stores through `resolve_timezone`, so the bot, the MCP server and
the CLI accept the same names. Only names Python's zoneinfo lists count (tzdata), never "localtime".
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from core.errors import UnknownTimezone

MAX_NAME = 64  # the longest IANA name is 32 characters
SUGGESTIONS = 5
# "localtime" is whatever zone the server runs in, "Factory" a placeholder: neither is a place anyone lives.
NOT_ZONES = frozenset({"localtime", "Factory"})
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
# A typed offset matches a zone that has it in winter or in summer (daylight saving moves it in between).
_SEASONS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))


def find_timezone(text: str) -> str | None:
    """The IANA name `text` means (any case, spaces for underscores, "UTC+2"/"GMT-5" whole hours), or None."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    named = _names().get(_fold(cleaned))
    if named is not None:
        return named
    offset = _offset(cleaned)
    return _fixed_zone(offset) if offset is not None else None


def resolve_timezone(text: str) -> str:
    """Like find_timezone, but raises UnknownTimezone with close names."""
    found = find_timezone(text)
    if found is None:
        shown = " ".join(text.split()) if isinstance(text, str) else ""
        raise UnknownTimezone(shown if len(shown) <= MAX_NAME else shown[: MAX_NAME - 1] + "…", suggest_timezones(text))
    return found


def suggest_timezones(text: str, limit: int = SUGGESTIONS) -> list[str]:
    """IANA names close to `text`: zones of that city, close spellings, or the zones at a typed offset."""
    cleaned = _clean(text)
    if not cleaned:
        return []
    if _OFFSET.fullmatch(cleaned):
        offset = _offset(cleaned)
        return _zones_at(offset)[:limit] if offset is not None else []
    folded, names, cities = _fold(cleaned), _names(), _cities()
    found = list(cities.get(folded, ()))
    found += [names[name] for name in difflib.get_close_matches(folded, list(names), n=limit, cutoff=0.7)]
    for city in difflib.get_close_matches(folded, list(cities), n=limit, cutoff=0.75):
        found += cities[city]
    if len(folded) >= 3:
        found += [zone for city, zones in cities.items() if folded in city for zone in zones]
    return list(dict.fromkeys(found))[:limit]


def utc_offset(name: str, at: datetime) -> str:
    """The zone's offset at `at`, e.g. "UTC+05:30" or "UTC-03:00" (a name that is no zone counts as UTC, as in the digest)."""
    local = at.astimezone(ZoneInfo(name) if find_timezone(name) == name else UTC)
    minutes = round((local.utcoffset() or timedelta()).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def is_fixed_offset(name: str) -> bool:
    """True for zones without a place (Etc/GMT-2, UTC): they never follow daylight saving time."""
    return name.startswith("Etc/") or name in {"UTC", "GMT", "UCT", "Universal", "Zulu", "Greenwich", "GMT0", "GMT+0", "GMT-0"}


def timezone_label(name: str, at: datetime) -> str:
    """How to show a zone: "Europe/Berlin (UTC+01:00)", "UTC", and a fixed offset as "UTC+02:00 (Etc/GMT-2)"."""
    offset = utc_offset(name, at)
    if not is_fixed_offset(name):
        return f"{name} ({offset})"
    return name if offset == "UTC+00:00" else f"{offset} ({name})"


def _clean(text: object) -> str:
    cleaned = " ".join(text.split()) if isinstance(text, str) else ""
    return cleaned if len(cleaned) <= MAX_NAME else ""


def _fold(text: str) -> str:
    return re.sub(r"\s*/\s*", "/", text).replace(" ", "_").lower()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every IANA name, keyed by its lowercase form."""
    return {name.lower(): name for name in sorted(available_timezones() - NOT_ZONES)}


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[str]]:
    """The last part of each Area/City name ("new_york", "buenos_aires") and the zones that end in it."""
    cities: dict[str, list[str]] = {}
    for name in _names().values():
        if "/" in name and not name.startswith("Etc/"):
            cities.setdefault(name.rsplit("/", 1)[1].lower(), []).append(name)
    return cities


def _offset(text: str) -> timedelta | None:
    """"UTC+2", "GMT-05:00", "+0530" as an offset from UTC; None for anything else or beyond ±14 hours."""
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60 or hours * 60 + minutes > 14 * 60:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if sign == "-" else offset


def _fixed_zone(offset: timedelta) -> str | None:
    """The Etc/ zone for a whole-hour offset (UTC for zero); None when none exists (e.g. +05:30)."""
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest:
        return None
    if hours == 0:
        return "UTC"
    return _names().get(f"etc/gmt{-hours:+d}")


@lru_cache(maxsize=64)
def _zones_at(offset: timedelta) -> list[str]:
    """Area/City zones whose offset is `offset` in winter or summer."""
    return [
        name
        for zones in _cities().values()
        for name in zones
        if any(moment.astimezone(ZoneInfo(name)).utcoffset() == offset for moment in _SEASONS)
    ]
