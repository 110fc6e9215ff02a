"""`career-nav ingest` as a subprocess against the fake TheirStack (THEIR_STACK_BASE_URL), store checked after.

Runs the commands through `python -m cli.ingest`, which registers exactly what `career-nav` does.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.ingest.collector import INGEST_LEASE_KEY
from core.storage.sqlite.store import SqliteStore
from tests.fakes.theirstack_jobs import make_job
from tests.fakes.theirstack_server import FAKE_API_KEY, FakeTheirStack, Fault

ROOT = Path(__file__).parents[2]
NOW = datetime.now(UTC)


def career_nav(data_dir: Path, *args: str, key: str = FAKE_API_KEY, base_url: str = "", module: str = "cli.main") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "MONGODB_URI": "", "THEIR_STACK_API_KEY": key,
        "THEIR_STACK_BASE_URL": base_url or "http://127.0.0.1:9", "THEIR_STACK_TIMEOUT": "5", "THEIR_STACK_MAX_RETRIES": "1",
    }
    env.pop("LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def stored(data_dir: Path) -> tuple[list[str], int]:
    async def read() -> tuple[list[str], int]:
        store = SqliteStore(data_dir / "career_nav.sqlite3")
        await store.open()
        try:
            return sorted([p.job_id async for p in store.postings.iter_all()], key=int), len(await store.runs.recent())
        finally:
            await store.close()

    return asyncio.run(read())


@pytest.fixture(scope="module")
def server():
    with FakeTheirStack() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeTheirStack) -> FakeTheirStack:
    server.reset(jobs=[make_job(i, discovered_at=NOW - timedelta(minutes=30 - i), job_title="Data Scientist") for i in range(1, 6)])
    return server


def test_ingest_stores_the_postings_and_prints_a_summary_table(fake: FakeTheirStack, tmp_path: Path) -> None:
    result = career_nav(tmp_path, "ingest", "--role", "Data Scientist", "--location", "United States", "--location", "Remote", base_url=fake.base_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[:4] == ["role", "location", "pages", "new"]
    assert "Data Scientist  United States" in result.stdout and "Data Scientist  Remote" in result.stdout
    assert ": ok — 5 new, 0 updated, 5 of 1,000 credits" in result.stdout
    assert stored(tmp_path) == (["1", "2", "3", "4", "5"], 1)
    body = fake.requests[-1].body
    assert body["remote"] is True and body["job_title_or"] == ["Data Scientist"] and body["job_id_not"] == [5, 4, 3, 2, 1]


def test_ingest_json_is_the_run_summary_that_stats_reports_as_last_ingestion(fake: FakeTheirStack, tmp_path: Path) -> None:
    first = career_nav(tmp_path, "ingest", "--role", "Data Scientist", "--location", "US", "--max-credits", "3", "--json", base_url=fake.base_url)
    again = career_nav(tmp_path, "ingest", "--role", "Data Scientist", "--location", "US", "--json", base_url=fake.base_url)
    stats = career_nav(tmp_path, "stats", "--json", module="cli.main")

    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert (one["status"], one["credits_used"], one["postings_new"]) == ("partial", 3, 3)
    assert "credit budget of 3" in one["reason"] and one["roles"]["Data Scientist"]["pages"] == 1
    assert (two["status"], two["credits_used"], two["postings_new"]) == ("ok", 2, 2)
    assert fake.credits_served == 5 and stored(tmp_path) == (["1", "2", "3", "4", "5"], 2)
    last = json.loads(stats.stdout)["last_ingestion"]
    assert (last["run_id"], last["status"], last["postings_new"], last["credits_used"]) == (two["run_id"], "ok", 2, 2)


def test_without_an_api_key_ingest_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    result = career_nav(tmp_path, "ingest", key="")

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "career-nav: THEIR_STACK_API_KEY is not set, so there is nothing to ingest from (try `career-nav demo-data`)."
    ]


def test_a_rejected_key_is_one_clear_line_without_the_key(fake: FakeTheirStack, tmp_path: Path) -> None:
    result = career_nav(tmp_path, "ingest", "--role", "Data Scientist", key="ts-revoked-key-123", base_url=fake.base_url)

    assert result.returncode == 7
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("career-nav: TheirStack refused the API key (HTTP 401 Unauthorized")
    assert "ts-revoked-key-123" not in result.stderr + result.stdout and len(fake.requests) == 1


def test_bad_input_and_exhausted_credits_are_one_line_each(fake: FakeTheirStack, tmp_path: Path) -> None:
    unknown = career_nav(tmp_path, "ingest", "--location", "Atlantis", base_url=fake.base_url)
    assert unknown.returncode == 2 and fake.requests == []
    assert unknown.stderr.startswith("career-nav: Unknown location 'Atlantis'.") and len(unknown.stderr.splitlines()) == 1

    fake.fail_next(Fault())  # the balance check
    fake.fail_next(Fault(status=402, title="Not allowed exception"))
    broke = career_nav(tmp_path, "ingest", "--role", "Data Scientist", "--location", "US", base_url=fake.base_url)
    assert broke.returncode == 7 and "credits_exhausted" in broke.stdout
    assert broke.stderr.startswith("career-nav: TheirStack API credits are exhausted") and len(broke.stderr.splitlines()) == 1


def test_ingest_while_another_ingestion_runs_is_refused_with_exit_5_and_asks_nothing(fake: FakeTheirStack, tmp_path: Path) -> None:
    async def hold_lease() -> None:  # another process is ingesting (its lease is fresh)
        store = SqliteStore(tmp_path / "career_nav.sqlite3")
        await store.open()
        try:
            await store.locks.claim(INGEST_LEASE_KEY, "scheduler-host:42:abc", datetime.now(UTC), timedelta(minutes=10))
        finally:
            await store.close()

    asyncio.run(hold_lease())
    result = career_nav(tmp_path, "ingest", "--role", "Data Scientist", base_url=fake.base_url)

    assert result.returncode == 5 and "Another ingestion is running" in result.stderr and "scheduler-host:42:abc" in result.stderr
    assert "Traceback" not in result.stderr and fake.requests == []
    assert stored(tmp_path) == ([], 0)
