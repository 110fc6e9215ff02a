"""Free text and forwarded posts: the intent router places the message, the commands' own rendering answers it.

A per-chat `ChatContext` (in `chat_data`) remembers the last intent, role and skills, so "and for backend?" works.
Text the router cannot place gets a clarifying question with buttons (never silence); when the optional LLM
assistant is configured it is asked first (bot.handlers.assistant). Profile changes are confirmed with a button.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import chat_views, keyboards, views
from bot.context import NavContext, current_user
from bot.handlers import assistant, general, learning, market
from bot.handlers.profile import LABELS
from bot.replies import confirmed, edit, send
from core.intent import ChatContext, Intent, Routed
from core.intent.router import MIN_CONFIDENCE
from core.models import ProfileUpdate, User
from core.service import Navigator

CHAT_CONTEXT, PENDING_PROFILE = "chat_context", "pending_profile"
CLARIFY_PATTERN = "^ask:(" + "|".join(i.value for i in Intent if i is not Intent.CLARIFY) + r")(:[\w-]+)?$"
DEFAULT_DAYS = 30
Answer = Callable[[Update, NavContext, Routed], Awaitable[None]]


def chat_context(context: NavContext) -> ChatContext:
    return context.chat_data.setdefault(CHAT_CONTEXT, ChatContext())


async def free_text(update: Update, context: NavContext) -> None:
    """Answers a typed or forwarded message outside any conversation."""
    message = update.effective_message
    memory = chat_context(context)
    memory.forwarded = message.forward_origin is not None
    routed = context.navigator.router.route(message.text or "", memory)
    memory.update(routed)
    if (routed.needs_clarification or routed.confidence < MIN_CONFIDENCE) and await assistant.answered(update, context, routed, memory):
        return
    await answer(update, context, routed)


async def clarify_button(update: Update, context: NavContext) -> None:
    """Completes a clarified request with the tapped intent (and role): `ask:<intent>[:<role_key>]`."""
    query = update.callback_query
    await query.answer()
    _, intent, *rest = query.data.split(":")
    role = context.navigator.roles.get(rest[0]) if rest else None
    memory = chat_context(context)
    routed = memory.choose(intent, role.name if role else None)
    memory.update(routed)
    await edit(query, chat_views.choice_made(getattr(query.message, "text", None) or "", _label(context.navigator, intent, role.name if role else None)))
    await answer(update, context, routed)


async def profile_button(update: Update, context: NavContext) -> None:
    """Saves (pu:yes) or drops (pu:no) the profile change a message asked for."""
    query = update.callback_query
    routed = await confirmed(query, context.chat_data, PENDING_PROFILE, yes="pu:yes", expired="This confirmation has expired — say it again.", cancelled=chat_views.cancelled())
    if routed is None:
        return
    await edit(query, await _apply(context.navigator, await current_user(update, context), routed))


async def answer(update: Update, context: NavContext, routed: Routed) -> None:
    await ANSWERS[routed.intent](update, context, routed)


# --- one answer per intent ---------------------------------------------------------------------------


async def _resources(update: Update, context: NavContext, routed: Routed) -> None:
    if not routed.skills:
        await send(update, chat_views.which_skill())
        return
    await learning.show_resources(update, context, list(routed.skills))


async def _job_match(update: Update, context: NavContext, routed: Routed) -> None:
    user = await current_user(update, context)
    report = await context.navigator.match_job_description(routed.text, user=user)
    await send(update, chat_views.job_match(report))


async def _confirm_profile(update: Update, context: NavContext, routed: Routed) -> None:
    if not (routed.add_skills or routed.remove_skills or routed.target_role):
        await send(update, chat_views.nothing_to_change())
        return
    context.chat_data[PENDING_PROFILE] = routed
    await send(update, chat_views.profile_change(routed), keyboards.confirm("✅ Yes, save", "pu:yes", "pu:no"))


async def _clarify(update: Update, context: NavContext, routed: Routed) -> None:
    await send(update, chat_views.clarify(routed), clarify_keyboard(context.navigator, routed))


ANSWERS: dict[Intent, Answer] = {
    Intent.TRENDING: lambda u, c, x: market.show_trending(u, c, role=x.role, days=x.days or DEFAULT_DAYS),
    Intent.GAP: lambda u, c, x: market.show_gap(u, c, role=x.role, skills=list(x.skills) or None),
    Intent.ROADMAP: lambda u, c, x: learning.show_roadmap(u, c, role=x.role),
    Intent.PROJECTS: lambda u, c, x: learning.show_projects(u, c, x.difficulty),
    Intent.RESOURCES: _resources,
    Intent.HELP: lambda u, c, x: general.help_command(u, c),
    Intent.JOB_MATCH: _job_match,
    Intent.PROFILE_UPDATE: _confirm_profile,
    Intent.CLARIFY: _clarify,
}


# --- helpers -----------------------------------------------------------------------------------------


def clarify_keyboard(nav: Navigator, routed: Routed) -> InlineKeyboardMarkup:
    """A button per likely intent, or per (intent, role) when the message named several roles."""
    roles = [role for name in routed.role_options[:3] if (role := nav.roles.find(name)) is not None]
    pairs = [(intent, role) for role in roles for intent in routed.options] or [(intent, None) for intent in routed.options]
    buttons = [
        InlineKeyboardButton(_label(nav, intent.value, role.name if role else None, several=len(routed.options) > 1), callback_data=f"ask:{intent.value}" + (f":{role.key}" if role else ""))
        for intent, role in pairs
    ]
    return InlineKeyboardMarkup([[button] for button in buttons])


def _label(nav: Navigator, intent: str, role: str | None, *, several: bool = True) -> str:
    label = nav.router.phrases.label(intent)
    if role is None:
        return label
    return f"{label} · {role}" if several else role


async def _apply(nav: Navigator, user: User, routed: Routed) -> str:
    """Writes a confirmed profile change; the reply the profile commands would give."""
    lines = []
    if routed.add_skills:
        lines.append(views.skill_change(await nav.accounts.add_skills(user.id, list(routed.add_skills)), "added"))
    if routed.remove_skills:
        lines.append(views.skill_change(await nav.accounts.remove_skills(user.id, list(routed.remove_skills)), "removed"))
    if routed.target_role:
        others = [role for role in (await nav.accounts.get_profile(user.id)).target_roles if role != routed.target_role]
        user = await nav.accounts.update_profile(user.id, ProfileUpdate(target_roles=[routed.target_role, *others]))
        lines.append(views.saved(LABELS["role"], ", ".join(user.target_roles)) + "\nNext: /gap or /roadmap")
    return "\n\n".join(lines)
