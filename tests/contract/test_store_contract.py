"""The storage contract: every adapter behaves the same through the ports in core/storage/ports.py."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from core.errors import Conflict
from core.models import ALL_ROLES, DayRollup, Posting, User
from core.rollups import build_rollups
from core.storage.ports import Store
from tests.contract.conftest import D1, D2, D3, D4, MONGO_URI_VARIABLE, at, make_posting, market

# --- postings: upsert accounting ----------------------------------------------------------------------------


async def test_new_postings_count_as_inserted_and_report_their_days(store: Store) -> None:
    result = await store.postings.upsert_many(market())
    assert (result.inserted, result.updated, result.unchanged) == (6, 0, 0)
    assert result.days == [D1, D2, D3, D4]
    assert await store.postings.count() == 6


async def test_identical_postings_upserted_again_count_as_unchanged_and_touch_no_day(store: Store) -> None:
    await store.postings.upsert_many(market())
    result = await store.postings.upsert_many(market())
    assert (result.inserted, result.updated, result.unchanged, result.days) == (0, 0, 6, [])


async def test_changed_posting_counts_as_updated_and_keeps_its_first_ingestion_time(store: Store) -> None:
    await store.postings.upsert_many([make_posting("j1", D1, skills=("Python",))])
    first = await store.postings.get("j1")
    result = await store.postings.upsert_many([make_posting("j1", D1, skills=("Python", "Rust"))])
    stored = await store.postings.get("j1")
    assert (result.inserted, result.updated, result.unchanged, result.days) == (0, 1, 0, [D1])
    assert stored.skill_names == ["Python", "Rust"]
    assert stored.ingested_at == first.ingested_at
    assert stored.updated_at >= first.updated_at


async def test_moving_a_posting_to_another_day_touches_the_old_day_too(store: Store) -> None:
    await store.postings.upsert_many([make_posting("j1", D1)])
    result = await store.postings.upsert_many([make_posting("j1", D3)])
    assert result.days == [D1, D3]
    assert await store.postings.postings_on_days([D1]) == []


async def test_reupserting_the_same_postings_never_double_counts(store: Store) -> None:
    for _ in range(3):
        result = await store.postings.upsert_many(market())
        await store.rollups.rebuild(result.days or [D1, D2, D3, D4], build_rollups)
    totals = {r.day: r.total for r in await store.rollups.between(ALL_ROLES, D1, D4)}
    assert await store.postings.count() == 6
    assert totals == {D1: 2, D2: 2, D3: 1, D4: 1}


async def test_the_later_copy_of_a_job_in_one_batch_wins(store: Store) -> None:
    batch = [make_posting("j1", D1, skills=("Java",)), make_posting("j1", D2, skills=("Kotlin",))]
    result = await store.postings.upsert_many(batch)
    stored = await store.postings.get("j1")
    assert (result.inserted, result.updated, result.unchanged, result.days) == (1, 0, 0, [D2])
    assert stored.skill_names == ["Kotlin"]
    assert stored.date_posted == D2


async def test_a_posting_without_any_date_is_stored_but_touches_no_day(store: Store) -> None:
    result = await store.postings.upsert_many([make_posting("undated", None)])
    assert (result.inserted, result.days) == (1, [])
    assert await store.postings.day_range() == (None, None)
    assert (await store.postings.delete_older_than(D4))[0] == 0


async def test_empty_batch_changes_nothing(store: Store) -> None:
    result = await store.postings.upsert_many([])
    assert (result.inserted, result.updated, result.unchanged, result.days) == (0, 0, 0, [])


# --- postings: reads ---------------------------------------------------------------------------------------


async def test_get_returns_the_stored_posting_or_none(store: Store) -> None:
    posting = make_posting("j1", D2, skills=("C#", "ASP.NET"), salary=(90_000.5, 110_000))
    await store.postings.upsert_many([posting])
    stored = await store.postings.get("j1")
    assert stored.model_copy(update={"ingested_at": None, "updated_at": None}) == posting
    assert stored.ingested_at is not None
    assert await store.postings.get("missing") is None


async def test_count_can_select_demo_or_real_postings(store: Store) -> None:
    await store.postings.upsert_many([*market(), make_posting("demo-1", D1, demo=True)])
    assert await store.postings.count() == 7
    assert await store.postings.count(demo=True) == 1
    assert await store.postings.count(demo=False) == 6


async def test_role_counts_count_each_posting_once_per_role(store: Store) -> None:
    await store.postings.upsert_many([*market(), make_posting("dup", D1, roles=("devops", "devops"))])
    counts = await store.postings.role_counts()
    assert counts == {"backend": 3, "fullstack": 1, "frontend": 1, "data_engineer": 1, "devops": 2}
    assert list(counts.values()) == sorted(counts.values(), reverse=True)


async def test_day_range_spans_the_oldest_and_newest_posting_day(store: Store) -> None:
    assert await store.postings.day_range() == (None, None)
    await store.postings.upsert_many([*market(), make_posting("undated", None)])
    assert await store.postings.day_range() == (D1, D4)


async def test_max_discovered_at_is_the_newest_real_posting_globally_and_per_search_role(store: Store) -> None:
    assert await store.postings.max_discovered_at() is None
    await store.postings.upsert_many(
        [
            make_posting("b1", D1, discovered_at=at(D1, 9), search_role="Backend Developer"),
            make_posting("b2", D2, discovered_at=at(D2, 8), search_role="Backend Developer"),
            make_posting("d1", D2, discovered_at=at(D2, 10), search_role="Data Scientist"),
            make_posting("demo", D4, discovered_at=at(D4, 23), search_role="Backend Developer", demo=True),
        ]
    )
    assert await store.postings.max_discovered_at() == at(D2, 10)
    assert await store.postings.max_discovered_at("backend developer") == at(D2, 8)
    assert await store.postings.max_discovered_at("Data Scientist") == at(D2, 10)
    assert await store.postings.max_discovered_at("Product Manager") is None


async def test_watermark_orders_timestamps_within_one_second(store: Store) -> None:
    later = at(D1, 12, microsecond=500_000)
    await store.postings.upsert_many([make_posting("a", D1, discovered_at=later), make_posting("b", D1, discovered_at=at(D1, 12))])
    assert await store.postings.max_discovered_at() == later


async def test_postings_on_days_returns_exactly_the_postings_of_those_days(store: Store) -> None:
    await store.postings.upsert_many(market())
    found = await store.postings.postings_on_days([D1, D3])
    assert sorted(p.job_id for p in found) == ["j1", "j2", "j5"]
    assert await store.postings.postings_on_days([]) == []
    assert await store.postings.postings_on_days([date(2020, 1, 1)]) == []


async def test_iter_all_yields_every_posting_once_across_batches(store: Store) -> None:
    postings = [make_posting(f"job-{i:02d}", D1 + timedelta(days=i % 3)) for i in range(7)]
    await store.postings.upsert_many(postings)
    seen = [posting.job_id async for posting in store.postings.iter_all(batch_size=2)]
    assert sorted(seen) == sorted(p.job_id for p in postings)
    assert len(seen) == len(set(seen))


async def test_skill_sets_for_a_role_are_newest_first_within_the_window(store: Store) -> None:
    await store.postings.upsert_many(market())
    assert await store.postings.skill_sets("backend", D1, D4, 10) in (
        [["Go", "Kubernetes"], ["Python", "SQL"], ["Python", "Node.js"]],
        [["Go", "Kubernetes"], ["Python", "Node.js"], ["Python", "SQL"]],
    )
    assert await store.postings.skill_sets("backend", D2, D4, 10) == [["Go", "Kubernetes"]]
    assert await store.postings.skill_sets("backend", D1, D4, 1) == [["Go", "Kubernetes"]]
    assert await store.postings.skill_sets("backend", D1, D4, 0) == []
    assert await store.postings.skill_sets("nobody", D1, D4, 10) == []


async def test_skill_sets_for_all_roles_include_postings_without_a_role(store: Store) -> None:
    await store.postings.upsert_many(market())
    sets = await store.postings.skill_sets(ALL_ROLES, D2, D4, 3)
    assert sets[:2] == [["Python"], ["Go", "Kubernetes"]]
    assert sets[2] in (["React", "TypeScript"], ["Python", "Spark"])
    assert len(await store.postings.skill_sets(ALL_ROLES, D1, D4, 100)) == 6


async def test_delete_older_than_returns_the_count_and_the_days_it_emptied(store: Store) -> None:
    await store.postings.upsert_many([*market(), make_posting("undated", None)])
    assert await store.postings.delete_older_than(D3) == (4, [D1, D2])
    assert await store.postings.count() == 3
    assert await store.postings.day_range() == (D3, D4)
    assert await store.postings.delete_older_than(D3) == (0, [])


async def test_delete_demo_removes_only_demo_postings(store: Store) -> None:
    demo = [make_posting("demo-1", D2, demo=True), make_posting("demo-2", D4, demo=True)]
    await store.postings.upsert_many([*market(), *demo])
    assert await store.postings.delete_demo() == (2, [D2, D4])
    assert await store.postings.count() == 6
    assert await store.postings.count(demo=True) == 0


# --- rollups ---------------------------------------------------------------------------------------------


def _independent_rollups(postings: list[Posting]) -> dict[tuple[date, str], dict]:
    """Per (day, role): the counts analytics need, computed directly from the postings."""
    expected: dict[tuple[date, str], dict] = defaultdict(
        lambda: {"total": 0, "remote": 0, "skills": Counter(), "locations": Counter(), "salaries": defaultdict(list)}
    )
    for posting in postings:
        location = posting.locations[0] if posting.locations else ("Remote" if posting.remote else None)
        pay = [v for v in (posting.salary.min_annual_usd, posting.salary.max_annual_usd) if v]
        for role in {ALL_ROLES, *posting.role_keys}:
            counts = expected[(posting.date_posted, role)]
            counts["total"] += 1
            counts["remote"] += int(bool(posting.remote))
            counts["skills"].update(set(posting.skill_names))
            counts["locations"].update([location] if location else [])
            for skill in set(posting.skill_names) if pay else ():
                counts["salaries"][skill].append(sum(pay) / len(pay))
    return expected


def _as_counts(rollup: DayRollup) -> dict:
    salaries = {skill: [stat[0], stat[1], stat[2], stat[3]] for skill, stat in rollup.salaries.items()}
    return {"total": rollup.total, "remote": rollup.remote, "skills": rollup.skills, "locations": rollup.locations, "salaries": salaries}


def _expected_counts(counts: dict) -> dict:
    salaries = {skill: [len(v), sum(v), min(v), max(v)] for skill, v in counts["salaries"].items()}
    return {**counts, "skills": dict(counts["skills"]), "locations": dict(counts["locations"]), "salaries": salaries}


async def test_rebuilt_rollups_equal_an_independent_count_of_the_postings(store: Store) -> None:
    postings = market()
    result = await store.postings.upsert_many(postings)
    await store.rollups.rebuild(result.days, build_rollups)
    expected = _independent_rollups(postings)
    for role in {ALL_ROLES, "backend", "frontend", "fullstack", "data_engineer", "devops"}:
        rollups = await store.rollups.between(role, D1, D4)
        assert {(r.day, r.role): _as_counts(r) for r in rollups} == {
            key: _expected_counts(counts) for key, counts in expected.items() if key[1] == role
        }


async def test_between_returns_a_roles_days_in_order_within_the_range(store: Store) -> None:
    result = await store.postings.upsert_many(market())
    await store.rollups.rebuild(result.days, build_rollups)
    assert [r.day for r in await store.rollups.between(ALL_ROLES, D2, D3)] == [D2, D3]
    assert [r.day for r in await store.rollups.between("backend", D1, D4)] == [D1, D3]
    assert await store.rollups.between("backend", date(2024, 1, 1), date(2024, 12, 31)) == []


async def test_rebuild_removes_rollups_of_roles_that_left_a_day(store: Store) -> None:
    await store.postings.upsert_many([make_posting("j1", D1, roles=("frontend",))])
    await store.rollups.rebuild([D1], build_rollups)
    moved = await store.postings.upsert_many([make_posting("j1", D2, roles=("frontend",))])
    await store.rollups.rebuild(moved.days, build_rollups)
    assert [(r.day, r.total) for r in await store.rollups.between("frontend", D1, D4)] == [(D2, 1)]
    assert [(r.day, r.total) for r in await store.rollups.between(ALL_ROLES, D1, D4)] == [(D2, 1)]


async def test_cleanup_then_rebuild_leaves_no_rollups_for_deleted_days(store: Store) -> None:
    result = await store.postings.upsert_many(market())
    await store.rollups.rebuild(result.days, build_rollups)
    _, days = await store.postings.delete_older_than(D3)
    await store.rollups.rebuild(days, build_rollups)
    assert [r.day for r in await store.rollups.between(ALL_ROLES, D1, D4)] == [D3, D4]


async def test_rebuilding_no_days_changes_nothing(store: Store) -> None:
    result = await store.postings.upsert_many(market())
    await store.rollups.rebuild(result.days, build_rollups)
    before = await store.rollups.between(ALL_ROLES, D1, D4)
    await store.rollups.rebuild([], build_rollups)
    assert await store.rollups.between(ALL_ROLES, D1, D4) == before


# --- users -----------------------------------------------------------------------------------------------


def make_user(user_id: str, email: str | None = None, telegram_id: int | None = None, **fields: object) -> User:
    return User(id=user_id, email=email, telegram_id=telegram_id, **fields)


async def test_created_user_can_be_read_back_by_id_email_and_telegram_id(store: Store) -> None:
    created = await store.users.create(make_user("u1", "Ada@Example.com", 42, skills=["Python"], target_roles=["backend"]))
    assert created.created_at is not None
    assert await store.users.get("u1") == created
    assert await store.users.get_by_email("  ADA@example.COM ") == created
    assert await store.users.get_by_telegram_id(42) == created
    assert await store.users.get("nobody") is None
    assert await store.users.get_by_email("nobody@example.com") is None
    assert await store.users.get_by_telegram_id(7) is None


async def test_duplicate_email_is_a_conflict(store: Store) -> None:
    await store.users.create(make_user("u1", "ada@example.com"))
    with pytest.raises(Conflict, match="already exists"):
        await store.users.create(make_user("u2", "ADA@example.com"))
    assert await store.users.count() == 1


async def test_duplicate_telegram_id_is_a_conflict(store: Store) -> None:
    await store.users.create(make_user("u1", telegram_id=42))
    with pytest.raises(Conflict, match="already exists"):
        await store.users.create(make_user("u2", telegram_id=42))


async def test_accounts_without_email_or_telegram_id_do_not_collide(store: Store) -> None:
    for user in (make_user("t1", telegram_id=1), make_user("t2", telegram_id=2), make_user("e1", "a@x.io"), make_user("e2", "b@x.io")):
        await store.users.create(user)
    assert await store.users.count() == 4


async def test_update_changes_the_given_fields_and_keeps_the_rest(store: Store) -> None:
    await store.users.create(make_user("u1", "ada@example.com", skills=["Python"]))
    updated = await store.users.update("u1", {"skills": ["Python", "Go"], "telegram_id": 99, "location": "Berlin"})
    assert (updated.skills, updated.telegram_id, updated.location, updated.email) == (["Python", "Go"], 99, "Berlin", "ada@example.com")
    assert await store.users.get("u1") == updated
    assert await store.users.get_by_telegram_id(99) == updated
    assert await store.users.update("nobody", {"location": "Paris"}) is None


async def test_update_to_another_users_email_or_telegram_id_is_a_conflict(store: Store) -> None:
    await store.users.create(make_user("u1", "ada@example.com", 1))
    await store.users.create(make_user("u2", "bob@example.com", 2))
    with pytest.raises(Conflict, match="another account"):
        await store.users.update("u2", {"email": "ADA@example.com"})
    with pytest.raises(Conflict, match="another account"):
        await store.users.update("u2", {"telegram_id": 1})
    assert (await store.users.get("u2")).email == "bob@example.com"


async def test_delete_removes_the_user_once(store: Store) -> None:
    await store.users.create(make_user("u1", "ada@example.com"))
    await store.users.create(make_user("u2", "bob@example.com"))
    assert await store.users.delete("u1") is True
    assert await store.users.delete("u1") is False
    assert await store.users.get("u1") is None
    assert await store.users.count() == 1


async def test_digest_subscribers_are_opted_in_users_with_a_telegram_id(store: Store) -> None:
    await store.users.create(make_user("u3", telegram_id=3, digest_opt_in=True))
    await store.users.create(make_user("u1", telegram_id=1, digest_opt_in=True))
    await store.users.create(make_user("u2", telegram_id=2, digest_opt_in=False))
    await store.users.create(make_user("u4", "mail-only@example.com", digest_opt_in=True))
    assert [user.id async for user in store.users.iter_digest_subscribers()] == ["u1", "u3"]


# --- meta and the store itself ------------------------------------------------------------------------------


async def test_meta_values_round_trip_as_json(store: Store) -> None:
    assert await store.meta.get("last_ingestion") is None
    summary = {"roles": {"Node.js dev": 3}, "$weird": [1, 2.5, None], "finished_at": at(D1)}
    await store.meta.put("last_ingestion", summary)
    assert await store.meta.get("last_ingestion") == {**summary, "finished_at": str(at(D1))}
    await store.meta.put("last_ingestion", "replaced")
    assert await store.meta.get("last_ingestion") == "replaced"


async def test_data_version_starts_at_zero_and_bumps_monotonically(store: Store) -> None:
    assert await store.meta.data_version() == 0
    bumps = [await store.meta.bump_data_version() for _ in range(3)]
    assert bumps == [1, 2, 3]
    assert await store.meta.data_version() == 3
    assert await store.meta.get("data_version") == 3


async def test_ping_is_true_while_open_and_false_after_close(store: Store) -> None:
    assert await store.ping() is True
    await store.close()
    assert await store.ping() is False


# --- the same answers from every adapter ---------------------------------------------------------------------


async def test_analytics_reads_are_identical_across_adapters(request: pytest.FixtureRequest) -> None:
    names = ["sqlite_store", "mongo_engine_store"] + (["mongo_real_store"] if os.environ.get(MONGO_URI_VARIABLE) else [])
    answers = []
    for name in names:
        async with request.getfixturevalue(name)() as opened:
            result = await opened.postings.upsert_many(market())
            await opened.rollups.rebuild(result.days, build_rollups)
            roles = [ALL_ROLES, *await opened.postings.role_counts()]
            answers.append({role: await opened.rollups.between(role, D1, D4) for role in roles})
    assert all(answer == answers[0] for answer in answers[1:])
    assert len(answers[0]) == 6
