"""Personal tools: the caller's profile and Telegram linking (a token is required)."""

from __future__ import annotations

from typing import Annotated

from fastmcp import FastMCP
from mcp_types import ToolAnnotations
from pydantic import Field

from core.models import ExperienceLevel, ProfileUpdate
from core.service import Navigator
from mcp_server.auth import Callers
from mcp_server.errors import tool_errors
from mcp_server.params import READ_ONLY, SkillName
from mcp_server.registry import tool
from mcp_server.views import Profile, TelegramLink

FullName = Annotated[str | None, Field(max_length=200, description="Full name, e.g. 'Ada Lovelace'.")]


def register(server: FastMCP, nav: Navigator, callers: Callers) -> None:
    @tool(server, title="My profile", annotations=READ_ONLY)
    async def get_profile() -> Profile:
        """The signed-in caller's profile: skills, target roles, experience level, location, digest setting and
        whether Telegram is linked. Call it first to personalise advice; the analysis tools use this profile
        when `skills`/`role` are omitted. Requires the caller's personal token.
        """
        with tool_errors():
            return Profile.of(await callers.required())

    @tool(server, title="Update my profile", annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False))
    async def update_profile(
        full_name: FullName = None,
        skills: Annotated[list[SkillName] | None, Field(max_length=100, description="The COMPLETE new skills list (replaces the old one), e.g. ['Python', 'SQL'].")] = None,
        target_roles: Annotated[list[SkillName] | None, Field(max_length=10, description="The complete new target roles list, first = main, e.g. ['Data Scientist'].")] = None,
        experience_level: Annotated[ExperienceLevel | None, Field(description="Experience level.")] = None,
        location: Annotated[str | None, Field(max_length=200, description="City or region, e.g. 'Berlin, Germany'.")] = None,
        timezone: Annotated[str | None, Field(max_length=64, description="IANA timezone, e.g. 'Europe/Berlin'.")] = None,
        digest_opt_in: Annotated[bool | None, Field(description="Receive the weekly digest in Telegram.")] = None,
    ) -> Profile:
        """Change fields of the signed-in caller's profile; omitted fields stay as they are. Lists replace the
        old list, so to add a skill pass the current skills plus the new one (get_profile shows them). Skills and
        roles are checked against the taxonomy; an unknown one's error suggests close matches. Requires a token.
        """
        with tool_errors():
            user = await callers.required()
            update = ProfileUpdate(full_name=full_name, skills=skills, target_roles=target_roles, experience_level=experience_level, location=location, timezone=timezone, digest_opt_in=digest_opt_in)
            return Profile.of(await nav.accounts.update_profile(user.id, update))

    @tool(server, title="Link Telegram", annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False))
    async def create_telegram_link() -> TelegramLink:
        """A one-time code (valid 10 minutes) that links the person's Telegram account to this account, so the
        Career Navigator bot shares their profile and sends their digest. Show them `start_command` to send to the
        bot. Requires a token.
        """
        with tool_errors():
            user = await callers.required()
            return TelegramLink.of(await nav.accounts.create_link_code(user.id))
