"""Digest content and timing: escaping and limits checked by the fake Bot API's own HTML parser, send times in
each user's timezone, crontab weekdays, and "up from N" only within one role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.cron import crontab_trigger, crontab_weekdays
from core.digest import (
    CAPTION_LIMIT,
    TELEGRAM_LIMIT,
    Coverage,
    Digest,
    build_digest,
    digest_period,
    fits_caption,
    is_due,
    next_send_time,
    render_html,
    utf16_length,
    visible_length,
)
from core.models import Resource, ResourceType, RisingSkill, User
from tests.digest_support import ROLE, market
from tests.fakes.telegram_server import html_to_text


def mover(skill: str, points: float) -> RisingSkill:
    return RisingSkill(skill=skill, current_percentage=50, previous_percentage=50 - points, change_points=points, relative_change=None, current_count=9, previous_count=5)


def digest(**fields) -> Digest:
    values = {"user_id": "u1", "period": "2026-W49", "role": ROLE, "postings_analyzed": 1234, "remote_share": 31.6}
    return Digest(**(values | fields))


# --- rendering ----------------------------------------------------------------------------------------------


def test_every_value_is_escaped_so_telegram_accepts_the_html() -> None:
    hostile = digest(role="R&D <Lead>", rising=[mover("C++ <templates>", 4.2)], first_name="<b>Eve",
                     next_skill="A&B", next_resource=Resource(type=ResourceType.COURSE, title='Learn "<i>"', url='https://x.example/?a=1&b="2"', description="d"))

    text = html_to_text(render_html(hostile))  # raises like Telegram on unbalanced or unknown tags

    assert "R&D <Lead>" in text and "C++ <templates> (+4.2 pp)" in text and "Hi <b>Eve!" in text and 'Learn "<i>"' in text


def test_a_resource_without_a_web_address_is_named_but_not_linked() -> None:
    resource = Resource(type=ResourceType.BOOK, title="The Book", url="isbn:978-0", description="d")

    html = render_html(digest(next_skill="Go", next_resource=resource))

    assert "The Book (Book)" in html and "<a " not in html


def test_an_oversized_digest_is_trimmed_under_telegrams_limit_keeping_its_head_and_the_way_out() -> None:
    huge = digest(role=None, top_skills=[f"Skill number {n} 🚀" for n in range(800)])

    html = render_html(huge)

    assert utf16_length(html) <= TELEGRAM_LIMIT
    assert html.startswith("<b>Your weekly Career Navigator digest</b>") and html.endswith("/digest off to stop these messages.")


def test_the_length_telegram_checks_ignores_tags_and_counts_emoji_twice() -> None:
    assert visible_length("<b>a&amp;b</b> 📈") == len("a&b ") + 2
    assert fits_caption("x" * CAPTION_LIMIT) and not fits_caption("📈" * (CAPTION_LIMIT // 2 + 1))


def test_a_role_digest_reports_coverage_and_its_change() -> None:
    html = render_html(digest(coverage=Coverage(matched=7, required=12, percentage=58.3, role=ROLE),
                              previous_coverage=Coverage(matched=6, required=12, percentage=50, role=ROLE)))

    assert "You cover <b>7 of 12</b> required skills (58%), up from 6." in html


def test_a_user_without_skills_is_asked_to_add_some() -> None:
    assert "/skills add" in render_html(digest(has_skills=False)) and "/skills add" not in render_html(digest())


async def test_coverage_remembered_for_another_role_is_not_compared(nav) -> None:
    this_week, last_week = market()
    await nav.add_postings([*this_week, *last_week])
    user = User(id="u1", skills=["Python"], target_roles=[ROLE])

    other = await build_digest(nav, user, Coverage(matched=1, required=9, percentage=11.1, role="Data Scientist"))
    same = await build_digest(nav, user, Coverage(matched=0, required=5, percentage=0, role=ROLE))

    assert other.previous_coverage is None and other.coverage is not None
    assert same.previous_coverage.matched == 0 and "up from 0" in render_html(same)


async def test_a_target_role_that_no_longer_exists_falls_back_to_the_market_digest(nav) -> None:
    built = await build_digest(nav, User(id="u1", target_roles=["Chief Vibes Officer"]))

    assert built.role is None and "Set a target role" in render_html(built)


# --- timing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("now", "zone", "period"), [
    (datetime(2026, 11, 29, 20, 0, tzinfo=UTC), "UTC", "2026-W48"),  # Sunday evening
    (datetime(2026, 11, 29, 20, 0, tzinfo=UTC), "Pacific/Kiritimati", "2026-W49"),  # already Monday there
    (datetime(2026, 11, 30, 3, 0, tzinfo=UTC), "America/Los_Angeles", "2026-W48"),  # still Sunday there
    (datetime(2026, 11, 30, 3, 0, tzinfo=UTC), "Not/AZone", "2026-W49"),  # unknown zones count as UTC
])
def test_the_period_is_the_iso_week_in_the_users_timezone(now, zone, period) -> None:
    assert digest_period(now, zone) == period


@pytest.mark.parametrize(("now", "zone", "due"), [
    (datetime(2026, 11, 30, 8, 59, tzinfo=UTC), "UTC", False),
    (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "UTC", True),
    (datetime(2026, 11, 30, 3, 29, tzinfo=UTC), "Asia/Kolkata", False),  # 08:59 IST
    (datetime(2026, 11, 30, 3, 30, tzinfo=UTC), "Asia/Kolkata", True),
    (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "Europe/Berlin", True),  # 09:00 CEST, the day after clocks went forward
    (datetime(2026, 3, 30, 6, 59, tzinfo=UTC), "Europe/Berlin", False),
    (datetime(2026, 12, 2, 8, 59, tzinfo=UTC), "UTC", True),  # a missed Monday is caught up until Wednesday 09:00
    (datetime(2026, 12, 2, 9, 0, tzinfo=UTC), "UTC", False),
    (datetime(2026, 11, 30, 1, 0, tzinfo=UTC), "America/New_York", False),  # Sunday night there: last week is long gone
])
def test_a_digest_is_due_from_nine_on_monday_local_time_for_two_days(now, zone, due) -> None:
    assert is_due(now, zone, "0 9 * * 1") is due


def test_the_next_send_time_is_the_coming_monday_at_nine_local_time() -> None:
    after = next_send_time(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "Asia/Tokyo")

    assert after.isoformat() == "2026-12-07T09:00:00+09:00"


@pytest.mark.parametrize(("field", "days"), [
    ("1", "mon"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"), ("5-7", "fri,sat,sun"),
    ("*/2", "sun,tue,thu,sat"), ("MON-wed", "mon,tue,wed"), ("*", "*"),
])
def test_crontab_weekday_numbers_mean_what_they_mean_in_cron(field, days) -> None:
    assert crontab_weekdays(field) == days


def test_the_default_schedule_fires_on_mondays_not_tuesdays() -> None:
    fire = crontab_trigger("0 9 * * 1").get_next_fire_time(None, datetime(2026, 11, 24, tzinfo=UTC))

    assert (fire.strftime("%A"), fire.hour) == ("Monday", 9)


@pytest.mark.parametrize("expression", ["0 9 * *", "0 9 * * 8", "0 9 * * funday"])
def test_a_malformed_schedule_is_refused(expression) -> None:
    with pytest.raises(ValueError):
        crontab_trigger(expression)
