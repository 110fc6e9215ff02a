"""The optional LLM assistant in chat: what the intent router cannot place goes to the model (core.agent) with the
MCP server's tools, run as this Telegram user (mcp_server.toolbox). Its answer is shown with the commands' views;
a writing tool waits for the user's button; any failure is said in one line and the router's clarifying reply follows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from telegram import Update

from bot import chat_views, keyboards, render, views
from bot.context import NavContext, current_user
from bot.replies import confirmed, edit, send
from core.agent import Agent, AgentConfig, AgentReply, Failure, ToolResult
from core.agent.runner import MESSAGES
from core.intent import ChatContext, Routed
from core.jobmatch import JobMatchReport
from core.models import GapReport, ProjectRecommendations, ResourceSearchResult, RoadmapReport, TrendingReport
from mcp_server.toolbox import McpToolbox

log = logging.getLogger("career_nav.bot")
AGENT, PENDING_ACTION = "assistant", "assistant_pending"

# A tool's structured result → the reply the matching command gives.
RESULT_VIEWS: dict[str, Callable[[dict[str, Any], dict[str, Any]], str]] = {
    "trending_skills": lambda data, args: views.trending(TrendingReport.model_validate(data)),
    "skill_gap": lambda data, args: views.gap(GapReport.model_validate(data)),
    "learning_roadmap": lambda data, args: views.roadmap_page(RoadmapReport.model_validate(data), 0),
    "recommend_projects": lambda data, args: views.projects_page(ProjectRecommendations.model_validate(data), 0, args.get("difficulty")),
    "find_learning_resources": lambda data, args: views.resources(ResourceSearchResult.model_validate(data).resources, args.get("skills") or [args.get("query") or "your search"]),
    "match_job_description": lambda data, args: chat_views.job_match(JobMatchReport.model_validate(data)),
}


def agent_for(context: NavContext) -> Agent | None:
    """The process's assistant (built on first use), or None when LLM_* settings are not set."""
    if AGENT not in context.bot_data:
        config = AgentConfig.from_settings(context.settings)
        context.bot_data[AGENT] = Agent(config, context.navigator.clock) if config else None
    return context.bot_data[AGENT]


async def answered(update: Update, context: NavContext, routed: Routed, memory: ChatContext) -> bool:
    """Lets the assistant answer; False when it is off or stopped (after saying why), so the router's reply follows."""
    agent = agent_for(context)
    if agent is None:
        return False
    user = await current_user(update, context)
    try:
        async with McpToolbox(context.navigator, user.id) as tools:
            reply = await agent.run(routed.text, user_key=user.id, toolbox=tools, hint=_hint(memory))
    except Exception:  # the assistant is optional: a bug in it must not cost the person the router's answer
        log.exception("the LLM assistant failed; answering with the router")
        reply = AgentReply(failure=Failure("unavailable", MESSAGES["unavailable"]))
    if reply.failure is None and await _show(update, context, reply):
        return True
    await send(update, chat_views.assistant_failure(reply.failure.message if reply.failure else "The AI assistant had no answer."))
    return False


async def confirm_button(update: Update, context: NavContext) -> None:
    """Runs (ai:yes) or drops (ai:no) the change the assistant proposed."""
    query = update.callback_query
    action = await confirmed(query, context.chat_data, PENDING_ACTION, yes="ai:yes", expired="This confirmation has expired — ask again.", cancelled=chat_views.cancelled())
    if action is None:
        return
    user = await current_user(update, context)
    async with McpToolbox(context.navigator, user.id) as tools:
        outcome = await tools.call(action.name, action.arguments)
    if not outcome.ok:
        await edit(query, f"⚠️ {render.esc(outcome.error)}")
        return
    extra = chat_views.telegram_link(outcome.data or {}) if action.name == "create_telegram_link" else "See it with /profile."
    await edit(query, chat_views.assistant_done(action.title) + "\n" + extra)


async def _show(update: Update, context: NavContext, reply: AgentReply) -> bool:
    """Sends the answer (the model's words, then the last tool result as its command shows it); False if nothing to say."""
    if reply.pending is not None:
        context.chat_data[PENDING_ACTION] = reply.pending
        await send(update, chat_views.assistant_pending(reply.pending, reply.text), keyboards.confirm("✅ Yes, do it", "ai:yes", "ai:no"))
        return True
    shown = next((text for result in reversed(reply.results) if (text := _result_view(result))), None)
    if reply.text:
        await send(update, chat_views.assistant_answer(reply.text))
    if shown:
        await send(update, shown)
    return bool(reply.text or shown)


def _result_view(result: ToolResult) -> str | None:
    view = RESULT_VIEWS.get(result.name)
    try:
        return view(result.data, result.arguments) if view else None
    except (ValidationError, TypeError, AttributeError):
        return None


def _hint(memory: ChatContext) -> str:
    if memory.intent is None or memory.role is None:
        return ""
    return f"Earlier in this chat the person asked about {memory.intent.value} for {memory.role}."
