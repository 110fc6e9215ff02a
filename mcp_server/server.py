"""The factory: a Navigator in, a ready FastMCP server out (no globals; nothing built at import)."""

from __future__ import annotations

from fastmcp import FastMCP

from core.service import Navigator
from mcp_server import prompts, resources
from mcp_server.auth import Callers
from mcp_server.health import register_health
from mcp_server.tools import catalog, jobs, market, profile

INSTRUCTIONS = """\
Career Navigator answers career questions with evidence from recent job postings.
- trending_skills: what the market asks for now (public).
- skill_gap, learning_roadmap, recommend_projects: a person's gap, learning order and practice projects for a role.
  Pass `skills` and a role explicitly, or omit them to use the signed-in caller's profile.
- match_job_description: a pasted job posting against a person's skills: have/missing, weighted match, what to learn next.
- find_learning_resources, search_projects: the curated catalog (public).
- get_profile, update_profile, create_telegram_link: the caller's own account (needs their personal token).
Resources list valid skills (careernav://skills) and roles (careernav://roles). The career_coach prompt chains the steps.
"""


def build_server(navigator: Navigator, *, identity: str | None = None, acting_for: str | None = None) -> FastMCP:
    """The Career Navigator MCP server over `navigator`.

    `identity` is a personal token that identifies every caller (stdio: CAREER_NAV_TOKEN; re-verified on each
    call). Leave it None for HTTP, where each request's `Authorization: Bearer` token decides (see
    mcp_server.http.build_http_app), and for anonymous use. `acting_for` is a user id the process has already
    authenticated (the bot's assistant, mcp_server.toolbox); such a server is only ever reached in memory.
    """
    server = FastMCP(name=navigator.app_name, instructions=INSTRUCTIONS, version=navigator.app_version, mask_error_details=True, on_duplicate="error")
    callers = Callers(navigator, identity, acting_for)
    market.register(server, navigator, callers)
    jobs.register(server, navigator, callers)
    catalog.register(server, navigator)
    profile.register(server, navigator, callers)
    resources.register(server, navigator)
    prompts.register(server)
    register_health(server, navigator)
    return server
