"""Timezone names as people type them (core.timezones), and the profile rule that uses them (core.accounts)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.accounts import AccountService
from core.errors import InvalidInput, UnknownTimezone
from core.models import ProfileUpdate
from core.timezones import find_timezone, resolve_timezone, suggest_timezones, timezone_label, utc_offset
from tests.accounts_support import PASSWORD, account_service

WINTER = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def accounts(sqlite_store, clock) -> AccountService:
    return account_service(sqlite_store, clock)


@pytest.mark.parametrize(("typed", "zone"), [
    ("Europe/Berlin", "Europe/Berlin"),
    ("europe/berlin", "Europe/Berlin"),
    ("  EUROPE/BERLIN ", "Europe/Berlin"),
    ("america/new_york", "America/New_York"),
    ("America/New York", "America/New_York"),
    ("america / argentina / buenos aires", "America/Argentina/Buenos_Aires"),
    ("utc", "UTC"),
    ("GMT", "GMT"),
    ("Etc/GMT-2", "Etc/GMT-2"),
    ("UTC+2", "Etc/GMT-2"),  # IANA's Etc/ signs are inverted: Etc/GMT-2 is two hours ahead of UTC
    ("gmt-5", "Etc/GMT+5"),
    ("UTC +14", "Etc/GMT-14"),
    ("UTC-0", "UTC"),
])
def test_iana_names_in_any_case_utc_gmt_and_whole_hour_offsets_are_found(typed, zone):
    assert find_timezone(typed) == zone


@pytest.mark.parametrize("typed", ["Berlin", "Mars/Olympus", "localtime", "Factory", "UTC+5:30", "UTC+15", "", "   ", "Europe/" + "x" * 80])
def test_text_that_names_no_zone_is_not_found(typed):
    assert find_timezone(typed) is None


@pytest.mark.parametrize(("typed", "first"), [
    ("Berlin", "Europe/Berlin"),
    ("new york", "America/New_York"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Europe/Berln", "Europe/Berlin"),
    ("asia/tokio", "Asia/Tokyo"),
    ("Pari", "Europe/Paris"),
])
def test_a_miss_suggests_close_iana_names_best_first(typed, first):
    suggestions = suggest_timezones(typed)
    assert suggestions[0] == first and len(suggestions) <= 5


def test_an_offset_without_an_etc_zone_suggests_the_zones_at_that_offset():
    assert {"Asia/Kolkata", "Asia/Colombo"} <= set(suggest_timezones("UTC+5:30"))
    assert "America/St_Johns" in suggest_timezones("GMT-03:30")
    assert suggest_timezones("UTC+15") == []


def test_nonsense_gets_no_suggestions():
    assert suggest_timezones("Mars/Olympus") == [] and suggest_timezones("x" * 500) == []


def test_resolving_a_miss_raises_unknown_timezone_with_the_suggestions():
    with pytest.raises(UnknownTimezone) as error:
        resolve_timezone(" Berlin ")
    assert isinstance(error.value, InvalidInput)
    assert (error.value.timezone, error.value.suggestions) == ("Berlin", ["Europe/Berlin"])
    assert str(error.value) == "Unknown timezone 'Berlin'. Did you mean: Europe/Berlin?"


def test_offsets_and_labels_follow_daylight_saving_time():
    assert (utc_offset("Europe/Berlin", WINTER), utc_offset("Europe/Berlin", SUMMER)) == ("UTC+01:00", "UTC+02:00")
    assert utc_offset("America/St_Johns", WINTER) == "UTC-03:30"
    assert timezone_label("Europe/Berlin", WINTER) == "Europe/Berlin (UTC+01:00)"
    assert timezone_label("Etc/GMT-2", SUMMER) == "UTC+02:00 (Etc/GMT-2)"
    assert timezone_label("UTC", WINTER) == "UTC"


async def test_a_profile_stores_the_canonical_name_of_the_timezone_typed(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)

    updated = await accounts.update_profile(user.id, ProfileUpdate(timezone="america/new york"))

    assert updated.timezone == "America/New_York"


async def test_an_unknown_timezone_in_a_profile_update_lists_close_names_and_changes_nothing(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)
    await accounts.update_profile(user.id, ProfileUpdate(timezone="Asia/Tokyo"))

    with pytest.raises(UnknownTimezone) as error:
        await accounts.update_profile(user.id, ProfileUpdate(timezone="new york", location="Lisbon"))

    assert error.value.suggestions[0] == "America/New_York"
    assert (await accounts.get_profile(user.id)).model_dump(include={"timezone", "location"}) == {"timezone": "Asia/Tokyo", "location": None}
