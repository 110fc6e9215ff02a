"""Free text through the real bot: questions in plain words, a pasted or forwarded job posting, follow-ups that use
the chat's memory, clarifying questions with buttons, and profile changes confirmed with a button.

The real Application polls the fake Bot API over HTTP (tests.fakes.telegram_server) on a store with demo postings;
each test plays one person and asserts on what they see and on the store.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.bot_support import (  # noqa: F401 — fixtures are used by name
    bot, chat, clock, demo_template, fake, nav, settings, stored,
)
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
POSTING = (ROOT / "tests" / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")
SHORT_POST = (
    "Backend engineer at Nimbus Payments. You will build APIs in Go with PostgreSQL and Redis, deploy with Docker "
    "and Kubernetes, and work remotely across Europe."
)
PNG = b"\x89PNG\r\n\x1a\n"


async def with_profile(chat, *, skills="Python, SQL", role="data scientist"):
    await chat.send(f"/skills add {skills}")
    await chat.send(f"/role {role}")


def forwarded(fake: FakeTelegram, chat, text: str) -> dict:
    update = fake.message_update(chat.user, text)
    update["message"]["forward_origin"] = {"type": "hidden_user", "date": int(time.time()), "sender_user_name": "Recruiter"}
    return update


# --- questions in plain words ----------------------------------------------------------------------------


async def test_a_trending_question_gets_the_trending_chart_and_numbers_for_the_role(chat, nav):
    photo, body = await chat.send("what's hot for data engineers right now?", expect=2)
    report = await nav.trending(days=30, role="Data Engineer")
    assert photo.kind == "photo" and photo.photo.startswith(PNG)
    assert f"Data Engineer · last 30 days · {report.total_jobs_analyzed:,} postings" in body.text
    top = report.top_skills[0]
    assert f"1. {top.skill} — {top.percentage:.0f}% ({top.count:,})" in body.text


async def test_a_window_in_words_sets_the_days(chat, nav):
    _, body = await chat.send("top skills for backend devs in the last 90 days", expect=2)
    report = await nav.trending(days=90, role="Backend Developer")
    assert f"Backend Developer · last 90 days · {report.total_jobs_analyzed:,} postings" in body.text


async def test_a_gap_question_uses_the_profile_and_a_follow_up_switches_the_role(chat, nav):
    await with_profile(chat)
    photo, body = await chat.send("what am I missing to become an ML engineer?", expect=2)
    report = await nav.skill_gap("Machine Learning Engineer", user=await stored(nav, chat))
    assert photo.photo.startswith(PNG) and "Skill gap — Machine Learning Engineer" in body.text
    assert "✅ Python" in body.text and f"Learn {report.next_skill} next" in body.text
    _, followup = await chat.send("and for backend?", expect=2)
    assert "Skill gap — Backend Developer" in followup.text
    _, wider = await chat.send("what about the last 90 days?", expect=2)
    assert "Skill gap — Backend Developer" in wider.text


async def test_skills_named_in_the_question_are_used_for_the_gap(chat, nav):
    _, body = await chat.send("I know Docker and Terraform, what am I missing for devops?", expect=2)
    report = await nav.skill_gap("DevOps Engineer", ["Docker", "Terraform"])
    assert "Skill gap — DevOps Engineer" in body.text and "✅ Docker" in body.text
    assert f"({report.skill_match_count}/{report.total_required_skills})" in body.text


async def test_a_how_to_learn_question_lists_resources_for_the_skill(chat):
    [reply] = await chat.send("how do I learn Kubernetes?")
    assert "Learning resources — Kubernetes" in reply.text and '<a href="https://' in reply.html


async def test_roadmap_and_projects_questions_get_the_commands_replies(chat, nav):
    await with_profile(chat)
    [roadmap] = await chat.send("what should I learn next to become a data engineer?")
    report = await nav.roadmap("Data Engineer", user=await stored(nav, chat))
    assert "Roadmap — Data Engineer" in roadmap.text and f"1. {report.skill_paths[0].skill}" in roadmap.text
    await chat.tap(roadmap, "Next")
    assert "(page 2/" in roadmap.text
    [projects] = await chat.send("any beginner project ideas?")
    assert "Projects for you · Beginner" in projects.text


async def test_a_greeting_gets_the_help_text(chat):
    [reply] = await chat.send("hi there 👋")
    assert "/trending" in reply.text and "/gap" in reply.text


# --- job descriptions --------------------------------------------------------------------------------------


async def test_a_pasted_job_description_gets_have_missing_the_best_next_skill_and_a_resource(chat, nav):
    await with_profile(chat, skills="Python, SQL, Docker")
    [reply] = await chat.send(POSTING)
    report = await nav.match_job_description(POSTING, user=await stored(nav, chat))
    assert "Job match — Data Engineer posting: Senior Data Engineer (Remote, North America)" in reply.text
    assert f"You have {len(report.have)} of {len(report.posting_skills)} skills" in reply.text
    assert f"weighted by demand: {report.weighted_match_percentage:.0f}%" in reply.text
    assert "Python" in reply.text.split("You have:")[1].split("\n")[0]
    top = report.missing[0]
    assert f"• {top.skill} — {top.market_percentage:.0f}%" in reply.text
    assert f"Learn {report.best_next_skill} next" in reply.text
    assert report.resource is not None and report.resource.url in reply.html


async def test_a_forwarded_post_is_read_as_a_job_posting_even_when_short(fake, chat):
    [typed] = await chat.send(SHORT_POST)
    assert "Job match" not in typed.text
    [reply] = await chat.deliver(forwarded(fake, chat, SHORT_POST))
    assert "Job match — Backend Developer posting" in reply.text and "Tip: add your skills" in reply.text


async def test_asking_about_a_job_without_pasting_it_asks_for_the_posting(chat):
    [reply] = await chat.send("does this job fit me?")
    assert "Paste the whole job description" in reply.text
    assert [b.text for b in reply.flat_buttons] == ["📄 Match a job posting"]


# --- clarifying questions ------------------------------------------------------------------------------------


async def test_unclear_text_gets_a_question_with_a_button_per_likely_intent_and_a_tap_answers_it(chat, nav):
    [question] = await chat.send("I'm bored")
    assert "not sure what you'd like" in question.text
    labels = [b.text for b in question.flat_buttons]
    assert labels == [nav.router.phrases.label(name) for name in ("trending", "gap", "roadmap", "resources", "projects")]
    [photo, body] = await chat.tap(question, "Trending skills", expect=2)
    assert question.text.endswith("→ 📈 Trending skills") and not question.buttons
    assert photo.kind == "photo" and "Top skills — all roles · last 30 days" in body.text


async def test_two_roles_get_a_button_per_role_and_intent_and_the_tap_keeps_the_role(chat):
    [question] = await chat.send("data engineer or data scientist")
    assert "Which role do you mean: Data Engineer or Data Scientist?" in question.text
    labels = [b.text for b in question.flat_buttons]
    assert "🎯 My skill gap · Data Scientist" in labels and "📈 Trending skills · Data Engineer" in labels
    _, body = await chat.tap(question, "Trending skills · Data Scientist", expect=2)
    assert "Top skills — Data Scientist" in body.text


async def test_a_role_alone_asks_what_about_it_and_the_button_completes_the_request(chat):
    [question] = await chat.send("backend")
    assert "What would you like to know about Backend Developer?" in question.text
    [roadmap] = await chat.tap(question, "Learning roadmap", expect=1)
    assert "Roadmap — Backend Developer" in roadmap.text


async def test_resources_without_a_skill_ask_which_skill(chat):
    [question] = await chat.send("where can i learn")
    [reply] = await chat.tap(question, "Learning resources", expect=1)
    assert "Which skill?" in reply.text


@pytest.mark.parametrize("text", ["🤷", "???", "asdf qwerty", "x" * 3000, "Tell me everything about the meaning of life and careers " * 20])
async def test_no_message_goes_unanswered(chat, text):
    [reply] = await chat.send(text)
    assert reply.text.strip()


# --- profile changes ----------------------------------------------------------------------------------------


async def test_adding_skills_in_words_asks_before_saving_and_saves_on_yes(chat, nav):
    await chat.send("/skills add Python")
    [confirm] = await chat.send("add docker and k8s to my skills")
    assert "Update your profile?" in confirm.text and "Add skills: Docker, Kubernetes" in confirm.text
    assert (await stored(nav, chat)).skills == ["Python"]
    await chat.tap(confirm, "Yes, save")
    assert "Added: Docker, Kubernetes" in confirm.text and not confirm.buttons
    assert (await stored(nav, chat)).skills == ["Python", "Docker", "Kubernetes"]


async def test_a_new_target_role_in_words_can_be_cancelled(chat, nav):
    await chat.send("/role data scientist")
    [confirm] = await chat.send("I want to become a data engineer")
    assert "Target role: Data Engineer" in confirm.text
    await chat.tap(confirm, "Cancel")
    assert "nothing changed" in confirm.text
    assert (await stored(nav, chat)).target_roles == ["Data Scientist"]


async def test_a_confirmed_target_role_comes_first_and_keeps_the_others(chat, nav):
    await chat.send("/role data scientist")
    [confirm] = await chat.send("I want to become a data engineer")
    await chat.tap(confirm, "Yes, save")
    assert "Target role: Data Engineer, Data Scientist" in confirm.text
    assert (await stored(nav, chat)).target_roles == ["Data Engineer", "Data Scientist"]


# --- conversations keep their answers ------------------------------------------------------------------------


async def test_onboarding_answers_are_not_taken_as_questions(chat, nav):
    _, role_q = await chat.send("/start", expect=2)
    saved, skills_q = await chat.send("data engineer", expect=2)
    assert "Target role: Data Engineer" in saved.text and "Which skills" in skills_q.text
    added, _ = await chat.send("Python, SQL", expect=2)
    assert "Added: Python, SQL" in added.text
    assert (await stored(nav, chat)).skills == ["Python", "SQL"]


# --- edges ----------------------------------------------------------------------------------------------------


async def test_a_gap_question_without_any_role_explains_how_to_choose_one(chat):
    [reply] = await chat.send("what am I missing?")
    assert "Which role?" in reply.text and "Usage" not in reply.text


async def test_markup_in_a_pasted_posting_is_shown_as_typed(chat):
    posting = POSTING.replace("Senior Data Engineer (Remote, North America)", "Senior Data Engineer > Platform & Co", 1)
    [reply] = await chat.send(posting)
    assert "Job match — Data Engineer posting: Senior Data Engineer > Platform & Co" in reply.text


async def test_a_forged_clarify_button_is_treated_as_expired(fake, chat):
    [question] = await chat.send("I'm bored")
    update = fake.callback_update(chat.user, question, "ask:launch_rockets")
    fake.inject(update)
    query_id = update["callback_query"]["id"]
    answer = await fake.until(lambda: fake.answers.get(query_id), what="the forged button to be answered")
    assert "expired" in answer.params["text"] and answer.params["show_alert"] is True


async def test_a_profile_confirmation_works_once(chat, nav):
    [confirm] = await chat.send("add docker to my skills")
    stale = confirm.button("Yes, save")
    await chat.tap(confirm, "Yes, save")
    confirm.buttons = [[stale]]  # the person taps the old button again (e.g. from another device)
    await chat.tap(confirm, "Yes, save")
    assert "expired" in confirm.text and (await stored(nav, chat)).skills == ["Docker"]


async def test_a_confirmation_tapped_a_second_time_has_expired_and_saves_nothing_twice(chat, nav):
    [confirm] = await chat.send("add docker to my skills")
    await chat.tap(confirm, "Yes, save")
    assert (await stored(nav, chat)).skills == ["Docker"]
    version = confirm.version
    await chat.deliver(chat.fake.callback_update(chat.user, confirm, "pu:yes"), expect=0)  # a double tap
    await chat.fake.until(lambda: confirm.version > version, timeout=15, what="the reply to a spent confirmation")
    assert "This confirmation has expired" in confirm.text
    assert (await stored(nav, chat)).skills == ["Docker"]
