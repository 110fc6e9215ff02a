"""Builders shared by the MCP tests: a demo store copied per test, accounts with a known secret, users with
tokens, and the HTTP server running on a free loopback port inside the test's event loop."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest

import httpx

from core.bootstrap import open_navigator
from core.clock import Clock, FixedClock
from core.models import ProfileUpdate, User
from core.service import Navigator
from core.settings import Settings
from mcp_server import run_http

SECRET = "mcp-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DEMO_POSTINGS = 2000
DEMO_SEED = 7
START_TIMEOUT = 15.0

_telegram_ids = count(7_000_001)


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"CAREER_NAV_DATA_DIR": str(data_dir), "MONGODB_URI": "", "JWT_SECRET_KEY": SECRET, "CAREER_NAV_TOKEN": ""}
    return Settings(**{**values, **overrides})


def build_demo_store(data_dir: Path, clock: Clock | None = None) -> Path:
    """A store with the demo postings (dated relative to `clock`); returns its SQLite file."""

    async def build() -> None:
        nav = await open_navigator(settings_for(data_dir), clock=clock)
        try:
            await nav.load_demo_data(DEMO_POSTINGS, seed=DEMO_SEED)
        finally:
            await nav.close()

    asyncio.run(build())
    return settings_for(data_dir).sqlite_path


async def open_copy(template: Path, data_dir: Path, clock: Clock | None = None) -> Navigator:
    """A navigator over a private copy of a prepared store (fast, and each test can change its own data)."""
    target = settings_for(data_dir).sqlite_path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return await open_navigator(settings_for(data_dir), clock=clock)


def fixed_clock() -> FixedClock:
    return FixedClock(NOW)


async def user_with_token(nav: Navigator, *, skills: list[str] | None = None, roles: list[str] | None = None, **profile: Any) -> tuple[User, str]:
    """A new account with the given profile and a freshly issued personal token."""
    accounts = nav.accounts
    user = await accounts.get_or_create_telegram_user(next(_telegram_ids), name="Test User")
    user = await accounts.update_profile(user.id, ProfileUpdate(skills=skills, target_roles=roles, **profile))
    issued = await accounts.issue_token(user.id)
    return user, issued.token


@asynccontextmanager
async def http_server(nav: Navigator) -> AsyncIterator[str]:
    """Runs `run_http` on 127.0.0.1 with a free port; yields the /mcp URL once /health answers."""
    stop, urls = asyncio.Event(), []
    task = asyncio.create_task(run_http(nav, "127.0.0.1", 0, stop, on_ready=urls.append))
    try:
        url = await asyncio.wait_for(_ready(task, urls), START_TIMEOUT)
        yield url
    finally:
        stop.set()
        await asyncio.wait_for(task, START_TIMEOUT)


async def _ready(task: asyncio.Task[None], urls: list[str]) -> str:
    while not urls:  # on_ready runs right after the socket is bound
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient() as client:
        response = await client.get(base_url(urls[0]) + "/health")
    response.raise_for_status()
    return urls[0]


def base_url(mcp_url: str) -> str:
    return mcp_url.removesuffix("/mcp")


# Fixtures shared by the MCP test modules (import the ones a module uses by name).


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store per test session; every test opens its own copy."""
    return build_demo_store(tmp_path_factory.mktemp("mcp-demo"), fixed_clock())


@pytest.fixture
async def nav(demo_template: Path, tmp_path: Path, clock):
    navigator = await open_copy(demo_template, tmp_path / "data", clock)
    yield navigator
    await navigator.close()


# --- the official MCP Inspector CLI (npm): a client that is not ours -------------------------------------

INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "career-nav" / "mcp-inspector-2.12.0"
INSTALL_TIMEOUT = 600
CALL_TIMEOUT = 60
TOOL_IS_ERROR = 5  # the Inspector CLI's exit code when the tool answered isError: true


@pytest.fixture(scope="session")
def inspector() -> Path:
    """The Inspector's CLI, installed once with npm into a cache directory."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    binary = CACHE / "node_modules" / ".bin" / "mcp-inspector"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run([npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", INSPECTOR], capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        assert installed.returncode == 0, installed.stderr
    return binary


async def inspect(inspector: Path, home: Path, url: str, *args: str, exit_code: int = 0) -> dict[str, Any]:
    """Runs `mcp-inspector --cli <url> --transport http ... --format json` and returns its JSON result."""
    command = [str(inspector), "--cli", url, "--transport", "http", "--format", "json", *args]
    env = {**os.environ, "HOME": str(home)}  # the Inspector keeps a catalog under ~/.mcp-inspector
    process = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), CALL_TIMEOUT)
    assert process.returncode == exit_code, stderr.decode() + stdout.decode()
    return json.loads(stdout)["result"]
