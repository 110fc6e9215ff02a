"""Accounts: creating users, profiles, passwords (argon2id, no enumeration, throttling), isolation, deletion."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher

from core.accounts import USER_LEDGERS, AccountService
from core.errors import AuthError, Conflict, InvalidInput, NotFound, Throttled, UnknownRole
from core.models import ExperienceLevel, ProfileUpdate
from tests.accounts_support import PASSWORD, account_service, everything_stored, fast_hasher


@pytest.fixture
def accounts(sqlite_store, clock) -> AccountService:
    return account_service(sqlite_store, clock)


class CountingHasher(PasswordHasher):
    """A real argon2 hasher that remembers which threads verified passwords."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verify_threads: list[int] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - argon2's own signature
        self.verify_threads.append(threading.get_ident())
        return super().verify(hash, password)


# --- creating accounts -------------------------------------------------------------------------------------


async def test_password_account_is_created_with_canonical_skills_and_roles(accounts):
    user = await accounts.create_with_password(
        " Ada@Example.COM ", PASSWORD, full_name="Ada Lovelace", skills=["python3", "k8s"], target_roles=["backend"], experience_level=ExperienceLevel.SENIOR, location="Berlin"
    )

    assert user.email == "ada@example.com"
    assert user.skills == ["Python", "Kubernetes"]
    assert user.target_roles == ["Backend Developer"]
    assert (user.full_name, user.experience_level, user.location) == ("Ada Lovelace", ExperienceLevel.SENIOR, "Berlin")
    assert await accounts.get_profile(user.id) == user


async def test_a_second_account_with_the_same_email_is_a_conflict(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)

    with pytest.raises(Conflict):
        await accounts.create_with_password("ADA@example.com", PASSWORD)


@pytest.mark.parametrize("password", ["Sh0rt", "alllower123", "ALLUPPER123", "NoDigitsHere", ""])
async def test_passwords_breaking_the_rule_are_refused(accounts, password):
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        await accounts.create_with_password("ada@example.com", password)


@pytest.mark.parametrize("email", ["", "ada", "ada@", "@example.com", "ada@example", "a da@example.com"])
async def test_malformed_emails_are_refused(accounts, email):
    with pytest.raises(InvalidInput, match="valid email"):
        await accounts.create_with_password(email, PASSWORD)


async def test_the_password_is_stored_only_as_an_argon2id_hash(accounts, sqlite_store):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)

    stored = await sqlite_store.credentials.get(user.id)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in await everything_stored(sqlite_store)


async def test_a_telegram_user_is_created_on_first_contact_and_found_again(accounts):
    first = await accounts.get_or_create_telegram_user(5551234, "Grace", "grace_h")
    again = await accounts.get_or_create_telegram_user(5551234, "Grace", "grace_hopper")

    assert first.id == again.id
    assert (first.telegram_id, first.full_name, first.email) == (5551234, "Grace", None)
    assert again.telegram_username == "grace_hopper"


@pytest.mark.parametrize("telegram_id", [0, -5, True, "123"])
async def test_a_telegram_identity_must_be_a_positive_integer(accounts, telegram_id):
    with pytest.raises(InvalidInput):
        await accounts.get_or_create_telegram_user(telegram_id, "X")


# --- passwords -----------------------------------------------------------------------------------------------


async def test_the_right_password_logs_in(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)

    assert (await accounts.authenticate("ADA@example.com", PASSWORD, source="cli")).id == user.id


async def test_a_wrong_password_and_an_unknown_email_fail_identically(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)

    with pytest.raises(AuthError) as wrong_password:
        await accounts.authenticate("ada@example.com", "Wrong-Passw0rd", source="a")
    with pytest.raises(AuthError) as unknown_email:
        await accounts.authenticate("nobody@example.com", PASSWORD, source="b")

    assert str(wrong_password.value) == str(unknown_email.value)
    assert wrong_password.value.reason == unknown_email.value.reason == "bad_credentials"


async def test_an_unknown_email_still_costs_a_password_verification_off_the_event_loop(sqlite_store, clock):
    hasher = CountingHasher()
    accounts = account_service(sqlite_store, clock, hasher=hasher)

    with pytest.raises(AuthError):
        await accounts.authenticate("nobody@example.com", PASSWORD, source="cli")

    assert len(hasher.verify_threads) == 1
    assert hasher.verify_threads[0] != threading.get_ident()


async def test_an_empty_email_or_password_fails_like_any_bad_login(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)

    for email, password in (("", ""), ("ada@example.com", ""), ("", PASSWORD)):
        with pytest.raises(AuthError, match="Incorrect email or password"):
            await accounts.authenticate(email, password, source="cli")


async def test_a_hash_made_with_old_parameters_is_upgraded_on_login(sqlite_store, clock):
    weak = account_service(sqlite_store, clock, hasher=fast_hasher())
    user = await weak.create_with_password("ada@example.com", PASSWORD)
    old_hash = await sqlite_store.credentials.get(user.id)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)

    await account_service(sqlite_store, clock, hasher=stronger).authenticate("ada@example.com", PASSWORD, source="cli")

    new_hash = await sqlite_store.credentials.get(user.id)
    assert new_hash != old_hash and not stronger.check_needs_rehash(new_hash)
    assert stronger.verify(new_hash, PASSWORD)


async def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_password(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)
    for attempt in range(5):
        with pytest.raises(AuthError):
            await accounts.authenticate("ada@example.com", f"Wrong-{attempt}A", source=f"ip-{attempt}")

    with pytest.raises(Throttled) as throttled:
        await accounts.authenticate("ada@example.com", PASSWORD, source="fresh-source")
    assert 0 < throttled.value.retry_after <= 15 * 60
    assert throttled.value.reason == "throttled"


async def test_an_account_lock_lifts_once_the_window_has_passed(accounts, clock):
    await accounts.create_with_password("ada@example.com", PASSWORD)
    for attempt in range(5):
        with pytest.raises(AuthError):
            await accounts.authenticate("ada@example.com", "Wrong-Passw0rd", source=f"ip-{attempt}")

    clock.advance(minutes=15, seconds=1)

    assert (await accounts.authenticate("ada@example.com", PASSWORD, source="cli")).email == "ada@example.com"


async def test_an_unknown_email_is_throttled_like_a_known_one(accounts):
    for attempt in range(5):
        with pytest.raises(AuthError):
            await accounts.authenticate("nobody@example.com", "Wrong-Passw0rd", source=f"ip-{attempt}")

    with pytest.raises(Throttled):
        await accounts.authenticate("nobody@example.com", "Wrong-Passw0rd", source="another")


async def test_one_source_guessing_across_many_accounts_is_throttled(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)
    for attempt in range(20):
        with pytest.raises(AuthError):
            await accounts.authenticate(f"guess{attempt}@example.com", "Wrong-Passw0rd", source="10.0.0.9")

    with pytest.raises(Throttled):
        await accounts.authenticate("ada@example.com", PASSWORD, source="10.0.0.9")
    assert (await accounts.authenticate("ada@example.com", PASSWORD, source="10.0.0.10")).email == "ada@example.com"


async def test_a_successful_login_resets_the_account_counter(accounts):
    await accounts.create_with_password("ada@example.com", PASSWORD)
    for round_ in range(2):
        for attempt in range(4):
            with pytest.raises(AuthError):
                await accounts.authenticate("ada@example.com", "Wrong-Passw0rd", source=f"ip-{round_}-{attempt}")
        await accounts.authenticate("ada@example.com", PASSWORD, source=f"ok-{round_}")


# --- profiles ------------------------------------------------------------------------------------------------


async def test_a_profile_update_normalises_skills_and_resolves_roles(accounts):
    user = await accounts.get_or_create_telegram_user(42, "Tg")

    updated = await accounts.update_profile(
        user.id,
        ProfileUpdate(skills=["py", "Postgres", "python3"], target_roles=["ml engineer", "SRE", "Machine Learning Engineer"], experience_level=ExperienceLevel.LEAD, location=" Remote ", timezone="Europe/Berlin", digest_opt_in=True),
    )

    assert updated.skills == ["Python", "PostgreSQL"]
    assert updated.target_roles == ["Machine Learning Engineer", "Site Reliability Engineer"]
    assert (updated.experience_level, updated.location, updated.timezone, updated.digest_opt_in) == (ExperienceLevel.LEAD, "Remote", "Europe/Berlin", True)
    assert await accounts.get_profile(user.id) == updated


async def test_fields_left_out_of_an_update_stay_as_they_were(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD, skills=["Java"], location="Paris")

    updated = await accounts.update_profile(user.id, ProfileUpdate(full_name="Ada"))

    assert (updated.skills, updated.location, updated.full_name) == (["Java"], "Paris", "Ada")


async def test_unknown_skills_are_refused_with_suggestions_and_nothing_changes(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD, skills=["Java"])

    with pytest.raises(InvalidInput, match=r"'Pythn' \(did you mean Python\?\)"):
        await accounts.update_profile(user.id, ProfileUpdate(skills=["Pythn", "Java"]))
    assert (await accounts.get_profile(user.id)).skills == ["Java"]


async def test_unknown_roles_are_refused_with_close_matches(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)

    with pytest.raises(UnknownRole) as error:
        await accounts.update_profile(user.id, ProfileUpdate(target_roles=["Data Scientst"]))
    assert "Data Scientist" in error.value.suggestions


async def test_an_unknown_timezone_is_refused(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)

    with pytest.raises(InvalidInput, match="timezone"):
        await accounts.update_profile(user.id, ProfileUpdate(timezone="Mars/Olympus_Mons"))


async def test_a_profile_update_cannot_touch_identity_fields(accounts):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)
    sneaky = ProfileUpdate.model_validate({"id": "someone-else", "email": "evil@example.com", "telegram_id": 1, "token_version": 99, "location": "Oslo"})

    updated = await accounts.update_profile(user.id, sneaky)

    assert (updated.id, updated.email, updated.telegram_id, updated.token_version) == (user.id, "ada@example.com", None, 0)
    assert updated.location == "Oslo"


# --- one user never reaches another ------------------------------------------------------------------------


async def test_updating_user_a_never_changes_user_b(accounts):
    a = await accounts.create_with_password("a@example.com", PASSWORD, skills=["Java"])
    b = await accounts.create_with_password("b@example.com", PASSWORD, skills=["Python"], location="Rome")

    await accounts.update_profile(a.id, ProfileUpdate(skills=["Kubernetes"], location="Oslo", digest_opt_in=True))

    assert await accounts.get_profile(b.id) == b


@pytest.mark.parametrize(
    "call",
    [
        lambda acc, uid: acc.get_profile(uid),
        lambda acc, uid: acc.update_profile(uid, ProfileUpdate(location="Oslo")),
        lambda acc, uid: acc.create_link_code(uid),
        lambda acc, uid: acc.issue_token(uid),
        lambda acc, uid: acc.list_tokens(uid),
        lambda acc, uid: acc.revoke_all_tokens(uid),
        lambda acc, uid: acc.delete_user(uid),
    ],
)
@pytest.mark.parametrize("user_id", ["no-such-user", ""])
async def test_calls_for_an_unknown_user_id_are_not_found(accounts, call, user_id):
    await accounts.create_with_password("a@example.com", PASSWORD)

    with pytest.raises(NotFound):
        await call(accounts, user_id)


# --- delete my data ------------------------------------------------------------------------------------------


async def test_deleting_a_user_removes_the_user_and_every_ledger_but_not_other_users(accounts, sqlite_store):
    doomed = await accounts.create_with_password("doomed@example.com", PASSWORD, skills=["Java"])
    await accounts.update_profile(doomed.id, ProfileUpdate(location="Atlantis"))
    other = await accounts.create_with_password("other@example.com", PASSWORD)
    kept_token = await accounts.issue_token(other.id)
    await accounts.issue_token(doomed.id)
    await accounts.create_link_code(doomed.id)
    with pytest.raises(AuthError):
        await accounts.authenticate("doomed@example.com", "Wrong-Passw0rd", source="cli")

    report = await accounts.delete_user(doomed.id)

    assert report.removed == {"credentials": 1, "link_codes": 1, "tokens": 1, "attempts": 1, "digests": 0, "users": 1}
    dump = await everything_stored(sqlite_store)
    assert doomed.id not in dump and "doomed@example.com" not in dump and "Atlantis" not in dump
    assert (await accounts.verify_token(kept_token.token)).id == other.id
    assert (await accounts.authenticate("other@example.com", PASSWORD, source="cli")).id == other.id


async def test_every_per_user_ledger_can_delete_a_users_records(sqlite_store):
    for name in USER_LEDGERS:
        assert callable(getattr(getattr(sqlite_store, name), "delete_for_user"))


async def test_housekeeping_purges_expired_link_codes_and_old_attempts_only(accounts, sqlite_store, clock):
    user = await accounts.create_with_password("ada@example.com", PASSWORD)
    await accounts.create_link_code(user.id)
    with pytest.raises(AuthError):
        await accounts.authenticate("ada@example.com", "Wrong-Passw0rd", source="cli")
    clock.advance(days=1, seconds=1)
    fresh = await accounts.create_link_code(user.id)

    assert await accounts.purge_expired() == {"link_codes": 1, "attempts": 2}
    assert (await accounts.redeem_link_code(fresh.code, 42)).status == "linked"
