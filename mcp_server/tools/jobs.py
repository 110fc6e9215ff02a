"""Job-description match: a pasted posting against the person's skills (public; uses the profile when signed in)."""

from __future__ import annotations

from typing import Annotated

from fastmcp import FastMCP
from pydantic import Field

from core import jobmatch
from core.jobmatch import JobMatchReport
from core.service import Navigator
from mcp_server.auth import Callers
from mcp_server.errors import tool_errors
from mcp_server.params import READ_ONLY, Skills
from mcp_server.registry import tool

PostingText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=jobmatch.MAX_CHARS,
        description="The whole job posting as plain text or Markdown: title, responsibilities and requirements (at least ~12 words, at most 50,000 characters).",
    ),
]
WeightRole = Annotated[
    str | None,
    Field(
        max_length=100,
        description="Weigh missing skills by this role's postings, e.g. 'Data Engineer'. Omit to use the role the posting's title names.",
    ),
]


def register(server: FastMCP, nav: Navigator, callers: Callers) -> None:
    @tool(server, title="Match a job description", annotations=READ_ONLY)
    async def match_job_description(text: PostingText, skills: Skills = None, role: WeightRole = None) -> JobMatchReport:
        """How well a person fits one job posting: the posting's technical skills split into `have` and `missing`,
        each missing skill weighted by the share of the role's recent postings that ask for it, the plain and
        demand-weighted match %, the single best skill to learn next (`best_next_skill`) and a learning resource for it.

        Use it when the person pastes or quotes a job ad ("does this job fit me?"). Give `skills` (works without a
        token), or omit them to use the signed-in caller's profile skills. Use skill_gap for a role in general.
        """
        with tool_errors():
            user = await callers.optional()
            return await nav.match_job_description(text, skills=skills, user=user, role=role)
