"""/timezone in the real bot, polling the fake Bot API: what a user sees, and what the store keeps.

The clock is pinned to Wednesday 2 December 2026, 10:00 UTC, so "local time" and "next digest" are exact: the
weekly digest (DIGEST_SCHEDULE, Monday 09:00 in the user's timezone) next arrives on Monday 7 December.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.clock import FixedClock
from core.models import ProfileUpdate
from tests.bot_support import (  # noqa: F401 — fixtures are used by name
    bot, chat, demo_template, fake, nav, settings, stored,
)

WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(WEDNESDAY)


async def profile_of(nav, chat, **fields):
    """Creates the chat's account (as its first message would) with these profile fields."""
    user = await nav.accounts.get_or_create_telegram_user(chat.id, "Ada Lovelace", "ada")
    return await nav.accounts.update_profile(user.id, ProfileUpdate(**fields))


async def test_setting_a_valid_timezone_stores_it_and_profile_shows_it(chat, nav):
    [reply] = await chat.send("/timezone Europe/Berlin")

    assert "✅ Timezone: Europe/Berlin (UTC+01:00)" in reply.text
    assert "Local time: Wed 2 Dec, 11:00" in reply.text
    assert "Weekly digest: off — /digest on" in reply.text
    assert (await stored(nav, chat)).timezone == "Europe/Berlin"
    [profile] = await chat.send("/profile")
    assert "🕘 Timezone: Europe/Berlin (UTC+01:00)" in profile.text


@pytest.mark.parametrize(("typed", "zone", "shown"), [
    ("europe/berlin", "Europe/Berlin", "Europe/Berlin (UTC+01:00)"),
    ("AMERICA/NEW_YORK", "America/New_York", "America/New_York (UTC-05:00)"),
    ("America/New York", "America/New_York", "America/New_York (UTC-05:00)"),
    ("utc", "UTC", "Timezone: UTC"),
    ("GMT", "GMT", "Timezone: GMT"),
])
async def test_timezone_names_are_accepted_in_any_case(chat, nav, typed, zone, shown):
    [reply] = await chat.send(f"/timezone {typed}")

    assert "✅" in reply.text and shown in reply.text
    assert (await stored(nav, chat)).timezone == zone


async def test_a_whole_hour_offset_is_stored_as_its_fixed_zone_with_a_daylight_saving_note(chat, nav):
    [reply] = await chat.send("/timezone UTC+2")

    assert "Timezone: UTC+02:00 (Etc/GMT-2)" in reply.text and "Local time: Wed 2 Dec, 12:00" in reply.text
    assert "ignores daylight saving time" in reply.text
    assert (await stored(nav, chat)).timezone == "Etc/GMT-2"


async def test_unknown_timezone_suggests_close_names_and_changes_nothing(chat, nav):
    await profile_of(nav, chat, timezone="Asia/Tokyo")

    [reply] = await chat.send("/timezone Berlin")

    assert "I don't know the timezone Berlin" in reply.text and "Did you mean Europe/Berlin?" in reply.text
    assert "Your timezone is still Asia/Tokyo" in reply.text and "Usage: /timezone [zone]" in reply.text
    assert [(b.text, b.callback_data) for b in reply.flat_buttons] == [("🕘 Europe/Berlin", "tz:Europe/Berlin")]
    assert (await stored(nav, chat)).timezone == "Asia/Tokyo"


async def test_tapping_a_suggested_timezone_sets_it(chat, nav):
    [reply] = await chat.send("/timezone new york")
    assert "America/New_York" in [b.callback_data.removeprefix("tz:") for b in reply.flat_buttons]

    await chat.tap(reply, "America/New_York")

    assert "✅ Timezone: America/New_York (UTC-05:00)" in reply.text and "Local time: Wed 2 Dec, 05:00" in reply.text
    assert not reply.buttons
    assert (await stored(nav, chat)).timezone == "America/New_York"


async def test_a_name_nothing_resembles_points_to_the_list_of_zones(chat, nav):
    [reply] = await chat.send("/timezone Mars/Olympus <b>")

    assert "I don't know the timezone Mars/Olympus <b>" in reply.text  # escaped, shown as typed
    assert "List_of_tz_database_time_zones" in reply.html and not reply.buttons
    assert (await stored(nav, chat)).timezone == "UTC"


async def test_timezone_alone_shows_the_zone_local_time_next_digest_and_usage(chat, nav):
    await profile_of(nav, chat, timezone="Asia/Tokyo", digest_opt_in=True)

    [reply] = await chat.send("/timezone")

    assert "🕘 Your timezone: Asia/Tokyo (UTC+09:00)" in reply.text
    assert "Local time: Wed 2 Dec, 19:00" in reply.text
    assert "Next digest: Mon 7 Dec, 09:00 (Asia/Tokyo), in 5 days" in reply.text
    assert "Usage: /timezone [zone]" in reply.text and "/timezone Europe/Berlin" in reply.text


async def test_timezone_alone_for_a_new_user_shows_utc_and_how_to_subscribe(chat):
    [reply] = await chat.send("/timezone")

    assert "Your timezone: UTC" in reply.text and "Local time: Wed 2 Dec, 10:00" in reply.text
    assert "Weekly digest: off — /digest on" in reply.text


async def test_turning_the_digest_on_says_when_it_arrives_in_the_users_time(chat, nav):
    await profile_of(nav, chat, timezone="Europe/Berlin")

    [reply] = await chat.send("/digest on")

    assert "Weekly digest is on" in reply.text
    assert "Next digest: Mon 7 Dec, 09:00 (Europe/Berlin), in 5 days" in reply.text and "/timezone" in reply.text


async def test_subscribing_within_this_weeks_catch_up_window_says_the_digest_is_on_its_way(chat, nav):
    # 02:00 on Wednesday in Los Angeles: Monday 09:00 there was less than two days ago, so this week's still comes.
    await profile_of(nav, chat, timezone="America/Los_Angeles")

    [reply] = await chat.send("/digest on")

    assert "This week's digest is due — it's on its way." in reply.text


async def test_the_profile_timezone_button_shows_the_timezone(chat, nav):
    await profile_of(nav, chat, timezone="Europe/Lisbon")
    [profile] = await chat.send("/profile")

    [shown] = await chat.tap(profile, "Timezone", edit=False, expect=1)

    assert "Your timezone: Europe/Lisbon (UTC+00:00)" in shown.text


async def test_onboarding_subscribers_on_utc_are_told_about_timezone(chat):
    _, role_q = await chat.send("/start", expect=2)
    [skills_q] = await chat.tap(role_q, "Skip", expect=1)
    [level_q] = await chat.tap(skills_q, "Skip", expect=1)
    [location_q] = await chat.tap(level_q, "Skip", expect=1)
    [digest_q] = await chat.tap(location_q, "Skip", expect=1)

    [done] = await chat.tap(digest_q, "Yes", expect=1)

    assert "All set" in done.text and "/timezone Europe/Berlin" in done.text


async def test_timezone_is_in_help_and_the_command_menu(fake, chat):
    [reply] = await chat.send("/help")

    assert "/timezone [zone]" in reply.text
    assert "timezone" in [command["command"] for command in fake.commands]
