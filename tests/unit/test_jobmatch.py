"""Job-description match through the Navigator on the real SQLite store; weights re-counted here from the postings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import InvalidInput, UnknownRole
from core.jobmatch import MARKET_DAYS
from core.models import User
from tests.conftest import NOW
from tests.factories import posting

TODAY = NOW.date()
DESCRIPTION = (Path(__file__).parents[1] / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")
# Of 20 recent Data Engineer postings, how many ask for each skill.
DATA_ENGINEER_MIX = {"Python": 18, "SQL": 17, "Spark": 15, "Airflow": 12, "AWS": 11, "Snowflake": 10, "Kafka": 9,
                     "dbt": 8, "Docker": 7, "Terraform": 6, "Kubernetes": 5, "Scala": 3}
USER_SKILLS = ["python", "sql", "Docker", "k8s"]


def _mix_postings(mix: dict[str, int], total: int, role: str, first_day_offset: int = 0, step: int = 4):
    return [
        posting(skills=[skill for skill, n in mix.items() if i < n] or ["Git"], day=TODAY - timedelta(days=first_day_offset + (i * step) % 85), roles=[role], title=role)
        for i in range(total)
    ]


@pytest.fixture
async def market(nav):
    """Recent Data Engineer postings, plus decoys: old ones (outside the window) and another role's."""
    recent = _mix_postings(DATA_ENGINEER_MIX, 20, "data_engineer")
    old = _mix_postings({"Airflow": 40, "Terraform": 40}, 40, "data_engineer", first_day_offset=MARKET_DAYS + 30, step=0)
    backend = _mix_postings({"Kafka": 30, "Java": 30}, 30, "backend_developer")
    postings = recent + old + backend
    await nav.add_postings(postings)
    return postings


def share(postings, skill: str, role: str | None) -> float:
    start = TODAY - timedelta(days=MARKET_DAYS - 1)
    window = [p for p in postings if p.analytics_day >= start and (role is None or role in p.role_keys)]
    return sum(skill in p.skill_names for p in window) / len(window)


async def test_the_posting_role_and_skills_are_read_from_the_description(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    assert report.role == "Data Engineer" and report.title == "Senior Data Engineer (Remote, North America)"
    assert set(DATA_ENGINEER_MIX) <= set(report.posting_skills)
    assert {"Communication", "Ownership"} <= set(report.soft_skills)
    assert not set(report.soft_skills) & set(report.posting_skills)


async def test_have_and_missing_split_the_posting_skills_by_the_users_skills(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    assert report.have == ["Python", "SQL", "Docker", "Kubernetes"]  # in the posting's order; "k8s" is Kubernetes
    missing = [m.skill for m in report.missing]
    assert set(missing) == set(report.posting_skills) - set(report.have)
    assert report.match_percentage == round(4 / len(report.posting_skills) * 100, 1)


async def test_missing_skills_are_weighted_by_their_share_of_the_roles_recent_postings(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    assert report.weights_scope == "Data Engineer" and report.market_postings == 20
    for item in report.missing:
        expected = share(market, item.skill, "data_engineer")
        assert item.weight == pytest.approx(expected, abs=1e-4), item.skill
        assert item.market_percentage == round(expected * 100, 1)
    weights = [m.weight for m in report.missing]
    assert weights == sorted(weights, reverse=True)


async def test_weighted_match_is_the_demand_share_of_what_the_user_has(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    weight = {s: share(market, s, "data_engineer") for s in report.posting_skills}
    expected = sum(weight[s] for s in report.have) / sum(weight.values()) * 100
    assert report.weighted_match_percentage == round(expected, 1)
    assert report.weighted_match_percentage > report.match_percentage  # the user has the most demanded skills


async def test_best_next_skill_is_the_most_demanded_missing_skill_with_a_resource(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    missing = set(report.posting_skills) - {"Python", "SQL", "Docker", "Kubernetes"}
    expected = max(missing, key=lambda s: share(market, s, "data_engineer"))
    assert report.best_next_skill == expected == "Spark"
    assert report.resource is not None and report.resource.skill == "Spark" and report.resource.url.startswith("http")
    assert "Learn Spark next" in report.summary


async def test_profile_skills_are_used_and_implied_parents_count_as_had(nav, market):
    user = User(id="u-1", skills=["Django", "PostgreSQL"], target_roles=["Data Scientist"])
    report = await nav.match_job_description(DESCRIPTION, user=user)
    assert "Python" in report.have  # Django implies Python
    assert report.role == "Data Engineer"  # the posting's role, not the profile's target


async def test_an_explicit_role_with_too_few_postings_falls_back_to_all_roles(nav, market):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS, role="mobile")
    assert report.role == "Mobile Developer" and report.weights_scope == "all roles"
    kafka = next(m for m in report.missing if m.skill == "Kafka")
    assert kafka.weight == pytest.approx(share(market, "Kafka", None), abs=1e-4)
    assert report.best_next_skill == "Kafka"  # backend postings make Kafka the most common overall


async def test_without_market_data_weights_are_zero_and_the_posting_order_decides(nav):
    report = await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS)
    assert report.market_postings == 0 and all(m.weight == 0 for m in report.missing)
    assert report.best_next_skill == report.missing[0].skill == [s for s in report.posting_skills if s not in report.have][0]
    assert report.weighted_match_percentage == report.match_percentage


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("Python developer wanted, DM me", "too short"),
        ("We are a friendly bakery in Lisbon looking for someone who loves bread, mornings and people. " * 3, "No technical skills"),
        ("x " * 30_000, "too long"),
    ],
)
async def test_unusable_text_is_refused_with_a_helpful_message(nav, text, hint):
    with pytest.raises(InvalidInput, match=hint):
        await nav.match_job_description(text, skills=USER_SKILLS)


async def test_an_unknown_explicit_role_lists_close_matches(nav):
    with pytest.raises(UnknownRole, match="Data Engineer"):
        await nav.match_job_description(DESCRIPTION, skills=USER_SKILLS, role="data enginer")


async def test_a_posting_without_a_recognisable_role_is_weighted_by_all_roles(nav, market):
    text = "Join our team!\n" + DESCRIPTION.split("\n", 1)[1].replace("Data Engineer", "teammate")
    report = await nav.match_job_description(text, skills=USER_SKILLS)
    assert report.role is None and report.weights_scope == "all roles" and report.market_postings == 50
