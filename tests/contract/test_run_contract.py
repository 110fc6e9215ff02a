"""The run ledger, ingestion watermarks and slot locks behave the same on every adapter.

Times sit near the real clock: MongoDB (and the in-process engine) apply the lock TTL index against the wall
clock, so records dated far away would vanish under the test. Whole seconds, because MongoDB keeps
milliseconds.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from core.storage.ports import Store
from core.storage.run_ports import RunRecord, Watermark
from tests.contract.conftest import MONGO_URI_VARIABLE

NOW = datetime.now(UTC).replace(microsecond=0)
LEASE = timedelta(minutes=5)


def run(run_id: str, job: str = "ingest", *, minutes_ago: int = 0, slot: str | None = None, status: str = "ok") -> RunRecord:
    finished = NOW - timedelta(minutes=minutes_ago)
    summary = {"postings_new": 3, "roles": {"Node.js Developer": {"credits": 3}}}
    return RunRecord(run_id, job, status, finished - timedelta(seconds=30), finished, slot, summary)


@asynccontextmanager
async def second_connection(store: Store) -> AsyncIterator[Store]:
    """Another connection to the same data, as a second process would open it."""
    if store.kind == "sqlite":
        from core.storage.sqlite.store import SqliteStore

        other: Store = SqliteStore(store.path)  # type: ignore[attr-defined]
    else:
        from pymongo import AsyncMongoClient

        from core.storage.mongo.store import MongoStore
        from tests.fakes.mongo_engine import EngineClient

        client = store._client  # type: ignore[attr-defined]
        twin = client.reopened() if isinstance(client, EngineClient) else AsyncMongoClient(os.environ[MONGO_URI_VARIABLE])
        other = MongoStore(twin, store.database_name)  # type: ignore[attr-defined]
    await other.open()
    try:
        yield other
    finally:
        await other.close()


# --- run ledger -------------------------------------------------------------------------------------------


async def test_the_last_run_is_the_most_recently_finished_one(store: Store) -> None:
    await store.runs.record(run("old", minutes_ago=60))
    await store.runs.record(run("new", minutes_ago=1))
    await store.runs.record(run("cleanup-1", "cleanup", minutes_ago=30))

    assert (await store.runs.last()).run_id == "new"
    assert (await store.runs.last("cleanup")).run_id == "cleanup-1"
    assert [r.run_id for r in await store.runs.recent("ingest")] == ["new", "old"]
    assert await store.runs.last("digest") is None


async def test_a_recorded_run_reads_back_as_stored(store: Store) -> None:
    original = run("r1", slot="ingest:2026-11-26T02:00:00+00:00", status="partial")
    await store.runs.record(original)

    assert await store.runs.last() == original


async def test_recording_the_same_run_id_again_replaces_the_record(store: Store) -> None:
    await store.runs.record(run("r1", status="running"))
    await store.runs.record(run("r1", status="ok"))

    assert [r.status for r in await store.runs.recent()] == ["ok"]


async def test_runs_are_found_by_slot_and_old_runs_are_forgotten(store: Store) -> None:
    await store.runs.record(run("a", slot="cleanup:s1", minutes_ago=120))
    await store.runs.record(run("b", slot="cleanup:s2", minutes_ago=5))

    assert [r.run_id for r in await store.runs.for_slot("cleanup:s1")] == ["a"]
    assert await store.runs.delete_older_than(NOW - timedelta(minutes=60)) == 1
    assert [r.run_id for r in await store.runs.recent()] == ["b"]


# --- watermarks -------------------------------------------------------------------------------------------


async def test_a_search_that_never_ran_has_an_empty_watermark(store: Store) -> None:
    assert await store.runs.watermark("software_engineer|US") == Watermark()


async def test_a_saved_watermark_reads_back_and_is_kept_per_search(store: Store) -> None:
    mark = Watermark(NOW - timedelta(hours=2), (5120871002, 7), NOW - timedelta(hours=1))
    await store.runs.save_watermark("data_scientist|remote", mark)
    await store.runs.save_watermark("data_scientist|US", Watermark(NOW))
    await store.runs.save_watermark("data_scientist|US", Watermark(NOW + timedelta(hours=1)))

    assert await store.runs.watermark("data_scientist|remote") == mark
    assert await store.runs.watermark("data_scientist|US") == Watermark(NOW + timedelta(hours=1))


# --- slot locks -------------------------------------------------------------------------------------------


async def test_a_free_key_is_claimed_once_and_refused_to_others_while_the_lease_runs(store: Store) -> None:
    assert await store.locks.claim("ingest:s1", "a", NOW, LEASE)
    assert not await store.locks.claim("ingest:s1", "b", NOW + timedelta(minutes=4), LEASE)
    assert not await store.locks.claim("ingest:s1", "a", NOW + timedelta(minutes=4), LEASE)

    held = await store.locks.get("ingest:s1")
    assert (held.owner, held.claimed_at, held.expires_at, held.done_at) == ("a", NOW, NOW + LEASE, None)


async def test_two_concurrent_claims_have_exactly_one_winner(store: Store) -> None:
    results = await asyncio.gather(*(store.locks.claim("ingest:s1", f"p{i}", NOW, LEASE) for i in range(8)))

    assert sum(results) == 1


async def test_claims_through_two_connections_have_exactly_one_winner(store: Store) -> None:
    async with second_connection(store) as other:
        for round_ in range(5):
            key = f"cleanup:s{round_}"
            results = await asyncio.gather(store.locks.claim(key, "a", NOW, LEASE), other.locks.claim(key, "b", NOW, LEASE))
            assert sorted(results) == [False, True]


async def test_an_expired_lease_can_be_reclaimed_by_another_owner(store: Store) -> None:
    await store.locks.claim("ingest:s1", "crashed", NOW, LEASE)

    assert await store.locks.claim("ingest:s1", "b", NOW + LEASE, LEASE)
    assert (await store.locks.get("ingest:s1")).owner == "b"
    assert not await store.locks.renew("ingest:s1", "crashed", NOW + LEASE, LEASE)


async def test_a_renewed_lease_keeps_others_out_past_the_first_expiry(store: Store) -> None:
    await store.locks.claim("ingest:s1", "a", NOW, LEASE)

    assert await store.locks.renew("ingest:s1", "a", NOW + timedelta(minutes=4), LEASE)
    assert not await store.locks.claim("ingest:s1", "b", NOW + timedelta(minutes=6), LEASE)
    assert (await store.locks.get("ingest:s1")).expires_at == NOW + timedelta(minutes=9)


async def test_a_key_released_as_done_is_never_claimed_again(store: Store) -> None:
    await store.locks.claim("digest:s1", "a", NOW, LEASE)

    assert await store.locks.release("digest:s1", "a", NOW + timedelta(minutes=1))
    assert not await store.locks.claim("digest:s1", "b", NOW + timedelta(days=1), LEASE)
    assert not await store.locks.renew("digest:s1", "a", NOW + timedelta(minutes=2), LEASE)
    assert (await store.locks.get("digest:s1")).done_at == NOW + timedelta(minutes=1)


async def test_an_abandoned_key_can_be_claimed_at_once(store: Store) -> None:
    await store.locks.claim("ingest:s1", "a", NOW, LEASE)

    assert not await store.locks.release("ingest:s1", "intruder", NOW, done=False)
    assert await store.locks.release("ingest:s1", "a", NOW + timedelta(minutes=1), done=False)
    assert await store.locks.claim("ingest:s1", "b", NOW + timedelta(minutes=1), LEASE)


async def test_old_locks_are_forgotten_but_live_ones_kept(store: Store) -> None:
    await store.locks.claim("ingest:old", "a", NOW - timedelta(days=2), LEASE)
    await store.locks.release("ingest:old", "a", NOW - timedelta(days=2))
    await store.locks.claim("ingest:live", "a", NOW, LEASE)

    assert await store.locks.delete_older_than(NOW - timedelta(days=1)) == 1
    assert await store.locks.get("ingest:old") is None and await store.locks.get("ingest:live") is not None
