"""The callback context every handler gets: the Navigator and settings live in `bot_data` (set in post_init)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from core.models import User
from core.service import Navigator
from core.settings import Settings

NAVIGATOR, SETTINGS = "navigator", "settings"


class NavContext(CallbackContext[ExtBot, dict[str, Any], dict[str, Any], dict[str, Any]]):
    """CallbackContext with typed access to the Navigator and the settings."""

    @property
    def navigator(self) -> Navigator:
        return self.bot_data[NAVIGATOR]

    @property
    def settings(self) -> Settings:
        return self.bot_data[SETTINGS]


NavApplication = Application[ExtBot, NavContext, dict[str, Any], dict[str, Any], dict[str, Any], Any]


async def current_user(update: Update, context: NavContext) -> User:
    """The Career Navigator account of the person behind this update (created on first contact)."""
    person = update.effective_user
    if person is None:  # channel posts and the like: nothing of ours to act on
        message = "This only works in a chat with a person."
        raise LookupError(message)
    return await context.navigator.accounts.get_or_create_telegram_user(person.id, person.full_name, person.username)
