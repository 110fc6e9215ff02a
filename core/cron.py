"""Standard 5-field crontab expressions as APScheduler 3 triggers, with crontab's weekday numbers.

APScheduler 3 numbers weekdays from Monday = 0, and `CronTrigger.from_crontab` passes crontab's numbers
(Sunday = 0 or 7, Monday = 1) through unchanged, so "0 9 * * 1" would fire on Tuesdays. `crontab_trigger`
rewrites the day-of-week field as day names first; every other field means the same in both.
"""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
UTC_ZONE = ZoneInfo("UTC")


def crontab_trigger(expression: str, timezone: tzinfo | None = UTC_ZONE) -> CronTrigger:
    """The trigger for `minute hour day month weekday` in `timezone` (None: the machine's local zone)."""
    fields = expression.split()
    if len(fields) != 5:
        message = f"expected 5 fields (minute hour day month weekday), got {len(fields)}"
        raise ValueError(message)
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=crontab_weekdays(weekday), timezone=timezone)


@lru_cache(maxsize=512)
def cached_trigger(expression: str, timezone_name: str) -> CronTrigger:
    """`crontab_trigger` in a named zone (unknown names fall back to UTC), cached: triggers are immutable."""
    return crontab_trigger(expression, zone(timezone_name))


def zone(name: str | None) -> tzinfo:
    """The IANA zone of that name, or UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def crontab_weekdays(field: str) -> str:
    """Crontab's day-of-week field ("1", "1-5", "0,6", "*/2", "mon-fri") as APScheduler day names."""
    days: list[str] = []
    for part in field.lower().split(","):
        body, _, step = part.partition("/")
        if body == "*" and not step:
            return "*"
        first, last = (0, 6) if body == "*" else _bounds(body, bool(step))
        days += [DAY_NAMES[number % 7] for number in range(first, last + 1, int(step or 1))]
    if not days:
        message = f"day of week {field!r} names no day"
        raise ValueError(message)
    return ",".join(dict.fromkeys(days))


def _bounds(body: str, stepped: bool) -> tuple[int, int]:
    if "-" in body:
        low, high = body.split("-", 1)
        return _day(low), _day(high)
    first = _day(body)
    return first, 6 if stepped else first  # "1/2" means from Monday to the end of the week, every 2nd day


def _day(text: str) -> int:
    if text.isdigit() and 0 <= int(text) <= 7:
        return int(text)
    if text[:3] in DAY_NAMES:
        return DAY_NAMES.index(text[:3])
    message = f"bad day of week {text!r} (use 0-7 or sun-sat)"
    raise ValueError(message)
