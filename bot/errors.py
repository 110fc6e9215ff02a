"""The one error handler: domain errors become a friendly reply (plus usage for a malformed command);
anything else is logged with its traceback and the user gets a short apology."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import render as r
from bot.commands import usage
from bot.replies import send
from bot.context import NavContext
from core.errors import DomainError, InvalidInput, Throttled

log = logging.getLogger("career_nav.bot")
APOLOGY = "😕 Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: NavContext) -> None:
    """Explains domain errors to the user; logs everything else and apologises."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("cannot message this chat (blocked or left): %s", error.message)
        return
    if isinstance(error, DomainError):
        log.info("domain error shown to the user: %s: %s", type(error).__name__, error)
        await _reply(update, context, explain(error, update))
        return
    log.error("unhandled error while handling an update", exc_info=error)
    await _reply(update, context, APOLOGY)


def explain(error: DomainError, update: object) -> str:
    """The error's own message, plus the command's usage when the input was malformed."""
    text = f"⚠️ {r.esc(error)}"
    if isinstance(error, Throttled):
        text += f"\nPlease wait about {max(1, round(error.retry_after / 60))} minute(s) and try again."
    command = _command(update)
    hint = usage(command) if command and isinstance(error, InvalidInput) else None
    return f"{text}\n\n{r.esc(hint)}" if hint else text


def _command(update: object) -> str | None:
    message = update.effective_message if isinstance(update, Update) else None
    text = message.text if message and message.text else ""
    if not text.startswith("/"):
        return None
    return text.split()[0][1:].split("@")[0].lower()


async def _reply(update: object, context: NavContext, text: str) -> None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query:
        with contextlib.suppress(BadRequest):  # already answered by the handler
            await update.callback_query.answer()
    try:
        await send(update, text)
    except TelegramError as exc:
        log.warning("could not send the error reply: %s", exc)
