"""The match_job_description MCP tool through an in-memory `Client(server)`: schema, anonymous and signed-in calls,
bad input, and the in-process identity the bot's assistant uses (`build_server(nav, acting_for=user_id)`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastmcp import Client, FastMCP
from fastmcp.exceptions import ToolError

from core import jobmatch
from core.service import Navigator
from mcp_server import build_server
from tests.mcp_support import demo_template, nav  # noqa: F401 — fixtures
from tests.mcp_support import user_with_token

ROOT = Path(__file__).resolve().parents[2]
POSTING = (ROOT / "tests" / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")
TOOL = "match_job_description"


@pytest.fixture
def server(nav: Navigator) -> FastMCP:
    return build_server(nav)


async def call(server: FastMCP, args: dict[str, Any]) -> dict[str, Any]:
    async with Client(server) as client:
        return (await client.call_tool(TOOL, args)).structured_content


async def refusal(server: FastMCP, args: dict[str, Any]) -> str:
    async with Client(server) as client:
        with pytest.raises(ToolError) as caught:
            await client.call_tool(TOOL, args)
    return str(caught.value)


async def test_the_tool_is_listed_read_only_with_bounded_described_parameters(server):
    async with Client(server) as client:
        tool = next(t for t in await client.list_tools() if t.name == TOOL)
    assert tool.annotations.read_only_hint is True and tool.annotations.open_world_hint is False
    assert "job posting" in tool.description and "best_next_skill" in tool.description
    schema = tool.input_schema
    assert schema["required"] == ["text"]
    assert (schema["properties"]["text"]["minLength"], schema["properties"]["text"]["maxLength"]) == (1, jobmatch.MAX_CHARS)
    assert all(prop.get("description") for prop in schema["properties"].values())
    assert {"have", "missing", "weighted_match_percentage", "best_next_skill", "resource"} <= set(tool.output_schema["properties"])


async def test_anonymous_call_with_skills_returns_the_navigators_report(server, nav):
    report = await call(server, {"text": POSTING, "skills": ["python", "SQL", "docker"]})
    expected = await nav.match_job_description(POSTING, skills=["python", "SQL", "docker"])
    assert report == expected.model_dump(mode="json")
    assert report["role"] == "Data Engineer" and {"Python", "SQL", "Docker"} <= set(report["have"])
    weights = [item["weight"] for item in report["missing"]]
    assert weights == sorted(weights, reverse=True) and report["best_next_skill"] == report["missing"][0]["skill"]
    assert report["resource"]["skill"] == report["best_next_skill"]


async def test_signed_in_caller_without_skills_is_matched_on_their_profile(nav):
    _, token = await user_with_token(nav, skills=["Python", "SQL", "spark", "Kafka"])
    report = await call(build_server(nav, identity=token), {"text": POSTING})
    assert {"Python", "SQL", "Spark", "Kafka"} <= set(report["have"])
    assert report["user_skills"] == sorted(report["user_skills"]) and "Kafka" in report["user_skills"]


async def test_a_server_acting_for_a_known_user_uses_that_profile_and_stops_when_the_account_is_gone(nav):
    user, _ = await user_with_token(nav, skills=["Python", "Airflow"])
    server = build_server(nav, acting_for=user.id)
    report = await call(server, {"text": POSTING})
    assert {"Python", "Airflow"} <= set(report["have"])
    await nav.accounts.delete_user(user.id)
    assert await refusal(server, {"text": POSTING}) == "No such account."


async def test_an_explicit_role_decides_whose_postings_weigh_the_missing_skills(server):
    report = await call(server, {"text": POSTING, "skills": ["Python"], "role": "backend"})
    assert report["role"] == "Backend Developer" and report["weights_scope"] in {"Backend Developer", "all roles"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"text": "Data engineer, Python and SQL."}, "too short"),
        ({"text": "x " * 30_000}, "text"),
        ({"text": "We are looking for a kind and patient person to water the plants in our office twice a week, thanks."}, "No technical skills found"),
        ({"text": POSTING, "role": "Data Enginer"}, "Did you mean"),
        ({"text": POSTING, "skills": []}, "skills list is empty"),
        ({"text": ""}, "text"),
    ],
)
async def test_bad_input_is_refused_with_an_actionable_message(server, args, expected):
    assert expected in await refusal(server, args)
