"""Catalog tools: learning resources and project search (public; no profile involved)."""

from __future__ import annotations

from typing import Annotated

from fastmcp import FastMCP
from pydantic import Field

from core.models import Difficulty, ProjectSearchResult, ResourceSearchResult, ResourceType
from core.service import Navigator
from mcp_server.errors import tool_errors
from mcp_server.params import READ_ONLY, Offset, SearchLimit, SkillName
from mcp_server.registry import tool

Query = Annotated[str, Field(min_length=1, max_length=200)]


def register(server: FastMCP, nav: Navigator) -> None:
    @tool(server, title="Find learning resources", annotations=READ_ONLY)
    async def find_learning_resources(
        skills: Annotated[list[SkillName] | None, Field(max_length=50, description="Skills to learn, e.g. ['Docker', 'Kubernetes'].")] = None,
        query: Annotated[str | None, Field(max_length=200, description="Words to match in title/description, e.g. 'beginner'. Alone, it searches every resource.")] = None,
        resource_type: Annotated[ResourceType | None, Field(description="Only this kind of resource.")] = None,
        limit: SearchLimit = 20,
        offset: Offset = 0,
    ) -> ResourceSearchResult:
        """Curated learning resources (official docs, courses, videos, books, tutorials) with links.

        Give `skills` for resources on those skills (narrowed by `query` when given), or only `query` to search
        all resources. Free resources come first. Page with `limit`/`offset`; `total_found` counts every match.
        """
        with tool_errors():
            return nav.learning_resources(skills, query, resource_type, limit=limit, offset=offset)

    @tool(server, title="Search practice projects", annotations=READ_ONLY)
    async def search_projects(
        query: Annotated[Query, Field(description="Words to find in a project's title, description, features or skills, e.g. 'web app'.")],
        skills: Annotated[list[SkillName], Field(max_length=20, description="Only projects using at least one of these skills.")] = [],  # noqa: B006
        difficulty: Annotated[Difficulty | None, Field(description="Only projects of this difficulty.")] = None,
        limit: SearchLimit = 20,
        offset: Offset = 0,
    ) -> ProjectSearchResult:
        """Search the practice-project catalog by text, optionally filtered by skills and difficulty.

        Use it when the person asks for a kind of project ("a CLI tool", "something with Kafka"); use
        recommend_projects for projects matched to their skills. Page with `limit`/`offset`.
        """
        with tool_errors():
            return nav.search_projects(query, skills=skills, difficulty=difficulty, limit=limit, offset=offset)
