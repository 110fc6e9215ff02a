"""The real bot Application, in this process, polling a real fake Bot API over HTTP; a real store with demo data.

Each test plays one Telegram user and asserts on what that user would see (texts, photos, buttons) and on
the store behind the bot.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import UTC, datetime

import httpx
import pytest

from bot import run_bot
from bot.webhook import SECRET_HEADER
from core.bootstrap import open_navigator
from core.errors import AuthError, ConfigError
from core.models import ExperienceLevel
from tests.bot_support import (  # noqa: F401 — fixtures are used by name
    bot, chat, clock, demo_template, fake, nav, settings, stored, bot_settings, copy_data_dir,
)

PNG = b"\x89PNG\r\n\x1a\n"


async def onboard(chat, *, role="Data Scientist", skills="Python, SQL"):
    """Walks onboarding quickly: role, skills, then skips level, location and the digest."""
    _, question = await chat.send("/start", expect=2)
    await chat.tap(question, role, expect=1)
    _, level_q = await chat.send(skills, expect=2)
    [location_q] = await chat.tap(level_q, "Skip", expect=1)
    [digest_q] = await chat.tap(location_q, "Skip", expect=1)
    await chat.tap(digest_q, "No thanks", expect=1)


# --- start, onboarding -----------------------------------------------------------------------------------


async def test_start_creates_the_account_and_asks_for_a_role_from_a_keyboard_of_known_roles(chat, nav):
    welcome, question = await chat.send("/start", expect=2)
    assert "Hi Ada Lovelace" in welcome.text
    assert "1/5" in question.text and "Which role" in question.text
    labels = [button.text for button in question.flat_buttons]
    assert set(nav.roles.names()) <= set(labels) and any("Skip" in label for label in labels)
    user = await stored(nav, chat)
    assert user is not None and user.full_name == "Ada Lovelace" and user.telegram_username == "ada"


async def test_onboarding_saves_role_skills_with_did_you_mean_level_location_and_digest(chat, nav):
    _, role_q = await chat.send("/start", expect=2)
    [skills_q] = await chat.tap(role_q, "Machine Learning Engineer", expect=1)
    assert role_q.text == "🎯 Target role: Machine Learning Engineer" and not role_q.buttons
    assert "2/5" in skills_q.text
    [typo] = await chat.send("python, k8s, pyton", expect=1)
    assert "Added: Python, Kubernetes" in typo.text and "I don't know pyton" in typo.text
    assert "➕ Python" in [b.text for b in typo.flat_buttons]
    await chat.tap(typo, "Cython")
    assert "Added: Cython" in typo.text
    [level_q] = await chat.tap(typo, "Done", expect=1)
    [location_q] = await chat.tap(level_q, "Senior", expect=1)
    saved, digest_q = await chat.send("Berlin, Germany", expect=2)
    assert "Location: Berlin, Germany" in saved.text and "5/5" in digest_q.text
    [done] = await chat.tap(digest_q, "Yes", expect=1)
    assert "All set" in done.text and "/gap" in done.text
    user = await stored(nav, chat)
    assert user.target_roles == ["Machine Learning Engineer"]
    assert user.skills == ["Python", "Kubernetes", "Cython"]
    assert (user.experience_level, user.location, user.digest_opt_in) == (ExperienceLevel.SENIOR, "Berlin, Germany", True)


async def test_skipped_questions_are_asked_again_when_start_resumes(chat, nav):
    _, role_q = await chat.send("/start", expect=2)
    [skills_q] = await chat.tap(role_q, "Skip", expect=1)
    assert role_q.text == "🎯 Target role: skipped"
    [level_q] = await chat.tap(skills_q, "Skip", expect=1)
    [location_q] = await chat.tap(level_q, "Junior", expect=1)
    [paused] = await chat.send("/cancel")
    assert "Paused" in paused.text
    welcome, resumed = await chat.send("/start", expect=2)
    assert "Welcome back" in welcome.text and "Which role" in resumed.text
    [skills_again] = await chat.tap(resumed, "Data Engineer", expect=1)
    assert "Which skills" in skills_again.text
    user = await stored(nav, chat)
    assert user.target_roles == ["Data Engineer"] and user.experience_level == ExperienceLevel.JUNIOR


async def test_typed_answers_work_in_onboarding_and_a_wrong_role_gets_close_matches(chat, nav):
    _, role_q = await chat.send("/start", expect=2)
    [wrong] = await chat.send("data sciense")
    assert "Unknown role 'data sciense'" in wrong.text and "Data Scientist" in wrong.text
    saved, skills_q = await chat.send("ml engineer", expect=2)
    assert "Machine Learning Engineer" in saved.text and "Which skills" in skills_q.text
    assert (await stored(nav, chat)).target_roles == ["Machine Learning Engineer"]


async def test_start_with_a_complete_profile_welcomes_back_with_next_steps(chat, nav):
    await onboard(chat)
    user = await stored(nav, chat)
    await nav.store.users.update(user.id, {"experience_level": "Mid", "location": "Remote"})
    [welcome] = await chat.send("/start")
    assert "Welcome back" in welcome.text and "/roadmap" in welcome.text


# --- profile commands ------------------------------------------------------------------------------------


async def test_profile_buttons_edit_role_level_skills_location_and_digest(chat, nav):
    [profile] = await chat.send("/profile")
    assert "Target role: —" in profile.text and "Weekly digest: off" in profile.text
    [roles] = await chat.tap(profile, "Role", edit=False, expect=1)
    await chat.tap(roles, "QA Engineer")
    [levels] = await chat.tap(profile, "Level", edit=False, expect=1)
    await chat.tap(levels, "Lead")
    [ask_skills] = await chat.tap(profile, "Skills", edit=False, expect=1)
    assert "Send the skills" in ask_skills.text
    await chat.send("Selenium, pytest")
    [ask_place] = await chat.tap(profile, "Location", edit=False, expect=1)
    await chat.tap(ask_place, "Remote")
    await chat.tap(profile, "Digest")
    assert "Weekly digest: on" in profile.text
    user = await stored(nav, chat)
    assert (user.target_roles, user.skills, user.experience_level, user.location, user.digest_opt_in) == (
        ["QA Engineer"], ["Selenium", "pytest"], ExperienceLevel.LEAD, "Remote", True,
    )


async def test_skills_command_adds_removes_and_clears_with_suggestions(chat, nav):
    [added] = await chat.send("/skills add Python, js, reactjs, Pythn")
    assert "Added: Python, JavaScript, React" in added.text and "I don't know Pythn" in added.text
    assert [b.callback_data for b in added.flat_buttons][:1] == ["skill:add:Python"]
    [spaces] = await chat.send("/skills docker terraform")
    assert "Added: Docker, Terraform" in spaces.text
    [removed] = await chat.send("/skills remove javascript, Go")
    assert "Removed: JavaScript" in removed.text and "Not in your profile: Go" in removed.text
    [shown] = await chat.send("/skills")
    assert "Python, React, Docker, Terraform" in shown.text
    assert (await stored(nav, chat)).skills == ["Python", "React", "Docker", "Terraform"]
    await chat.send("/skills clear")
    assert (await stored(nav, chat)).skills == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/role backend", "Target role: Backend Developer"),
        ("/role SRE, data engineering", "Target role: Site Reliability Engineer, Data Engineer"),
        ("/level sr", "Level: Senior"),
        ("/location  New York ", "Location: New York"),
        ("/digest on", "Weekly digest is on"),
        ("/digest OFF", "Weekly digest is off"),
    ],
)
async def test_profile_commands_parse_leniently(chat, command, expected):
    [reply] = await chat.send(command)
    assert expected in reply.text


async def test_location_clear_removes_it(chat, nav):
    await chat.send("/location Lisbon")
    [reply] = await chat.send("/location clear")
    assert "Location: cleared" in reply.text
    assert (await stored(nav, chat)).location is None


@pytest.mark.parametrize(
    ("command", "problem", "usage"),
    [
        ("/role astronaut", "Unknown role 'astronaut'", "Usage: /role [role]"),
        ("/level wizard", "I don't know the level 'wizard'", "Usage: /level"),
        ("/digest maybe", "Say on or off", "Usage: /digest [on|off]"),
        ("/skills add", "Which skills should I add?", "Usage: /skills"),
        ("/trending 400", "days must be between 1 and 365 (got 400)", "Usage: /trending [role] [days]"),
        ("/trending 7 30", "Give the number of days once", "Usage: /trending"),
        ("/trending underwater basket weaving", "Unknown role", "Usage: /trending"),
        ("/gap astronaut", "Unknown role 'astronaut'", "Usage: /gap [role]"),
        ("/roadmap astronaut", "Unknown role", "Usage: /roadmap [role]"),
        ("/projects impossible", "I don't know the difficulty 'impossible'", "Usage: /projects"),
        ("/resources", "Which skill?", "Usage: /resources <skill>"),
        ("/resources pythn", "Unknown skill 'pythn'. Did you mean:", "Usage: /resources"),
        ("/token forever", "I didn't understand that", "Usage: /token"),
        ("/token 0", "days must be between 1 and 365", "Usage: /token"),
        ("/location " + "x" * 300, "location must be at most 200 characters", "Usage: /location"),
    ],
)
async def test_malformed_commands_get_the_problem_and_usage_help(chat, command, problem, usage):
    [reply] = await chat.send(command)
    assert problem in reply.text and usage in reply.text


async def test_unknown_commands_and_free_text_point_to_help(chat):
    [unknown] = await chat.send("/teleport now")
    assert "I don't know /teleport" in unknown.text and "/help" in unknown.text
    [chatter] = await chat.send("hello there")
    assert "/help" in chatter.text


async def test_help_lists_every_command_in_the_contract(chat):
    [reply] = await chat.send("/help")
    for name in ("start", "help", "profile", "skills", "role", "level", "location", "timezone", "trending", "gap", "roadmap", "projects", "resources", "link", "token", "digest", "delete"):
        assert f"/{name}" in reply.text


async def test_set_my_commands_registers_the_command_menu_at_start(fake, bot):
    names = [command["command"] for command in fake.commands]
    assert names[:3] == ["start", "help", "profile"] and len(names) == 17 and "delete" in names


# --- market --------------------------------------------------------------------------------------------


async def test_trending_sends_a_png_chart_and_the_navigators_numbers(chat, nav):
    photo, body = await chat.send("/trending", expect=2)
    report = await nav.trending(days=30)
    assert photo.kind == "photo" and photo.photo.startswith(PNG)
    assert f"{report.total_jobs_analyzed:,} postings" in photo.text
    top = report.top_skills[0]
    assert f"1. {top.skill} — {top.percentage:.0f}% ({top.count:,})" in body.text
    assert "Rising" in body.text and f"▲ {report.rising_skills[0].skill}" in body.text
    assert "Remote:" in body.text


async def test_trending_takes_role_and_days_in_any_order(chat, nav):
    photo, body = await chat.send("/trending 90d data engineers", expect=2)
    report = await nav.trending(days=90, role="Data Engineer")
    assert f"Data Engineer · last 90 days · {report.total_jobs_analyzed:,} postings" in body.text
    _, everyone = await chat.send("/trending all 7", expect=2)
    assert "all roles · last 7 days" in everyone.text


async def test_gap_charts_required_skills_and_names_the_next_skill(chat, nav):
    await chat.send("/skills add Python, SQL")
    await chat.send("/role data scientist")
    photo, body = await chat.send("/gap", expect=2)
    user = await stored(nav, chat)
    report = await nav.skill_gap(user=user)
    assert photo.photo.startswith(PNG)
    assert f"you have {report.skill_match_count} of {report.total_required_skills} required skills" in photo.text
    assert "✅ Python" in body.text and f"❌ {report.missing_skills[0]}" in body.text
    assert f"Learn {report.next_skill} next" in body.text
    _, other = await chat.send("/gap devops", expect=2)
    assert "Skill gap — DevOps Engineer" in other.text


async def test_gap_without_any_role_explains_how_to_choose_one(chat):
    [reply] = await chat.send("/gap")
    assert "Which role?" in reply.text and "Usage: /gap [role]" in reply.text


# --- learning ------------------------------------------------------------------------------------------


async def test_roadmap_pages_forward_and_back_with_buttons(chat, nav):
    await chat.send("/skills add Python")
    [page] = await chat.send("/roadmap data scientist")
    report = await nav.roadmap("Data Scientist", user=await stored(nav, chat))
    pages = -(-len(report.skill_paths) // 3)
    assert f"(page 1/{pages})" in page.text and f"1. {report.skill_paths[0].skill}" in page.text
    assert [b.text for b in page.flat_buttons] == [f"1/{pages}", "Next ▶"]
    assert '<a href="https://' in page.html
    await chat.tap(page, "Next")
    assert f"(page 2/{pages})" in page.text and f"4. {report.skill_paths[3].skill}" in page.text
    assert [b.text for b in page.flat_buttons] == ["◀ Prev", f"2/{pages}", "Next ▶"]
    await chat.tap(page, f"2/{pages}", edit=False)
    await chat.tap(page, "Prev")
    assert f"(page 1/{pages})" in page.text


async def test_projects_filter_by_difficulty_and_page(chat, nav):
    await chat.send("/skills add Python")
    [page] = await chat.send("/projects easy")
    assert "Projects for you · Beginner (page 1/" in page.text
    assert "Match " in page.text and "Intermediate ·" not in page.text
    await chat.tap(page, "Next")
    assert "(page 2/" in page.text and "Beginner ·" in page.text
    [everything] = await chat.send("/projects")
    assert "Projects for you (page 1/" in everything.text


async def test_resources_list_links_for_one_or_more_skills(chat):
    [reply] = await chat.send("/resources machine learning")
    assert "Learning resources — Machine Learning" in reply.text and '<a href="https://' in reply.html
    [several] = await chat.send("/resources docker, k8s")
    assert "Docker" in several.text and "Kubernetes" in several.text


# --- rendering safety ------------------------------------------------------------------------------------


async def test_html_in_names_and_skills_is_shown_literally(fake, bot, nav):
    chat = fake.chat(fake.user("<b>Eve</b> & <i>co", username="eve"))
    welcome, _ = await chat.send("/start", expect=2)
    assert "Hi <b>Eve</b> & <i>co!" in welcome.text
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;i&gt;co" in welcome.html
    [reply] = await chat.send('/skills add <script>alert("x")</script>, Python')
    assert '<script>alert("x")</script>' in reply.text
    [place] = await chat.send("/location <a href='javascript:alert(1)'>home</a>")
    assert "<a href='javascript:alert(1)'>home</a>" in place.text and "<a " not in place.html


async def test_a_ten_thousand_character_profile_never_produces_an_oversized_message(chat, nav):
    await chat.send("/skills")
    user = await stored(nav, chat)
    skills = [f"Skill<{i}>&" + "x" * 95 for i in range(100)]
    await nav.store.users.update(user.id, {"skills": skills, "full_name": "N<" * 100, "location": "L&" * 100, "target_roles": ["R>" * 50]})
    assert sum(len(s) for s in skills) > 10_000
    [profile] = await chat.send("/profile")
    first = len(chat.messages)
    await chat.send("/skills", expect=2)
    await chat.fake.until(lambda: "Change them" in chat.messages[-1].text, what="the last part of /skills")
    parts = chat.messages[first:]
    for message in [profile, *parts]:
        assert len(message.html) <= 4096 and len(message.text) <= 4096  # and the fake accepted its HTML
    shown = "".join(part.text for part in parts)
    assert "Skill<0>&" in shown and "Skill<99>&" in shown


# --- accounts: linking, tokens, delete -------------------------------------------------------------------


async def test_a_link_code_links_this_telegram_identity_to_an_existing_account(chat, nav):
    owner = await nav.accounts.create_with_password("grace@example.com", "Sup3rSecret!", full_name="Grace")
    code = await nav.accounts.create_link_code(owner.id)
    [reply] = await chat.send(f"/start {code.code}")
    assert "Linked!" in reply.text
    linked = await stored(nav, chat)
    assert linked.id == owner.id and linked.email == "grace@example.com"
    [again] = await chat.send(f"/start {code.code}")
    assert "invalid, expired or already used" in again.text


async def test_linking_an_identity_that_has_a_profile_asks_first_and_cancel_keeps_it(chat, nav):
    await chat.send("/skills add Rust")
    before = await stored(nav, chat)
    owner = await nav.accounts.create_with_password("lin@example.com", "Sup3rSecret!")
    code = await nav.accounts.create_link_code(owner.id)
    [question] = await chat.send(f"/link {code.code}")
    assert "already belongs to a Career Navigator profile" in question.text
    await chat.tap(question, "Cancel")
    assert "nothing changed" in question.text
    assert (await stored(nav, chat)).id == before.id
    [question] = await chat.send(f"/start {code.code}")
    await chat.tap(question, "Yes, link")
    assert "Linked!" in question.text
    assert (await stored(nav, chat)).id == owner.id
    assert (await nav.store.users.get(before.id)).skills == ["Rust"]


async def test_an_expired_link_code_is_rejected(chat, nav, clock):
    owner = await nav.accounts.create_with_password("old@example.com", "Sup3rSecret!")
    code = await nav.accounts.create_link_code(owner.id)
    clock.advance(minutes=11)
    [reply] = await chat.send(f"/start {code.code}")
    assert "invalid, expired or already used" in reply.text and "/link" in reply.text
    assert (await nav.store.users.get(owner.id)).telegram_id is None


async def test_link_button_creates_a_one_time_deep_link(chat, nav):
    [intro] = await chat.send("/link")
    assert "Linking accounts" in intro.text
    [code_message] = await chat.tap(intro, "Create a link code", edit=False, expect=1)
    assert "https://t.me/career_nav_test_bot?start=" in code_message.text
    code = code_message.text.split("?start=")[1].split()[0]
    account = await stored(nav, chat)
    other = chat.fake.chat(chat.fake.user("Second"))
    [question] = await other.send(f"/start {code}")
    assert "linked to another Telegram account" in question.text
    await other.tap(question, "Yes, link")
    assert (await stored(nav, other)).id == account.id and await stored(nav, chat) is None


async def test_token_is_shown_once_and_works_until_revoked(chat, nav):
    [issued] = await chat.send("/token")
    token = issued.text.split("copy it now:\n")[1].split("\n")[0]
    assert issued.text.count(token) == 1 and "CAREER_NAV_TOKEN" in issued.text and "/mcp" in issued.text
    user = await nav.accounts.verify_token(token)
    assert user.telegram_id == chat.id
    [listing] = await chat.send("/token list")
    assert "Active MCP tokens (1)" in listing.text and token not in listing.text
    [revoked] = await chat.send("/token revoke")
    assert "Revoked all your MCP tokens (1 active token)" in revoked.text
    with pytest.raises(AuthError):
        await nav.accounts.verify_token(token)


async def test_token_with_days_and_revoking_one_by_id(chat, nav):
    [issued] = await chat.send("/token 7 days")
    jti = issued.text.split("· id ")[1].split()[0]
    [revoked] = await chat.send(f"/token revoke {jti}")
    assert "Token revoked" in revoked.text
    [missing] = await chat.send("/token revoke nope")
    assert "No active token with that id" in missing.text
    assert await nav.accounts.list_tokens((await stored(nav, chat)).id) == []


async def test_delete_asks_for_confirmation_then_removes_everything(chat, nav):
    await chat.send("/skills add Go")
    await chat.send("/token")
    [question] = await chat.send("/delete")
    await chat.tap(question, "Cancel")
    assert "nothing was deleted" in question.text and await stored(nav, chat) is not None
    [question] = await chat.send("/delete")
    user = await stored(nav, chat)
    await chat.tap(question, "Yes, delete everything")
    assert "all your data are deleted" in question.text
    assert await stored(nav, chat) is None and await nav.store.users.get(user.id) is None
    assert await nav.store.tokens.active_for_user(user.id, datetime.now(UTC)) == []


# --- errors and delivery -----------------------------------------------------------------------------------


async def test_a_user_who_blocked_the_bot_does_not_stop_it_answering_others(fake, chat):
    fake.fail_next("sendMessage", 403)
    chat.fake.inject(fake.message_update(chat.user, "/help"))
    await fake.until(lambda: any(c.status == 403 for c in fake.calls_to("sendMessage")), what="the blocked send")
    [reply] = await chat.send("/help")
    assert "/trending" in reply.text
    assert [c.status for c in fake.calls_to("sendMessage")] == [403, 200]


async def test_flood_control_retry_after_is_honoured(fake, chat):
    fake.fail_next("sendMessage", 429, retry_after=1)
    [reply] = await chat.send("/help")
    attempts = fake.calls_to("sendMessage")
    assert [c.status for c in attempts] == [429, 200] and "/trending" in reply.text
    assert attempts[1].at - attempts[0].at >= 1.0


async def test_an_unexpected_error_is_logged_with_its_traceback_and_the_user_gets_an_apology(fake, chat, caplog):
    [question] = await chat.send("/level")
    forged = fake.callback_update(chat.user, question, "set:level:Wizard")  # a client sending data we never offered
    with caplog.at_level(logging.ERROR, logger="career_nav.bot"):
        [apology] = await chat.deliver(forged)
    assert "Sorry, something went wrong" in apology.text
    record = next(r for r in caplog.records if r.name == "career_nav.bot")
    assert record.exc_info and "Wizard" in str(record.exc_info[1])


async def test_a_button_from_before_a_restart_gets_an_answer(fake, chat):
    [message] = await chat.send("/help")
    stale = fake.callback_update(chat.user, message, "wizard:spell")
    fake.inject(stale)
    query_id = stale["callback_query"]["id"]
    answer = await fake.until(lambda: fake.answers.get(query_id), what="the answer to a stale button")
    assert "expired" in answer.params["text"]


# --- webhook mode ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_registers_the_url_and_accepts_only_updates_carrying_the_secret(fake, demo_template, tmp_path):
    fake.reset()
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = bot_settings(
        fake, copy_data_dir(demo_template, tmp_path / "hook"), TELEGRAM_WEBHOOK_URL=url, TELEGRAM_WEBHOOK_SECRET="s3cret-Token_1",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1", TELEGRAM_WEBHOOK_PORT=port,
    )
    navigator = await open_navigator(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(navigator, settings, stop))
    try:
        await fake.until(lambda: fake.webhook or task.done(), what="setWebhook")
        assert fake.webhook == {"url": url, "secret_token": "s3cret-Token_1"}
        user = fake.user("Hook")
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json=fake.message_update(user, "/profile"), headers={SECRET_HEADER: "guess"})
            garbage = await client.post(url, content=b"{not json", headers={SECRET_HEADER: "s3cret-Token_1"})
            accepted = await client.post(url, json=fake.message_update(user, "/help"), headers={SECRET_HEADER: "s3cret-Token_1"})
        assert (refused.status_code, garbage.status_code, accepted.status_code) == (403, 400, 200)
        [reply] = await fake.until(lambda: fake.sent(user.id), what="the reply to the webhook update")
        assert "/trending" in reply.text and not fake.calls_to("getUpdates")
        assert await navigator.store.users.get_by_telegram_id(user.id) is None  # the refused /profile never ran
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
        await navigator.close()


async def test_a_token_telegram_rejects_stops_the_bot_with_a_config_error_that_hides_the_token(fake, settings, nav):
    wrong = bot_settings(fake, settings.data_dir, TELEGRAM_BOT_TOKEN="42:not-the-right-token")
    with pytest.raises(ConfigError, match="Telegram rejected TELEGRAM_BOT_TOKEN") as caught:
        await run_bot(nav, wrong, asyncio.Event())
    assert "not-the-right-token" not in str(caught.value)
    assert [call.status for call in fake.calls_to("getMe")] == [401]
