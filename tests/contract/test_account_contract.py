"""The identity ports (credentials, link codes, token ledger, attempts) behave the same on every adapter.

Times come from a clock pinned near the real time: MongoDB (and the in-process engine) apply TTL indexes
against the wall clock, so records dated years away would vanish under the test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from core.accounts_links import hash_code
from core.clock import FixedClock
from core.errors import AuthError, Conflict
from core.storage.account_ports import LinkCodeRecord, TokenRecord
from core.storage.ports import Store
from tests.accounts_support import PASSWORD, account_service, everything_stored
from tests.contract.conftest import MONGO_URI_VARIABLE

NOW = datetime.now(UTC).replace(microsecond=0)  # whole seconds: MongoDB keeps milliseconds
LATER = NOW + timedelta(minutes=10)


def code(code_hash: str = "h1", user_id: str = "u1", expires_at: datetime = LATER) -> LinkCodeRecord:
    return LinkCodeRecord(code_hash, user_id, NOW, expires_at)


def token(jti: str, user_id: str = "u1", *, created: datetime = NOW, days: int = 30, version: int = 0) -> TokenRecord:
    return TokenRecord(jti, user_id, version, created, created + timedelta(days=days))


# --- credentials ------------------------------------------------------------------------------------------


async def test_credentials_are_stored_overwritten_and_deleted_per_user(store: Store) -> None:
    await store.credentials.set("u1", "$argon2id$first", NOW)
    await store.credentials.set("u1", "$argon2id$second", NOW)
    await store.credentials.set("u2", "$argon2id$other", NOW)

    assert await store.credentials.get("u1") == "$argon2id$second"
    assert await store.credentials.delete_for_user("u1") == 1
    assert await store.credentials.get("u1") is None
    assert await store.credentials.get("u2") == "$argon2id$other"


# --- link codes -------------------------------------------------------------------------------------------


async def test_a_link_code_reads_back_as_stored(store: Store) -> None:
    await store.link_codes.add(code())

    assert await store.link_codes.get("h1") == code()
    assert await store.link_codes.get("nope") is None


async def test_adding_a_link_code_hash_twice_is_a_conflict(store: Store) -> None:
    await store.link_codes.add(code())

    with pytest.raises(Conflict):
        await store.link_codes.add(code(user_id="u2"))


async def test_a_link_code_is_consumed_once(store: Store) -> None:
    await store.link_codes.add(code())

    consumed = await store.link_codes.consume("h1", NOW)

    assert consumed is not None and (consumed.user_id, consumed.used_at) == ("u1", NOW)
    assert await store.link_codes.consume("h1", NOW) is None
    assert (await store.link_codes.get("h1")).used_at == NOW


async def test_an_expired_or_unknown_link_code_cannot_be_consumed(store: Store) -> None:
    await store.link_codes.add(code())

    assert await store.link_codes.consume("h1", LATER) is None
    assert await store.link_codes.consume("unknown", NOW) is None
    assert (await store.link_codes.get("h1")).used_at is None


async def test_concurrent_consumes_of_one_code_have_exactly_one_winner(store: Store) -> None:
    await store.link_codes.add(code())

    results = await asyncio.gather(*(store.link_codes.consume("h1", NOW) for _ in range(8)))

    assert sum(result is not None for result in results) == 1


async def test_expired_codes_are_purged_and_a_users_codes_are_deleted_with_them(store: Store) -> None:
    await store.link_codes.add(code("old", expires_at=NOW - timedelta(seconds=1)))
    await store.link_codes.add(code("fresh"))
    await store.link_codes.add(code("other", user_id="u2"))

    assert await store.link_codes.delete_expired(NOW) == 1
    assert await store.link_codes.delete_for_user("u1") == 1
    assert [await store.link_codes.get(h) is not None for h in ("old", "fresh", "other")] == [False, False, True]


# --- the token ledger -------------------------------------------------------------------------------------


async def test_a_token_record_reads_back_as_stored(store: Store) -> None:
    await store.tokens.add(token("j1", version=3))

    assert await store.tokens.get("j1") == token("j1", version=3)
    assert await store.tokens.get("nope") is None


async def test_active_tokens_are_the_users_unrevoked_unexpired_ones_newest_first(store: Store) -> None:
    await store.tokens.add(token("old", created=NOW - timedelta(days=2), days=1))
    await store.tokens.add(token("first", created=NOW - timedelta(hours=2)))
    await store.tokens.add(token("second", created=NOW - timedelta(hours=1)))
    await store.tokens.add(token("revoked"))
    await store.tokens.add(token("bobs", user_id="u2"))
    await store.tokens.revoke("u1", "revoked", NOW)

    assert [r.jti for r in await store.tokens.active_for_user("u1", NOW)] == ["second", "first"]


async def test_touch_records_when_a_token_was_last_used(store: Store) -> None:
    await store.tokens.add(token("j1"))

    await store.tokens.touch("j1", NOW + timedelta(minutes=3))

    assert (await store.tokens.get("j1")).last_used_at == NOW + timedelta(minutes=3)


async def test_a_token_is_revoked_only_by_its_owner_and_only_once(store: Store) -> None:
    await store.tokens.add(token("j1"))

    assert await store.tokens.revoke("u2", "j1", NOW) is False
    assert (await store.tokens.get("j1")).revoked_at is None
    assert await store.tokens.revoke("u1", "j1", NOW) is True
    assert await store.tokens.revoke("u1", "j1", NOW) is False
    assert (await store.tokens.get("j1")).revoked_at == NOW


async def test_revoke_all_touches_only_that_users_unrevoked_tokens(store: Store) -> None:
    for jti in ("a", "b", "c"):
        await store.tokens.add(token(jti))
    await store.tokens.add(token("bobs", user_id="u2"))
    await store.tokens.revoke("u1", "a", NOW)

    assert await store.tokens.revoke_all("u1", NOW) == 2
    assert await store.tokens.active_for_user("u1", NOW) == []
    assert [r.jti for r in await store.tokens.active_for_user("u2", NOW)] == ["bobs"]


async def test_deleting_a_users_tokens_keeps_everyone_elses(store: Store) -> None:
    await store.tokens.add(token("j1"))
    await store.tokens.add(token("j2"))
    await store.tokens.add(token("bobs", user_id="u2"))

    assert await store.tokens.delete_for_user("u1") == 2
    assert await store.tokens.get("j1") is None and await store.tokens.get("bobs") is not None


async def test_records_of_expired_tokens_are_purged_revoked_or_not(store: Store) -> None:
    await store.tokens.add(token("expired", created=NOW - timedelta(days=40)))
    await store.tokens.add(token("expired-revoked", created=NOW - timedelta(days=40)))
    await store.tokens.revoke("u1", "expired-revoked", NOW - timedelta(days=35))
    await store.tokens.add(token("expiring-now", created=NOW - timedelta(days=30)))
    await store.tokens.add(token("live-revoked"))  # its revocation still keeps it out: kept
    await store.tokens.revoke("u1", "live-revoked", NOW)
    await store.tokens.add(token("live", user_id="u2"))

    assert await store.tokens.delete_expired(NOW) == 3

    jtis = ("expired", "expired-revoked", "expiring-now", "live-revoked", "live")
    assert [await store.tokens.get(jti) is not None for jti in jtis] == [False, False, False, True, True]
    assert (await store.tokens.get("live-revoked")).revoked_at == NOW


# --- failed attempts --------------------------------------------------------------------------------------


async def test_attempts_are_listed_per_key_within_a_window_oldest_first(store: Store) -> None:
    for minutes in (20, 10, 5, 0):
        await store.attempts.record("k1", NOW - timedelta(minutes=minutes), "u1")
    await store.attempts.record("k2", NOW)

    since = await store.attempts.since("k1", NOW - timedelta(minutes=10))

    assert since == [NOW - timedelta(minutes=10), NOW - timedelta(minutes=5), NOW]


async def test_attempts_are_cleared_per_key_aged_out_and_deleted_per_user(store: Store) -> None:
    await store.attempts.record("k1", NOW - timedelta(hours=2), "u1")
    await store.attempts.record("k1", NOW, "u1")
    await store.attempts.record("k2", NOW, None)
    await store.attempts.record("k3", NOW, "u2")

    assert await store.attempts.delete_older_than(NOW - timedelta(hours=1)) == 1
    assert await store.attempts.delete_for_user("u1") == 1
    assert await store.attempts.clear("k2") == 1
    assert [len(await store.attempts.since(k, NOW - timedelta(days=1))) for k in ("k1", "k2", "k3")] == [0, 0, 1]


# --- two connections on one database (as two processes would have) ---------------------------------------


@pytest.fixture(params=["sqlite", "mongo_engine", "mongo_real"])
async def two_handles(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[tuple[Store, Store]]:
    if request.param == "sqlite":
        from core.storage.sqlite.store import SqliteStore

        handles = (SqliteStore(tmp_path / "shared.sqlite3"), SqliteStore(tmp_path / "shared.sqlite3"))
    else:
        from core.storage.mongo.store import MongoStore

        clients = _mongo_clients(request.param)
        name = f"career_nav_test_{uuid.uuid4().hex[:12]}"
        handles = (MongoStore(clients[0], name), MongoStore(clients[1], name))
    for handle in handles:
        await handle.open()
    try:
        yield handles
    finally:
        if request.param == "mongo_real":
            await handles[0]._client.drop_database(handles[0].database_name)
        for handle in handles:
            await handle.close()


def _mongo_clients(kind: str) -> tuple[object, object]:
    if kind == "mongo_engine":
        from tests.fakes.mongo_engine import mongo_engine_client

        client = mongo_engine_client()
        return client, client.reopened()
    uri = os.environ.get(MONGO_URI_VARIABLE)
    if not uri:
        pytest.skip(f"{MONGO_URI_VARIABLE} is not set")
    from pymongo import AsyncMongoClient

    return AsyncMongoClient(uri, serverSelectionTimeoutMS=5_000), AsyncMongoClient(uri, serverSelectionTimeoutMS=5_000)


async def test_two_connections_consuming_one_code_concurrently_have_exactly_one_winner(two_handles) -> None:
    first, second = two_handles
    await first.link_codes.add(code())

    results = await asyncio.gather(first.link_codes.consume("h1", NOW), second.link_codes.consume("h1", NOW))

    assert sum(result is not None for result in results) == 1


# --- the account service on every store -------------------------------------------------------------------


async def test_two_concurrent_redeems_of_one_link_code_link_exactly_once(store: Store) -> None:
    accounts = account_service(store, FixedClock(NOW))
    user = await accounts.create_with_password("ada@example.com", PASSWORD)
    link = await accounts.create_link_code(user.id)

    results = await asyncio.gather(
        accounts.redeem_link_code(link.code, 111), accounts.redeem_link_code(link.code, 222), return_exceptions=True
    )

    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1 and all(isinstance(r, AuthError) for r in results if r not in winners)
    assert (await accounts.get_profile(user.id)).telegram_id == winners[0].telegram_id


async def test_deleting_a_user_leaves_nothing_of_them_in_the_store(store: Store) -> None:
    clock = FixedClock(NOW)
    accounts = account_service(store, clock)
    doomed = await accounts.create_with_password("doomed.person@example.com", PASSWORD, full_name="Doomed Person")
    await accounts.redeem_link_code((await accounts.create_link_code(doomed.id)).code, 987_654_321_123)
    issued = await accounts.issue_token(doomed.id)
    await accounts.verify_token(issued.token)
    pending = await accounts.create_link_code(doomed.id)
    with pytest.raises(AuthError):
        await accounts.authenticate("doomed.person@example.com", "Wrong-Passw0rd", source="198.51.100.7")
    with pytest.raises(AuthError):
        await accounts.redeem_link_code("no-such-code", 987_654_321_123)
    other = await accounts.create_with_password("other@example.com", PASSWORD, full_name="Other Person")
    before = await everything_stored(store)
    assert doomed.id in before and issued.jti in before

    await accounts.delete_user(doomed.id)

    after = await everything_stored(store)
    for trace in (doomed.id, "doomed.person@example.com", "Doomed Person", "987654321123", issued.jti, hash_code(pending.code)):
        assert trace not in after
    assert other.id in after and "Other Person" in after
    assert await store.users.count() == 1
