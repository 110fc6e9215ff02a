"""End to end: the real `career-nav bot` process, on demo data loaded by `career-nav demo-data`, talking HTTP to
the fake Bot API. Each test is one person in a private chat; assertions are on what they would see and on the
store the bot wrote (read here through the same SQLite file).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.bootstrap import open_navigator
from core.clock import FixedClock
from core.errors import AuthError
from core.models import ExperienceLevel
from core.settings import Settings
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"
pytestmark = pytest.mark.slow


def bot_command() -> list[str]:
    """`career-nav bot`, run the way the console script runs it."""
    return [sys.executable, "-m", "cli.main", "bot"]


def environment(fake: FakeTelegram, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "THEIR_STACK_API_KEY": "", "MONGODB_URI": "", "TELEGRAM_WEBHOOK_URL": ""}
    env |= {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url, "LOG_LEVEL": "INFO"}
    return env | extra


def start_bot(fake: FakeTelegram, data_dir: Path, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    polls = fake.polls_started
    with log.open("wb") as sink:
        process = subprocess.Popen(bot_command(), cwd=ROOT, env=environment(fake, data_dir, **extra), stdout=sink, stderr=subprocess.STDOUT)
    fake.wait_for(lambda: fake.polls_started > polls or process.poll() is not None, timeout=60, what="the bot process to start polling")
    assert process.poll() is None, log.read_text()
    return process


def stop_bot(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


@pytest.fixture(scope="module")
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bot-e2e")
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(directory), "THEIR_STACK_API_KEY": "", "MONGODB_URI": ""}
    result = subprocess.run([sys.executable, "-m", "cli.main", "demo-data", "--postings", "3000"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return directory


@pytest.fixture(scope="module")
def bot_process(fake, data_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("bot-log") / "bot.log"
    process = start_bot(fake, data_dir, log)
    yield process
    if process.poll() is None:
        stop_bot(process)


@pytest.fixture
def settings(data_dir) -> Settings:
    return Settings(_env_file=None, CAREER_NAV_DATA_DIR=str(data_dir), MONGODB_URI="", JWT_SECRET_KEY="")


@pytest.fixture
async def nav(settings):
    navigator = await open_navigator(settings)
    yield navigator
    await navigator.close()


@pytest.fixture
def chat(fake, bot_process):
    return fake.chat(fake.user("Grace", last_name="Hopper", username="grace"))


async def stored(nav, chat):
    return await nav.store.users.get_by_telegram_id(chat.id)


async def test_onboarding_conversation_builds_the_profile_in_the_store(chat, nav):
    welcome, role_q = await chat.send("/start", expect=2)
    assert "Hi Grace Hopper" in welcome.text and "Data Scientist" in [b.text for b in role_q.flat_buttons]
    [skills_q] = await chat.tap(role_q, "Backend Developer", expect=1)
    [typo] = await chat.send("Python, postgres, dokcer", expect=1)
    assert "Added: Python, PostgreSQL" in typo.text and "I don't know dokcer" in typo.text
    await chat.tap(typo, "Docker")
    [level_q] = await chat.tap(typo, "Done", expect=1)
    [location_q] = await chat.tap(level_q, "Mid", expect=1)
    [_, digest_q] = await chat.send("Remote", expect=2)
    [done] = await chat.tap(digest_q, "Yes", expect=1)
    assert "All set" in done.text
    user = await stored(nav, chat)
    assert (user.target_roles, user.skills) == (["Backend Developer"], ["Python", "PostgreSQL", "Docker"])
    assert (user.experience_level, user.location, user.digest_opt_in) == (ExperienceLevel.MID, "Remote", True)


GOOD = [
    ("/help", 1, "/roadmap [role]"),
    ("/profile", 1, "Target role: Data Scientist"),
    ("/skills add pandas, numpy", 1, "Added: Pandas, NumPy"),
    ("/skills remove numpy", 1, "Removed: NumPy"),
    ("/skills", 1, "Python, SQL, Pandas"),
    ("/role ml engineer", 1, "Target role: Machine Learning Engineer"),
    ("/level Senior", 1, "Level: Senior"),
    ("/location Toronto", 1, "Location: Toronto"),
    ("/trending data scientist 60", 2, "Data Scientist · last 60 days"),
    ("/gap data scientist", 2, "Coverage:"),
    ("/roadmap", 1, "Roadmap — Machine Learning Engineer"),
    ("/projects advanced", 1, "Projects for you · Advanced"),
    ("/resources sql", 1, "Learning resources — SQL"),
    ("/link", 1, "Linking accounts"),
    ("/token list", 1, "no active MCP tokens"),
    ("/digest on", 1, "Weekly digest is on"),
    ("/digest", 1, "Weekly digest is on"),
    ("/delete", 1, "Delete everything?"),
]


async def test_every_command_answers_well_formed_arguments(chat):
    await chat.send("/skills add Python, SQL")
    await chat.send("/role data scientist")
    for command, count, expected in GOOD:
        replies = await chat.send(command, expect=count)
        assert expected in replies[-1].text or expected in replies[0].text, (command, [r.text for r in replies])
        if count == 2:
            assert replies[0].kind == "photo" and replies[0].photo.startswith(PNG), command


BAD = [
    ("/skills remove", "Which skills should I remove?", "Usage: /skills"),
    ("/role wizard", "Unknown role 'wizard'", "Usage: /role"),
    ("/level guru", "I don't know the level 'guru'", "Usage: /level"),
    ("/location " + "y" * 250, "at most 200 characters", "Usage: /location"),
    ("/trending 0", "days must be between 1 and 365", "Usage: /trending"),
    ("/gap astronaut", "Unknown role 'astronaut'", "Usage: /gap"),
    ("/roadmap knight", "Unknown role 'knight'", "Usage: /roadmap"),
    ("/projects extreme", "I don't know the difficulty 'extreme'", "Usage: /projects"),
    ("/resources", "Which skill?", "Usage: /resources"),
    ("/resources dokcer", "Unknown skill 'dokcer'", "Did you mean"),
    ("/link not-a-valid-code", "invalid, expired or already used", "/link"),
    ("/token please", "I didn't understand that", "Usage: /token"),
    ("/digest sometimes", "Say on or off", "Usage: /digest"),
    ("/start !!!", "invalid, expired or already used", "/link"),
    ("/nonsense", "I don't know /nonsense", "/help"),
]


async def test_every_command_explains_malformed_arguments_with_usage(chat):
    for command, problem, hint in BAD:
        [reply] = await chat.send(command)
        assert problem in reply.text and hint in reply.text, (command, reply.text)


async def test_roadmap_and_projects_page_with_inline_buttons(chat):
    await chat.send("/skills add Python")
    [roadmap] = await chat.send("/roadmap data engineer")
    first = roadmap.text
    await chat.tap(roadmap, "Next")
    assert "(page 2/" in roadmap.text and roadmap.text != first and "◀ Prev" in [b.text for b in roadmap.flat_buttons]
    await chat.tap(roadmap, "Prev")
    assert roadmap.text == first
    [projects] = await chat.send("/projects")
    await chat.tap(projects, "Next")
    assert "(page 2/" in projects.text


async def test_deep_links_link_once_and_expired_or_reused_codes_are_refused(fake, bot_process, nav, settings):
    owner = await nav.accounts.create_with_password("ada@example.com", "Analytical9Engine", full_name="Ada")
    chat = fake.chat(fake.user("Ada"))
    code = await nav.accounts.create_link_code(owner.id)
    [linked] = await chat.send(f"/start {code.code}")
    assert "Linked!" in linked.text
    assert (await nav.store.users.get(owner.id)).telegram_id == chat.id
    [reused] = await fake.chat(fake.user("Mallory")).send(f"/start {code.code}")
    assert "invalid, expired or already used" in reused.text
    past = await open_navigator(settings, clock=FixedClock(datetime.now(UTC) - timedelta(minutes=11)))
    try:
        expired = await past.accounts.create_link_code(owner.id)
    finally:
        await past.close()
    late = fake.chat(fake.user("Late"))
    [refused] = await late.send(f"/start {expired.code}")
    assert "invalid, expired or already used" in refused.text
    assert (await nav.store.users.get(owner.id)).telegram_id == chat.id


async def test_a_second_identity_must_confirm_before_taking_over_an_account(fake, bot_process, nav):
    owner = await nav.accounts.create_with_password("kay@example.com", "Sm4lltalk80s")
    chat = fake.chat(fake.user("Kay"))
    await chat.send("/skills add Smalltalk")
    code = await nav.accounts.create_link_code(owner.id)
    [question] = await chat.send(f"/start {code.code}")
    assert [b.text for b in question.flat_buttons] == ["Yes, link", "Cancel"]
    await chat.tap(question, "Yes, link")
    assert "Linked!" in question.text and (await stored(nav, chat)).id == owner.id


async def test_a_token_from_the_chat_authenticates_until_revoked(chat, nav):
    [issued] = await chat.send("/token 30")
    token = issued.text.split("copy it now:\n")[1].split("\n")[0]
    assert (await nav.accounts.verify_token(token)).telegram_id == chat.id
    [listing] = await chat.send("/token list")
    assert "Active MCP tokens (1)" in listing.text
    [revoked] = await chat.send("/token revoke")
    assert "Revoked all your MCP tokens" in revoked.text
    with pytest.raises(AuthError):
        await nav.accounts.verify_token(token)


async def test_delete_removes_the_account_after_confirmation(chat, nav):
    await chat.send("/skills add Go")
    user = await stored(nav, chat)
    [question] = await chat.send("/delete")
    await chat.tap(question, "Yes, delete everything")
    assert "deleted" in question.text and await nav.store.users.get(user.id) is None


async def test_the_process_stops_cleanly_on_sigterm_and_never_logs_secrets(data_dir, tmp_path, nav):
    log = tmp_path / "debug.log"
    async with FakeTelegram() as own:  # its own Bot API: two bots polling one fake would share updates
        process = start_bot(own, data_dir, log, LOG_LEVEL="DEBUG")
        chat = own.chat(own.user("Linus"))
        [issued] = await chat.send("/token")
        token = issued.text.split("copy it now:\n")[1].split("\n")[0]
        owner = await nav.accounts.create_with_password("linus@example.com", "Fr3akingKernel")
        code = await nav.accounts.create_link_code(owner.id)
        await chat.send(f"/start {code.code}")
        assert stop_bot(process) == 0
    output = log.read_text()
    assert "Bot stopped." in output and "DEBUG" in output
    for secret in (own.token, own.token.split(":")[1], token, code.code):
        assert secret not in output


def test_without_a_token_the_command_exits_2_with_one_line(tmp_path):
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": "", "MONGODB_URI": ""}
    result = subprocess.run(bot_command(), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN is not set" in result.stderr
