"""One OpenAI-compatible `POST {base}/chat/completions` request with tools, and its answer read defensively.

Problems come back as `Stop(kind, ...)`: the HTTP status or error class is logged, never the key or the text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from core.agent.model import AgentConfig

log = logging.getLogger("career_nav.agent")


class Stop(Exception):  # noqa: N818 - a control-flow signal, not an error type
    """Ends a run with a failure of `kind` (see model.Failure)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as the model wrote it


@dataclass(frozen=True)
class Turn:
    """The model's answer: a final text, or tool calls (with the assistant message to echo back)."""

    content: str | None
    tool_calls: tuple[ToolCall, ...]
    message: dict[str, Any]


async def complete(client: httpx.AsyncClient, config: AgentConfig, messages: Sequence[dict[str, Any]], tools: Sequence[dict[str, Any]]) -> Turn:
    body = {"model": config.model, "messages": list(messages), "tools": list(tools), "tool_choice": "auto"}
    try:
        response = await client.post("/chat/completions", json=body)
    except httpx.TimeoutException as exc:
        raise TimeoutError from exc
    except httpx.HTTPError as exc:
        log.warning("LLM endpoint unreachable: %s", type(exc).__name__)
        raise Stop("unavailable", type(exc).__name__) from None
    if response.status_code != 200:
        log.warning("LLM endpoint answered HTTP %d", response.status_code)
        raise Stop("unavailable", f"HTTP {response.status_code}")
    return read_turn(response)


def read_turn(response: httpx.Response) -> Turn:
    try:
        message = response.json()["choices"][0]["message"]
        calls = tuple(ToolCall(str(c.get("id") or f"call_{i}"), str(c["function"]["name"]), _arguments(c["function"])) for i, c in enumerate(message.get("tool_calls") or ()))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        log.warning("LLM endpoint sent a response that is not a chat completion")
        raise Stop("unavailable", "not a chat completion") from None
    content = message.get("content")
    return Turn(content if isinstance(content, str) and content.strip() else None, calls, message)


def _arguments(function: dict[str, Any]) -> str:
    value = function.get("arguments")
    return value if isinstance(value, str) else "" if value is None else str(value)


def client_for(config: AgentConfig) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {config.api_key}"}
    return httpx.AsyncClient(base_url=config.base_url.rstrip("/"), headers=headers, timeout=config.timeout)
