"""The Telegram notifier: sends digests through the Bot API over httpx, within Telegram's limits. It never
polls: the bot process owns getUpdates, and this class only calls sendMessage and sendPhoto.

    async with TelegramNotifier.from_settings(settings) as notifier:     # one per delivery run
        message_id = await notifier.send(chat_id, OutgoingDigest(html), attempts)

Why httpx and not python-telegram-bot's `Bot`: exactly-once delivery must tell a request that never left
(connect errors, pool and write timeouts: safe to retry) from one that left and got no answer (read timeouts,
dropped connections: maybe delivered, never resent). PTB folds both into TimedOut/NetworkError. Two methods
need no Application, no getMe and no update machinery, and the token stays inside one URL built here and
never logged (error texts are redacted too). A fresh client per run means no stale keep-alive connection
turns the first send of a run into an "uncertain" one.

Limits (TelegramPacer): at most 30 messages in any second overall, 1 per second per chat, and after a 429
every send waits the `retry_after` Telegram asked for. 5xx answers and connection failures are retried with
exponential backoff and jitter; 403 (blocked, deactivated) and 400 "chat not found" raise RecipientGone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx

from core.digest_delivery import (
    DeliveryFailed,
    DeliveryRefused,
    DeliveryUncertain,
    NotifierBroken,
    OutgoingDigest,
    RecipientGone,
    SendAttempts,
)
from core.errors import ConfigError
from core.ingest.ratelimit import RateLimiter
from core.settings import Settings

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
OVERALL_PER_SECOND = 30
PER_CHAT_SECONDS = 1.0
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout, httpx.WriteError)
GONE_MARKERS = ("chat not found", "user not found", "peer_id_invalid", "chat_id is empty", "bot was kicked")
Sleep = Callable[[float], Awaitable[None]]


def bot_token(settings: Settings) -> str:
    """The configured bot token ("" when unset or blank)."""
    return settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""


class RedactToken(logging.Filter):
    """Replaces the bot token in log records (httpx logs every request URL, and Bot API URLs contain the token)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<redacted>"), None
        return True


class TelegramPacer:
    """Telegram's limits on the sending side: overall rate, per-chat spacing, and a global pause after a 429."""

    def __init__(self, overall_per_second: int = OVERALL_PER_SECOND, per_chat_seconds: float = PER_CHAT_SECONDS, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self._overall = RateLimiter([(overall_per_second, 1.0)], clock=clock, sleep=sleep)
        self._per_chat = per_chat_seconds
        self._clock, self._sleep = clock, sleep
        self._chat_ready: dict[int, float] = {}
        self._paused_until = 0.0

    async def acquire(self, chat_id: int) -> None:
        """Returns when one more message to `chat_id` is within every limit."""
        now = self._clock()
        ready = max(self._chat_ready.get(chat_id, 0.0), now)
        self._chat_ready[chat_id] = ready + self._per_chat  # reserved before waiting: a chat's sends queue up
        if ready > now:
            await self._sleep(ready - now)
        await self._overall.acquire()
        while (wait := self._paused_until - self._clock()) > 0:
            await self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Holds every send for `seconds` (Telegram's flood control applies to the bot as a whole)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


class VirtualTime:
    """A clock that moves only when slept on: estimates and tests run the real pacer without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


async def estimate_send_seconds(chat_ids: list[int], overall_per_second: int = OVERALL_PER_SECOND, per_chat_seconds: float = PER_CHAT_SECONDS) -> float:
    """How long Telegram's limits alone make sending one message to each chat take (network time excluded)."""
    virtual = VirtualTime()
    pacer = TelegramPacer(overall_per_second, per_chat_seconds, clock=virtual.monotonic, sleep=virtual.sleep)
    for chat_id in chat_ids:
        await pacer.acquire(chat_id)
    return virtual.now


class _Retry(Exception):
    """Internal: the request certainly did not deliver; try again after `delay` seconds (None: backoff)."""

    def __init__(self, reason: str, delay: float | None = None, *, flood: bool = False) -> None:
        super().__init__(reason)
        self.delay, self.flood = delay, flood


class TelegramNotifier:
    """Sends one message per call with retries; raises core.digest_delivery errors."""

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, *, pacer: TelegramPacer | None = None, sleep: Sleep = asyncio.sleep,
                 max_retries: int = 4, backoff: float = 1.0, max_backoff: float = 30.0, max_flood_retries: int = 5,
                 max_flood_wait: float = 300.0, timeout: float = 20.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not token:
            message = "TELEGRAM_BOT_TOKEN is not set: the digest cannot be sent."
            raise ConfigError(message)
        self._token = token
        self._url = f"{base_url.rstrip('/')}{token}/"
        self._pacer = pacer or TelegramPacer(sleep=sleep)
        self._sleep = sleep
        self._max_retries, self._backoff, self._max_backoff = max_retries, backoff, max_backoff
        self._max_flood_retries, self._max_flood_wait = max_flood_retries, max_flood_wait
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), transport=transport)
        self._redact_logs = RedactToken(token)
        logging.getLogger("httpx").addFilter(self._redact_logs)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> TelegramNotifier:
        return cls(bot_token(settings), settings.telegram_api_base_url or DEFAULT_BASE_URL, **options)

    async def aclose(self) -> None:
        await self._client.aclose()
        logging.getLogger("httpx").removeFilter(self._redact_logs)

    async def __aenter__(self) -> TelegramNotifier:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        await self.aclose()

    async def send(self, chat_id: int, message: OutgoingDigest, attempts: SendAttempts) -> int | None:
        """Delivers `message` to `chat_id` (a photo with caption when it has a chart); returns the message id."""
        failures = floods = 0
        while True:
            await self._pacer.acquire(chat_id)
            await attempts.before_send()
            try:
                return await self._attempt(chat_id, message)
            except _Retry as retry:
                await attempts.not_sent()
                failures, floods = failures + (not retry.flood), floods + retry.flood
                await self._sleep(self._delay(retry, failures, floods))

    def _delay(self, retry: _Retry, failures: int, floods: int) -> float:
        if retry.flood:
            if floods > self._max_flood_retries or (retry.delay or 0) > self._max_flood_wait:
                raise DeliveryFailed(f"flood control: {retry} (gave up after {floods} wait(s))")
            self._pacer.pause(retry.delay or 1.0)
            return retry.delay or 1.0
        if failures > self._max_retries:
            raise DeliveryFailed(f"{retry} (gave up after {failures} attempts)")
        return min(self._max_backoff, self._backoff * 2 ** (failures - 1)) * (0.5 + random.random() / 2)  # noqa: S311

    async def _attempt(self, chat_id: int, message: OutgoingDigest) -> int | None:
        method, data, files = _request(chat_id, message)
        try:
            response = await self._client.post(self._url + method, data=data, files=files)
        except NOT_SENT_ERRORS as exc:
            raise _Retry(f"Bot API unreachable: {self._redact(exc)}") from None
        except httpx.HTTPError as exc:
            message_text = f"no answer from the Bot API after the request left ({self._redact(exc)})"
            raise DeliveryUncertain(message_text) from None
        return _read(response)

    def _redact(self, error: BaseException) -> str:
        return f"{type(error).__name__}: {error}".replace(self._token, "<redacted>")


def _request(chat_id: int, message: OutgoingDigest) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    if message.chart is not None:
        data = {"chat_id": str(chat_id), "caption": message.text, "parse_mode": "HTML"}
        return "sendPhoto", data, {"photo": ("digest.png", message.chart, "image/png")}
    data = {"chat_id": str(chat_id), "text": message.text, "parse_mode": "HTML", "link_preview_options": json.dumps({"is_disabled": True})}
    return "sendMessage", data, None


def _read(response: httpx.Response) -> int | None:
    """The message id of a successful answer; otherwise the right exception for Telegram's refusal."""
    body = _json(response)
    if response.status_code == 200 and body.get("ok"):
        return (body.get("result") or {}).get("message_id")
    description = str(body.get("description") or f"HTTP {response.status_code}")
    status = response.status_code
    if status == 200:
        raise DeliveryUncertain(f"unreadable answer to a delivered request ({description})")
    if status == 429:
        retry_after = (body.get("parameters") or {}).get("retry_after")
        raise _Retry(description, float(retry_after) if retry_after is not None else None, flood=True)
    if status >= 500:
        raise _Retry(f"Bot API error: {description}")
    if status == 403 or (status == 400 and any(marker in description.lower() for marker in GONE_MARKERS)):
        raise RecipientGone(description)
    if status in (401, 404):
        raise NotifierBroken(f"the Bot API refused the bot token ({description}); check TELEGRAM_BOT_TOKEN")
    raise DeliveryRefused(description)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
