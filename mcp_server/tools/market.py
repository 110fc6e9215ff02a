"""Market tools: trending skills, skill gap, learning roadmap, project recommendations."""

from __future__ import annotations

from typing import Annotated

from fastmcp import FastMCP
from pydantic import Field

from core.models import Difficulty, GapReport, ProjectRecommendations, RoadmapReport, TrendingReport
from core.service import Navigator
from mcp_server.auth import Callers
from mcp_server.errors import tool_errors
from mcp_server.params import READ_ONLY, Days, LocationsLimit, ProjectLimit, Role, SkillName, Skills, SkillsLimit, Threshold
from mcp_server.registry import tool

MarketRole = Annotated[str | None, Field(max_length=100, description="Limit to one role, e.g. 'Data Scientist'; omit for the whole market.")]
MaxSkills = Annotated[int, Field(ge=1, le=30, description="Most skills on the roadmap (1-30).")]
SkillFocus = Annotated[list[SkillName], Field(max_length=20, description="Only projects that use at least one of these skills, e.g. ['React'].")]


def register(server: FastMCP, nav: Navigator, callers: Callers) -> None:
    @tool(server, title="Trending skills", annotations=READ_ONLY)
    async def trending_skills(days: Days = 30, role: MarketRole = None, skills_limit: SkillsLimit = 15, locations_limit: LocationsLimit = 10) -> TrendingReport:
        """What the job market asks for now: top skills (count and % of postings), top locations, remote share,
        salary ranges, and the skills rising or falling against the previous window of the same length.

        Use it for "which skills are in demand", "what should a <role> know", or market overviews. Works without a
        token. `percentage` is the share of the window's postings that mention the skill.
        """
        with tool_errors():
            return await nav.trending(days=days, role=role, skills_limit=skills_limit, locations_limit=locations_limit)

    @tool(server, title="Skill gap for a role", annotations=READ_ONLY)
    async def skill_gap(role: Role = None, skills: Skills = None, days: Days = 30, threshold: Threshold = 0.25) -> GapReport:
        """How well a person's skills cover what a role's postings require: each required skill with the share of
        postings asking for it and whether the person has it, the missing skills, coverage %, and the one next skill
        that would match them to the most additional postings.

        Give `role` and `skills` (works without a token), or omit either to use the signed-in caller's profile.
        Needs at least 10 postings for the role in the window; otherwise the error gives the count and a wider
        `days` to retry with. An unknown role's error lists the closest role names.
        """
        with tool_errors():
            return await nav.skill_gap(role, skills, user=await callers.optional(), days=days, threshold=threshold)

    @tool(server, title="Learning roadmap", annotations=READ_ONLY)
    async def learning_roadmap(
        target_role: Role = None,
        skills: Skills = None,
        days: Days = 30,
        include_gap_analysis: Annotated[bool, Field(description="Rank by what the person is missing (true) or by market demand alone (false).")] = True,
        max_skills: MaxSkills = 12,
    ) -> RoadmapReport:
        """What to learn next for a role, in order: `skill_paths` ranked by `priority_score` (demand share and how
        many more postings each skill unlocks), foundations before the skills built on them, each with typed
        learning resources (Documentation, Course, Video, Book, Tutorial), plus coverage % and recommendations.

        Give `target_role` and `skills` (works without a token), or omit them to use the signed-in caller's profile.
        Call skill_gap first when the person wants the diagnosis; call this for the plan.
        """
        with tool_errors():
            user = await callers.optional()
            return await nav.roadmap(target_role, skills, user=user, days=days, include_gap_analysis=include_gap_analysis, max_skills=max_skills)

    @tool(server, title="Recommend practice projects", annotations=READ_ONLY)
    async def recommend_projects(
        skills: Skills = None,
        role: Annotated[str | None, Field(max_length=100, description="Favour projects that close this role's skill gaps, e.g. 'Backend Developer'.")] = None,
        difficulty: Annotated[Difficulty | None, Field(description="Only projects of this difficulty.")] = None,
        skill_focus: SkillFocus = [],  # noqa: B006 - pydantic copies defaults
        limit: ProjectLimit = 10,
    ) -> ProjectRecommendations:
        """Practice projects that fit a person's skills and close their gaps, best first: each with
        `skill_match_percentage` (project skills the person has), `missing_skills`, features and estimated time.

        Give `skills` (works without a token) or omit them to use the signed-in caller's profile skills and first
        target role. Use search_projects to find projects by text instead.
        """
        with tool_errors():
            user = await callers.optional()
            return await nav.recommend_projects(skills, user=user, role=role, difficulty=difficulty, skill_focus=skill_focus, limit=limit)
