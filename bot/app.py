"""The Telegram bot application: the factory, its lifecycle and running it inside an existing event loop.

    build_application(settings, navigator=None)   the configured Application (handlers, error handler,
                                                  AIORateLimiter, HTML defaults, TELEGRAM_API_BASE_URL)
    run_application(app, settings, stop)          initialise → post_init → receive updates until `stop`
    run_bot(navigator, settings, stop)            the two above, for a caller that owns the Navigator

The Navigator lives in `bot_data`: given to the factory, it belongs to the caller; otherwise post_init opens
one with core.bootstrap.open_navigator and post_shutdown closes it. Updates arrive by long polling, or via a
webhook when TELEGRAM_WEBHOOK_URL is set (bot.webhook).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot.commands import COMMANDS
from bot.context import NAVIGATOR, SETTINGS, NavApplication, NavContext
from bot.errors import on_error
from bot.handlers import register
from bot.webhook import WebhookReceiver
from core.bootstrap import open_navigator
from core.errors import ConfigError
from core.service import Navigator
from core.settings import Settings

log = logging.getLogger("career_nav.bot")
OWNS_NAVIGATOR = "owns_navigator"
RETRY_AFTER_RETRIES = 3
POLL_TIMEOUT = 10
MAX_START_DELAY = 60


def build_application(settings: Settings, navigator: Navigator | None = None) -> NavApplication:
    """The bot, configured from settings; handlers and the error handler registered."""
    token = bot_token(settings)
    protect_logs(token)  # before the Bot exists: it logs its API URL (token included) at DEBUG
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=NavContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(AIORateLimiter(max_retries=RETRY_AFTER_RETRIES))
        .job_queue(None)  # scheduling belongs to the scheduler process
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url).base_file_url(file_url(settings.telegram_api_base_url))
    application = builder.build()
    application.bot_data[SETTINGS] = settings
    if navigator is not None:
        application.bot_data[NAVIGATOR] = navigator
    register(application)
    application.add_error_handler(on_error)
    return application


def bot_token(settings: Settings) -> str:
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        message = "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in the environment."
        raise ConfigError(message)
    return token


def file_url(base_url: str) -> str:
    """The Bot API file URL for a base URL: ".../bot" becomes ".../file/bot"."""
    head, separator, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if separator else base_url.rstrip("/") + "/file/bot"


async def _post_init(application: NavApplication) -> None:
    if NAVIGATOR not in application.bot_data:
        application.bot_data[NAVIGATOR] = await open_navigator(application.bot_data[SETTINGS])
        application.bot_data[OWNS_NAVIGATOR] = True
    await application.bot.set_my_commands([BotCommand(command.name, command.description) for command in COMMANDS])


async def _post_shutdown(application: NavApplication) -> None:
    if application.bot_data.pop(OWNS_NAVIGATOR, False):
        await application.bot_data.pop(NAVIGATOR).close()


async def run_bot(navigator: Navigator, settings: Settings, stop: asyncio.Event) -> None:
    """Runs the bot with the caller's Navigator in the running loop until `stop` is set."""
    await run_application(build_application(settings, navigator), settings, stop)


async def run_application(application: NavApplication, settings: Settings, stop: asyncio.Event) -> None:
    """Initialises, runs post_init, receives updates (polling or webhook) until `stop`, then shuts down."""
    if not await _initialize(application, stop):
        return
    receiver: WebhookReceiver | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if settings.telegram_webhook_url:
            receiver = await WebhookReceiver.start(application, settings)
        else:
            await application.updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES, error_callback=_polling_error)
        log.info("bot @%s is running (%s)", application.bot.username, "webhook" if receiver else "polling")
        await stop.wait()
    finally:
        await _shutdown(application, receiver)


async def _initialize(application: NavApplication, stop: asyncio.Event) -> bool:
    """application.initialize() (getMe), retried with backoff while the Bot API is unreachable."""
    delay = 1.0
    while not stop.is_set():
        try:
            await application.initialize()
            return True
        except InvalidToken:
            message = "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
            raise ConfigError(message) from None
        except NetworkError as exc:
            log.warning("Telegram Bot API unreachable (%s); retrying in %.0f s", exc.message, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, MAX_START_DELAY)
    return False


async def _shutdown(application: NavApplication, receiver: WebhookReceiver | None) -> None:
    if receiver is not None:
        await receiver.stop()
    if application.updater and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


def _polling_error(error: TelegramError) -> None:
    log.warning("polling Telegram failed (will retry): %s", error.message)


class RedactSecrets(logging.Filter):
    """Replaces secrets in log messages and tracebacks (Bot API URLs contain the bot token)."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "<redacted>")
            record.exc_text = record.exc_text.replace(secret, "<redacted>") if record.exc_text else record.exc_text
        record.msg, record.args = message, None
        return True


def protect_logs(token: str) -> None:
    """Redacts the token on every root log handler, and keeps PTB's DEBUG dumps of requests and updates out of
    the log: they carry what people write (link codes) and what the bot sends (MCP tokens)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) and token in f.secrets for f in handler.filters):
            handler.addFilter(RedactSecrets(token))
    for name in ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Application", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO if name.startswith("telegram") else logging.WARNING))
