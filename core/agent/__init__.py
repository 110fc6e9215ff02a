"""Optional LLM assistant: free text the intent router cannot place goes to an OpenAI-compatible chat-completions
endpoint, with the MCP server's tools as its tools (issue 9).

    agent = Agent(AgentConfig.from_settings(settings), clock)      # None-safe: build only when settings.llm_enabled
    reply = await agent.run(text, user_key=user.id, toolbox=tools) # never raises for model/tool trouble

`Toolbox` is the port the tools come through (mcp_server.toolbox.McpToolbox: the MCP server's own definitions and
calls, made as the user). A tool that writes is never called: the reply carries it as `pending` for the front end
to confirm. See docs/llm.md for the settings and limits.
"""

from core.agent.budget import DailyBudget
from core.agent.model import AgentConfig, AgentReply, Failure, PendingAction, ToolOutcome, ToolResult, Toolbox, ToolSpec
from core.agent.runner import Agent

__all__ = ["Agent", "AgentConfig", "AgentReply", "DailyBudget", "Failure", "PendingAction", "ToolOutcome", "ToolResult", "ToolSpec", "Toolbox"]
