"""Shared by the bot tests: settings pointing at the fake Bot API, a demo-data directory, a running bot."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import run_bot
from core.bootstrap import open_navigator
from core.clock import FixedClock
from core.service import Navigator
from core.settings import Settings
from tests.fakes.telegram_server import FakeTelegram

DEMO_POSTINGS = 3000
DEMO_SEED = 7


def bot_settings(fake: FakeTelegram, data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a bot talking to `fake`, storing under `data_dir`, ignoring the developer's .env."""
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "CAREER_NAV_DATA_DIR": str(data_dir),
        "MONGODB_URI": "",
        "TELEGRAM_WEBHOOK_URL": "",
        "JWT_SECRET_KEY": "",
        "DEBUG": False,
    }
    return Settings(_env_file=None, **(values | overrides))


def build_demo_dir(path: Path) -> Path:
    """A data directory with demo postings (built once per session, copied per test)."""

    async def load() -> None:
        nav = await open_navigator(Settings(_env_file=None, CAREER_NAV_DATA_DIR=str(path), MONGODB_URI="", JWT_SECRET_KEY=""))
        try:
            await nav.load_demo_data(DEMO_POSTINGS, seed=DEMO_SEED)
        finally:
            await nav.close()

    asyncio.run(load())
    return path


def copy_data_dir(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@contextlib.asynccontextmanager
async def running_bot(navigator: Navigator, settings: Settings, fake: FakeTelegram) -> AsyncIterator[asyncio.Task[None]]:
    """Runs the bot in this event loop (polling the fake) until the block ends."""
    stop = asyncio.Event()
    polls_before = fake.polls_started
    task = asyncio.create_task(run_bot(navigator, settings, stop))
    try:
        await fake.until(lambda: fake.polls_started > polls_before or task.done(), what="the bot to start polling")
        if task.done():
            task.result()
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


# Fixtures shared by the in-process bot test modules (import the ones a module uses by name).


@pytest.fixture(scope="module")
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_dir(tmp_path_factory.mktemp("bot-demo") / "data")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC))


@pytest.fixture
def settings(fake, demo_template, tmp_path):
    fake.reset()
    return bot_settings(fake, copy_data_dir(demo_template, tmp_path / "data"))


@pytest.fixture
async def nav(settings, clock):
    navigator = await open_navigator(settings, clock=clock)
    yield navigator
    await navigator.close()


@pytest.fixture
async def bot(nav, settings, fake):
    async with running_bot(nav, settings, fake) as task:
        yield task


@pytest.fixture
def chat(fake, bot):
    return fake.chat(fake.user("Ada", last_name="Lovelace", username="ada"))


async def stored(nav: Navigator, chat: Any):
    """The stored account of the person playing `chat`."""
    return await nav.store.users.get_by_telegram_id(chat.id)
