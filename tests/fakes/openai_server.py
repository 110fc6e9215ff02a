"""A real HTTP fake of an OpenAI-compatible chat-completions endpoint: starlette + uvicorn on 127.0.0.1 in a thread.

Each `POST /v1/chat/completions` takes the next scripted step (a final answer, tool calls, a slow answer, an error
status) and records the request — headers, model, messages and `tools` — so a test can assert what the assistant
sent, e.g. that the tool schemas equal the MCP server's. With the script empty it answers `default`.

    with FakeOpenAI() as fake:                                   # or `async with`
        fake.script(tool_call("skill_gap", {"role": "Data Engineer"}), final("You cover 40%."))
        fake.script(tool_call("trending_skills", raw="{not json"))       # malformed arguments
        fake.script(slow(30, final("late")))                              # slower than LLM_TIMEOUT
        settings = ... LLM_API_BASE_URL=fake.base_url, LLM_API_KEY=fake.api_key, LLM_MODEL=fake.model
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FAKE_OPENAI_KEY = "sk-fake-openai-7Q2xK9pLm4Z"
FAKE_MODEL = "fake-gpt-tools"
T = TypeVar("T")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Step:
    """One scripted answer: an assistant message (text and/or tool calls), after `delay` seconds, or an error."""

    message: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0
    status: int = 200


def final(text: str) -> Step:
    return Step({"role": "assistant", "content": text})


def tool_call(name: str, arguments: dict[str, Any] | None = None, *, raw: str | None = None, text: str | None = None) -> Step:
    """The model calls one tool; `raw` sends the arguments text as is (e.g. broken JSON)."""
    return tool_calls((name, arguments, raw), text=text)


def tool_calls(*calls: tuple[str, dict[str, Any] | None, str | None], text: str | None = None) -> Step:
    entries = [
        {"id": f"call_{next(_ids)}", "type": "function", "function": {"name": name, "arguments": raw if raw is not None else json.dumps(args or {})}}
        for name, args, raw in calls
    ]
    return Step({"role": "assistant", "content": text, "tool_calls": entries})


def slow(seconds: float, step: Step) -> Step:
    return Step(step.message, delay=seconds, status=step.status)


def failing(status: int) -> Step:
    return Step({}, status=status)


@dataclass
class Seen:
    """One request as the fake saw it."""

    at: float
    authorization: str
    body: dict[str, Any]

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self.body.get("tools") or []

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages") or []


class FakeOpenAI:
    def __init__(self, *, api_key: str = FAKE_OPENAI_KEY, model: str = FAKE_MODEL, default: Step | None = None) -> None:
        self.api_key, self.model = api_key, model
        self.default = default or final("Here is what I found.")
        self.base_url = ""
        self._cond = threading.Condition()
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        with self._cond:
            self.requests: list[Seen] = []
            self._script: deque[Step] = deque()
        self._release_sleepers()

    def script(self, *steps: Step) -> None:
        """Queues answers for the next requests, in order."""
        with self._cond:
            self._script.extend(steps)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        routes = [Route("/v1/chat/completions", self._completions, methods=["POST"])]
        config = uvicorn.Config(Starlette(routes=routes), lifespan="off", log_config=None, log_level="warning", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name="fake-openai")
        self._thread.start()
        self.wait_for(lambda: self._server.started or not self._thread.is_alive(), timeout=10, what="the fake OpenAI server to start")
        if not self._server.started:
            raise RuntimeError("fake OpenAI server did not start")

    def stop(self) -> None:
        self._release_sleepers()
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeOpenAI:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    def wait_for(self, condition: Callable[[], T], *, timeout: float = 10, what: str = "a condition") -> T:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (result := condition()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
                self._cond.wait(min(remaining, 0.05))
            return result

    # --- HTTP ---------------------------------------------------------------------------------------------

    async def _completions(self, request: Request) -> JSONResponse:
        body = await request.json()
        with self._cond:
            self.requests.append(Seen(time.monotonic(), request.headers.get("authorization", ""), body))
            step = self._script.popleft() if self._script else self.default
            self._cond.notify_all()
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}}, status_code=401)
        if step.delay:
            await self._sleep(step.delay)
        if step.status != 200:
            return JSONResponse({"error": {"message": "The server had an error while processing your request.", "type": "server_error"}}, status_code=step.status)
        return JSONResponse(self._completion(body, step.message))

    def _completion(self, body: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
        reason = "tool_calls" if message.get("tool_calls") else "stop"
        choice = {"index": 0, "message": message, "finish_reason": reason}
        usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
        return {"id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"), "choices": [choice], "usage": usage}

    async def _sleep(self, seconds: float) -> None:
        """A slow upstream: answers after `seconds`, or at once when the fake is reset or stopped."""
        self._loop = asyncio.get_running_loop()
        if self._release is None:
            self._release = asyncio.Event()
        try:
            await asyncio.wait_for(self._release.wait(), seconds)
        except TimeoutError:
            pass

    def _release_sleepers(self) -> None:
        loop, release = self._loop, self._release
        if loop is not None and release is not None and not loop.is_closed():
            loop.call_soon_threadsafe(release.set)
        self._release = None
