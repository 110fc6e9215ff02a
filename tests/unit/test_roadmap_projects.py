"""Roadmap priorities, "unlocks", and project matching."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from core.unlocks import MOSTLY_MATCH
from core.models import Difficulty
from tests.conftest import NOW
from tests.factories import posting


@pytest.fixture
def nav(any_nav):
    return any_nav

TODAY = NOW.date()


def mostly_matched(skill_sets, have):
    return sum(1 for s in skill_sets if len(set(s) & have) >= math.ceil(MOSTLY_MATCH * len(set(s)) - 1e-9))


async def test_roadmap_lists_missing_skills_first_with_resources_and_priorities(nav):
    mix = [["Python", "SQL", "Docker"]] * 6 + [["Python", "Machine Learning"]] * 4 + [["Python", "SQL"]] * 2
    await nav.add_postings([posting(skills=s, day=TODAY, roles=["data_scientist"]) for s in mix])
    report = await nav.roadmap("Data Scientist", ["Python"])
    missing = [p for p in report.skill_paths if p.is_missing]
    assert [p.skill for p in report.skill_paths][-1] == "Python"  # skills you have come last
    assert {p.skill for p in missing} == {"SQL", "Docker", "Machine Learning"}
    assert missing[0].skill == "SQL"  # most demanded (67%) and unlocks the most
    assert all(p.resources for p in missing)
    assert report.missing_skills_count == 3 and report.coverage_percentage == 25.0
    assert report.recommendations[0].startswith("Focus on SQL first")


async def test_unlocks_equal_a_brute_force_count_of_newly_matched_postings(nav):
    mix = [["Python", "SQL"]] * 5 + [["Python", "SQL", "Docker", "Kubernetes"]] * 3 + [["Python", "Go", "Docker"]] * 4
    await nav.add_postings([posting(skills=s, day=TODAY - timedelta(days=i % 3), roles=["backend_developer"]) for i, s in enumerate(mix)])
    report = await nav.roadmap("Backend Developer", ["Python"])
    learned = {"Python"}
    for path in (p for p in report.skill_paths if p.is_missing):
        before = mostly_matched(mix, learned)
        learned.add(path.skill)
        assert path.unlocks_postings == mostly_matched(mix, learned) - before, path.skill


async def test_roadmap_puts_a_missing_parent_before_its_child(nav):
    mix = [["Django", "Python", "PostgreSQL"]] * 10
    await nav.add_postings([posting(skills=s, day=TODAY, roles=["backend_developer"]) for s in mix])
    report = await nav.roadmap("Backend Developer", ["PostgreSQL"])
    order = [p.skill for p in report.skill_paths if p.is_missing]
    assert order.index("Python") < order.index("Django")


async def test_gap_names_the_next_skill_and_how_many_postings_it_unlocks(nav):
    mix = [["Python", "SQL"]] * 8 + [["Python", "Docker", "Go", "Rust"]] * 4
    await nav.add_postings([posting(skills=s, day=TODAY, roles=["backend_developer"]) for s in mix])
    report = await nav.skill_gap("Backend Developer", ["Python"])
    assert report.next_skill == "SQL"
    assert report.next_skill_unlocks == 8


async def test_project_match_percentage_and_missing_skills_follow_the_users_skills(nav):
    result = await nav.recommend_projects(["Python", "SQL"], limit=50)
    for project in result.projects:
        have = [s for s in project.skills if s in {"Python", "SQL"}]
        assert project.skill_match_percentage == round(len(have) / len(project.skills) * 100, 1)
        assert project.missing_skills == [s for s in project.skills if s not in {"Python", "SQL"}]
    assert result.user_skill_count == 2 and result.recommendations


async def test_project_filters_by_difficulty_and_skill_focus(nav):
    result = await nav.recommend_projects(["Python"], difficulty=Difficulty.BEGINNER, skill_focus=["docker"], limit=50)
    assert result.projects
    assert all(p.difficulty == Difficulty.BEGINNER and "Docker" in p.skills for p in result.projects)
    assert result.filters_applied["skill_focus"] == ["Docker"]


async def test_project_search_paginates_without_overlap(nav):
    first = nav.search_projects("data", limit=2, offset=0)
    second = nav.search_projects("data", limit=2, offset=2)
    assert first.total_found == second.total_found >= 3
    assert not {p.id for p in first.projects} & {p.id for p in second.projects}


async def test_skill_building_projects_all_use_a_requested_skill(nav):
    found = await nav.skill_building_projects(["Kubernetes"], limit=5)
    assert found and all("Kubernetes" in p.skills for p in found)


async def test_resources_for_a_skill_resolve_aliases_and_filter_by_type(nav):
    from core.models import ResourceType

    docs = nav.find_resources(["k8s"], ResourceType.DOCUMENTATION)
    assert docs and all(r.skill == "Kubernetes" and r.type == ResourceType.DOCUMENTATION for r in docs)
