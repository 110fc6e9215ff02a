"""When a subscriber's next digest arrives (core.digest_schedule): the scheduler's rule in their timezone, minus
weeks the ledger already finished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FixedClock
from core.digest_schedule import next_digest
from core.models import User
from core.service import Navigator

SCHEDULE = "0 9 * * 1"
MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # ISO week 2026-W49; 02:00 in Los Angeles


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_MORNING)


async def reader(nav: Navigator, timezone: str = "UTC", *, subscribed: bool = True) -> User:
    return await nav.store.users.create(User(id="reader", telegram_id=4242, timezone=timezone, digest_opt_in=subscribed))


async def sent(nav: Navigator, user: User, period: str) -> None:
    now = nav.clock.now()
    assert await nav.store.digests.claim(user.id, period, "test", now, timedelta(minutes=10))
    assert await nav.store.digests.mark_sent(user.id, period, "test", now, 1, None)


async def test_nobody_unsubscribed_gets_a_next_digest(nav):
    assert await next_digest(nav, await reader(nav, subscribed=False), SCHEDULE) is None


async def test_a_due_week_not_yet_delivered_arrives_now(nav, clock):
    assert await next_digest(nav, await reader(nav), SCHEDULE) == clock.now()


async def test_a_delivered_week_means_the_next_one_is_next_monday(nav):
    user = await reader(nav)
    await sent(nav, user, "2026-W49")

    assert await next_digest(nav, user, SCHEDULE) == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def test_after_the_catch_up_window_the_next_one_is_next_monday_in_the_users_time(nav, clock):
    clock.advance(days=2)  # Wednesday 10:00 UTC: this week's catch-up ended at 09:00
    when = await next_digest(nav, await reader(nav, "Asia/Tokyo"), SCHEDULE)

    assert when.isoformat() == "2026-12-07T09:00:00+09:00"


async def test_a_week_delivered_before_moving_west_is_not_expected_again(nav):
    # 02:00 on Monday in Los Angeles: week 49's send time there is still ahead, unless week 49 was delivered
    # while the profile was on UTC.
    user = await reader(nav, "America/Los_Angeles")
    assert (await next_digest(nav, user, SCHEDULE)).isoformat() == "2026-11-30T09:00:00-08:00"
    await sent(nav, user, "2026-W49")

    assert (await next_digest(nav, user, SCHEDULE)).isoformat() == "2026-12-07T09:00:00-08:00"


async def test_a_schedule_with_several_days_sends_once_a_week_at_its_first_time(nav, clock):
    clock.advance(days=2)  # Wednesday: Monday's send time is past its catch-up, and Thursday's is not a new week
    when = await next_digest(nav, await reader(nav), "0 9 * * 1,4")

    assert when == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
