"""The optional LLM assistant end to end: the real bot (fake Bot API) asks a local fake OpenAI-compatible server
(tests.fakes.openai_server) about text the router cannot place, runs the MCP tools it calls as the user, and shows
the answer. Scripted trouble — a malformed call, an unknown tool, a slow answer, an exhausted budget, a failing
endpoint — must each give a short explanation followed by the router's clarifying question with its buttons.
"""

from __future__ import annotations

import logging
import time

import pytest
from fastmcp import Client

from mcp_server import build_server
from tests.bot_support import (  # noqa: F401 — fixtures are used by name
    bot, clock, demo_template, fake, nav, stored, bot_settings, copy_data_dir,
)
from tests.fakes.openai_server import FakeOpenAI, failing, final, slow, tool_call, tool_calls

UNCLEAR = "I'm bored"  # the router asks for clarification
CLARIFY_LABELS = ["📈 Trending skills", "🎯 My skill gap", "🗺️ Learning roadmap", "📚 Learning resources", "🛠️ Project ideas"]
TIMEOUT = 1.5
BUDGET = 3


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def settings(fake, llm, demo_template, tmp_path):
    fake.reset()
    llm.reset()
    values = {"LLM_API_BASE_URL": llm.base_url, "LLM_API_KEY": llm.api_key, "LLM_MODEL": llm.model, "LLM_TIMEOUT": TIMEOUT, "LLM_DAILY_BUDGET": BUDGET}
    return bot_settings(fake, copy_data_dir(demo_template, tmp_path / "data"), **values)


@pytest.fixture
def chat(fake, bot):
    return fake.chat(fake.user("Grace", last_name="Hopper", username="grace"))


def assert_fell_back(explanation, question, expected: str) -> None:
    assert explanation.text.startswith("🤖 ") and expected in explanation.text and "Here's what I can do instead" in explanation.text
    assert "not sure what you'd like" in question.text
    assert [b.text for b in question.flat_buttons] == CLARIFY_LABELS


# --- answers -----------------------------------------------------------------------------------------------


async def test_a_tool_call_then_an_answer_shows_the_answer_and_the_tools_result_like_the_command(chat, nav, llm):
    await chat.send("/skills add Python, SQL")
    llm.script(tool_call("skill_gap", {"role": "Data Engineer"}), final("You cover a good part of Data Engineer postings; learn Spark next."))
    answer, details = await chat.send(UNCLEAR, expect=2)
    assert answer.text == "🤖 You cover a good part of Data Engineer postings; learn Spark next."
    report = await nav.skill_gap("Data Engineer", user=await stored(nav, chat))
    assert "Skill gap — Data Engineer" in details.text and f"({report.skill_match_count}/{report.total_required_skills})" in details.text
    first, second = llm.requests
    assert first.body["model"] == llm.model and first.authorization == f"Bearer {llm.api_key}"
    assert first.messages[-1] == {"role": "user", "content": UNCLEAR}
    tool_message = second.messages[-1]
    assert tool_message["role"] == "tool" and f'"coverage_percentage": {report.coverage_percentage}' in tool_message["content"]


async def test_the_tools_sent_to_the_model_are_exactly_the_mcp_servers_tools(chat, nav, llm):
    await chat.send(UNCLEAR, expect=1)
    async with Client(build_server(nav)) as client:
        listed = await client.list_tools()
    expected = [{"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.input_schema}} for t in listed]
    assert llm.requests[0].tools == expected
    assert {"match_job_description", "update_profile", "skill_gap"} <= {tool["function"]["name"] for tool in expected}


async def test_text_the_router_places_never_reaches_the_model(chat, llm):
    await chat.send("what's hot for data engineers right now?", expect=2)
    await chat.send("how do I learn Kubernetes?")
    assert llm.requests == []


async def test_a_tool_error_goes_back_to_the_model_which_can_recover(chat, llm):
    llm.script(tool_call("trending_skills", {"role": "Astronaut"}), tool_call("trending_skills", {"role": "Data Engineer", "days": 7}), final("Python leads for data engineers this week."))
    answer, details = await chat.send(UNCLEAR, expect=2)
    assert answer.text == "🤖 Python leads for data engineers this week."
    assert "Data Engineer · last 7 days" in details.text
    error = llm.requests[1].messages[-1]
    assert error["role"] == "tool" and error["content"].startswith("Error: Unknown role 'Astronaut'")


# --- writing tools need the button ---------------------------------------------------------------------------


async def test_a_writing_tool_waits_for_the_users_button_and_runs_as_that_user(chat, nav, llm):
    await chat.send("/skills add Python")
    llm.script(tool_call("update_profile", {"skills": ["Python", "Rust"], "location": "Lisbon"}, text="I'll add Rust and set Lisbon."))
    [confirm] = await chat.send("please remember that I now also do rust and live in lisbon")
    assert "Update my profile — shall I?" in confirm.text and "• skills: Python, Rust" in confirm.text and "• location: Lisbon" in confirm.text
    assert (await stored(nav, chat)).skills == ["Python"]
    await chat.tap(confirm, "Yes, do it")
    assert "Done: Update my profile" in confirm.text and not confirm.buttons
    user = await stored(nav, chat)
    assert (user.skills, user.location) == (["Python", "Rust"], "Lisbon")


async def test_a_declined_change_is_not_made(chat, nav, llm):
    llm.script(tool_call("update_profile", {"skills": ["COBOL"]}))
    [confirm] = await chat.send("make me a cobol person")
    await chat.tap(confirm, "Cancel")
    assert "nothing changed" in confirm.text and (await stored(nav, chat)).skills == []


async def test_a_writing_call_among_reads_stops_before_anything_is_written(chat, nav, llm):
    llm.script(tool_calls(("get_profile", {}, None), ("update_profile", {"target_roles": ["Data Engineer"]}, None)))
    [confirm] = await chat.send("switch me to data engineering or something")
    assert "target roles: Data Engineer" in confirm.text
    assert (await stored(nav, chat)).target_roles == [] and len(llm.requests) == 1


# --- trouble ---------------------------------------------------------------------------------------------------


async def test_malformed_tool_arguments_get_a_short_reply_and_the_clarifying_question(chat, llm):
    llm.script(tool_call("trending_skills", raw='{"days": 30,,'))
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert_fell_back(explanation, question, "sent a request I couldn't read")
    [photo, _] = await chat.tap(question, "Trending skills", expect=2)
    assert photo.kind == "photo"


async def test_an_unknown_tool_is_named_and_never_run(chat, llm):
    llm.script(tool_call("delete_all_users", {}))
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert_fell_back(explanation, question, "tried to use a tool I don't have (delete_all_users)")
    assert len(llm.requests) == 1


async def test_a_slow_model_times_out_within_the_limit(chat, llm):
    llm.script(slow(30, final("too late")))
    started = time.monotonic()
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert time.monotonic() - started < TIMEOUT + 5
    assert_fell_back(explanation, question, f"took too long (over {TIMEOUT:g} s)")


async def test_too_many_tool_calls_stop_the_run(chat, llm):
    llm.script(tool_calls(*[("trending_skills", {"days": days}, None) for days in (7, 14, 30, 60, 90)]))
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert_fell_back(explanation, question, "needed more than 4 steps")
    assert len(llm.requests) == 1


async def test_the_daily_budget_ends_with_an_explanation_and_no_more_requests(chat, llm):
    for _ in range(BUDGET):
        [answer] = await chat.send(UNCLEAR)
        assert answer.text == "🤖 Here is what I found."
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert_fell_back(explanation, question, f"used today's {BUDGET} AI requests")
    assert len(llm.requests) == BUDGET


async def test_the_budget_is_per_person(fake, chat, llm):
    for _ in range(BUDGET):
        await chat.send(UNCLEAR)
    other = fake.chat(fake.user("Alan", username="alan"))
    [answer] = await other.send(UNCLEAR)
    assert answer.text == "🤖 Here is what I found."


async def test_a_failing_endpoint_falls_back_without_leaking_the_key_into_the_log(chat, llm, caplog):
    caplog.set_level(logging.DEBUG)
    llm.script(failing(500))
    explanation, question = await chat.send(UNCLEAR, expect=2)
    assert_fell_back(explanation, question, "unavailable right now")
    assert llm.requests and all(llm.api_key not in record.getMessage() for record in caplog.records)
    assert any("HTTP 500" in record.getMessage() for record in caplog.records)
