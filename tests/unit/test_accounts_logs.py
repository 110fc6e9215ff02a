"""Secrets never reach the logs: passwords, hashes, tokens, link codes and the signing secret."""

from __future__ import annotations

import logging

import pytest

from core.errors import AuthError
from core.models import ProfileUpdate
from tests.accounts_support import PASSWORD, SECRET, account_service


async def test_no_password_hash_token_link_code_or_secret_appears_in_any_log_record(sqlite_store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    accounts = account_service(sqlite_store, clock)
    wrong_password = "Wrong-Passw0rd-XYZ"

    user = await accounts.create_with_password("ada@example.com", PASSWORD, skills=["Python"])
    await accounts.authenticate("ada@example.com", PASSWORD, source="198.51.100.7")
    for _ in range(6):
        with pytest.raises(AuthError):
            await accounts.authenticate("ada@example.com", wrong_password, source="198.51.100.7")
    issued = await accounts.issue_token(user.id)
    await accounts.verify_token(issued.token)
    with pytest.raises(AuthError):
        await accounts.verify_token(issued.token[:-3] + "abc")
    link = await accounts.create_link_code(user.id)
    with pytest.raises(AuthError):
        await accounts.redeem_link_code(link.code[:-1] + "Z" if not link.code.endswith("Z") else link.code[:-1] + "Y", 42)
    await accounts.redeem_link_code(link.code, 42)
    with pytest.raises(AuthError):
        await accounts.redeem_link_code(link.code, 43)
    await accounts.update_profile(user.id, ProfileUpdate(location="Berlin"))
    await accounts.revoke_all_tokens(user.id)
    await accounts.delete_user(user.id)

    password_hash_prefix = "$argon2id$"
    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    assert caplog.records, "the flows above log their events"
    for secret in (PASSWORD, wrong_password, issued.token, issued.token.split(".")[2], link.code, SECRET, password_hash_prefix):
        assert secret not in logged
    assert "ada@example.com" not in logged  # the email is personal data: logs name users by id
