"""The assistant's data: its configuration, the tool port, and what one run returns."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from core.settings import Settings

RESULT_CHARS = 8_000  # a tool result is cut to this before it goes back to the model


@dataclass(frozen=True)
class AgentConfig:
    base_url: str
    api_key: str = field(repr=False)
    model: str
    timeout: float = 20.0
    max_tool_calls: int = 4
    daily_budget: int = 50

    @classmethod
    def from_settings(cls, settings: Settings) -> AgentConfig | None:
        """The configuration when LLM_API_BASE_URL, LLM_API_KEY and LLM_MODEL are set, else None."""
        if not settings.llm_enabled:
            return None
        return cls(
            base_url=str(settings.llm_api_base_url), api_key=settings.llm_api_key.get_secret_value(), model=str(settings.llm_model),  # type: ignore[union-attr]
            timeout=settings.llm_timeout, max_tool_calls=settings.llm_max_tool_calls, daily_budget=settings.llm_daily_budget,
        )


@dataclass(frozen=True)
class ToolSpec:
    """One tool as the MCP server lists it: name, description, JSON schema of its arguments, whether it writes."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    writes: bool = False
    title: str | None = None

    def for_model(self) -> dict[str, Any]:
        """The OpenAI `tools` entry."""
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": dict(self.parameters)}}


@dataclass(frozen=True)
class ToolOutcome:
    """A tool's structured result, or the error text it answered with (shown to the model, which may retry)."""

    data: dict[str, Any] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def for_model(self) -> str:
        text = f"Error: {self.error}" if self.error is not None else json.dumps(self.data, ensure_ascii=False, default=str)
        return text if len(text) <= RESULT_CHARS else text[:RESULT_CHARS] + " …(cut)"


class Toolbox(Protocol):
    async def specs(self) -> Sequence[ToolSpec]: ...

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome: ...


@dataclass(frozen=True)
class ToolResult:
    name: str
    arguments: dict[str, Any]
    data: dict[str, Any]


@dataclass(frozen=True)
class PendingAction:
    """A writing tool call the model asked for; it runs only after the user confirms."""

    name: str
    arguments: dict[str, Any]
    title: str

    def lines(self) -> list[str]:
        """"field: value" lines describing the change (lists joined with commas)."""
        shown = []
        for key, value in self.arguments.items():
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            shown.append(f"{key.replace('_', ' ')}: {text}")
        return shown


@dataclass(frozen=True)
class Failure:
    """Why a run stopped without an answer: `kind` for code, `message` for the person."""

    kind: str  # malformed | unknown_tool | timeout | budget | steps | unavailable
    message: str


@dataclass(frozen=True)
class AgentReply:
    text: str | None = None
    results: tuple[ToolResult, ...] = ()
    pending: PendingAction | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None
