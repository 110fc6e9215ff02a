"""The digest ledger behaves the same on every adapter: claims, the idempotency note, terminal states.

Whole-second times near the real clock, as in the run contract (MongoDB keeps milliseconds).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.storage.digest_ports import FAILED, OUTCOME_UNKNOWN, SENDING, SENT, SKIPPED
from core.storage.ports import Store
from tests.contract.test_run_contract import second_connection

NOW = datetime.now(UTC).replace(microsecond=0)
LEASE = timedelta(minutes=10)
WEEK = "2026-W48"
COVERAGE = {"role": "Data Engineer", "matched": 6, "required": 12, "percentage": 50.0}


async def test_a_first_claim_wins_and_reads_back_as_sending(store: Store) -> None:
    entry = await store.digests.claim("u1", WEEK, "a", NOW, LEASE)

    assert (entry.state, entry.attempts, entry.owner, entry.claimed_at, entry.lease_until) == (SENDING, 1, "a", NOW, NOW + LEASE)
    assert entry.transmitting_at is None and await store.digests.get("u1", WEEK) == entry


async def test_an_entry_being_sent_is_refused_to_every_other_claimer(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "a", NOW, LEASE)

    assert await store.digests.claim("u1", WEEK, "b", NOW + timedelta(minutes=9), LEASE) is None
    assert await store.digests.claim("u1", WEEK, "a", NOW, LEASE) is None
    assert await store.digests.claim("u1", "2026-W49", "b", NOW, LEASE) is not None  # another period is another entry


async def test_concurrent_claims_of_one_entry_have_exactly_one_winner(store: Store) -> None:
    results = await asyncio.gather(*(store.digests.claim("u1", WEEK, f"p{i}", NOW, LEASE) for i in range(8)))

    assert sum(result is not None for result in results) == 1


async def test_claims_through_two_connections_have_exactly_one_winner(store: Store) -> None:
    async with second_connection(store) as other:
        for n in range(5):
            results = await asyncio.gather(store.digests.claim(f"u{n}", WEEK, "a", NOW, LEASE), other.digests.claim(f"u{n}", WEEK, "b", NOW, LEASE))
            assert sorted(result is not None for result in results) == [False, True]


async def test_a_sent_digest_is_never_claimed_again_and_keeps_its_coverage(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "a", NOW, LEASE)
    assert await store.digests.mark_transmitting("u1", WEEK, "a", NOW, LEASE)

    assert await store.digests.mark_sent("u1", WEEK, "a", NOW + timedelta(seconds=1), 77, COVERAGE)
    assert await store.digests.claim("u1", WEEK, "b", NOW + timedelta(days=3), LEASE) is None
    sent = await store.digests.get("u1", WEEK)
    assert (sent.state, sent.message_id, sent.coverage, sent.sent_at) == (SENT, 77, COVERAGE, NOW + timedelta(seconds=1))


async def test_only_the_owner_of_a_claim_can_settle_it(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "a", NOW, LEASE)

    assert not await store.digests.mark_sent("u1", WEEK, "intruder", NOW, 1, None)
    assert not await store.digests.mark_transmitting("u1", WEEK, "intruder", NOW, LEASE)
    assert (await store.digests.get("u1", WEEK)).state == SENDING


async def test_a_retryable_failure_is_claimed_again_until_attempts_run_out(store: Store) -> None:
    for attempt in (1, 2):
        entry = await store.digests.claim("u1", WEEK, f"run{attempt}", NOW, LEASE, max_attempts=2)
        assert entry.attempts == attempt
        assert await store.digests.mark_failed("u1", WEEK, f"run{attempt}", NOW, "Telegram unreachable", retry=True)

    assert await store.digests.claim("u1", WEEK, "run3", NOW, LEASE, max_attempts=2) is None
    failed = await store.digests.get("u1", WEEK)
    assert (failed.state, failed.error, failed.retry) == (FAILED, "Telegram unreachable", True)


async def test_skipped_and_final_failures_are_terminal(store: Store) -> None:
    await store.digests.claim("gone", WEEK, "a", NOW, LEASE)
    await store.digests.mark_skipped("gone", WEEK, "a", NOW, "blocked the bot")
    await store.digests.claim("refused", WEEK, "a", NOW, LEASE)
    await store.digests.mark_failed("refused", WEEK, "a", NOW, "Bad Request", retry=False)
    await store.digests.claim("retry", WEEK, "a", NOW, LEASE)
    await store.digests.mark_failed("retry", WEEK, "a", NOW, "timeout", retry=True)
    await store.digests.claim("sent", WEEK, "a", NOW, LEASE)
    await store.digests.mark_sent("sent", WEEK, "a", NOW, 1, None)
    await store.digests.claim("busy", WEEK, "a", NOW, LEASE)

    assert await store.digests.finished_users(WEEK) == {"gone", "refused", "sent"}
    assert await store.digests.counts(WEEK) == {SKIPPED: 1, FAILED: 2, SENT: 1, SENDING: 1}
    assert (await store.digests.get("gone", WEEK)).error == "blocked the bot"


async def test_an_expired_claim_that_never_transmitted_is_taken_over(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "crashed", NOW, LEASE)

    entry = await store.digests.claim("u1", WEEK, "b", NOW + LEASE, LEASE)

    assert (entry.owner, entry.attempts) == ("b", 2)
    assert not await store.digests.mark_sent("u1", WEEK, "crashed", NOW + LEASE, 1, None)


async def test_an_expired_claim_that_was_transmitting_is_settled_as_unknown_and_never_resent(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "crashed", NOW, LEASE)
    await store.digests.mark_transmitting("u1", WEEK, "crashed", NOW, LEASE)
    await store.digests.claim("u2", WEEK, "alive", NOW, LEASE)
    await store.digests.mark_transmitting("u2", WEEK, "alive", NOW + timedelta(minutes=5), LEASE)

    assert await store.digests.claim("u1", WEEK, "b", NOW + LEASE, LEASE) is None
    assert await store.digests.settle_stale(NOW + LEASE) == 1

    settled = await store.digests.get("u1", WEEK)
    assert (settled.state, settled.retry, settled.error) == (FAILED, False, OUTCOME_UNKNOWN)
    assert await store.digests.claim("u1", WEEK, "b", NOW + timedelta(days=1), LEASE) is None
    assert (await store.digests.get("u2", WEEK)).state == SENDING  # its lease was extended by the note


async def test_a_cleared_note_lets_a_takeover_resend_after_a_certain_failure(store: Store) -> None:
    await store.digests.claim("u1", WEEK, "crashed", NOW, LEASE)
    await store.digests.mark_transmitting("u1", WEEK, "crashed", NOW, LEASE)
    assert await store.digests.clear_transmitting("u1", WEEK, "crashed", NOW + timedelta(seconds=1))

    assert await store.digests.settle_stale(NOW + 2 * LEASE) == 0
    assert (await store.digests.claim("u1", WEEK, "b", NOW + 2 * LEASE, LEASE)).owner == "b"


async def test_the_last_sent_digest_is_the_newest_sent_one(store: Store) -> None:
    for period, day in (("2026-W46", 0), ("2026-W47", 7)):
        await store.digests.claim("u1", period, "a", NOW + timedelta(days=day), LEASE)
        await store.digests.mark_sent("u1", period, "a", NOW + timedelta(days=day), day, {"matched": day})
    await store.digests.claim("u1", WEEK, "a", NOW + timedelta(days=14), LEASE)
    await store.digests.mark_failed("u1", WEEK, "a", NOW + timedelta(days=14), "x", retry=False)

    last = await store.digests.last_sent("u1")
    assert (last.period, last.coverage) == ("2026-W47", {"matched": 7})
    assert await store.digests.last_sent("nobody") is None


async def test_deleting_a_users_entries_leaves_other_users_alone(store: Store) -> None:
    for user in ("doomed", "doomed", "kept"):
        period = "2026-W47" if await store.digests.get(user, WEEK) else WEEK
        await store.digests.claim(user, period, "a", NOW, LEASE)

    assert await store.digests.delete_for_user("doomed") == 2
    assert await store.digests.get("doomed", WEEK) is None and await store.digests.get("kept", WEEK) is not None


# --- purging old entries --------------------------------------------------------------------------------------

OLD = NOW - timedelta(weeks=30)
CUTOFF = NOW - timedelta(weeks=26)


async def sent(store: Store, user_id: str, period: str, at: datetime, matched: int) -> None:
    await store.digests.claim(user_id, period, "a", at, LEASE)
    await store.digests.mark_sent(user_id, period, "a", at, matched, {"matched": matched})


async def test_digest_purge_keeps_each_users_latest_sent_entry(store: Store) -> None:
    await sent(store, "quiet", "2026-W10", OLD, 1)
    await sent(store, "quiet", "2026-W11", OLD + timedelta(days=7), 2)  # old, but the newest this user received
    await store.digests.claim("quiet", "2026-W12", "a", OLD + timedelta(days=14), LEASE)
    await store.digests.mark_failed("quiet", "2026-W12", "a", OLD + timedelta(days=14), "chat not found", retry=False)
    await sent(store, "active", "2026-W10", OLD, 3)
    await sent(store, "active", WEEK, NOW, 4)

    assert await store.digests.delete_older_than(CUTOFF) == 3

    assert [await store.digests.get("quiet", p) is not None for p in ("2026-W10", "2026-W11", "2026-W12")] == [False, True, False]
    assert [await store.digests.get("active", p) is not None for p in ("2026-W10", WEEK)] == [False, True]
    assert (await store.digests.last_sent("quiet")).coverage == {"matched": 2}
    assert (await store.digests.last_sent("active")).coverage == {"matched": 4}


async def test_digest_purge_never_touches_an_entry_being_sent(store: Store) -> None:
    await store.digests.claim("crashed", "2026-W10", "a", OLD, LEASE)
    await store.digests.mark_transmitting("crashed", "2026-W10", "a", OLD, LEASE)  # left in flight; settle_stale's to judge
    await store.digests.claim("stalled", "2026-W10", "a", OLD, LEASE)
    await store.digests.claim("blocked", "2026-W10", "a", OLD, LEASE)
    await store.digests.mark_skipped("blocked", "2026-W10", "a", OLD, "blocked the bot")

    assert await store.digests.delete_older_than(CUTOFF) == 1

    assert [await store.digests.get(u, "2026-W10") is not None for u in ("crashed", "stalled", "blocked")] == [True, True, False]


async def test_digest_purge_keeps_every_entry_newer_than_the_cutoff(store: Store) -> None:
    await sent(store, "u1", "2026-W46", CUTOFF + timedelta(seconds=1), 1)
    await sent(store, "u1", "2026-W47", NOW, 2)
    await store.digests.claim("u1", WEEK, "a", NOW, LEASE)
    await store.digests.mark_failed("u1", WEEK, "a", NOW, "Telegram unreachable", retry=True)

    assert await store.digests.delete_older_than(CUTOFF) == 0
    assert await store.digests.counts("2026-W46") == {SENT: 1} and await store.digests.counts(WEEK) == {FAILED: 1}
