"""Shared by the CLI tests: run `career-nav` as a subprocess on a data directory, read back what it stored."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from core.models import Posting
from core.storage.sqlite.store import SqliteStore

ROOT = Path(__file__).resolve().parents[1]


def career_nav(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`career-nav ARGS` on the embedded store in data_dir (stdin closed unless given), ignoring the developer's TheirStack key and MongoDB."""
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "THEIR_STACK_API_KEY": "", "MONGODB_URI": ""}
    env.pop("LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, input=stdin, timeout=120, cwd=ROOT)


def stored_postings(data_dir: Path) -> list[Posting]:
    async def read() -> list[Posting]:
        store = SqliteStore(data_dir / "career_nav.sqlite3")
        await store.open()
        try:
            return [p async for p in store.postings.iter_all()]
        finally:
            await store.close()

    return asyncio.run(read())
