"""Analytics through the Navigator on the real SQLite store, checked against counts computed here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import InsufficientData, InvalidInput, UnknownRole
from tests.conftest import NOW
from tests.factories import posting


@pytest.fixture
def nav(any_nav):
    return any_nav

TODAY = NOW.date()


def ds_postings(n_python: int, n_sql: int, total: int, day_offset: int = 0):
    """`total` data-science postings; the first n_python mention Python, the first n_sql mention SQL."""
    out = []
    for i in range(total):
        skills = ["Machine Learning"]
        if i < n_python:
            skills.append("Python")
        if i < n_sql:
            skills.append("SQL")
        out.append(posting(skills=skills, day=TODAY - timedelta(days=day_offset + i % 5), roles=["data_scientist"], title="Data Scientist"))
    return out


async def test_trending_percentages_equal_an_independent_count(nav):
    postings = ds_postings(12, 6, 20) + [posting(skills=["Java", "JavaScript"], day=TODAY - timedelta(days=2), location="Austin, TX", remote=True)]
    await nav.add_postings(postings)
    report = await nav.trending(days=30)
    in_window = postings
    by_skill = {s.skill: s for s in report.top_skills}
    for skill in ("Python", "SQL", "Machine Learning", "Java", "JavaScript"):
        expected = sum(skill in p.skill_names for p in in_window)
        assert by_skill[skill].count == expected
        assert by_skill[skill].percentage == round(expected / len(in_window) * 100, 1)
    assert report.total_jobs_analyzed == 21
    assert report.remote_share == round(1 / 21 * 100, 1)
    assert {loc.location: loc.count for loc in report.top_locations} == {"New York, NY": 20, "Austin, TX": 1}


async def test_postings_outside_the_window_are_not_counted(nav):
    await nav.add_postings([posting(skills=["Rust"], day=TODAY - timedelta(days=40)), posting(skills=["Go"], day=TODAY)])
    report = await nav.trending(days=30)
    assert [s.skill for s in report.top_skills] == ["Go"]
    wider = await nav.trending(days=60)
    assert {s.skill for s in wider.top_skills} == {"Go", "Rust"}


async def test_trending_for_a_role_counts_only_that_roles_postings(nav):
    await nav.add_postings(ds_postings(10, 0, 10) + [posting(skills=["React"], day=TODAY, roles=["frontend_developer"])])
    report = await nav.trending(role="data scientist")
    assert report.role == "Data Scientist"
    assert report.total_jobs_analyzed == 10
    assert "React" not in {s.skill for s in report.top_skills}


async def test_reingesting_the_same_postings_never_double_counts(nav):
    postings = ds_postings(12, 6, 20)
    await nav.add_postings(postings)
    first = await nav.trending()
    result = await nav.add_postings(postings)
    again = await nav.trending()
    assert result.unchanged == 20 and result.touched == 0
    assert again.model_dump(exclude={"generated_at"}) == first.model_dump(exclude={"generated_at"})


async def test_an_updated_posting_moves_its_counts_without_duplicating(nav):
    original = posting(skills=["Python"], day=TODAY, job_id="j1")
    await nav.add_postings([original])
    changed = original.model_copy(update={"skills": [s.model_copy(update={"name": "Go"}) for s in original.skills]})
    result = await nav.add_postings([changed])
    report = await nav.trending()
    assert result.updated == 1
    assert {s.skill: s.count for s in report.top_skills} == {"Go": 1}
    assert report.total_jobs_analyzed == 1


async def test_rising_skills_compare_the_window_with_the_previous_one(nav):
    before = [posting(skills=["Go"] if i < 2 else ["Java"], day=TODAY - timedelta(days=40)) for i in range(10)]
    now = [posting(skills=["Go"] if i < 8 else ["Java"], day=TODAY - timedelta(days=3)) for i in range(10)]
    await nav.add_postings(before + now)
    report = await nav.trending(days=30)
    rising = {r.skill: r for r in report.rising_skills}
    falling = {r.skill: r for r in report.falling_skills}
    assert rising["Go"].change_points == 60.0 and rising["Go"].previous_percentage == 20.0
    assert falling["Java"].change_points == -60.0


async def test_salary_ranges_are_reported_per_skill_where_known(nav):
    salaried = [posting(skills=["Python"], day=TODAY, salary_usd=(100_000 + i * 10_000, 120_000 + i * 10_000)) for i in range(3)]
    await nav.add_postings(salaried + [posting(skills=["Python"], day=TODAY)])
    report = await nav.trending()
    python = next(r for r in report.salary_ranges if r.skill == "Python")
    assert (python.postings_with_salary, python.min_usd, python.max_usd, python.average_midpoint_usd) == (3, 110_000, 130_000, 120_000)


async def test_gap_marks_required_skills_and_coverage_by_threshold(nav):
    await nav.add_postings(ds_postings(n_python=12, n_sql=6, total=20))
    report = await nav.skill_gap("Data Scientist", ["python"], threshold=0.25)
    required = {r.skill: r for r in report.required_skills}
    assert set(required) == {"Machine Learning", "Python", "SQL"}  # SQL 30% >= 25%
    assert required["Python"].user_has and required["Python"].required_percentage == 60.0
    assert report.missing_skills == ["Machine Learning", "SQL"]
    assert report.coverage_percentage == round(1 / 3 * 100, 1)
    assert (report.skill_match_count, report.total_required_skills, report.total_postings_analyzed) == (1, 3, 20)
    higher = await nav.skill_gap("Data Scientist", ["python"], threshold=0.5)
    assert {r.skill for r in higher.required_skills} == {"Machine Learning", "Python"}


async def test_gap_resolves_aliases_and_never_confuses_java_with_javascript(nav):
    await nav.add_postings([posting(skills=["Kubernetes", "JavaScript"], day=TODAY, roles=["devops_engineer"]) for _ in range(10)])
    report = await nav.skill_gap("devops", ["k8s", "Java"])
    has = {r.skill: r.user_has for r in report.required_skills}
    assert has == {"Kubernetes": True, "JavaScript": False}


async def test_gap_with_fewer_than_ten_postings_is_insufficient_data_with_the_count(nav):
    await nav.add_postings(ds_postings(5, 5, 7))
    with pytest.raises(InsufficientData) as error:
        await nav.skill_gap("Data Scientist", ["Python"])
    assert error.value.found == 7
    assert "7" in str(error.value) and "wider window" in str(error.value)


async def test_unknown_role_lists_close_matches(nav):
    with pytest.raises(UnknownRole) as error:
        await nav.skill_gap("Data Sceintist", ["Python"])
    assert "Data Scientist" in error.value.suggestions


@pytest.mark.parametrize("kwargs", [{"days": 0}, {"days": 366}, {"threshold": 0.05}, {"threshold": 1.5}])
async def test_out_of_range_numbers_are_rejected_with_the_bounds(nav, kwargs):
    with pytest.raises(InvalidInput) as error:
        await nav.skill_gap("Data Scientist", ["Python"], **kwargs)
    assert "between" in str(error.value)


async def test_an_explicitly_empty_skills_list_is_rejected(nav):
    with pytest.raises(InvalidInput, match="empty"):
        await nav.skill_gap("Data Scientist", [" ", ""])


async def test_unrecognised_skills_are_reported_not_silently_dropped(nav):
    await nav.add_postings(ds_postings(10, 10, 10))
    report = await nav.skill_gap("Data Scientist", ["Python", "Pyton"])
    assert report.unrecognised_skills == ["Pyton"]


async def test_cached_answers_are_refreshed_when_new_data_arrives(nav):
    await nav.add_postings([posting(skills=["Python"], day=TODAY)])
    assert (await nav.trending()).total_jobs_analyzed == 1
    await nav.add_postings([posting(skills=["Go"], day=TODAY)])
    assert (await nav.trending()).total_jobs_analyzed == 2


async def test_cleanup_deletes_old_postings_and_their_rollups(nav):
    await nav.add_postings([posting(skills=["Rust"], day=TODAY - timedelta(days=100)), posting(skills=["Go"], day=TODAY)])
    result = await nav.cleanup(retention_days=90)
    assert result.deleted == 1
    assert await nav.store.postings.count() == 1
    assert [s.skill for s in (await nav.trending(days=365)).top_skills] == ["Go"]
