"""`career-nav bot`: the Telegram bot as its own process (polling, or a webhook when TELEGRAM_WEBHOOK_URL is set)."""

from __future__ import annotations

import argparse

from cli.app import CliError, run
from core.lifecycle import stop_on_signals
from core.settings import Settings

NO_TOKEN = "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token (see docs/bot.md)"



async def bot(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        raise CliError(NO_TOKEN)
    from bot import build_application, run_application  # telegram and matplotlib load only for this command

    mode = "webhook" if settings.telegram_webhook_url else "polling"
    print(f"Career Navigator bot starting ({mode}). Ctrl+C stops.", flush=True)
    await run_application(build_application(settings), settings, stop_on_signals())
    print("Bot stopped.", flush=True)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bot", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    p.set_defaults(handler=lambda args: run(bot, args))
