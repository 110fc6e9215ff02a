"""`career-nav digest [--dry-run]` run as a subprocess (registered on a parser the way cli.main does), against a
prepared store and, for the real send, the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.catalog import Catalog
from core.clock import SystemClock
from core.digest import digest_period
from core.service import Navigator
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore
from tests.digest_support import subscriber
from tests.factories import posting
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).parents[2]
SUBSCRIBERS = 61
DIGEST_COMMAND = (
    "import argparse, sys\n"
    "from cli import digest\n"
    "parser = argparse.ArgumentParser(prog='career-nav')\n"
    "digest.register(parser.add_subparsers(dest='command', required=True))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.handler(args))\n"
)


def schedule_due_now() -> str:
    """A weekly schedule whose send time is this very minute (so every UTC subscriber is due)."""
    now = datetime.now(UTC)
    return f"{now.minute} {now.hour} * * {now.isoweekday() % 7}"


def career_nav_digest(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "THEIR_STACK_API_KEY": "", "MONGODB_URI": "",
                   "TELEGRAM_BOT_TOKEN": "", "DIGEST_SCHEDULE": schedule_due_now(), **env}
    environment.pop("LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-c", DIGEST_COMMAND, "digest", *args], capture_output=True, text=True, env=environment, timeout=120, cwd=ROOT)


async def _with_store(data_dir: Path, work):  # type: ignore[no-untyped-def]
    store = SqliteStore(data_dir / "career_nav.sqlite3")
    await store.open()
    try:
        return await work(Navigator(store, Taxonomy.load(), RoleCatalog.load(), Catalog.load(), clock=SystemClock()))
    finally:
        await store.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    async def prepare(nav: Navigator) -> None:
        today = datetime.now(UTC).date()
        await nav.add_postings([posting(skills=["Python", "SQL", "Spark"][: 1 + n % 3], day=today, roles=["data_engineer"]) for n in range(30)])
        for n in range(1, SUBSCRIBERS + 1):
            await nav.store.users.create(subscriber(n, target_roles=[] if n % 2 else ["Data Engineer"]))

    asyncio.run(_with_store(tmp_path, prepare))
    return tmp_path


def test_a_dry_run_builds_every_digest_reports_the_send_time_and_writes_nothing(data_dir: Path) -> None:
    result = career_nav_digest(data_dir, "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["subscribers"], report["due_now"], report["built"], report["build_errors"]) == (SUBSCRIBERS, SUBSCRIBERS, SUBSCRIBERS, 0)
    assert report["send_seconds_due"] == report["send_seconds_all"] == (SUBSCRIBERS - 1) // 30
    period = digest_period(datetime.now(UTC))
    counts, runs = asyncio.run(_with_store(data_dir, lambda nav: _ledgers(nav, period)))
    assert counts == {} and runs == []


async def _ledgers(nav: Navigator, period: str):  # type: ignore[no-untyped-def]
    return await nav.store.digests.counts(period), await nav.store.runs.recent()


def test_a_dry_run_speaks_plainly_to_people(data_dir: Path) -> None:
    result = career_nav_digest(data_dir, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "nothing was sent and nothing was written" in result.stdout
    assert f"Built {SUBSCRIBERS} digest(s)" in result.stdout and "A real send would take at least 2 s" in result.stdout


def test_sending_without_a_bot_token_is_refused_with_one_line(data_dir: Path) -> None:
    result = career_nav_digest(data_dir)

    assert result.returncode == 2 and result.stderr.strip() == "career-nav: TELEGRAM_BOT_TOKEN is not set: nothing can be sent (try --dry-run)"


def test_sending_delivers_to_every_due_subscriber_once_and_records_the_run(data_dir: Path) -> None:
    with FakeTelegram() as fake:
        result = career_nav_digest(data_dir, "--json", TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
        again = career_nav_digest(data_dir, "--json", TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
        chats = {call.params["chat_id"] for call in fake.calls if call.method in ("sendMessage", "sendPhoto") and call.status == 200}

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcomes"] == {"sent": SUBSCRIBERS} and len(chats) == SUBSCRIBERS
    assert json.loads(again.stdout)["already_done"] == SUBSCRIBERS and json.loads(again.stdout)["outcomes"] == {}
    runs = asyncio.run(_with_store(data_dir, lambda nav: nav.store.runs.recent("digest")))
    assert [run.status for run in runs] == ["ok", "ok"]
