"""`career-nav match` run as a subprocess: stdin text in, a report out; numbers re-counted from the stored postings."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli_support import ROOT, career_nav, stored_postings

DESCRIPTION = (ROOT / "tests" / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("match")
    result = career_nav(data_dir, "demo-data", "--postings", "3000", "--seed", "11")
    assert result.returncode == 0, result.stderr
    return data_dir


def role_shares(data_dir: Path, role_key: str, days: int = 90) -> tuple[int, dict[str, float]]:
    start = date.today() - timedelta(days=days - 1)
    window = [p for p in stored_postings(data_dir) if p.analytics_day >= start and role_key in p.role_keys]
    counts: dict[str, int] = {}
    for posting in window:
        for skill in set(posting.skill_names):
            counts[skill] = counts.get(skill, 0) + 1
    return len(window), {skill: count / len(window) for skill, count in counts.items()}


def test_match_json_weights_missing_skills_by_the_roles_share_of_stored_postings(demo_dir):
    result = career_nav(demo_dir, "match", "--skills", "Python,SQL,Docker", "--json", stdin=DESCRIPTION)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    total, shares = role_shares(demo_dir, "data_engineer")
    assert report["role"] == "Data Engineer" and report["weights_scope"] == "Data Engineer"
    assert report["market_postings"] == total >= 10
    assert report["have"] == ["Python", "SQL", "Docker"]
    assert {m["skill"] for m in report["missing"]} == set(report["posting_skills"]) - {"Python", "SQL", "Docker"}
    for item in report["missing"]:
        assert item["weight"] == pytest.approx(shares.get(item["skill"], 0.0), abs=1e-4), item["skill"]
    best = max(report["missing"], key=lambda m: m["weight"])
    assert report["best_next_skill"] == best["skill"] and report["resource"]["skill"] == best["skill"]


def test_match_prints_a_short_human_summary(demo_dir):
    result = career_nav(demo_dir, "match", "--skills", "python,k8s", stdin=DESCRIPTION)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Job match: Data Engineer posting — Senior Data Engineer (Remote, North America)"
    assert "You have: Python, Kubernetes" in result.stdout
    assert any(line.startswith("missing skill") for line in lines)
    assert any(line.startswith("Learn next: ") and "http" in line for line in lines)
    assert len(lines) < 40


def test_match_uses_an_accounts_profile_skills(demo_dir):
    created = career_nav(demo_dir, "user", "create", "--email", "ada@example.com", "--skills", "Spark,Airflow", stdin="Sup3rsecret!\n")
    assert created.returncode == 0, created.stderr
    result = career_nav(demo_dir, "match", "--email", "ada@example.com", "--json", stdin=DESCRIPTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["have"] == ["Spark", "Airflow"]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        ((), "", 2, "no job description on stdin"),
        ((), "  \n\n ", 2, "no job description on stdin"),
        ((), "Go dev wanted, remote", 2, "too short for a job description"),
        (("--role", "wizard"), DESCRIPTION, 2, "Unknown role 'wizard'"),
        (("--email", "nobody@example.com"), DESCRIPTION, 3, "No account with email"),
    ],
)
def test_match_fails_with_one_line_and_an_exit_code(demo_dir, args, stdin, code, message):
    result = career_nav(demo_dir, "match", *args, stdin=stdin)
    assert result.returncode == code
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr and result.stderr.startswith("career-nav: ")
