"""MCP personal tokens: every forged, stale or revoked token is refused with a distinct, logged reason."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.accounts import AccountService
from core.accounts_tokens import AUDIENCE
from core.errors import AuthError, InvalidInput, NotFound
from core.settings import Settings
from core.skills.roles import RoleCatalog
from tests.accounts_support import PASSWORD, SECRET, TokenConfig, account_service, fast_hasher, small_taxonomy


@pytest.fixture
def accounts(sqlite_store, clock) -> AccountService:
    return account_service(sqlite_store, clock)


@pytest.fixture
async def ada(accounts):
    return await accounts.create_with_password("ada@example.com", PASSWORD)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(header: dict, claims: dict) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def resigned(token: str, **changes: object) -> str:
    """The token's claims with changes (a value of None drops the claim), signed with the real secret."""
    claims = {**claims_of(token), **changes}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, SECRET, algorithm="HS256")


def unsigned(token: str) -> str:
    return _segments({"alg": "none", "typ": "JWT"}, claims_of(token)) + "."


def rs256(token: str) -> str:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims_of(token), private_key, algorithm="RS256")


def hs256_with_public_key(token: str) -> str:
    """The classic RS→HS confusion: an HMAC keyed with a public key an RS256 verifier would trust."""
    public_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = _segments({"alg": "HS256", "typ": "JWT"}, claims_of(token))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def tampered(token: str) -> str:
    header, _, signature = token.split(".")
    claims = {**claims_of(token), "sub": "someone-else"}
    return header + "." + _b64(json.dumps(claims).encode()) + "." + signature


# --- the happy path ----------------------------------------------------------------------------------------


async def test_an_issued_token_verifies_to_its_user(accounts, ada):
    issued = await accounts.issue_token(ada.id)

    assert (await accounts.verify_token(issued.token)).id == ada.id


async def test_a_token_carries_every_required_claim_and_the_pinned_algorithm(accounts, ada, clock):
    issued = await accounts.issue_token(ada.id, days=7)

    assert jwt.get_unverified_header(issued.token)["alg"] == "HS256"
    claims = claims_of(issued.token)
    assert claims["sub"] == ada.id and claims["jti"] == issued.jti and claims["ver"] == 0
    assert (claims["iss"], claims["aud"]) == ("career-navigator", AUDIENCE)
    assert claims["exp"] - claims["iat"] == 7 * 86_400
    assert issued.expires_at == clock.now() + timedelta(days=7)


async def test_the_issuer_comes_from_the_app_name_in_settings(sqlite_store, clock, tmp_path):
    settings = Settings(JWT_SECRET_KEY=SECRET, CAREER_NAV_DATA_DIR=str(tmp_path), APP_NAME="Career Navigator")
    accounts = AccountService(sqlite_store, small_taxonomy(), RoleCatalog.load(), settings, clock, hasher=fast_hasher())
    user = await accounts.get_or_create_telegram_user(7, "T")

    issued = await accounts.issue_token(user.id)

    assert claims_of(issued.token)["iss"] == "career-navigator"
    assert (await accounts.verify_token(issued.token)).id == user.id


@pytest.mark.parametrize("days", [0, 366, -1, True])
async def test_token_lifetimes_outside_one_day_to_a_year_are_refused(accounts, ada, days):
    with pytest.raises(InvalidInput):
        await accounts.issue_token(ada.id, days=days)


# --- every kind of refusal ----------------------------------------------------------------------------------

Forge = Callable[[AccountService, str, object], Awaitable[str]]


async def _expired(accounts, token, clock):
    clock.advance(days=30, seconds=1)
    return token


async def _revoked(accounts, token, clock):
    await accounts.revoke_token(claims_of(token)["sub"], claims_of(token)["jti"])
    return token


async def _revoked_all(accounts, token, clock):
    await accounts.revoke_all_tokens(claims_of(token)["sub"])
    return token


async def _deleted_user(accounts, token, clock):
    await accounts.delete_user(claims_of(token)["sub"])
    return token


def _sync(forge):
    async def apply(accounts, token, clock):
        return forge(token)

    return apply


REFUSALS: dict[str, tuple[Forge, str]] = {
    "expired": (_expired, "expired"),
    "tampered": (_sync(tampered), "invalid_signature"),
    "other secret": (_sync(lambda t: jwt.encode(claims_of(t), "another-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789", algorithm="HS256")), "invalid_signature"),
    "wrong audience": (_sync(lambda t: resigned(t, aud="someone-elses-api")), "wrong_audience"),
    "wrong issuer": (_sync(lambda t: resigned(t, iss="evil-issuer")), "wrong_issuer"),
    "alg none": (_sync(unsigned), "algorithm"),
    "RS256": (_sync(rs256), "algorithm"),
    "HS/RS confusion": (_sync(hs256_with_public_key), "invalid_signature"),
    "other HS algorithm": (_sync(lambda t: jwt.encode(claims_of(t), SECRET, algorithm="HS512")), "algorithm"),
    "revoked": (_revoked, "revoked"),
    "revoke all": (_revoked_all, "revoked"),
    "not in the ledger": (_sync(lambda t: resigned(t, jti="never-issued")), "revoked"),
    "old token version": (_sync(lambda t: resigned(t, ver=-1)), "revoked"),
    "deleted user": (_deleted_user, "unknown_user"),
    "issued in the future": (_sync(lambda t: resigned(t, iat=claims_of(t)["iat"] + 3600)), "not_yet_valid"),
    "missing sub": (_sync(lambda t: resigned(t, sub=None)), "missing_claim"),
    "missing iat": (_sync(lambda t: resigned(t, iat=None)), "missing_claim"),
    "missing exp": (_sync(lambda t: resigned(t, exp=None)), "missing_claim"),
    "missing jti": (_sync(lambda t: resigned(t, jti=None)), "missing_claim"),
    "missing iss": (_sync(lambda t: resigned(t, iss=None)), "missing_claim"),
    "missing aud": (_sync(lambda t: resigned(t, aud=None)), "missing_claim"),
    "missing ver": (_sync(lambda t: resigned(t, ver=None)), "missing_claim"),
    "string exp": (_sync(lambda t: resigned(t, exp="tomorrow")), "malformed"),
    "garbage": (_sync(lambda t: "not-a-token"), "malformed"),
    "three dots": (_sync(lambda t: "a.b.c"), "malformed"),
    "empty": (_sync(lambda t: ""), "malformed"),
    "huge": (_sync(lambda t: t + "A" * 5000), "malformed"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_bad_tokens_are_refused_with_a_distinct_logged_reason_and_the_token_never_logged(accounts, ada, clock, caplog, case):
    forge, reason = REFUSALS[case]
    issued = await accounts.issue_token(ada.id)
    bad = await forge(accounts, issued.token, clock)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(AuthError) as refused:
        await accounts.verify_token(bad)

    assert refused.value.reason == reason
    assert f"token rejected: reason={reason}" in caplog.text
    for secret in {bad, issued.token, issued.token.split(".")[2], SECRET} - {""}:
        assert secret not in caplog.text


async def test_tokens_issued_after_revoke_all_work(accounts, ada):
    old = await accounts.issue_token(ada.id)
    await accounts.revoke_all_tokens(ada.id)

    new = await accounts.issue_token(ada.id)

    assert (await accounts.verify_token(new.token)).id == ada.id
    assert claims_of(new.token)["ver"] == 1
    with pytest.raises(AuthError):
        await accounts.verify_token(old.token)


async def test_a_service_pinned_to_hs512_refuses_hs256_tokens(sqlite_store, clock):
    hs256 = account_service(sqlite_store, clock)
    hs512 = account_service(sqlite_store, clock, config=TokenConfig(jwt_algorithm="HS512"))
    user = await hs256.get_or_create_telegram_user(9, "T")
    token = (await hs256.issue_token(user.id)).token

    with pytest.raises(AuthError) as refused:
        await hs512.verify_token(token)
    assert refused.value.reason == "algorithm"
    assert (await hs512.verify_token((await hs512.issue_token(user.id)).token)).id == user.id


# --- listing and revoking ----------------------------------------------------------------------------------


async def test_listing_tokens_shows_metadata_but_never_a_token(accounts, ada, clock):
    first = await accounts.issue_token(ada.id, days=1)
    clock.advance(minutes=5)
    second = await accounts.issue_token(ada.id, days=10)
    await accounts.verify_token(first.token)

    listed = await accounts.list_tokens(ada.id)

    assert [t.jti for t in listed] == [second.jti, first.jti]
    assert listed[1].last_used_at == clock.now() and listed[0].last_used_at is None
    assert listed[0].expires_at == second.expires_at
    dumped = json.dumps([t.model_dump(mode="json") for t in listed])
    assert first.token not in dumped and second.token not in dumped
    assert first.token not in repr(first)


async def test_revoked_and_expired_tokens_drop_out_of_the_list(accounts, ada, clock):
    short = await accounts.issue_token(ada.id, days=1)
    revoked = await accounts.issue_token(ada.id, days=5)
    kept = await accounts.issue_token(ada.id, days=5)
    await accounts.revoke_token(ada.id, revoked.jti)
    clock.advance(days=2)

    assert [t.jti for t in await accounts.list_tokens(ada.id)] == [kept.jti]
    assert short.jti not in {t.jti for t in await accounts.list_tokens(ada.id)}


async def test_a_user_cannot_revoke_or_list_another_users_tokens(accounts, ada):
    bob = await accounts.create_with_password("bob@example.com", PASSWORD)
    bobs = await accounts.issue_token(bob.id)

    with pytest.raises(NotFound):
        await accounts.revoke_token(ada.id, bobs.jti)

    assert await accounts.list_tokens(ada.id) == []
    assert (await accounts.verify_token(bobs.token)).id == bob.id


async def test_revoking_an_unknown_or_already_revoked_token_is_not_found(accounts, ada):
    issued = await accounts.issue_token(ada.id)
    await accounts.revoke_token(ada.id, issued.jti)

    for jti in (issued.jti, "no-such-jti"):
        with pytest.raises(NotFound):
            await accounts.revoke_token(ada.id, jti)


async def test_a_token_always_resolves_to_its_own_user(accounts, ada):
    bob = await accounts.create_with_password("bob@example.com", PASSWORD)
    adas, bobs = await accounts.issue_token(ada.id), await accounts.issue_token(bob.id)

    assert (await accounts.verify_token(adas.token)).id == ada.id
    assert (await accounts.verify_token(bobs.token)).id == bob.id
    with pytest.raises(AuthError) as refused:  # Ada's ledger entry under Bob's name is not Bob's token
        await accounts.verify_token(resigned(adas.token, sub=bob.id))
    assert refused.value.reason == "revoked"
