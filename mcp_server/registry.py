"""How tools are registered: `@tool(server, ...)` in place of `@server.tool(...)`, with results serialised once.

fastmcp's generic result path turns a returned pydantic model into JSON four times and parses it back twice (text
content, structured content, and again when it builds the `ToolResult`); under load that was ~13% of the server's
CPU. `ModelTool` dumps a model result once and encodes that once, and hands everything else to fastmcp. The wire
result is the same: structured content is the model's JSON, and the text block carries that JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pydantic_core
from fastmcp import FastMCP
from fastmcp.tools import FunctionTool, ToolResult
from mcp_types import TextContent
from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])


class ModelTool(FunctionTool):
    def convert_result(self, raw_value: Any) -> ToolResult:
        wrapped = self.output_schema is None or self.output_schema.get("x-fastmcp-wrap-result")
        if not isinstance(raw_value, BaseModel) or wrapped:
            return super().convert_result(raw_value)
        structured = raw_value.model_dump(mode="json")
        text = pydantic_core.to_json(structured).decode()
        # model_construct: the parts are already wire-ready, so ToolResult's own re-serialisation is skipped.
        return ToolResult.model_construct(content=[TextContent(type="text", text=text)], structured_content=structured, meta=None, is_error=False)


def tool(server: FastMCP, **options: Any) -> Callable[[F], F]:
    """Registers the decorated function as a tool of `server` (same options as `FastMCP.tool`)."""

    def register(fn: F) -> F:
        server.add_tool(ModelTool.from_function(fn, **options))
        return fn

    return register
