"""Telegram adapter (python-telegram-bot 22): parse a command → one Navigator call → render.

Public API: `build_application(settings, navigator=None)`, `run_application(app, settings, stop)` and
`run_bot(navigator, settings, stop)` (all in bot.app).
"""

from bot.app import build_application, run_application, run_bot

__all__ = ["build_application", "run_application", "run_bot"]
