"""End to end: the real `career-nav bot` process, configured only through its environment (including the optional
LLM assistant, pointed at the local fake OpenAI-compatible server), answering free text over the fake Bot API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastmcp import Client

from core.bootstrap import open_navigator
from core.settings import Settings
from mcp_server import build_server
from tests.e2e.test_bot_e2e import start_bot, stop_bot
from tests.fakes.openai_server import FakeOpenAI, failing, final, tool_call
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
POSTING = (ROOT / "tests" / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("free-text-e2e")
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(directory), "THEIR_STACK_API_KEY": "", "MONGODB_URI": ""}
    result = subprocess.run([sys.executable, "-m", "cli.main", "demo-data", "--postings", "3000"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return directory


@pytest.fixture(scope="module")
def bot_process(fake, llm, data_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("free-text-log") / "bot.log"
    process = start_bot(fake, data_dir, log, LLM_API_BASE_URL=llm.base_url, LLM_API_KEY=llm.api_key, LLM_MODEL=llm.model, LLM_TIMEOUT="10")
    yield process, log
    if process.poll() is None:
        stop_bot(process)


@pytest.fixture
async def nav(data_dir):
    navigator = await open_navigator(Settings(_env_file=None, CAREER_NAV_DATA_DIR=str(data_dir), MONGODB_URI="", JWT_SECRET_KEY=""))
    yield navigator
    await navigator.close()


@pytest.fixture
def chat(fake, llm, bot_process):
    llm.reset()
    return fake.chat(fake.user("Grace", last_name="Hopper"))


async def test_questions_a_pasted_posting_and_a_follow_up_get_the_commands_answers(chat, nav, llm):
    await chat.send("/skills add Python, SQL")
    chart, trending = await chat.send("what's hot for data engineers right now?", expect=2)
    assert chart.photo.startswith(PNG) and "Top skills — Data Engineer · last 30 days" in trending.text
    _, gap = await chat.send("what am I missing to become an ML engineer?", expect=2)
    assert "Skill gap — Machine Learning Engineer" in gap.text and "✅ Python" in gap.text
    _, followup = await chat.send("and for backend?", expect=2)
    assert "Skill gap — Backend Developer" in followup.text
    [resources] = await chat.send("how do I learn Kubernetes?")
    assert "Learning resources — Kubernetes" in resources.text
    [match] = await chat.send(POSTING)
    user = await nav.store.users.get_by_telegram_id(chat.id)
    report = await nav.match_job_description(POSTING, user=user)
    assert "Job match — Data Engineer posting" in match.text and f"Learn {report.best_next_skill} next" in match.text
    assert llm.requests == []  # everything above was placed by the router


async def test_the_assistant_answers_with_the_mcp_servers_tools_as_the_user(chat, nav, llm):
    await chat.send("/role data engineer")
    llm.script(tool_call("skill_gap", {}), final("Airflow is your best next step."))
    answer, details = await chat.send("I'm bored of my job, where could I go from here?", expect=2)
    assert answer.text == "🤖 Airflow is your best next step." and "Skill gap — Data Engineer" in details.text
    async with Client(build_server(nav)) as client:
        names = [tool.name for tool in await client.list_tools()]
    assert [tool["function"]["name"] for tool in llm.requests[0].tools] == names


async def test_a_failing_model_falls_back_to_the_clarifying_buttons(chat, llm, bot_process):
    llm.script(failing(503))
    explanation, question = await chat.send("I'm bored", expect=2)
    assert "unavailable right now" in explanation.text and "not sure what you'd like" in question.text
    [photo, _] = await chat.tap(question, "Trending skills", expect=2)
    assert photo.photo.startswith(PNG)
    _, log = bot_process
    assert llm.api_key not in log.read_text()
