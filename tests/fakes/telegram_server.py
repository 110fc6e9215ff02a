"""A real HTTP fake of the Telegram Bot API: starlette + uvicorn on 127.0.0.1 in a background thread.

The bot talks to it exactly as to api.telegram.org (`TELEGRAM_API_BASE_URL=fake.base_url`): form or multipart
bodies, `{"ok": ..., "result": ...}` envelopes, Telegram's error texts. It validates what real Telegram
validates and a broken bot would get wrong — HTML entities and tags, the 4,096/1,024-character limits after
entity parsing, callback data of 1-64 bytes, answering a callback query once, editing an unchanged message —
and records every call. Faults (403 blocked, 429 with `retry_after`, any status) are queued per method.

A test plays the user: it injects messages and button presses and waits — bounded, on a condition, never a
sleep — for what the bot sends back:

    with FakeTelegram() as fake:                      # or `async with`
        chat = fake.chat(fake.user(first_name="Ada"))
        [reply] = await chat.send("/help")
        edited = await chat.tap(reply, "Next")
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FAKE_BOT_TOKEN = "123456789:AAFakeTokenForTests-0123456789abcdefXYZ"
T = TypeVar("T")

# Bot API parameters that are strings even when they look like JSON ("123", "true").
STRING_PARAMS = frozenset({"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "language_code", "inline_message_id"})
ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler", "blockquote", "tg-emoji"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_TEXT, MAX_CAPTION = 4096, 1024


class BotApiError(Exception):
    """A Bot API refusal: Telegram's status code and description."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


def html_to_text(markup: str) -> str:
    """What the user sees for an HTML-parse-mode text; raises BotApiError as Telegram does for bad markup."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(markup):
        char = markup[i]
        if char == "<":
            i = _tag(markup, i, stack)
        elif char == "&":
            match = _ENTITY.match(markup, i)
            if not match:
                raise BotApiError(400, f"Bad Request: can't parse entities: Character '&' is reserved and must be escaped at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise BotApiError(400, f"Bad Request: can't parse entities: Character '>' is reserved and must be escaped at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise BotApiError(400, f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


def _tag(markup: str, at: int, stack: list[str]) -> int:
    match = _TAG.match(markup, at)
    name = match.group(2).lower() if match else ""
    if not match or name not in ALLOWED_TAGS:
        raise BotApiError(400, f"Bad Request: can't parse entities: Unsupported start tag \"{name or markup[at + 1 : at + 8]}\" at byte offset {at}")
    if match.group(1):
        if not stack or stack[-1] != name:
            raise BotApiError(400, f"Bad Request: can't parse entities: Unmatched end tag at byte offset {at}, expected \"</{stack[-1] if stack else ''}>\", found \"</{name}>\"")
        stack.pop()
    else:
        attrs = {m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTR.finditer(match.group(3))}
        if name == "a" and not re.match(r"(https?|tg)://", attrs.get("href", "")):
            raise BotApiError(400, f"Bad Request: can't parse entities: Wrong HTTP URL at byte offset {at}")
        stack.append(name)
    return match.end()


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- the people and what they see --------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": "en"}
        data |= {"last_name": self.last_name} if self.last_name else {}
        data |= {"username": self.username} if self.username else {}
        return data

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name, **({"username": self.username} if self.username else {})}


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class BotMessage:
    """A message the bot sent, as the user sees it now (edits update it in place; `version` counts them)."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "photo"
    html: str = ""
    text: str = ""
    photo: bytes | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    markup: dict[str, Any] | None = None
    version: int = 0

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    def button(self, label: str) -> Button:
        """The button whose label contains `label` (case-insensitive), or whose callback data equals it."""
        for candidate in self.flat_buttons:
            if label.lower() in candidate.text.lower() or candidate.callback_data == label:
                return candidate
        message = f"no button {label!r} on message {self.message_id}; buttons: {[b.text for b in self.flat_buttons]}"
        raise AssertionError(message)

    def as_dict(self, bot: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id, "date": int(time.time()), "chat": chat, "from": bot}
        if self.kind == "photo":
            data["photo"] = [{"file_id": f"photo-{self.message_id}", "file_unique_id": f"u{self.message_id}", "width": 800, "height": 600}]
            data |= {"caption": self.text} if self.text else {}
        else:
            data["text"] = self.text
        data |= {"reply_markup": self.markup} if self.markup else {}
        return data


@dataclass
class Call:
    """One Bot API request as the fake saw it."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float
    status: int = 200
    description: str = ""


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class CallHook:
    """An action to run once, after `count` successful calls of `methods`."""

    methods: frozenset[str]
    count: int
    action: Callable[[Call], None]
    seen: int = 0

    def tick(self) -> bool:
        self.seen += 1
        return self.seen == self.count


# --- the server -------------------------------------------------------------------------------------------


class FakeTelegram:
    """The fake Bot API and its inspectable state."""

    def __init__(self, token: str = FAKE_BOT_TOKEN, *, username: str = "career_nav_test_bot") -> None:
        self.token = token
        self.bot = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Career Navigator", "username": username,
                    "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.base_url = ""
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._closing = False
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._user_ids = itertools.count(10_001)
        self._query_ids = itertools.count(1)
        self.reset()

    def reset(self) -> None:
        """Forgets calls, updates, messages and faults (the bot keeps running)."""
        with self._cond:
            self._generation = getattr(self, "_generation", 0) + 1  # long polls from before a reset return empty
            self.calls: list[Call] = []
            self.updates: list[dict[str, Any]] = []
            self.messages: dict[int, list[BotMessage]] = defaultdict(list)
            self.answers: dict[str, Call] = {}
            self.commands: list[dict[str, Any]] = []
            self.webhook: dict[str, Any] = {}
            self._faults: dict[str, deque[Fault]] = defaultdict(deque)
            self._hooks: list[CallHook] = []
            self._slow: dict[str, deque[float]] = defaultdict(deque)
            self._pending_queries: set[str] = set()
            self._next_update_id = 1
            self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
            self.confirmed_offset = 0
            self.polls_started = 0

    # --- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> None:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and without it
        # Nagle + delayed ACKs add ~40 ms to every response.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/bot"
        routes = [Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        config = uvicorn.Config(Starlette(routes=routes), lifespan="off", log_config=None, log_level="warning", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name="fake-telegram")
        self._thread.start()
        self.wait_for(lambda: self._server.started or not self._thread.is_alive(), timeout=10, what="the fake Bot API to start")
        if not self._server.started:
            raise RuntimeError("fake Telegram server did not start")

    def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    @property
    def file_base_url(self) -> str:
        return self.base_url.removesuffix("/bot") + "/file/bot"

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeTelegram:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    # --- test controls ------------------------------------------------------------------------------------

    def user(self, first_name: str = "Ada", *, last_name: str | None = None, username: str | None = None, id: int | None = None) -> TelegramUser:  # noqa: A002
        return TelegramUser(id or next(self._user_ids), first_name, last_name, username)

    def chat(self, user: TelegramUser) -> FakeChat:
        return FakeChat(self, user)

    def fail_next(self, method: str, status: int, *, retry_after: int | None = None, description: str | None = None, times: int = 1) -> None:
        """Answers the next `times` calls of `method` with an error (403 = blocked, 429 = flood control)."""
        defaults = {403: "Forbidden: bot was blocked by the user", 429: f"Too Many Requests: retry after {retry_after}"}
        fault = Fault(status, description or defaults.get(status, "Internal Server Error"), retry_after)
        with self._cond:
            self._faults[method].extend([fault] * times)

    def after_calls(self, methods: tuple[str, ...], count: int, action: Callable[[Call], None]) -> None:
        """Runs `action(call)` in the server thread right after the `count`-th successful call of any of `methods`
        is recorded and before it is answered (e.g. to stop or kill the client mid-run)."""
        with self._cond:
            self._hooks.append(CallHook(frozenset(methods), count, action))

    def answer_slowly(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Processes the next `times` calls of `method` normally but answers only after `seconds` (client timeouts)."""
        with self._cond:
            self._slow[method].extend([seconds] * times)

    def message_update(self, user: TelegramUser, text: str) -> dict[str, Any]:
        """A private-chat message update from `user` (not queued; see `inject`)."""
        with self._cond:
            message: dict[str, Any] = {"message_id": next(self._message_ids[user.id]), "date": int(time.time()), "chat": user.chat(), "from": user.as_dict(), "text": text}
            command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
            if command:
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]
            return self._new_update(message=message)

    def callback_update(self, user: TelegramUser, message: BotMessage, data: str) -> dict[str, Any]:
        """A button press on one of the bot's messages (not queued; see `inject`)."""
        with self._cond:
            query_id = f"q{next(self._query_ids)}"
            self._pending_queries.add(query_id)
            query = {"id": query_id, "from": user.as_dict(), "chat_instance": f"ci{user.id}", "data": data, "message": message.as_dict(self.bot, user.chat())}
            return self._new_update(callback_query=query)

    def _new_update(self, **content: Any) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, **content}
        self._next_update_id += 1
        return update

    def inject(self, update: dict[str, Any]) -> None:
        """Queues an update for getUpdates and wakes a long poll waiting for one."""
        with self._cond:
            self.updates.append(update)
        self._wake_pollers()

    def sent(self, chat_id: int) -> list[BotMessage]:
        with self._cond:
            return list(self.messages[chat_id])

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, condition: Callable[[], T], *, timeout: float = 15, what: str = "a condition") -> T:
        """Blocks until `condition()` is truthy (re-checked on every recorded call, and at least every 50 ms for
        state outside the fake); AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (result := condition()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    calls = [(c.method, c.status, c.params.get("offset")) for c in self.calls[-8:]]
                    message = f"timed out after {timeout:g} s waiting for {what}; last calls: {calls}; queued updates: {[u['update_id'] for u in self.updates]}"
                    raise AssertionError(message)
                self._cond.wait(min(remaining, 0.05))
            return result

    async def until(self, condition: Callable[[], T], *, timeout: float = 15, what: str = "a condition") -> T:
        """`wait_for` for async tests: waits in a worker thread so the event loop (and an in-process bot) runs."""
        return await asyncio.to_thread(self.wait_for, condition, timeout=timeout, what=what)

    # --- HTTP ---------------------------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files, time.monotonic())
        try:
            if request.path_params["token"] != self.token:
                raise BotApiError(401, "Unauthorized")
            self._raise_fault(method)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise BotApiError(404, "Not Found: method not found")
            result = await handler(params, files) if method == "getUpdates" else handler(params, files)
        except BotApiError as error:
            call.status, call.description = error.status, error.description
            self._record(call)
            body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
            body |= {"parameters": {"retry_after": error.retry_after}} if error.retry_after is not None else {}
            return JSONResponse(body, status_code=error.status)
        self._record(call)
        self._run_hooks(call)
        await self._answer_later(method)
        return JSONResponse({"ok": True, "result": result})

    def _run_hooks(self, call: Call) -> None:
        with self._cond:
            due = [hook for hook in self._hooks if call.method in hook.methods and hook.tick()]
        for hook in due:
            hook.action(call)

    async def _answer_later(self, method: str) -> None:
        with self._cond:
            delay = self._slow[method].popleft() if self._slow[method] else 0.0
        if delay:
            await asyncio.sleep(delay)

    def _raise_fault(self, method: str) -> None:
        with self._cond:
            fault = self._faults[method].popleft() if self._faults[method] else None
        if fault:
            raise BotApiError(fault.status, fault.description, fault.retry_after)

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._set_wakeup)

    def _set_wakeup(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()
        self._wakeup = asyncio.Event()

    # --- Bot API methods ----------------------------------------------------------------------------------

    def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        return self.bot

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        self._loop = asyncio.get_running_loop()
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        with self._cond:  # a long poll is recorded when it returns; this tells a test polling has begun
            self.polls_started += 1
            self._cond.notify_all()
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._cond:  # the offset confirms earlier updates when the call arrives, as on Telegram
            generation = self._generation
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self.updates = [u for u in self.updates if u["update_id"] >= self.confirmed_offset]
        while True:
            wakeup = self._wakeup
            with self._cond:
                pending = [u for u in self.updates if u["update_id"] >= offset][:limit]
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0 or self._closing or generation != self._generation:
                return pending if generation == self._generation else []
            try:
                await asyncio.wait_for(wakeup.wait(), remaining)
            except TimeoutError:
                pass

    def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat_id(params)
        text = self._visible(params.get("text"), params.get("parse_mode"), MAX_TEXT, "message is too long")
        message = BotMessage(chat, 0, "text", html=params["text"], text=text)
        return self._store(message, params.get("reply_markup"))

    def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat_id(params)
        photo = files.get("photo")
        if not photo or not (photo.startswith(b"\x89PNG\r\n\x1a\n") or photo.startswith(b"\xff\xd8")):
            raise BotApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption = params.get("caption") or ""
        text = self._visible(caption, params.get("parse_mode"), MAX_CAPTION, "message caption is too long") if caption else ""
        message = BotMessage(chat, 0, "photo", html=caption, text=text, photo=photo)
        return self._store(message, params.get("reply_markup"))

    def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        message = self._existing(params)
        if message.kind != "text":
            raise BotApiError(400, "Bad Request: there is no text in the message to edit")
        text = self._visible(params.get("text"), params.get("parse_mode"), MAX_TEXT, "MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        if params["text"] == message.html and markup == message.markup:
            raise BotApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        return self._update(message, html=params["text"], text=text, markup=markup)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        message = self._existing(params)
        markup = params.get("reply_markup")
        if markup == message.markup:
            raise BotApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        return self._update(message, html=message.html, text=message.text, markup=markup)

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        with self._cond:
            if query_id not in self._pending_queries:
                raise BotApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self._pending_queries.discard(query_id)
            self.answers[query_id] = Call("answerCallbackQuery", params, {}, time.monotonic())
        return True

    def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise BotApiError(400, "Bad Request: commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))) or not 1 <= len(str(command.get("description", ""))) <= 256:
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        with self._cond:
            self.commands = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, Any]]:
        return self.commands

    def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        with self._cond:
            self.webhook = {}
        return True

    def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        url, secret = str(params.get("url", "")), params.get("secret_token")
        if url and not url.startswith(("http://", "https://")):
            raise BotApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise BotApiError(400, "Bad Request: secret token contains unallowed characters")
        with self._cond:
            self.webhook = {"url": url, "secret_token": secret} if url else {}
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": len(self.updates)}

    # --- helpers ------------------------------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any]) -> int:
        chat = params.get("chat_id")
        if not isinstance(chat, int):
            raise BotApiError(400, "Bad Request: chat not found")
        return chat

    def _visible(self, markup: Any, parse_mode: Any, limit: int, too_long: str) -> str:
        if not isinstance(markup, str) or not markup.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if parse_mode not in (None, "HTML"):
            raise BotApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} (this fake speaks HTML)")
        text = html_to_text(markup) if parse_mode == "HTML" else markup
        if not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > limit:
            raise BotApiError(400, f"Bad Request: {too_long}")
        return text

    def _store(self, message: BotMessage, markup: Any) -> dict[str, Any]:
        message.buttons = _buttons(markup)
        message.markup = markup or None
        with self._cond:
            message.message_id = next(self._message_ids[message.chat_id])
            self.messages[message.chat_id].append(message)
        return message.as_dict(self.bot, {"id": message.chat_id, "type": "private"})

    def _existing(self, params: dict[str, Any]) -> BotMessage:
        chat, message_id = self._chat_id(params), params.get("message_id")
        with self._cond:
            found = next((m for m in self.messages[chat] if m.message_id == message_id), None)
        if found is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        return found

    def _update(self, message: BotMessage, *, html: str, text: str, markup: Any) -> dict[str, Any]:
        buttons = _buttons(markup)
        with self._cond:
            message.html, message.text, message.markup, message.buttons = html, text, markup or None, buttons
            message.version += 1
        return message.as_dict(self.bot, {"id": message.chat_id, "type": "private"})


def _buttons(markup: Any) -> list[list[Button]]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        raise BotApiError(400, "Bad Request: reply markup must be an inline keyboard in this fake")
    result = []
    for row in rows:
        buttons = []
        for raw in row:
            data, url = raw.get("callback_data"), raw.get("url")
            if not raw.get("text") or (data is None) == (url is None):
                raise BotApiError(400, "Bad Request: can't parse inline keyboard button: text and exactly one action are required")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if url is not None and not re.match(r"(https?|tg)://", str(url)):
                raise BotApiError(400, "Bad Request: BUTTON_URL_INVALID")
            buttons.append(Button(raw["text"], data, url))
        result.append(buttons)
    return result


async def _read_params(request: Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Form, multipart or JSON bodies (and query strings), decoded as the Bot API does."""
    raw: dict[str, Any] = dict(request.query_params)
    files: dict[str, bytes] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        raw |= await request.json()
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                if hasattr(value, "read"):
                    files[key] = await value.read()
                else:
                    raw[key] = value
    return {key: _decode(key, value) for key, value in raw.items()}, files


def _decode(key: str, value: Any) -> Any:
    if key in STRING_PARAMS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeChat:
    """One user's private chat with the bot: say things, tap buttons, get back what the bot sent."""

    def __init__(self, fake: FakeTelegram, user: TelegramUser) -> None:
        self.fake = fake
        self.user = user

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def messages(self) -> list[BotMessage]:
        return self.fake.sent(self.user.id)

    async def send(self, text: str, *, expect: int = 1, timeout: float = 15) -> list[BotMessage]:
        """Sends `text` and returns the bot's next `expect` messages in this chat."""
        before = len(self.messages)
        self.fake.inject(self.fake.message_update(self.user, text))
        return await self._new_messages(before, expect, timeout, f"{expect} reply(ies) to {text[:40]!r}")

    async def deliver(self, update: dict[str, Any], *, expect: int = 1, timeout: float = 15) -> list[BotMessage]:
        """Injects a hand-made update (e.g. a forged button press) and returns the bot's next `expect` messages."""
        before = len(self.messages)
        self.fake.inject(update)
        return await self._new_messages(before, expect, timeout, f"{expect} reply(ies) to a hand-made update")

    async def tap(self, message: BotMessage, label: str, *, expect: int = 0, edit: bool = True, timeout: float = 15) -> list[BotMessage]:
        """Presses a button; waits for the answer to the press, an edit of `message` (if `edit`) and `expect` new messages."""
        button = message.button(label)
        assert button.callback_data, f"{button.text!r} is a link button"
        before, version = len(self.messages), message.version
        update = self.fake.callback_update(self.user, message, button.callback_data)
        query_id = update["callback_query"]["id"]
        self.fake.inject(update)
        await self.fake.until(
            lambda: query_id in self.fake.answers and (not edit or message.version > version) and len(self.messages) >= before + expect,
            timeout=timeout, what=f"the bot to handle a tap on {button.text!r}",
        )
        return self.messages[before:]

    async def _new_messages(self, before: int, expect: int, timeout: float, what: str) -> list[BotMessage]:
        await self.fake.until(lambda: len(self.messages) >= before + expect, timeout=timeout, what=what)
        return self.messages[before : before + expect]
