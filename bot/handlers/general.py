"""/help and the catch-alls: unknown commands, free text, the page counter and expired buttons."""

from __future__ import annotations

from telegram import Update

from bot import render, views
from bot.context import NavContext
from bot.replies import send


async def help_command(update: Update, context: NavContext) -> None:
    """Lists every command with its usage."""
    await send(update, views.help_text())


async def unknown_command(update: Update, context: NavContext) -> None:
    """Answers a command the bot does not have."""
    name = (update.effective_message.text or "/").split()[0]
    await send(update, f"🤔 I don't know {render.esc(render.clip(name, 40))}. /help lists what I can do.")


async def nothing_to_cancel(update: Update, context: NavContext) -> None:
    """Answers /cancel outside onboarding."""
    await send(update, "Nothing to cancel. /help lists what I can do.")


async def noop(update: Update, context: NavContext) -> None:
    """Acknowledges a tap on the page counter."""
    await update.callback_query.answer()


async def stale_button(update: Update, context: NavContext) -> None:
    """Answers a button this bot no longer knows (e.g. from before a restart)."""
    await update.callback_query.answer("This button has expired — send the command again.", show_alert=True)
