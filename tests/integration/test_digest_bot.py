"""`/digest now` and `/digest preview` in the real bot, polling the fake Bot API; the ledger behind them."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.bootstrap import open_navigator
from core.clock import FixedClock
from core.digest_delivery import Outcome
from core.models import ProfileUpdate
from core.storage.digest_ports import SENT
from tests.bot_support import bot_settings, running_bot
from tests.digest_support import MONDAY, PERIOD, ROLE, market, run_digest
from tests.fakes.telegram_server import FakeTelegram


@pytest.fixture(scope="module")
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def nav(fake, tmp_path):
    fake.reset()
    navigator = await open_navigator(bot_settings(fake, tmp_path / "data"), clock=FixedClock(MONDAY))
    this_week, last_week = market()
    await navigator.add_postings([*this_week, *last_week])
    yield navigator
    await navigator.close()


@pytest.fixture
async def chat(nav, fake, tmp_path):
    async with running_bot(nav, bot_settings(fake, tmp_path / "data"), fake):
        person = fake.chat(fake.user("Ada", last_name="Lovelace"))
        user = await nav.accounts.get_or_create_telegram_user(person.id, "Ada Lovelace")
        await nav.accounts.update_profile(user.id, ProfileUpdate(target_roles=[ROLE], skills=["Python", "SQL"]))
        yield person


async def ledger_entry(nav, chat):
    user = await nav.store.users.get_by_telegram_id(chat.id)
    return await nav.store.digests.get(user.id, PERIOD)


async def settled_entry(nav, chat, timeout: float = 10.0):
    """The ledger entry once the bot has finished recording it (the message reaches the fake first)."""
    deadline = time.monotonic() + timeout
    while (entry := await ledger_entry(nav, chat)) is None or entry.state == "sending":
        assert time.monotonic() < deadline, f"the digest was not recorded in time: {entry}"
        await asyncio.sleep(0.01)
    return entry


async def test_digest_now_sends_this_weeks_digest_and_records_it(chat, nav) -> None:
    [digest] = await chat.send("/digest now")

    assert digest.kind == "photo" and "Your weekly Career Navigator digest — Data Engineer" in digest.text
    assert "You cover 2 of 5 required skills" in digest.text
    entry = await settled_entry(nav, chat)
    assert (entry.state, entry.message_id) == (SENT, digest.message_id)


async def test_digest_now_twice_in_a_week_sends_once_and_says_so(chat, nav) -> None:
    await chat.send("/digest now")
    await settled_entry(nav, chat)

    [reply] = await chat.send("/digest NOW")

    assert "already been sent" in reply.text and "/digest preview" in reply.text
    assert sum(message.kind == "photo" for message in chat.messages) == 1


async def test_the_scheduled_run_does_not_repeat_a_digest_sent_with_digest_now(chat, nav, fake) -> None:
    await chat.send("/digest on")
    await chat.send("/digest now")
    await settled_entry(nav, chat)

    summary = await run_digest(nav, fake)

    assert summary.already_done == 1 and summary.outcomes.get(Outcome.SENT, 0) == 0
    assert sum(message.kind == "photo" for message in chat.messages) == 1


async def test_digest_preview_shows_the_digest_without_recording_it(chat, nav, fake) -> None:
    [preview] = await chat.send("/digest preview")

    assert preview.kind == "photo" and "Next skill:" in preview.text
    assert await ledger_entry(nav, chat) is None
    await chat.send("/digest on")
    assert (await run_digest(nav, fake)).outcomes == {Outcome.SENT: 1}


async def test_digest_with_something_else_still_explains_its_usage(chat) -> None:
    [reply] = await chat.send("/digest sometimes")

    assert "Usage: /digest [on|off] | /digest now | /digest preview" in reply.text
