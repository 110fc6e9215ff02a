"""/roadmap and /projects (paged with buttons) and /resources."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards, parsing, views
from bot.context import NavContext, current_user
from bot.replies import edit, send
from core.errors import InvalidInput
from core.models import Difficulty, RoadmapReport

PROJECTS_LIMIT = 30


def _roadmap_keyboard(report: RoadmapReport, page: int) -> InlineKeyboardMarkup | None:
    return keyboards.pager(keyboards.roadmap_prefix(report.role_key), page, views.pages(len(report.skill_paths), views.ROADMAP_PAGE))


def _page(data: str) -> tuple[str, int]:
    """("rm:data_scientist", 2) from "rm:data_scientist:2"."""
    head, _, page = data.rpartition(":")
    return head.split(":", 1)[1], max(0, int(page)) if page.isdigit() else 0


async def roadmap(update: Update, context: NavContext) -> None:
    """Replies with the first page of the learning roadmap for a role."""
    await show_roadmap(update, context, role=parsing.role_arg(context.args or []))


async def show_roadmap(update: Update, context: NavContext, *, role: str | None) -> None:
    """The /roadmap reply: its first page (free text answers with it too)."""
    user = await current_user(update, context)
    report = await context.navigator.roadmap(role, user=user)
    await send(update, views.roadmap_page(report, 0), _roadmap_keyboard(report, 0))


async def roadmap_page(update: Update, context: NavContext) -> None:
    """Shows another page of a roadmap."""
    query = update.callback_query
    await query.answer()
    role_key, page = _page(query.data)
    user = await current_user(update, context)
    report = await context.navigator.roadmap(role_key, user=user)
    page = min(page, views.pages(len(report.skill_paths), views.ROADMAP_PAGE) - 1)
    await edit(query, views.roadmap_page(report, page), _roadmap_keyboard(report, page))


async def projects(update: Update, context: NavContext) -> None:
    """Replies with the first page of practice projects that fit the user's skills."""
    await show_projects(update, context, parsing.difficulty(context.args or []))


async def show_projects(update: Update, context: NavContext, difficulty: Difficulty | None) -> None:
    """The /projects reply: its first page, as a new message (free text answers with it too)."""
    await send(update, *await _projects(update, context, difficulty, 0))


async def projects_page(update: Update, context: NavContext) -> None:
    """Shows another page of projects."""
    query = update.callback_query
    await query.answer()
    value, page = _page(query.data)
    await edit(query, *await _projects(update, context, None if value == "*" else Difficulty(value), page))


async def _projects(update: Update, context: NavContext, difficulty: Difficulty | None, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    user = await current_user(update, context)
    result = await context.navigator.recommend_projects(user=user, difficulty=difficulty, limit=PROJECTS_LIMIT)
    page = min(page, views.pages(len(result.projects), views.PROJECTS_PAGE) - 1)
    text = views.projects_page(result, page, difficulty.value if difficulty else None)
    markup = keyboards.pager(keyboards.projects_prefix(difficulty), page, views.pages(len(result.projects), views.PROJECTS_PAGE))
    return text, markup


async def resources(update: Update, context: NavContext) -> None:
    """Replies with learning resources for one or more skills."""
    nav = context.navigator
    if not context.args:
        message = "Which skill? For example /resources docker."
        raise InvalidInput(message)
    skills = parsing.split_skills(" ".join(context.args), lambda text: nav.taxonomy.resolve(text) is not None)
    await show_resources(update, context, skills)


async def show_resources(update: Update, context: NavContext, skills: list[str]) -> None:
    """The /resources reply for these skills (free text answers with it too)."""
    await send(update, views.resources(context.navigator.find_resources(skills), skills))
