"""Telegram link codes: random, hashed, short-lived, single-use, throttled, and never a silent merge."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from core.accounts import AccountService
from core.accounts_links import hash_code
from core.errors import AuthError, Throttled
from core.models import ProfileUpdate
from tests.accounts_support import PASSWORD, account_service, everything_stored

TG = 700_000_001


@pytest.fixture
def accounts(sqlite_store, clock) -> AccountService:
    return account_service(sqlite_store, clock)


@pytest.fixture
async def ada(accounts):
    return await accounts.create_with_password("ada@example.com", PASSWORD, skills=["Python"])


async def test_a_link_code_is_random_deep_link_safe_and_expires_in_ten_minutes(accounts, ada, clock):
    codes = [await accounts.create_link_code(ada.id) for _ in range(20)]

    for link in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", link.deep_link_payload)
        assert len(link.code) * 6 >= 128  # base64url: 6 bits per character
        assert link.expires_at == clock.now() + timedelta(minutes=10)
    assert len({link.code for link in codes}) == 20
    assert codes[0].deep_link("@career_nav_bot") == f"https://t.me/career_nav_bot?start={codes[0].code}"


async def test_a_link_code_is_stored_only_as_a_hash(accounts, ada, sqlite_store):
    link = await accounts.create_link_code(ada.id)

    dump = await everything_stored(sqlite_store)
    assert link.code not in dump
    assert hash_code(link.code) in dump


async def test_a_link_code_attaches_the_telegram_identity_to_its_account(accounts, ada):
    link = await accounts.create_link_code(ada.id)

    result = await accounts.redeem_link_code(link.code, TG, "Ada L.", username="ada_l")

    assert (result.status, result.user_id, result.previous_user_id) == ("linked", ada.id, None)
    linked = await accounts.get_or_create_telegram_user(TG, "Ada L.", "ada_l")
    assert linked.id == ada.id and linked.skills == ["Python"]
    assert linked.full_name == "Ada L."  # filled in because the account had no name


async def test_a_reused_link_code_fails(accounts, ada):
    link = await accounts.create_link_code(ada.id)
    await accounts.redeem_link_code(link.code, TG)

    with pytest.raises(AuthError) as refused:
        await accounts.redeem_link_code(link.code, TG + 1)
    assert refused.value.reason == "link_code_used"


async def test_an_expired_link_code_fails(accounts, ada, clock):
    link = await accounts.create_link_code(ada.id)
    clock.advance(minutes=10)

    with pytest.raises(AuthError) as refused:
        await accounts.redeem_link_code(link.code, TG)
    assert refused.value.reason == "link_code_expired"
    assert (await accounts.get_profile(ada.id)).telegram_id is None


async def test_a_link_code_still_works_just_before_it_expires(accounts, ada, clock):
    link = await accounts.create_link_code(ada.id)
    clock.advance(minutes=9, seconds=59)

    assert (await accounts.redeem_link_code(link.code, TG)).status == "linked"


@pytest.mark.parametrize("code", ["", "has spaces", "x" * 65, "semi;colon", "A" * 32])
async def test_malformed_and_unknown_link_codes_fail(accounts, ada, code):
    with pytest.raises(AuthError) as refused:
        await accounts.redeem_link_code(code, TG)
    assert refused.value.reason in {"link_code_malformed", "link_code_unknown"}


async def test_guessing_link_codes_is_throttled_per_telegram_identity(accounts, ada):
    real = await accounts.create_link_code(ada.id)
    for attempt in range(5):
        with pytest.raises(AuthError):
            await accounts.redeem_link_code(f"guess-{attempt}-aaaaaaaaaaaaaaaaaaaaaaaa", TG)

    with pytest.raises(Throttled) as throttled:
        await accounts.redeem_link_code(real.code, TG)
    assert throttled.value.retry_after > 0
    assert (await accounts.redeem_link_code(real.code, TG + 1)).status == "linked"


async def test_linking_an_identity_owned_by_another_account_asks_for_confirmation_first(accounts, ada):
    telegram_account = await accounts.get_or_create_telegram_user(TG, "Ada on Telegram")
    await accounts.update_profile(telegram_account.id, ProfileUpdate(skills=["Java"], location="Lisbon"))
    link = await accounts.create_link_code(ada.id)

    result = await accounts.redeem_link_code(link.code, TG)

    assert (result.status, result.user_id, result.previous_user_id) == ("needs_confirmation", ada.id, telegram_account.id)
    assert (await accounts.get_profile(ada.id)).telegram_id is None
    assert (await accounts.get_profile(telegram_account.id)).telegram_id == TG
    assert (await accounts.redeem_link_code(link.code, TG, confirm=True)).status == "linked"  # the code was not spent


async def test_a_confirmed_relink_moves_the_identity_and_keeps_the_other_accounts_data(accounts, ada):
    telegram_account = await accounts.get_or_create_telegram_user(TG, "Ada on Telegram")
    telegram_account = await accounts.update_profile(telegram_account.id, ProfileUpdate(skills=["Java"], location="Lisbon"))
    link = await accounts.create_link_code(ada.id)

    result = await accounts.redeem_link_code(link.code, TG, confirm=True)

    assert (result.status, result.previous_user_id) == ("linked", telegram_account.id)
    assert (await accounts.get_profile(ada.id)).telegram_id == TG
    assert (await accounts.get_profile(ada.id)).skills == ["Python"]  # nothing merged in
    left = await accounts.get_profile(telegram_account.id)
    assert (left.telegram_id, left.skills, left.location, left.full_name) == (None, ["Java"], "Lisbon", "Ada on Telegram")


async def test_replacing_an_accounts_existing_telegram_identity_needs_confirmation(accounts, ada):
    await accounts.redeem_link_code((await accounts.create_link_code(ada.id)).code, TG)
    link = await accounts.create_link_code(ada.id)

    asked = await accounts.redeem_link_code(link.code, TG + 5)
    assert (asked.status, asked.replaced_telegram_id) == ("needs_confirmation", TG)

    await accounts.redeem_link_code(link.code, TG + 5, confirm=True)
    assert (await accounts.get_profile(ada.id)).telegram_id == TG + 5


async def test_redeeming_a_code_for_the_identity_already_linked_reports_it(accounts, ada):
    await accounts.redeem_link_code((await accounts.create_link_code(ada.id)).code, TG)
    link = await accounts.create_link_code(ada.id)

    assert (await accounts.redeem_link_code(link.code, TG)).status == "already_linked"
    with pytest.raises(AuthError):
        await accounts.redeem_link_code(link.code, TG)  # spent all the same


async def test_two_concurrent_redeems_of_one_code_link_exactly_once(accounts, ada):
    link = await accounts.create_link_code(ada.id)

    results = await asyncio.gather(
        accounts.redeem_link_code(link.code, TG), accounts.redeem_link_code(link.code, TG + 1), return_exceptions=True
    )

    assert sorted(type(r).__name__ for r in results) == ["AuthError", "LinkResult"]
    linked = next(r for r in results if not isinstance(r, Exception))
    assert (await accounts.get_profile(ada.id)).telegram_id == linked.telegram_id


async def test_a_code_links_only_the_account_that_created_it(accounts, ada):
    bob = await accounts.create_with_password("bob@example.com", PASSWORD)
    link = await accounts.create_link_code(bob.id)

    await accounts.redeem_link_code(link.code, TG)

    assert (await accounts.get_profile(bob.id)).telegram_id == TG
    assert (await accounts.get_profile(ada.id)).telegram_id is None
