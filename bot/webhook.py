"""Receiving updates by webhook: a small ASGI endpoint (starlette + uvicorn) that checks Telegram's secret
header and hands updates to the Application's queue — the same queue polling fills.

Telegram is told the public TELEGRAM_WEBHOOK_URL (usually a reverse proxy with TLS); the receiver listens on
TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT at the URL's path. Without TELEGRAM_WEBHOOK_SECRET a random
secret is chosen per start, so only Telegram (told it by setWebhook) can post updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import secrets
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from core.errors import ConfigError
from core.settings import Settings

log = logging.getLogger("career_nav.bot")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_BODY = 1_000_000


class WebhookReceiver:
    """The webhook endpoint; `start` serves it and registers it with Telegram, `stop` shuts it down."""

    def __init__(self, application: Application, secret: str) -> None:  # type: ignore[type-arg]
        self._application = application
        self._secret = secret.encode()
        self._server: Any = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, application: Application, settings: Settings) -> WebhookReceiver:  # type: ignore[type-arg]
        receiver = cls(application, webhook_secret(settings))
        url = settings.telegram_webhook_url or ""
        receiver._serve(urlsplit(url).path or "/", settings.telegram_webhook_listen, settings.telegram_webhook_port)
        await application.bot.set_webhook(url, secret_token=receiver._secret.decode(), allowed_updates=Update.ALL_TYPES)
        log.info("webhook registered; listening on %s:%d", settings.telegram_webhook_listen, settings.telegram_webhook_port)
        return receiver

    def _serve(self, path: str, host: str, port: int) -> None:
        uvicorn, starlette_app, route, server_class = _server_libraries()
        sock = _listening_socket(host, port)
        web = starlette_app(routes=[route(path, self.receive, methods=["POST"])])
        self._server = server_class(uvicorn.Config(web, log_config=None, log_level="warning", lifespan="off", access_log=False))
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))

    async def receive(self, request: Any) -> Any:
        """Queues one update posted by Telegram; 403 without the secret, 400 for a body that is no update."""
        from starlette.responses import Response

        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), self._secret):
            log.warning("webhook call without the right secret token refused")
            return Response(status_code=403)
        body = await request.body()
        try:
            update = Update.de_json(json.loads(body), self._application.bot) if len(body) <= MAX_BODY else None
        except (ValueError, KeyError, TypeError):
            update = None
        if update is None:
            return Response(status_code=400)
        await self._application.update_queue.put(update)
        return Response()

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def webhook_secret(settings: Settings) -> str:
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else secrets.token_urlsafe(32)
    if not SECRET_PATTERN.fullmatch(secret):
        message = "TELEGRAM_WEBHOOK_SECRET: use 1-256 characters of A-Z, a-z, 0-9, _ and -."
        raise ConfigError(message)
    return secret


def _server_libraries() -> tuple[Any, Any, Any, type]:
    try:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.routing import Route
    except ImportError as exc:
        message = "Webhook mode needs uvicorn and starlette (pip install uvicorn starlette); or unset TELEGRAM_WEBHOOK_URL to poll."
        raise ConfigError(message) from exc

    class EmbeddedServer(uvicorn.Server):
        """A uvicorn server that leaves signal handling to the process it runs in."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return uvicorn, Starlette, Route, EmbeddedServer


def _listening_socket(host: str, port: int) -> socket.socket:
    """Binds before Telegram is told the URL: a busy port is a clear error, and early calls queue up."""
    # IPPROTO_TCP explicitly, or asyncio skips TCP_NODELAY on accepted connections (Nagle adds ~40 ms).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        message = f"Cannot listen for the webhook on {host}:{port} ({exc.strerror}); set TELEGRAM_WEBHOOK_LISTEN / TELEGRAM_WEBHOOK_PORT."
        raise ConfigError(message) from None
    sock.listen(128)
    return sock
