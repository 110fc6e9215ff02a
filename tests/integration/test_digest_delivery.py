"""Digest delivery end to end: a real SQLite store on a fixed clock, the real notifier over HTTP to the fake Bot
API, and the numbers checked against counts taken straight from the test's own postings.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.digest_delivery import DEFAULT_LEASE, Outcome
from core.settings import Settings
from core.storage.digest_ports import FAILED, OUTCOME_UNKNOWN, SENT, SKIPPED
from scheduler.app import SchedulerApp
from scheduler.jobs import ScheduledJobs
from scheduler.notifier import TelegramPacer
from tests.accounts_support import account_service
from tests.digest_support import MONDAY, PERIOD, ROLE, World, digest_sends, expected_digest, market, per_chat, run_digest, subscriber
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def server():
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeTelegram) -> FakeTelegram:
    server.reset()
    return server


@pytest.fixture
async def world(tmp_path, taxonomy, roles, catalog):
    world = World(tmp_path / "store.sqlite3", (taxonomy, roles, catalog), FixedClock(MONDAY))
    nav = await world.open()
    this_week, last_week = market()
    await nav.add_postings([*this_week, *last_week])
    yield world
    await world.close()


@pytest.fixture
async def nav(world):
    return world.opened[0]


async def add_subscribers(nav, count: int, **fields) -> list:
    return [await nav.store.users.create(subscriber(n, **fields)) for n in range(1, count + 1)]


# --- content ------------------------------------------------------------------------------------------------


async def test_a_due_subscriber_gets_one_digest_whose_numbers_match_the_postings(nav, fake) -> None:
    [user] = await add_subscribers(nav, 1)
    expected = expected_digest(*market(), have={"Python", "SQL"})

    summary = await run_digest(nav, fake, charts=True)

    [call] = digest_sends(fake)
    assert summary.outcomes == {Outcome.SENT: 1} and call.method == "sendPhoto" and call.files["photo"].startswith(b"\x89PNG")
    [message] = fake.sent(user.telegram_id)
    low, high, average = expected.salary
    assert f"{expected.postings} postings this week, {expected.remote_percent:.0f}% remote" in message.text
    assert f"Salaries ${low:,.0f}–${high:,.0f} (avg midpoint ${average:,.0f})" in message.text
    assert "Rising: " + ", ".join(f"{s} ({c:+.1f} pp)" for s, c in expected.rising) in message.text
    assert "Cooling: " + ", ".join(f"{s} ({c:+.1f} pp)" for s, c in expected.cooling) in message.text
    assert f"You cover {expected.matched} of {expected.required} required skills ({100 * expected.matched / expected.required:.0f}%)." in message.text
    assert f"Next skill: {expected.next_skill} — about {expected.unlocks} more posting" in message.text
    assert "Project idea:" in message.text and f"— {ROLE}" in message.text and "Hi Reader!" in message.text
    entry = await nav.store.digests.get(user.id, PERIOD)
    assert (entry.state, entry.message_id, entry.coverage["matched"]) == (SENT, message.message_id, expected.matched)


async def test_next_weeks_digest_says_how_coverage_moved_since_the_last_one(nav, fake, world) -> None:
    [user] = await add_subscribers(nav, 1)
    await run_digest(nav, fake)
    before = expected_digest(*market(), have={"Python", "SQL"})
    await nav.store.users.update(user.id, {"skills": ["Python", "SQL", before.next_skill]})
    world.clock.advance(days=7)

    await run_digest(nav, fake)

    first, second = fake.sent(user.telegram_id)
    assert f"You cover {before.matched} of {before.required}" in first.text and "from" not in first.text.split("required skills")[1].split("\n")[0]
    assert f"You cover {before.matched + 1} of {before.required} required skills" in second.text
    assert f"up from {before.matched}." in second.text and "0 postings this week" in second.text


async def test_a_user_without_a_target_role_gets_the_market_digest_and_a_nudge(nav, fake) -> None:
    [user] = await add_subscribers(nav, 1, target_roles=[])

    await run_digest(nav, fake)

    [message] = fake.sent(user.telegram_id)
    assert "the whole market" in message.text and "20 postings this week" in message.text
    assert "Set a target role with /role" in message.text and "You cover" not in message.text


# --- who gets one -------------------------------------------------------------------------------------------


async def test_only_opted_in_users_with_a_chat_get_a_digest(nav, fake) -> None:
    [subscribed] = await add_subscribers(nav, 1)
    opted_out = await nav.store.users.create(subscriber(2, digest_opt_in=False))
    await nav.store.users.create(subscriber(3, telegram_id=None, email="cli@example.com"))

    summary = await run_digest(nav, fake)

    assert per_chat(fake) == {subscribed.telegram_id: 1} and summary.subscribers == 1
    assert fake.sent(opted_out.telegram_id) == [] and await nav.store.digests.get(opted_out.id, PERIOD) is None


async def test_each_user_is_served_at_nine_on_monday_in_their_own_timezone(nav, fake, world) -> None:
    zones = {"tokyo": "Asia/Tokyo", "kiritimati": "Pacific/Kiritimati", "utc": "UTC", "kolkata": "Asia/Kolkata", "new_york": "America/New_York"}
    users = {name: await nav.store.users.create(subscriber(n, timezone=zone)) for n, (name, zone) in enumerate(zones.items(), 1)}
    world.clock.advance(hours=-8, minutes=-30)  # Monday 01:00 UTC: 10:00 in Tokyo, 15:00 in Kiritimati

    await run_digest(nav, fake)
    early = set(per_chat(fake))
    world.clock.advance(hours=3)  # 04:00 UTC: 09:30 in Kolkata
    await run_digest(nav, fake)

    assert early == {users["tokyo"].telegram_id, users["kiritimati"].telegram_id}
    assert set(per_chat(fake)) == early | {users["kolkata"].telegram_id} and set(per_chat(fake).values()) == {1}
    assert (await nav.store.digests.get(users["kiritimati"].id, PERIOD)).state == SENT


# --- Telegram's answers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "description"), [
    (403, "Forbidden: bot was blocked by the user"),
    (403, "Forbidden: user is deactivated"),
    (400, "Bad Request: chat not found"),
])
async def test_a_user_who_blocked_the_bot_or_vanished_is_unsubscribed_and_never_retried(nav, fake, status, description) -> None:
    gone, kept = await add_subscribers(nav, 2)
    fake.fail_next("sendMessage", status, description=description)

    summary = await run_digest(nav, fake, concurrency=1)
    await run_digest(nav, fake)

    assert summary.outcomes == {Outcome.UNSUBSCRIBED: 1, Outcome.SENT: 1} and per_chat(fake) == {kept.telegram_id: 1}
    assert (await nav.store.users.get(gone.id)).digest_opt_in is False
    entry = await nav.store.digests.get(gone.id, PERIOD)
    assert (entry.state, entry.error) == (SKIPPED, description)
    assert len(fake.calls_to("sendMessage")) == 2


async def test_flood_control_is_waited_out_and_the_message_delivered_once(nav, fake) -> None:
    [user] = await add_subscribers(nav, 1)
    fake.fail_next("sendMessage", 429, retry_after=1)

    summary = await run_digest(nav, fake)

    refused, delivered = fake.calls_to("sendMessage")
    assert (refused.status, delivered.status) == (429, 200) and delivered.at - refused.at >= 1.0
    assert summary.outcomes == {Outcome.SENT: 1} and len(fake.sent(user.telegram_id)) == 1
    assert (await nav.store.digests.get(user.id, PERIOD)).attempts == 1


async def test_server_errors_are_retried_and_a_user_who_stays_unreachable_is_retried_by_the_next_run(nav, fake) -> None:
    [user] = await add_subscribers(nav, 1)
    fake.fail_next("sendMessage", 502, times=3)

    first = await run_digest(nav, fake, max_retries=1, pacer=TelegramPacer(per_chat_seconds=0.01))
    second = await run_digest(nav, fake, max_retries=1, pacer=TelegramPacer(per_chat_seconds=0.01))

    assert first.outcomes == {Outcome.FAILED: 1} and second.outcomes == {Outcome.SENT: 1}
    assert [c.status for c in fake.calls_to("sendMessage")] == [502, 502, 502, 200] and len(fake.sent(user.telegram_id)) == 1
    assert (await nav.store.digests.get(user.id, PERIOD)).attempts == 2


# --- exactly once -------------------------------------------------------------------------------------------


async def test_a_run_stopped_after_some_sends_and_restarted_delivers_the_rest_once(nav, fake) -> None:
    users = await add_subscribers(nav, 9)
    stop, loop = asyncio.Event(), asyncio.get_running_loop()
    fake.after_calls(("sendMessage",), 4, lambda call: loop.call_soon_threadsafe(stop.set))

    first = await run_digest(nav, fake, concurrency=3, stop=stop)
    delivered_first = len(digest_sends(fake))
    second = await run_digest(nav, fake, concurrency=3)

    assert first.stopped and 4 <= delivered_first < 9 and first.outcomes[Outcome.SENT] == delivered_first
    assert second.outcomes == {Outcome.SENT: 9 - delivered_first} and second.already_done == delivered_first
    assert per_chat(fake) == {user.telegram_id: 1 for user in users}


CRASHING_RUN = textwrap.dedent("""
    import asyncio, sys
    from datetime import datetime
    from pathlib import Path
    from core.catalog import Catalog
    from core.clock import FixedClock
    from core.digest_delivery import DigestComposer, DigestSender
    from core.service import Navigator
    from core.skills.roles import RoleCatalog
    from core.skills.taxonomy import Taxonomy
    from core.storage.sqlite.store import SqliteStore
    from scheduler.digest import DigestRun
    from scheduler.notifier import TelegramNotifier

    async def main(path, base_url, token, now):
        store = SqliteStore(Path(path))
        await store.open()
        nav = Navigator(store, Taxonomy.load(), RoleCatalog.load(), Catalog.load(), clock=FixedClock(datetime.fromisoformat(now)))
        async with TelegramNotifier(token, base_url) as notifier:
            sender = DigestSender(nav, notifier, DigestComposer(nav, charts=False), owner="doomed")
            await DigestRun(nav, sender, "0 9 * * 1", concurrency=1).run()

    asyncio.run(main(*sys.argv[1:5]))
""")


async def test_a_run_killed_mid_send_and_restarted_delivers_the_rest_and_repeats_no_one(nav, fake, world) -> None:
    users = await add_subscribers(nav, 7)
    child: list[subprocess.Popen] = []
    fake.after_calls(("sendMessage",), 3, lambda call: os.kill(child[0].pid, signal.SIGKILL))  # after Telegram took the 3rd
    child.append(subprocess.Popen([sys.executable, "-c", CRASHING_RUN, str(world.path), fake.base_url, fake.token, MONDAY.isoformat()],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    _, errors = await asyncio.to_thread(child[0].communicate, timeout=60)
    assert child[0].returncode == -signal.SIGKILL, errors
    in_flight = next(u for u in users if u.telegram_id == digest_sends(fake)[-1].params["chat_id"])

    restart = await run_digest(nav, fake)
    world.clock.advance(seconds=DEFAULT_LEASE.total_seconds())
    later = await run_digest(nav, fake)

    assert restart.outcomes == {Outcome.SENT: 4, Outcome.IN_PROGRESS: 1}
    assert later.settled_unknown == 1 and later.outcomes == {}
    assert per_chat(fake) == {user.telegram_id: 1 for user in users}
    entry = await nav.store.digests.get(in_flight.id, PERIOD)
    assert (entry.state, entry.error, entry.retry) == (FAILED, OUTCOME_UNKNOWN, False)


async def test_two_schedulers_racing_on_one_store_deliver_each_digest_once(nav, fake, world) -> None:
    users = await add_subscribers(nav, 12)
    other = await world.open()

    first, second = await asyncio.gather(run_digest(nav, fake, concurrency=3), run_digest(other, fake, concurrency=3))

    assert per_chat(fake) == {user.telegram_id: 1 for user in users}
    assert first.outcomes[Outcome.SENT] + second.outcomes[Outcome.SENT] == 12


async def test_the_scheduled_digest_slot_delivers_and_records_its_run(nav, fake) -> None:
    users = await add_subscribers(nav, 3)
    settings = Settings(_env_file=None, MONGODB_URI="", DEBUG=True, THEIR_STACK_API_KEY="",
                        TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
    app = SchedulerApp(nav, ScheduledJobs(nav, settings, None), grace=timedelta(hours=1))

    assert await app.run_latest("digest") and not await app.run_latest("digest")

    [run] = await nav.store.runs.for_slot("digest:2026-11-30T09:30:00+00:00")
    assert run.status == "ok" and run.summary["outcomes"] == {"sent": 3} and run.summary["due"] == 3
    assert per_chat(fake) == {user.telegram_id: 1 for user in users}


async def test_deleting_an_account_deletes_its_digest_history(nav, fake) -> None:
    doomed, kept = await add_subscribers(nav, 2)
    await run_digest(nav, fake)

    report = await account_service(nav.store, nav.clock).delete_user(doomed.id)

    assert report.removed["digests"] == 1
    assert await nav.store.digests.last_sent(doomed.id) is None and await nav.store.digests.last_sent(kept.id) is not None
