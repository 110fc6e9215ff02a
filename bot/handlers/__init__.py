"""Handler registration: the onboarding conversation first, then commands, buttons and catch-alls."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.handlers import account, assistant, chat, general, learning, market, onboarding, profile

COMMAND_HANDLERS = {
    "help": general.help_command,
    "profile": profile.profile,
    "skills": profile.skills,
    "role": profile.role,
    "level": profile.level,
    "location": profile.location,
    "timezone": profile.timezone,
    "trending": market.trending,
    "gap": market.gap,
    "roadmap": learning.roadmap,
    "projects": learning.projects,
    "resources": learning.resources,
    "link": account.link,
    "token": account.token,
    "digest": profile.digest,
    "delete": account.delete,
    "cancel": general.nothing_to_cancel,
}

BUTTON_HANDLERS = {
    r"^set:(role|level|loc|digest):": profile.set_choice,
    r"^skill:add:": profile.add_suggested_skill,
    r"^tz:": profile.set_suggested_timezone,
    r"^edit:(role|level|timezone|digest)$": profile.profile_button,
    r"^rm:[\w-]+:\d+$": learning.roadmap_page,
    r"^pj:[\w*]+:\d+$": learning.projects_page,
    r"^link:(new|confirm|cancel)$": account.link_button,
    r"^del:(yes|no)$": account.delete_button,
    r"^noop$": general.noop,
    chat.CLARIFY_PATTERN: chat.clarify_button,
    r"^pu:(yes|no)$": chat.profile_button,
    r"^ai:(yes|no)$": assistant.confirm_button,
}


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Adds every handler in matching order."""
    application.add_handler(onboarding.conversation())
    for name, callback in COMMAND_HANDLERS.items():
        application.add_handler(CommandHandler(name, callback))
    for pattern, callback in BUTTON_HANDLERS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(general.stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, general.unknown_command))
    # Last: free text and forwarded posts (never an answer inside onboarding, which the conversation takes first).
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, chat.free_text))
