"""`career-nav cleanup` as a subprocess: the same housekeeping as the scheduler's slot, read back from the store."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.storage.sqlite.store import SqliteStore
from tests.cli_support import career_nav
from tests.housekeeping_support import REPORTED, SURVIVORS, seed_stale_and_live, survivors

NOW = datetime.now(UTC).replace(microsecond=0)


def in_store(data_dir: Path, work: Any) -> Any:
    """Runs `work(store)` on the data directory's embedded store, as the CLI will open it."""
    async def main() -> Any:
        store = SqliteStore(data_dir / "career_nav.sqlite3")
        await store.open()
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


def seeded(tmp_path: Path) -> Path:
    in_store(tmp_path, lambda store: seed_stale_and_live(store, NOW))
    return tmp_path


def test_cleanup_purges_the_ledgers_too_and_keeps_its_first_line(tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)

    result = career_nav(data_dir, "cleanup")  # the seed's survivors are the same for any retention of 2-199 days

    assert result.returncode == 0, result.stderr
    assert in_store(data_dir, lambda store: survivors(store, NOW)) == SURVIVORS
    first, ledgers = result.stdout.splitlines()
    assert re.fullmatch(r"Deleted 1 postings older than \d{4}-\d\d-\d\d \(\d+ days\); rebuilt 1 day\(s\) of rollups\.", first)
    assert ledgers == (
        "Purged 3 digest ledger entries, 1 expired token records, 1 expired link codes, 1 failed-attempt records, "
        "1 job runs, 1 slot locks."
    )


def test_cleanup_json_reports_what_the_scheduler_records(tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)

    result = career_nav(data_dir, "cleanup", "--retention-days", "90", "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    cutoff = (datetime.now(UTC).date() - timedelta(days=90)).isoformat()
    assert {key: report.pop(key) for key in ("retention_days", "cutoff")} == {"retention_days": 90, "cutoff": cutoff}
    assert report == REPORTED
    assert in_store(data_dir, lambda store: survivors(store, NOW)) == SURVIVORS


def test_a_bad_retention_is_one_line_and_deletes_nothing(tmp_path: Path) -> None:
    data_dir = seeded(tmp_path)
    before = in_store(data_dir, lambda store: survivors(store, NOW))

    result = career_nav(data_dir, "cleanup", "--retention-days", "5000")

    assert result.returncode == 2 and result.stderr.startswith("career-nav: ") and len(result.stderr.splitlines()) == 1
    assert in_store(data_dir, lambda store: survivors(store, NOW)) == before
