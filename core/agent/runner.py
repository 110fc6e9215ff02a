"""The bounded tool-calling loop: ask the model, run the read-only tools it calls, stop at a final answer.

Bounds: `max_tool_calls` per message, `timeout` for the whole message, `daily_budget` model requests per user per
UTC day (`DailyBudget`, in memory). A malformed tool call, an unknown tool, a timeout, an exhausted budget or an
unreachable endpoint ends the run with a `Failure` carrying a short message for the person. A tool that writes is
never called here: the run ends with it as `pending`, for the front end to confirm with a button.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

from core.agent import chat_api
from core.agent.budget import DailyBudget
from core.agent.chat_api import Stop, ToolCall
from core.agent.model import AgentConfig, AgentReply, Failure, PendingAction, ToolResult, Toolbox, ToolSpec
from core.clock import Clock, SystemClock

log = logging.getLogger("career_nav.agent")

SYSTEM_PROMPT = """\
You are Career Navigator's assistant in a Telegram chat. Answer questions about the tech job market and the
person's career with the tools: their numbers come from real job postings, so never invent figures. When you omit
`skills` or a role, the tools use the person's own profile. Changing the profile needs the person's confirmation:
call update_profile and they will be asked. Answer in at most four short sentences of plain text. Today is {today}.{hint}"""

MESSAGES = {
    "malformed": "The AI assistant sent a request I couldn't read.",
    "unknown_tool": "The AI assistant tried to use a tool I don't have ({detail}).",
    "timeout": "The AI assistant took too long (over {detail} s).",
    "budget": "You've used today's {detail} AI requests; they reset at midnight UTC.",
    "steps": "That needed more than {detail} steps.",
    "unavailable": "The AI assistant is unavailable right now.",
}


class Agent:
    def __init__(self, config: AgentConfig, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.budget = DailyBudget(config.daily_budget, self.clock)

    async def run(self, text: str, *, user_key: str, toolbox: Toolbox, hint: str = "") -> AgentReply:
        """One message, answered within the bounds; model and tool trouble comes back as `reply.failure`."""
        try:
            async with asyncio.timeout(self.config.timeout), chat_api.client_for(self.config) as client:
                return await _Conversation(self, client, toolbox, user_key).answer(text, hint)
        except TimeoutError:
            return _failed("timeout", f"{self.config.timeout:g}")
        except Stop as stop:
            return _failed(stop.kind, stop.detail)

    def system_prompt(self, hint: str = "") -> str:
        return SYSTEM_PROMPT.format(today=self.clock.now().date().isoformat(), hint=f"\n{hint}" if hint else "")


class _Conversation:
    def __init__(self, agent: Agent, client: Any, toolbox: Toolbox, user_key: str) -> None:
        self.agent, self.client, self.toolbox, self.user_key = agent, client, toolbox, user_key
        self.calls = 0
        self.results: list[ToolResult] = []

    async def answer(self, text: str, hint: str) -> AgentReply:
        specs = {spec.name: spec for spec in await self.toolbox.specs()}
        tools = [spec.for_model() for spec in specs.values()]
        messages: list[dict[str, Any]] = [{"role": "system", "content": self.agent.system_prompt(hint)}, {"role": "user", "content": text}]
        while True:
            if not self.agent.budget.spend(self.user_key):
                raise Stop("budget", str(self.agent.budget.limit))
            turn = await chat_api.complete(self.client, self.agent.config, messages, tools)
            if not turn.tool_calls:
                return AgentReply(text=turn.content, results=tuple(self.results))
            messages.append(turn.message)
            pending = await self._run_calls(turn.tool_calls, specs, messages)
            if pending is not None:
                return AgentReply(text=turn.content, results=tuple(self.results), pending=pending)

    async def _run_calls(self, calls: Sequence[ToolCall], specs: dict[str, ToolSpec], messages: list[dict[str, Any]]) -> PendingAction | None:
        for call in calls:
            self.calls += 1
            if self.calls > self.agent.config.max_tool_calls:
                raise Stop("steps", str(self.agent.config.max_tool_calls))
            spec = specs.get(call.name)
            if spec is None:
                log.info("model called an unknown tool: %.60s", call.name)
                raise Stop("unknown_tool", call.name[:60])
            arguments = parse_arguments(call.arguments)
            if spec.writes:
                return PendingAction(spec.name, arguments, spec.title or spec.name)
            outcome = await self.toolbox.call(spec.name, arguments)
            log.info("tool %s called for the model: ok=%s", spec.name, outcome.ok)
            if outcome.ok and outcome.data is not None:
                self.results.append(ToolResult(spec.name, arguments, outcome.data))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": outcome.for_model()})
        return None


def parse_arguments(text: str) -> dict[str, Any]:
    """A tool call's JSON arguments as an object ("" means none); Stop("malformed") otherwise."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise Stop("malformed") from None
    if not isinstance(value, dict):
        raise Stop("malformed")
    return value


def _failed(kind: str, detail: str) -> AgentReply:
    log.info("assistant run stopped: %s", kind)
    return AgentReply(failure=Failure(kind, MESSAGES.get(kind, MESSAGES["unavailable"]).format(detail=detail)))
