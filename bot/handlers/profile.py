"""/profile, /skills, /role, /level, /location, /timezone, /digest and the buttons that edit a profile."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot import keyboards, parsing, render, views
from bot.context import NavContext, current_user
from bot.handlers.digest import DIGEST_ACTIONS
from bot.replies import edit, send
from core.digest_schedule import next_digest
from core.errors import UnknownTimezone
from core.models import ExperienceLevel, ProfileUpdate, User

CHOICES: dict[str, Callable[[str], ProfileUpdate]] = {
    "role": lambda value: ProfileUpdate(target_roles=[value]),
    "level": lambda value: ProfileUpdate(experience_level=ExperienceLevel(value)),
    "loc": lambda value: ProfileUpdate(location=value),
    "digest": lambda value: ProfileUpdate(digest_opt_in=value == "on"),
}
LABELS = {"role": "🎯 Target role", "level": "📈 Level", "loc": "📍 Location", "digest": "📬 Weekly digest"}


async def profile(update: Update, context: NavContext) -> None:
    """Shows the profile with buttons to edit each part."""
    user = await current_user(update, context)
    await send(update, views.profile(user, context.navigator.clock.now()), keyboards.profile(user))


async def skills(update: Update, context: NavContext) -> None:
    """Shows, adds, removes or clears skills (names normalised through the taxonomy)."""
    nav = context.navigator
    args = parsing.skills_args(context.args or [], lambda text: nav.taxonomy.resolve(text) is not None)
    user = await current_user(update, context)
    if args.action == "show":
        await send(update, views.skills(user))
    elif args.action == "clear":
        user = await nav.accounts.update_profile(user.id, ProfileUpdate(skills=[]))
        await send(update, "🧹 Cleared your skills. Add new ones with /skills add Python, SQL")
    elif args.action == "remove":
        change = await nav.accounts.remove_skills(user.id, args.skills)
        await send(update, views.skill_change(change, "removed"))
    else:
        change = await nav.accounts.add_skills(user.id, args.skills)
        hints = [name for names in change.unknown.values() for name in names]
        await send(update, views.skill_change(change, "added"), keyboards.suggestions(hints))


async def role(update: Update, context: NavContext) -> None:
    """Sets the target role(s), or offers a keyboard of known roles."""
    text = parsing.role_arg(context.args or [])
    if text is None:
        await send(update, views.STEP_PROMPTS["role"], keyboards.roles(context.navigator.roles))
        return
    user = await current_user(update, context)
    roles = [part for part in text.split(",") if part.strip()]
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(target_roles=roles))
    await send(update, views.saved(LABELS["role"], ", ".join(user.target_roles)) + "\nNext: /gap or /roadmap")


async def level(update: Update, context: NavContext) -> None:
    """Sets the experience level, or offers a keyboard."""
    if not context.args:
        await send(update, views.STEP_PROMPTS["level"], keyboards.levels())
        return
    chosen = parsing.level(" ".join(context.args))
    user = await current_user(update, context)
    await context.navigator.accounts.update_profile(user.id, ProfileUpdate(experience_level=chosen))
    await send(update, views.saved(LABELS["level"], chosen.value))


async def location(update: Update, context: NavContext) -> None:
    """Sets (or clears) where the user wants to work."""
    place = parsing.location(context.args or [])
    user = await current_user(update, context)
    if place is None:
        current = f"Currently: {render.bold(render.clip(user.location, 100))}\n" if user.location else ""
        await send(update, f"{current}{views.STEP_PROMPTS['location']}\nE.g. /location Berlin · /location clear", keyboards.location())
        return
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(location=place))
    await send(update, views.saved(LABELS["loc"], user.location))


async def timezone(update: Update, context: NavContext) -> None:
    """Shows the timezone, local time and next digest, or sets the timezone (close names as buttons on a miss)."""
    text = parsing.timezone_arg(context.args or [])
    user = await current_user(update, context)
    if text is not None:
        try:
            user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(timezone=text))
        except UnknownTimezone as error:
            await send(update, views.timezone_unknown(error, user.timezone), keyboards.timezones(error.suggestions))
            return
    await send(update, await _timezone_view(context, user, changed=text is not None))


async def set_suggested_timezone(update: Update, context: NavContext) -> None:
    """Sets the timezone on a "did you mean" button."""
    query = update.callback_query
    await query.answer()
    user = await current_user(update, context)
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(timezone=query.data.removeprefix("tz:")))
    await edit(query, await _timezone_view(context, user, changed=True))


async def _timezone_view(context: NavContext, user: User, *, changed: bool) -> str:
    when = await next_digest(context.navigator, user, context.settings.digest_schedule)
    return views.timezone(user, context.navigator.clock.now(), when, changed=changed)


async def digest(update: Update, context: NavContext) -> None:
    """Turns the weekly digest on or off, shows its state with a toggle, or sends (now) / shows (preview) this week's."""
    action = DIGEST_ACTIONS.get(" ".join(context.args or []).strip().lower())
    if action is not None:
        await action(update, context)
        return
    wanted = parsing.switch(context.args or [])
    user = await current_user(update, context)
    if wanted is None:
        await send(update, views.digest_status(user.digest_opt_in) + await _digest_time(context, user) + "\nChange it: /digest on · /digest off", keyboards.digest(current=user.digest_opt_in))
        return
    user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(digest_opt_in=wanted))
    await send(update, views.digest_status(user.digest_opt_in) + await _digest_time(context, user))


async def _digest_time(context: NavContext, user: User) -> str:
    """For subscribers: when the next digest comes, in their timezone, and how to change that."""
    if not user.digest_opt_in:
        return ""
    when = await next_digest(context.navigator, user, context.settings.digest_schedule)
    return f"\n{views.digest_arrival(user, context.navigator.clock.now(), when)}\nNot your timezone? /timezone"


async def choose(update: Update, context: NavContext) -> tuple[User, bool]:
    """Saves a tapped role/level/location/digest choice on the pressed message; returns (user, skipped)."""
    query = update.callback_query
    await query.answer()
    _, field, value = query.data.split(":", 2)
    user = await current_user(update, context)
    skipped = value == keyboards.SKIP
    if not skipped:
        user = await context.navigator.accounts.update_profile(user.id, CHOICES[field](value))
    shown = "skipped" if skipped else value if field != "role" else ", ".join(user.target_roles)
    await edit(query, f"{LABELS[field]}: {render.bold(shown)}")
    return user, skipped


async def set_choice(update: Update, context: NavContext) -> None:
    """Saves a choice tapped outside onboarding."""
    await choose(update, context)


async def add_suggested_skill(update: Update, context: NavContext) -> None:
    """Adds the skill on a "did you mean" button."""
    query = update.callback_query
    await query.answer()
    user = await current_user(update, context)
    change = await context.navigator.accounts.add_skills(user.id, [query.data.removeprefix("skill:add:")])
    await edit(query, views.skill_change(change, "added"))


async def profile_button(update: Update, context: NavContext) -> None:
    """Handles the role, level, timezone and digest buttons under /profile."""
    query = update.callback_query
    await query.answer()
    field = query.data.removeprefix("edit:")
    if field == "role":
        await send(update, views.STEP_PROMPTS["role"], keyboards.roles(context.navigator.roles))
    elif field == "level":
        await send(update, views.STEP_PROMPTS["level"], keyboards.levels())
    elif field == "timezone":
        await send(update, await _timezone_view(context, await current_user(update, context), changed=False))
    else:
        user = await current_user(update, context)
        user = await context.navigator.accounts.update_profile(user.id, ProfileUpdate(digest_opt_in=not user.digest_opt_in))
        await edit(query, views.profile(user, context.navigator.clock.now()), keyboards.profile(user))
