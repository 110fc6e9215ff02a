"""`career-nav user ...` run as a subprocess, as an operator or a script would (passwords through stdin)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.accounts import AccountService
from core.errors import AuthError
from core.settings import Settings
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.sqlite.store import SqliteStore

CAREER_NAV = Path(sys.executable).parent / "career-nav"
PASSWORD = "Sup3r-Secret-Horse"
EMAIL = "ada@example.com"


def career_nav(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "MONGODB_URI": "", "JWT_SECRET_KEY": "", "LOG_LEVEL": "DEBUG"}
    return subprocess.run([str(CAREER_NAV), *args], capture_output=True, text=True, env=env, input=stdin, timeout=120, cwd=Path(__file__).parents[2])


def verify(data_dir: Path, token: str):
    """Checks a token the way the MCP server will: a fresh process-like service on the same data directory."""

    async def check():
        settings = Settings(CAREER_NAV_DATA_DIR=str(data_dir), MONGODB_URI="", JWT_SECRET_KEY="")
        store = SqliteStore(settings.sqlite_path)
        await store.open()
        try:
            return await AccountService(store, Taxonomy.load(), RoleCatalog.load(), settings).verify_token(token)
        finally:
            await store.close()

    return asyncio.run(check())


@pytest.fixture
def account(tmp_path: Path) -> Path:
    created = career_nav(tmp_path, "user", "create", "--email", EMAIL, "--name", "Ada Lovelace", "--skills", "python3,k8s", "--role", "backend", "--role", "SRE", "--level", "senior", stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert EMAIL in created.stdout
    return tmp_path


def test_user_create_reads_the_password_from_stdin_and_show_prints_the_canonical_profile(account):
    shown = career_nav(account, "user", "show", "--email", EMAIL, "--json")

    assert shown.returncode == 0, shown.stderr
    profile = json.loads(shown.stdout)
    assert (profile["email"], profile["full_name"], profile["experience_level"]) == (EMAIL, "Ada Lovelace", "Senior")
    assert profile["skills"] == ["Python", "Kubernetes"]
    assert profile["target_roles"] == ["Backend Developer", "Site Reliability Engineer"]
    assert profile["tokens"] == []


def test_user_create_refuses_a_weak_password_and_an_empty_stdin(tmp_path):
    weak = career_nav(tmp_path, "user", "create", "--email", EMAIL, stdin="weakpass\n")
    empty = career_nav(tmp_path, "user", "create", "--email", EMAIL, stdin="")

    assert weak.returncode == 2 and "at least 8 characters" in weak.stderr
    assert empty.returncode == 2 and "no password on stdin" in empty.stderr
    assert career_nav(tmp_path, "user", "show", "--email", EMAIL).returncode == 3


def test_user_token_prints_only_a_token_that_verifies_and_show_never_reprints_it(account):
    issued = career_nav(account, "user", "token", "--email", EMAIL, "--days", "7")

    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert issued.stdout == token + "\n" and token.count(".") == 2
    assert verify(account, token).email == EMAIL
    shown = career_nav(account, "user", "show", "--email", EMAIL, "--json")
    assert len(json.loads(shown.stdout)["tokens"]) == 1
    for output in (shown.stdout, shown.stderr, issued.stderr):
        assert token not in output and token.split(".")[2] not in output


def test_user_revoke_by_jti_and_all(account):
    first = career_nav(account, "user", "token", "--email", EMAIL).stdout.strip()
    second = career_nav(account, "user", "token", "--email", EMAIL).stdout.strip()
    jti = json.loads(career_nav(account, "user", "show", "--email", EMAIL, "--json").stdout)["tokens"][-1]["jti"]

    assert career_nav(account, "user", "revoke", "--email", EMAIL, "--jti", jti).returncode == 0
    remaining = json.loads(career_nav(account, "user", "show", "--email", EMAIL, "--json").stdout)["tokens"]
    assert len(remaining) == 1 and remaining[0]["jti"] != jti

    assert career_nav(account, "user", "revoke", "--email", EMAIL, "--all").returncode == 0
    assert json.loads(career_nav(account, "user", "show", "--email", EMAIL, "--json").stdout)["tokens"] == []
    for token in (first, second):
        with pytest.raises(AuthError):
            verify(account, token)


def test_user_revoke_needs_exactly_one_of_all_or_jti(account):
    assert career_nav(account, "user", "revoke", "--email", EMAIL).returncode == 2
    assert career_nav(account, "user", "revoke", "--email", EMAIL, "--all", "--jti", "x").returncode == 2


def test_user_delete_removes_the_account_and_its_tokens(account):
    token = career_nav(account, "user", "token", "--email", EMAIL).stdout.strip()

    deleted = career_nav(account, "user", "delete", "--email", EMAIL)

    assert deleted.returncode == 0, deleted.stderr
    missing = career_nav(account, "user", "show", "--email", EMAIL)
    assert missing.returncode == 3 and missing.stderr.strip().splitlines()[-1] == "career-nav: No account with that email."
    with pytest.raises(AuthError):
        verify(account, token)


def test_the_password_never_appears_in_any_output_even_at_debug_level(tmp_path):
    created = career_nav(tmp_path, "user", "create", "--email", EMAIL, stdin=PASSWORD + "\n")
    shown = career_nav(tmp_path, "user", "show", "--email", EMAIL)

    assert created.returncode == 0 and shown.returncode == 0
    for output in (created.stdout, created.stderr, shown.stdout, shown.stderr):
        assert PASSWORD not in output
