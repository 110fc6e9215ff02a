"""The `career-nav` command run as a subprocess, as scripts use it; numbers re-checked from the stored postings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli_support import career_nav, stored_postings

CLI = [sys.executable, "-m", "cli.main"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    result = career_nav(data_dir, "demo-data", "--postings", "3000", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return data_dir



def in_window(postings, days: int, role_key: str | None = None):
    start = date.today() - timedelta(days=days - 1)
    return [p for p in postings if p.analytics_day >= start and (role_key is None or role_key in p.role_keys)]


def test_trending_json_matches_a_count_over_the_stored_postings(demo_dir):
    result = career_nav(demo_dir, "trending", "--days", "30", "--skills-limit", "10", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    window = in_window(stored_postings(demo_dir), 30)
    counts = Counter(skill for p in window for skill in set(p.skill_names))
    assert report["total_jobs_analyzed"] == len(window) > 0
    assert report["window_days"] == 30 and report["generated_at"]
    assert len(report["top_skills"]) == 10
    for row in report["top_skills"]:
        assert row["count"] == counts[row["skill"]]
        assert row["percentage"] == round(counts[row["skill"]] / len(window) * 100, 1)
    assert [r["count"] for r in report["top_skills"]] == sorted((r["count"] for r in report["top_skills"]), reverse=True)
    assert {"location", "count"} <= set(report["top_locations"][0])


def test_gap_json_matches_a_count_over_the_stored_postings(demo_dir):
    result = career_nav(demo_dir, "gap", "--role", "Data Scientist", "--skills", "Python,SQL", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    window = in_window(stored_postings(demo_dir), 30, "data_scientist")
    counts = Counter(skill for p in window for skill in set(p.skill_names))
    required = {s for s, c in counts.items() if c >= 0.25 * len(window)}
    assert report["role"] == "Data Scientist"
    assert report["total_postings_analyzed"] == len(window)
    assert {r["skill"] for r in report["required_skills"]} == required
    assert set(report["missing_skills"]) == required - {"Python", "SQL"}
    assert report["skill_match_count"] == len(required & {"Python", "SQL"})
    assert report["total_required_skills"] == len(required)
    assert report["coverage_percentage"] == round(report["skill_match_count"] / len(required) * 100, 1)


def test_roadmap_and_projects_json_answer_with_resources_and_matches(demo_dir):
    roadmap = json.loads(career_nav(demo_dir, "roadmap", "--role", "Data Scientist", "--skills", "Python,SQL", "--json").stdout)
    assert roadmap["target_role"] == "Data Scientist" and roadmap["skill_paths"]
    first = roadmap["skill_paths"][0]
    assert first["is_missing"] and first["resources"] and first["priority_score"] > 0
    projects = json.loads(career_nav(demo_dir, "projects", "--skills", "Python,SQL", "--role", "Data Scientist", "--json").stdout)
    assert projects["projects"] and {"skill_match_percentage", "missing_skills"} <= set(projects["projects"][0])


def test_stats_json_reports_postings_roles_and_data_version(demo_dir):
    stats = json.loads(career_nav(demo_dir, "stats", "--json").stdout)
    assert stats["postings"] == 3000 and stats["demo_postings"] == 3000
    assert stats["roles"]["data_scientist"] > 0
    assert stats["last_ingestion"] is None and stats["data_version"] >= 1


def test_health_exits_zero_on_a_reachable_store(demo_dir):
    result = career_nav(demo_dir, "health", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["healthy"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gap", "--role", "Data Sceintist", "--skills", "Python"], "Did you mean: Data Scientist"),
        (["trending", "--days", "400"], "days must be between 1 and 365"),
        (["gap", "--role", "Data Scientist", "--skills", ","], "skills list is empty"),
        (["gap", "--role", "Data Scientist", "--threshold", "2"], "threshold must be between 0.1 and 1"),
        (["gap", "--role", "Data Scientist", "--email", "nobody@example.com"], "No account with email"),
    ],
)
def test_bad_input_gets_one_clear_line_and_a_nonzero_exit(demo_dir, args, message):
    before = json.loads(career_nav(demo_dir, "stats", "--json").stdout)
    result = career_nav(demo_dir, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    after = json.loads(career_nav(demo_dir, "stats", "--json").stdout)
    assert after == before  # nothing was written


def test_a_malformed_setting_names_the_variable(tmp_path):
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(tmp_path), "THEIR_STACK_TIMEOUT": "soon"}
    result = subprocess.run([*CLI, "stats"], capture_output=True, text=True, env=env, timeout=60, cwd=Path(__file__).parents[2])
    assert result.returncode == 2
    assert "THEIR_STACK_TIMEOUT" in result.stderr and "Traceback" not in result.stderr
