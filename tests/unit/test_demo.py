"""Demo data: deterministic, clearly marked, realistic enough to show trends."""

from __future__ import annotations

from datetime import timedelta

from core.demo import DemoGenerator
from tests.conftest import NOW


def test_the_same_seed_gives_the_same_postings(taxonomy, roles):
    first = list(DemoGenerator(taxonomy, roles, NOW.date(), seed=3).postings(200))
    second = list(DemoGenerator(taxonomy, roles, NOW.date(), seed=3).postings(200))
    other = list(DemoGenerator(taxonomy, roles, NOW.date(), seed=4).postings(200))
    assert first == second
    assert [p.title for p in first] != [p.title for p in other]


def test_demo_postings_are_clearly_marked(taxonomy, roles):
    for posting in DemoGenerator(taxonomy, roles, NOW.date()).postings(100):
        assert posting.is_demo and posting.company.endswith("(demo)") and posting.job_id.startswith("demo-")
        assert all(skill.name in taxonomy for skill in posting.skills)
        assert posting.role_keys and len(posting.skills) >= 3


async def test_demo_data_shows_a_rising_skill(nav):
    await nav.load_demo_data(4000, seed=1)
    report = await nav.trending(days=60, role="Machine Learning Engineer")
    rising = [r.skill for r in report.rising_skills]
    assert "LLMs" in rising


async def test_demo_postings_span_the_last_120_days(nav):
    await nav.load_demo_data(2000, seed=2)
    oldest, newest = await nav.store.postings.day_range()
    assert newest == NOW.date() and oldest >= NOW.date() - timedelta(days=119)
