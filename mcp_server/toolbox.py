"""The MCP server's tools as the assistant's `Toolbox` (core.agent): one source of truth for names, descriptions,
JSON schemas and behaviour.

    async with McpToolbox(nav, user.id) as tools:
        specs = await tools.specs()                    # exactly what `tools/list` returns
        outcome = await tools.call("skill_gap", {})    # exactly what `tools/call` does, as that user

Calls go through an in-memory fastmcp `Client` to a server built with `acting_for=user_id`: the bot has already
established who the person is, so no token is minted (a token per message would add ledger writes and show up in
the person's /token list). Such a server is never put on a transport.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

from fastmcp import Client

from core.agent import ToolOutcome, ToolSpec
from core.service import Navigator
from mcp_server.server import build_server


class McpToolbox:
    def __init__(self, nav: Navigator, user_id: str | None) -> None:
        self._client = Client(build_server(nav, acting_for=user_id))
        self._specs: list[ToolSpec] | None = None

    async def __aenter__(self) -> McpToolbox:
        await self._client.__aenter__()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        await self._client.__aexit__(kind, error, trace)

    async def specs(self) -> Sequence[ToolSpec]:
        if self._specs is None:
            self._specs = [spec_of(tool) for tool in await self._client.list_tools()]
        return self._specs

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        result = await self._client.call_tool(name, arguments, raise_on_error=False)
        if result.is_error:
            text = " ".join(getattr(block, "text", "") for block in result.content).strip()
            return ToolOutcome(error=text or f"{name} failed")
        return ToolOutcome(data=result.structured_content or {})


def spec_of(tool: Any) -> ToolSpec:
    """A listed MCP tool (mcp_types.Tool) as a ToolSpec; anything not marked read-only counts as writing."""
    read_only = bool(tool.annotations and tool.annotations.read_only_hint)
    return ToolSpec(name=tool.name, description=tool.description or "", parameters=tool.input_schema, writes=not read_only, title=tool.title)
