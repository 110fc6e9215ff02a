"""/start: deep-link linking, or the onboarding conversation (role → skills → level → location → digest).

Every step can be skipped; /cancel pauses. Progress lives in the profile itself, so /start resumes at the
first unanswered question even after a restart. The same states serve the /profile "Skills" and "Location"
buttons in edit mode (one question, then done).
"""

from __future__ import annotations

import warnings

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot import keyboards, parsing, views
from bot.context import NavContext, current_user
from bot.handlers.account import link_with_code
from bot.handlers.profile import LABELS, choose
from bot.replies import edit, send
from core.models import ProfileUpdate, User

STEPS = ("role", "skills", "level", "location", "digest")
FIELD_STEP = {"role": "role", "level": "level", "loc": "location", "digest": "digest"}
END = ConversationHandler.END
FLOW, SKIPPED, ONBOARDING, EDITING = "flow", "skipped", "onboarding", "edit"


def unanswered(user: User) -> list[str]:
    """Profile questions still open, in asking order."""
    answered = {"role": user.target_roles, "skills": user.skills, "level": user.experience_level, "location": user.location}
    return [step for step, value in answered.items() if not value]


async def start(update: Update, context: NavContext) -> str | int:
    """Links an account when given a code; otherwise starts or resumes onboarding."""
    if context.args:
        await link_with_code(update, context, context.args[0])
        return END
    user = await current_user(update, context)
    todo = unanswered(user)
    if not todo:
        await send(update, views.welcome_back(user))
        return END
    context.user_data.update({FLOW: ONBOARDING, SKIPPED: set()})
    await send(update, views.welcome(user, resuming=len(todo) < len(STEPS) - 1))
    return await ask(update, context, todo[0])


async def ask(update: Update, context: NavContext, step: str) -> str:
    """Asks one onboarding question and returns it as the conversation state."""
    markup = {
        "role": keyboards.roles(context.navigator.roles, skip=True),
        "skills": keyboards.skills_step(skip=True),
        "level": keyboards.levels(skip=True),
        "location": keyboards.location(skip=True),
        "digest": keyboards.digest(),
    }[step]
    await send(update, views.step_prompt(step, STEPS.index(step) + 1, len(STEPS)), markup)
    return step


async def advance(update: Update, context: NavContext, user: User, done: str) -> str | int:
    """Asks the next open question, or wraps up (edit mode ends after one answer)."""
    if context.user_data.get(FLOW) != ONBOARDING:
        context.user_data.pop(FLOW, None)
        return END
    skipped = context.user_data.setdefault(SKIPPED, set())
    todo = set(unanswered(user)) - skipped
    for step in STEPS[STEPS.index(done) + 1 :]:
        if step in todo or (step == "digest" and not user.digest_opt_in):
            return await ask(update, context, step)
    context.user_data.pop(FLOW, None)
    await send(update, "🎉 All set! " + views.ready() + views.timezone_hint(user))
    return END


async def choice(update: Update, context: NavContext) -> str | int:
    """Saves a tapped answer (or a skip) and moves on."""
    user, skipped = await choose(update, context)
    step = FIELD_STEP[update.callback_query.data.split(":")[1]]
    if skipped:
        context.user_data.setdefault(SKIPPED, set()).add(step)
    return await advance(update, context, user, step)


async def typed_role(update: Update, context: NavContext) -> str | int:
    """Accepts a typed role name instead of a button."""
    user = await current_user(update, context)
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(target_roles=[update.message.text]))
    await send(update, views.saved(LABELS["role"], user.target_roles[0]))
    return await advance(update, context, user, "role")


async def typed_level(update: Update, context: NavContext) -> str | int:
    """Accepts a typed level instead of a button."""
    chosen = parsing.level(update.message.text)
    user = await current_user(update, context)
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(experience_level=chosen))
    await send(update, views.saved(LABELS["level"], chosen.value))
    return await advance(update, context, user, "level")


async def typed_skills(update: Update, context: NavContext) -> str | int:
    """Adds typed skills; unknown ones get "did you mean" buttons and the question stays open."""
    nav = context.navigator
    texts = parsing.split_skills(update.message.text, lambda text: nav.taxonomy.resolve(text) is not None)
    user = await current_user(update, context)
    change = await nav.accounts.add_skills(user.id, texts)
    if change.unknown:
        hints = [name for names in change.unknown.values() for name in names]
        await send(update, views.skill_change(change, "added") + "\nSend more, or tap Done.", keyboards.skills_step(hints, skip=False))
        return "skills"
    await send(update, views.skill_change(change, "added"))
    return await advance(update, context, change.user, "skills")


async def suggested_skill(update: Update, context: NavContext) -> str:
    """Adds a "did you mean" skill and keeps the question open."""
    query = update.callback_query
    await query.answer()
    user = await current_user(update, context)
    change = await context.navigator.accounts.add_skills(user.id, [query.data.removeprefix("skill:add:")])
    await edit(query, views.skill_change(change, "added") + "\nSend more, or tap Done.", keyboards.skills_step(skip=False))
    return "skills"


async def skills_done(update: Update, context: NavContext) -> str | int:
    """Closes the skills question."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_reply_markup(None)
    user = await current_user(update, context)
    if not user.skills:
        context.user_data.setdefault(SKIPPED, set()).add("skills")
    return await advance(update, context, user, "skills")


async def typed_location(update: Update, context: NavContext) -> str | int:
    """Saves a typed location."""
    user = await current_user(update, context)
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(location=update.message.text))
    await send(update, views.saved(LABELS["loc"], user.location))
    return await advance(update, context, user, "location")


async def edit_field(update: Update, context: NavContext) -> str:
    """Asks for new skills or a new location (the /profile buttons)."""
    query = update.callback_query
    await query.answer()
    step = "skills" if query.data == "edit:skills" else "location"
    context.user_data[FLOW] = EDITING
    if step == "skills":
        await send(update, "🧰 Send the skills to add, separated by commas (remove with /skills remove …).")
    else:
        await send(update, views.STEP_PROMPTS["location"], keyboards.location())
    return step


async def cancel(update: Update, context: NavContext) -> int:
    """Pauses onboarding; /start resumes it."""
    context.user_data.pop(FLOW, None)
    await send(update, "⏸ Paused. Send /start any time to pick up where you left off.")
    return END


def conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # per_message=False is intended: the steps are per user, not per message
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("start", start), CallbackQueryHandler(edit_field, pattern=r"^edit:(skills|location)$")],
            states={
                "role": [CallbackQueryHandler(choice, pattern=r"^set:role:"), MessageHandler(text, typed_role)],
                "skills": [
                    MessageHandler(text, typed_skills),
                    CallbackQueryHandler(suggested_skill, pattern=r"^skill:add:"),
                    CallbackQueryHandler(skills_done, pattern=r"^skills:done$"),
                ],
                "level": [CallbackQueryHandler(choice, pattern=r"^set:level:"), MessageHandler(text, typed_level)],
                "location": [CallbackQueryHandler(choice, pattern=r"^set:loc:"), MessageHandler(text, typed_location)],
                "digest": [CallbackQueryHandler(choice, pattern=r"^set:digest:")],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            allow_reentry=True,
            name="onboarding",
        )
