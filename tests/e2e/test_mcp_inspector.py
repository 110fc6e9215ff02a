"""A client that is not ours drives the running server: the official MCP Inspector CLI (npm), over streamable HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.mcp_support import demo_template, inspector, nav  # noqa: F401 — fixtures
from tests.mcp_support import TOOL_IS_ERROR, http_server, inspect, user_with_token


@pytest.fixture
async def url(nav, tmp_path: Path):
    async with http_server(nav) as mcp_url:
        yield mcp_url


async def test_inspector_lists_every_tool_with_its_annotations(inspector, url, tmp_path):
    listed = await inspect(inspector, tmp_path, url, "--method", "tools/list")
    tools = {tool["name"]: tool for tool in listed["tools"]}
    assert set(tools) == {
        "trending_skills", "skill_gap", "learning_roadmap", "recommend_projects", "find_learning_resources",
        "search_projects", "get_profile", "update_profile", "create_telegram_link", "match_job_description",
    }
    assert tools["trending_skills"]["annotations"]["readOnlyHint"] is True
    assert tools["update_profile"]["annotations"]["readOnlyHint"] is False
    assert tools["skill_gap"]["inputSchema"]["properties"]["threshold"]["maximum"] == 1.0


async def test_inspector_calls_trending_skills_and_gets_the_navigators_numbers(inspector, url, nav, tmp_path):
    result = await inspect(inspector, tmp_path, url, "--method", "tools/call", "--tool-name", "trending_skills", "--tool-arg", "days=30", "--tool-arg", "skills_limit=5")
    assert result["isError"] is False
    assert result["structuredContent"] == (await nav.trending(days=30, skills_limit=5)).model_dump(mode="json")
    assert json.loads(result["content"][0]["text"])["top_skills"] == result["structuredContent"]["top_skills"]


async def test_inspector_calls_skill_gap_for_explicit_skills(inspector, url, nav, tmp_path):
    args = json.dumps({"role": "Data Scientist", "skills": ["Python", "SQL"], "threshold": 0.3})
    result = await inspect(inspector, tmp_path, url, "--method", "tools/call", "--tool-name", "skill_gap", "--tool-args-json", args)
    expected = await nav.skill_gap("Data Scientist", ["Python", "SQL"], threshold=0.3)
    assert result["structuredContent"] == expected.model_dump(mode="json")
    assert result["structuredContent"]["coverage_percentage"] == expected.coverage_percentage


async def test_inspector_reaches_a_personal_tool_with_a_bearer_header(inspector, url, nav, tmp_path):
    user, token = await user_with_token(nav, skills=["Go", "Kubernetes"], roles=["SRE"])
    result = await inspect(inspector, tmp_path, url, "--method", "tools/call", "--tool-name", "get_profile", "--header", f"Authorization: Bearer {token}")
    assert result["structuredContent"]["id"] == user.id and result["structuredContent"]["target_roles"] == ["Site Reliability Engineer"]


async def test_inspector_sees_a_domain_error_as_a_tool_error_with_close_matches(inspector, url, tmp_path):
    args = json.dumps({"role": "Data Scientst", "skills": ["Python"]})
    result = await inspect(inspector, tmp_path, url, "--method", "tools/call", "--tool-name", "skill_gap", "--tool-args-json", args, exit_code=TOOL_IS_ERROR)
    assert result["isError"] is True and "Did you mean: Data Scientist" in result["content"][0]["text"]
