"""Every MCP tool through an in-memory `Client(server)`: happy path, bounds, bad input, anonymous vs authenticated."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastmcp import Client, FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.tools import FunctionTool

from core.service import Navigator
from mcp_server import build_server
from tests.mcp_support import demo_template, nav  # noqa: F401 — fixtures
from tests.mcp_support import NOW, user_with_token

TOOLS = {
    "trending_skills", "skill_gap", "learning_roadmap", "recommend_projects", "find_learning_resources",
    "search_projects", "get_profile", "update_profile", "create_telegram_link", "match_job_description",
}
WRITING_TOOLS = {"update_profile", "create_telegram_link"}
TOKEN_HINT = ("/token", "career-nav user token")


@pytest.fixture
def server(nav: Navigator) -> FastMCP:
    return build_server(nav)


async def call(server: FastMCP, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    async with Client(server) as client:
        result = await client.call_tool(tool, args or {})
    return result.structured_content


async def refusal(server: FastMCP, tool: str, args: dict[str, Any] | None = None) -> str:
    async with Client(server) as client:
        with pytest.raises(ToolError) as caught:
            await client.call_tool(tool, args or {})
    return str(caught.value)


def plain(model) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return model.model_dump(mode="json")


# --- result encoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("tool", "args"), [
    ("trending_skills", {"days": 30, "role": "Data Scientist"}),
    ("skill_gap", {"role": "Backend Developer", "skills": ["Python", "SQL"]}),
    ("learning_roadmap", {"target_role": "Data Engineer", "skills": ["Python"]}),
    ("recommend_projects", {"skills": ["Python"], "limit": 3}),
    ("search_projects", {"query": "api"}),
    ("find_learning_resources", {"skills": ["Docker"]}),
])
async def test_results_on_the_wire_are_what_fastmcps_own_encoding_gives(server, tool, args):
    """The one-pass encoding of model results (mcp_server.registry) changes nothing a client sees."""
    registered = await server.get_tool(tool)
    async with Client(server) as client:
        wire = await client.call_tool(tool, args)
    raw = await registered.fn(**args)
    generic = FunctionTool.convert_result(registered, raw)
    assert wire.structured_content == generic.structured_content
    assert json.loads(wire.content[0].text) == json.loads(generic.content[0].text) == generic.structured_content


# --- discovery ----------------------------------------------------------------------------------------


async def test_every_tool_is_listed_with_a_description_written_for_the_model(server):
    async with Client(server) as client:
        tools = {tool.name: tool for tool in await client.list_tools()}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 80, tool.name
        assert tool.output_schema is not None, tool.name


async def test_read_only_hints_mark_exactly_the_tools_that_change_nothing(server):
    async with Client(server) as client:
        tools = await client.list_tools()
    read_only = {tool.name for tool in tools if tool.annotations and tool.annotations.read_only_hint}
    assert read_only == TOOLS - WRITING_TOOLS
    assert all(tool.annotations and tool.annotations.read_only_hint is False for tool in tools if tool.name in WRITING_TOOLS)


async def test_parameters_carry_the_original_products_bounds(server):
    async with Client(server) as client:
        schemas = {tool.name: tool.input_schema["properties"] for tool in await client.list_tools()}
    for tool in ("trending_skills", "skill_gap", "learning_roadmap"):
        assert (schemas[tool]["days"]["minimum"], schemas[tool]["days"]["maximum"]) == (1, 365)
    assert (schemas["skill_gap"]["threshold"]["minimum"], schemas["skill_gap"]["threshold"]["maximum"]) == (0.1, 1.0)
    assert (schemas["trending_skills"]["skills_limit"]["maximum"], schemas["trending_skills"]["locations_limit"]["maximum"]) == (50, 30)
    assert schemas["recommend_projects"]["limit"]["maximum"] == 50
    assert schemas["search_projects"]["limit"]["maximum"] == 100 and schemas["search_projects"]["offset"]["minimum"] == 0
    assert "Beginner" in str(schemas["recommend_projects"]["difficulty"]) and "Advanced" in str(schemas["search_projects"]["difficulty"])
    assert all(prop.get("description") for tool in TOOLS for prop in schemas[tool].values())


async def test_output_schemas_use_the_original_products_field_names(server):
    async with Client(server) as client:
        outputs = {tool.name: set(tool.output_schema["properties"]) for tool in await client.list_tools()}
    assert {"top_skills", "top_locations", "total_jobs_analyzed", "generated_at", "window_days"} <= outputs["trending_skills"]
    assert {"role", "total_postings_analyzed", "required_skills", "missing_skills", "coverage_percentage", "skill_match_count", "total_required_skills"} <= outputs["skill_gap"]
    assert {"target_role", "skill_paths", "total_skills", "missing_skills_count", "coverage_percentage", "recommendations"} <= outputs["learning_roadmap"]
    assert {"projects", "total_projects", "filters_applied", "user_skill_count", "recommendations"} <= outputs["recommend_projects"]
    assert {"resources", "total_found", "search_query", "filters_applied"} <= outputs["find_learning_resources"]
    assert {"projects", "total_found", "search_query", "filters_applied"} <= outputs["search_projects"]


# --- trending_skills ----------------------------------------------------------------------------------


async def test_trending_skills_answers_anonymously_with_the_navigators_numbers(server, nav):
    report = await call(server, "trending_skills", {"days": 30, "skills_limit": 5, "locations_limit": 3})
    assert report == plain(await nav.trending(days=30, skills_limit=5, locations_limit=3))
    assert len(report["top_skills"]) == 5 and len(report["top_locations"]) == 3
    assert report["total_jobs_analyzed"] > 0 and report["window_days"] == 30
    assert {"skill", "count", "percentage"} <= set(report["top_skills"][0])


async def test_trending_skills_for_a_role_counts_only_that_roles_postings(server):
    market = await call(server, "trending_skills", {"days": 30})
    role = await call(server, "trending_skills", {"days": 30, "role": "data scientist"})
    assert role["role"] == "Data Scientist"
    assert 0 < role["total_jobs_analyzed"] < market["total_jobs_analyzed"]


@pytest.mark.parametrize(("argument", "value"), [("days", 0), ("days", 366), ("skills_limit", 0), ("skills_limit", 51), ("locations_limit", 31)])
async def test_trending_skills_rejects_numbers_outside_their_range(server, argument, value):
    message = await refusal(server, "trending_skills", {argument: value})
    assert argument in message


async def test_trending_skills_for_an_unknown_role_suggests_close_matches(server):
    message = await refusal(server, "trending_skills", {"role": "Data Scientst"})
    assert "Unknown role 'Data Scientst'" in message and "Data Scientist" in message


# --- skill_gap ----------------------------------------------------------------------------------------


async def test_skill_gap_with_explicit_role_and_skills_works_anonymously(server, nav):
    report = await call(server, "skill_gap", {"role": "Data Scientist", "skills": ["python", "SQL"]})
    assert report == plain(await nav.skill_gap("Data Scientist", ["python", "SQL"]))
    has = {row["skill"]: row["user_has"] for row in report["required_skills"]}
    assert has["Python"] and has["SQL"] and "Python" not in report["missing_skills"]
    assert report["skill_match_count"] == sum(has.values())
    assert report["coverage_percentage"] == round(report["skill_match_count"] / report["total_required_skills"] * 100, 1)


async def test_skill_gap_uses_the_callers_profile_when_role_and_skills_are_omitted(nav):
    _, token = await user_with_token(nav, skills=["Python", "SQL"], roles=["Data Scientist"])
    report = await call(build_server(nav, identity=token), "skill_gap", {"days": 60})
    assert report == plain(await nav.skill_gap("Data Scientist", ["Python", "SQL"], days=60))


async def test_explicit_skills_and_role_override_the_callers_profile(nav):
    _, token = await user_with_token(nav, skills=["Python"], roles=["Data Scientist"])
    report = await call(build_server(nav, identity=token), "skill_gap", {"role": "DevOps Engineer", "skills": ["Docker"]})
    assert report["role"] == "DevOps Engineer"
    assert [row["skill"] for row in report["required_skills"] if row["user_has"]] == ["Docker"]


async def test_skill_gap_without_a_role_asks_an_anonymous_caller_for_one(server):
    message = await refusal(server, "skill_gap", {"skills": ["Python"]})
    assert "Which role?" in message


async def test_skill_gap_for_an_unknown_role_lists_close_matches(server):
    message = await refusal(server, "skill_gap", {"role": "Data Scientst", "skills": ["Python"]})
    assert "Did you mean: Data Scientist" in message


async def test_skill_gap_with_too_little_data_gives_the_count_and_a_wider_window(server, nav):
    message = await refusal(server, "skill_gap", {"role": "Product Manager", "skills": ["Python"], "days": 1})
    found = int(re.search(r"Only (\d+) Product Manager posting", message).group(1))
    assert found < 10 and "last 1 days" in message
    assert "Try a wider window (e.g. 30 days)" in message


@pytest.mark.parametrize(("argument", "value"), [("threshold", 0.05), ("threshold", 1.5), ("days", 0), ("days", 400)])
async def test_skill_gap_rejects_numbers_outside_their_range(server, argument, value):
    message = await refusal(server, "skill_gap", {"role": "Data Scientist", "skills": ["Python"], argument: value})
    assert argument in message


async def test_a_higher_threshold_requires_fewer_skills(server):
    loose = await call(server, "skill_gap", {"role": "Data Scientist", "skills": ["Python"], "threshold": 0.1})
    strict = await call(server, "skill_gap", {"role": "Data Scientist", "skills": ["Python"], "threshold": 0.5})
    assert 0 < strict["total_required_skills"] < loose["total_required_skills"]
    assert all(row["required_percentage"] >= 50 for row in strict["required_skills"])


async def test_an_empty_skills_list_is_refused_rather_than_read_as_no_skills(server):
    message = await refusal(server, "skill_gap", {"role": "Data Scientist", "skills": []})
    assert "skills list is empty" in message


# --- learning_roadmap ---------------------------------------------------------------------------------


async def test_learning_roadmap_orders_missing_skills_with_resources_anonymously(server, nav):
    report = await call(server, "learning_roadmap", {"target_role": "Backend Developer", "skills": ["Python", "Git"]})
    assert report == plain(await nav.roadmap("Backend Developer", ["Python", "Git"]))
    missing = [path for path in report["skill_paths"] if path["is_missing"]]
    assert missing and report["missing_skills_count"] == len(missing)
    assert all({"type", "title", "url", "description"} <= set(r) for path in report["skill_paths"] for r in path["resources"])
    assert report["recommendations"]


async def test_learning_roadmap_uses_the_callers_profile_when_not_told(nav):
    _, token = await user_with_token(nav, skills=["Python", "Docker"], roles=["Backend Developer"])
    report = await call(build_server(nav, identity=token), "learning_roadmap", {"max_skills": 8})
    assert report == plain(await nav.roadmap("Backend Developer", ["Python", "Docker"], max_skills=8))
    assert report["total_skills"] <= 8


async def test_learning_roadmap_without_gap_analysis_ignores_the_persons_skills(server):
    report = await call(server, "learning_roadmap", {"target_role": "Backend Developer", "skills": ["Python"], "include_gap_analysis": False})
    assert all(path["is_missing"] for path in report["skill_paths"])


@pytest.mark.parametrize(("argument", "value"), [("max_skills", 0), ("max_skills", 31), ("days", 366)])
async def test_learning_roadmap_rejects_numbers_outside_their_range(server, argument, value):
    message = await refusal(server, "learning_roadmap", {"target_role": "Backend Developer", argument: value})
    assert argument in message


async def test_learning_roadmap_for_an_unknown_role_lists_close_matches(server):
    message = await refusal(server, "learning_roadmap", {"target_role": "Backend Develloper"})
    assert "Unknown role" in message and "Backend Developer" in message


# --- recommend_projects -------------------------------------------------------------------------------


async def test_recommend_projects_matches_projects_to_explicit_skills_anonymously(server, nav):
    report = await call(server, "recommend_projects", {"skills": ["Python", "SQL"], "limit": 5})
    assert report == plain(await nav.recommend_projects(["Python", "SQL"], limit=5))
    assert len(report["projects"]) == 5 and report["user_skill_count"] >= 2
    for project in report["projects"]:
        assert {"id", "title", "difficulty", "skills", "skill_match_percentage", "missing_skills"} <= set(project)
        assert set(project["missing_skills"]) <= set(project["skills"])


async def test_recommend_projects_filters_by_difficulty(server):
    report = await call(server, "recommend_projects", {"skills": ["JavaScript"], "difficulty": "Beginner"})
    assert report["projects"] and {p["difficulty"] for p in report["projects"]} == {"Beginner"}
    assert report["filters_applied"]["difficulty"] == "Beginner"


async def test_recommend_projects_refuses_an_unknown_difficulty(server):
    message = await refusal(server, "recommend_projects", {"skills": ["Python"], "difficulty": "Expert"})
    assert "difficulty" in message


@pytest.mark.parametrize("limit", [0, 51])
async def test_recommend_projects_rejects_a_limit_outside_1_to_50(server, limit):
    assert "limit" in await refusal(server, "recommend_projects", {"skills": ["Python"], "limit": limit})


async def test_recommend_projects_uses_the_callers_profile_skills_and_role(nav):
    _, token = await user_with_token(nav, skills=["React", "JavaScript"], roles=["Frontend Developer"])
    report = await call(build_server(nav, identity=token), "recommend_projects", {"limit": 3})
    assert report["filters_applied"]["role"] == "Frontend Developer"
    user = await nav.accounts.verify_token(token)
    assert report == plain(await nav.recommend_projects(None, user=user, limit=3))


async def test_recommend_projects_for_an_anonymous_caller_without_skills_assumes_none(server):
    report = await call(server, "recommend_projects", {"limit": 3})
    assert report["user_skill_count"] == 0
    assert all(p["skill_match_percentage"] == 0 for p in report["projects"])


async def test_recommend_projects_with_an_unknown_focus_skill_suggests_one(server):
    message = await refusal(server, "recommend_projects", {"skills": ["Python"], "skill_focus": ["Djangoo"]})
    assert "Unknown skill 'Djangoo'" in message and "Django" in message


# --- find_learning_resources --------------------------------------------------------------------------


async def test_find_learning_resources_for_skills_returns_typed_linked_resources(server, nav):
    result = await call(server, "find_learning_resources", {"skills": ["docker"]})
    assert result["resources"] and result["total_found"] == len(nav.catalog.resources_for("Docker"))
    assert all(r["skill"] == "Docker" and r["url"].startswith("http") and r["type"] for r in result["resources"])
    assert result["filters_applied"]["skills"] == ["Docker"]


async def test_find_learning_resources_narrows_by_type(server):
    result = await call(server, "find_learning_resources", {"skills": ["Python", "Docker"], "resource_type": "Documentation"})
    assert result["resources"] and {r["type"] for r in result["resources"]} == {"Documentation"}


async def test_find_learning_resources_searches_everything_with_only_a_query_and_pages(server):
    first = await call(server, "find_learning_resources", {"query": "python", "limit": 2})
    second = await call(server, "find_learning_resources", {"query": "python", "limit": 2, "offset": 2})
    assert first["search_query"] == "python" and first["total_found"] == second["total_found"] >= 4
    assert not {r["url"] for r in first["resources"]} & {r["url"] for r in second["resources"]}


async def test_find_learning_resources_needs_skills_or_a_query(server):
    assert "Give skills" in await refusal(server, "find_learning_resources", {})


@pytest.mark.parametrize(("argument", "value"), [("limit", 0), ("limit", 101), ("offset", -1)])
async def test_find_learning_resources_rejects_bad_paging(server, argument, value):
    assert argument in await refusal(server, "find_learning_resources", {"query": "python", argument: value})


async def test_find_learning_resources_for_an_unknown_skill_suggests_one(server):
    message = await refusal(server, "find_learning_resources", {"skills": ["Kubernets"]})
    assert "Unknown skill 'Kubernets'" in message and "Kubernetes" in message


# --- search_projects ----------------------------------------------------------------------------------


async def test_search_projects_finds_projects_by_text_and_echoes_the_query(server, nav):
    result = await call(server, "search_projects", {"query": "api", "limit": 3})
    assert result == plain(nav.search_projects("api", limit=3))
    assert result["search_query"] == "api" and result["total_found"] >= len(result["projects"]) > 0


async def test_search_projects_pages_without_overlap(server):
    first = await call(server, "search_projects", {"query": "app", "limit": 2})
    second = await call(server, "search_projects", {"query": "app", "limit": 2, "offset": 2})
    assert first["total_found"] >= 4
    assert not {p["id"] for p in first["projects"]} & {p["id"] for p in second["projects"]}


async def test_search_projects_filters_by_skill_and_difficulty(server):
    result = await call(server, "search_projects", {"query": "app", "skills": ["React"], "difficulty": "Intermediate"})
    assert all(p["difficulty"] == "Intermediate" and "React" in p["skills"] for p in result["projects"])
    assert result["filters_applied"] == {"skills": ["React"], "difficulty": "Intermediate", "limit": 20, "offset": 0}


@pytest.mark.parametrize("args", [{"query": ""}, {"query": "app", "limit": 101}, {"query": "app", "offset": -5}, {}])
async def test_search_projects_rejects_bad_input(server, args):
    await refusal(server, "search_projects", args)


# --- public tools and identity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "args"),
    [("trending_skills", {"days": 14}), ("find_learning_resources", {"skills": ["Go"]}), ("search_projects", {"query": "api"})],
)
async def test_public_tools_answer_authenticated_callers_exactly_like_anonymous_ones(nav, tool, args):
    _, token = await user_with_token(nav, skills=["Rust"], roles=["SRE"])
    assert await call(build_server(nav, identity=token), tool, args) == await call(build_server(nav), tool, args)


# --- get_profile --------------------------------------------------------------------------------------


async def test_get_profile_returns_the_callers_own_profile(nav):
    user, token = await user_with_token(nav, skills=["python3", "k8s"], roles=["backend"], location="Berlin")
    profile = await call(build_server(nav, identity=token), "get_profile")
    assert profile["id"] == user.id and profile["location"] == "Berlin"
    assert profile["skills"] == ["Python", "Kubernetes"] and profile["target_roles"] == ["Backend Developer"]
    assert profile["telegram_linked"] is True and "token_version" not in profile


async def test_get_profile_without_a_token_explains_how_to_get_one(server):
    message = await refusal(server, "get_profile")
    assert all(hint in message for hint in TOKEN_HINT)


async def test_a_revoked_token_is_refused_on_the_next_call_not_treated_as_anonymous(nav):
    user, token = await user_with_token(nav, skills=["Python"], roles=["Data Scientist"])
    server = build_server(nav, identity=token)
    assert (await call(server, "get_profile"))["id"] == user.id
    await nav.accounts.revoke_all_tokens(user.id)
    assert "not valid" in await refusal(server, "get_profile")
    assert "not valid" in await refusal(server, "skill_gap", {"role": "Data Scientist", "skills": ["Python"]})


async def test_an_expired_token_is_refused_with_a_hint_to_renew(nav, clock):
    _, token = await user_with_token(nav, skills=["Python"])
    clock.advance(days=31)
    assert "expired" in await refusal(build_server(nav, identity=token), "get_profile")


# --- update_profile -----------------------------------------------------------------------------------


async def test_update_profile_changes_only_the_given_fields_with_canonical_names(nav):
    user, token = await user_with_token(nav, skills=["Python"], roles=["Data Scientist"], location="Paris")
    server = build_server(nav, identity=token)
    profile = await call(server, "update_profile", {"skills": ["python", "k8s", "Docker"], "experience_level": "Senior"})
    assert profile["skills"] == ["Python", "Kubernetes", "Docker"] and profile["experience_level"] == "Senior"
    assert profile["location"] == "Paris" and profile["target_roles"] == ["Data Scientist"]
    assert (await nav.accounts.get_profile(user.id)).skills == ["Python", "Kubernetes", "Docker"]


async def test_analysis_tools_see_a_profile_update_at_once(nav):
    _, token = await user_with_token(nav, skills=["Python"], roles=["Data Scientist"])
    server = build_server(nav, identity=token)
    await call(server, "update_profile", {"skills": ["Python", "SQL", "Machine Learning"]})
    report = await call(server, "skill_gap")
    assert {row["skill"] for row in report["required_skills"] if row["user_has"]} >= {"Python", "SQL", "Machine Learning"}


async def test_update_profile_refuses_an_unknown_skill_and_changes_nothing(nav):
    user, token = await user_with_token(nav, skills=["Python"])
    message = await refusal(build_server(nav, identity=token), "update_profile", {"skills": ["Pythn"], "location": "Rome"})
    assert "Unknown skills" in message and "Python" in message
    assert (await nav.accounts.get_profile(user.id)).model_dump(include={"skills", "location"}) == {"skills": ["Python"], "location": None}


@pytest.mark.parametrize("args", [{"timezone": "Mars/Olympus"}, {"target_roles": ["Astronaut"]}, {"experience_level": "Wizard"}])
async def test_update_profile_refuses_invalid_values(nav, args):
    _, token = await user_with_token(nav)
    await refusal(build_server(nav, identity=token), "update_profile", args)


async def test_update_profile_without_a_token_is_refused(server):
    message = await refusal(server, "update_profile", {"skills": ["Python"]})
    assert all(hint in message for hint in TOKEN_HINT)


# --- create_telegram_link -----------------------------------------------------------------------------


async def test_create_telegram_link_returns_a_one_time_code_that_links_the_account(nav):
    user, token = await user_with_token(nav)
    link = await call(build_server(nav, identity=token), "create_telegram_link")
    assert link["start_command"] == f"/start {link['code']}"
    assert link["expires_at"].startswith(NOW.replace(minute=10).isoformat()[:16])
    result = await nav.accounts.redeem_link_code(link["code"], 424242, confirm=True)
    assert result.user_id == user.id and result.status == "linked"


async def test_create_telegram_link_without_a_token_is_refused(server):
    message = await refusal(server, "create_telegram_link")
    assert all(hint in message for hint in TOKEN_HINT)


# --- errors, resources, prompts -----------------------------------------------------------------------


async def test_unexpected_failures_are_masked(server, nav):
    await nav.close()  # the store is gone: the next query fails inside sqlite
    message = await refusal(server, "trending_skills", {"days": 45})
    assert message == "Error calling tool 'trending_skills'"


async def test_skills_taxonomy_resource_lists_every_canonical_skill(server, nav):
    async with Client(server) as client:
        [content] = await client.read_resource("careernav://skills")
    taxonomy = json.loads(content.text)
    assert taxonomy["total"] == len(nav.taxonomy) > 1000
    assert {"name": "Python", "category": "language"}.items() <= next(s for s in taxonomy["skills"] if s["name"] == "Python").items()


async def test_role_catalog_resource_lists_the_roles_tools_accept(server):
    async with Client(server) as client:
        [content] = await client.read_resource("careernav://roles")
    names = {role["name"] for role in json.loads(content.text)["roles"]}
    assert {"Data Scientist", "Backend Developer", "Product Manager"} <= names


async def test_market_snapshot_resource_matches_trending_for_30_days(server, nav):
    async with Client(server) as client:
        [content] = await client.read_resource("careernav://market/snapshot")
    snapshot = json.loads(content.text)
    assert snapshot["trending"] == plain(await nav.trending(days=30, skills_limit=20))
    assert snapshot["postings"] == 2000 and snapshot["data_age_hours"] is not None


async def test_career_coach_prompt_walks_through_profile_gap_roadmap_and_projects(server):
    async with Client(server) as client:
        prompt = await client.get_prompt("career_coach", {"role": "Data Scientist", "skills": "Python, SQL"})
    text = prompt.messages[0].content.text
    positions = [text.index(tool) for tool in ("get_profile", "skill_gap", "learning_roadmap", "recommend_projects")]
    assert positions == sorted(positions)
    assert "Data Scientist" in text and "Python, SQL" in text
