"""`career-nav extract-skills` streams JSON lines; `career-nav reextract` rebuilds skills and rollups."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from core.models import Posting, SearchContext
from core.rollups import build_rollups
from core.storage.sqlite.store import SqliteStore

ROOT = Path(__file__).resolve().parents[2]


def career_nav(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_extract_skills_answers_one_line_per_line_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "title": "Senior Go Engineer", "text": "You will build services in Go on k8s with Postgres."}),
        "{not json",
        json.dumps({"id": 7, "text": "Python/Django and (AWS, GCP). Strong communication skills."}),
        json.dumps({"id": "b"}),
    ]
    result = career_nav(tmp_path, "extract-skills", stdin="\n".join(lines) + "\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", 7]
    assert answers[0]["skills"] == ["Go", "Kubernetes", "PostgreSQL"]
    assert set(answers[1]["skills"]) == {"Python", "Django", "AWS", "Google Cloud"}
    assert answers[1]["soft_skills"] == ["Communication"]
    assert "line 2: not valid JSON" in result.stderr and 'line 4: missing "text"' in result.stderr
    assert result.returncode == 1


def test_extract_skills_on_clean_input_exits_zero(tmp_path):
    result = career_nav(tmp_path, "extract-skills", stdin=json.dumps({"id": 1, "text": "Terraform and Ansible"}) + "\n")
    assert result.returncode == 0 and json.loads(result.stdout)["skills"] == ["Terraform", "Ansible"]


def _stored_posting() -> Posting:
    # Stored with stale skills, as if extracted by an older taxonomy.
    return Posting(
        job_id="ts-1",
        title="Data Engineer",
        description="We build pipelines with Apache Spark, Airflow and dbt on Snowflake.",
        date_posted=datetime.now(UTC).date(),
        skills=[{"name": "Hadoop", "category": "data_ml", "sources": ["text"]}],
        role_keys=["data_engineer"],
        search=SearchContext(role="Data Engineer"),
    )


async def _seed(path: Path) -> None:
    store = SqliteStore(path)
    await store.open()
    posting = _stored_posting()
    result = await store.postings.upsert_many([posting])
    await store.rollups.rebuild(result.days, build_rollups)
    await store.close()


async def _read(path: Path) -> tuple[Posting, dict[str, int]]:
    store = SqliteStore(path)
    await store.open()
    posting = await store.postings.get("ts-1")
    rollups = await store.rollups.between("data_engineer", posting.analytics_day, posting.analytics_day)
    await store.close()
    return posting, rollups[0].skills


def test_reextract_replaces_stale_skills_and_fixes_the_rollups(tmp_path):
    path = tmp_path / "career_nav.sqlite3"
    asyncio.run(_seed(path))
    result = career_nav(tmp_path, "reextract")
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout and "Spark (+1)" in result.stdout and "Hadoop (-1)" in result.stdout
    posting, counts = asyncio.run(_read(path))
    assert posting.skill_names == ["Spark", "Airflow", "dbt", "Snowflake"]
    assert counts == {"Spark": 1, "Airflow": 1, "dbt": 1, "Snowflake": 1}
