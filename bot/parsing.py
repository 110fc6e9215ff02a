"""Lenient parsing of command arguments: case, spacing, aliases and word order are forgiven; anything that
still makes no sense raises InvalidInput (the error handler adds the command's usage)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from core.errors import InvalidInput
from core.models import Difficulty, ExperienceLevel

DEFAULT_DAYS = 30
_DAYS = re.compile(r"(\d+)\s*(?:d|day|days)?", re.IGNORECASE)
_ALL_ROLES = {"all", "any", "*", "everything", "all roles", "market"}
_CLEAR = {"clear", "none", "-", "reset", "remove", "delete"}
_ON = {"on", "yes", "y", "true", "1", "enable", "enabled", "start", "subscribe"}
_OFF = {"off", "no", "n", "false", "0", "disable", "disabled", "stop", "unsubscribe"}
_LEVELS = {
    ExperienceLevel.JUNIOR: {"junior", "jr", "entry", "entry level", "graduate", "intern", "beginner"},
    ExperienceLevel.MID: {"mid", "middle", "mid level", "intermediate", "regular"},
    ExperienceLevel.SENIOR: {"senior", "sr", "experienced"},
    ExperienceLevel.LEAD: {"lead", "principal", "staff", "tech lead", "manager", "head"},
}
_DIFFICULTIES = {
    Difficulty.BEGINNER: {"beginner", "easy", "basic", "starter", "junior"},
    Difficulty.INTERMEDIATE: {"intermediate", "medium", "mid", "moderate"},
    Difficulty.ADVANCED: {"advanced", "hard", "expert", "difficult", "senior"},
}
_SKILL_VERBS: dict[str, Literal["add", "remove", "clear"]] = {
    "add": "add", "+": "add", "plus": "add", "have": "add",
    "remove": "remove", "rm": "remove", "del": "remove", "delete": "remove", "-": "remove", "drop": "remove",
    "clear": "clear", "reset": "clear",
}


def _words(args: Sequence[str]) -> str:
    return " ".join(" ".join(args).split())


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


@dataclass(frozen=True)
class MarketArgs:
    role: str | None
    days: int


def market_args(args: Sequence[str]) -> MarketArgs:
    """`[role] [days]` in either order: "data engineer 90", "90d backend", "all 7 days"."""
    role_words, days = [], None
    for word in _words(args).split():
        match = _DAYS.fullmatch(word)
        if match:
            if days is not None:
                message = "Give the number of days once, e.g. /trending backend 90."
                raise InvalidInput(message)
            days = int(match.group(1))
        elif word.lower() not in {"days", "day", "d", "last", "in", "for"}:
            role_words.append(word)
    role = " ".join(role_words) or None
    return MarketArgs(None if role and _fold(role) in _ALL_ROLES else role, DEFAULT_DAYS if days is None else days)


def role_arg(args: Sequence[str]) -> str | None:
    """The rest of the line as a role name, or None."""
    return _words(args) or None


def timezone_arg(args: Sequence[str]) -> str | None:
    """The rest of the line as a timezone ("America/New York" keeps its space; core folds it), or None."""
    return _words(args) or None


def level(text: str) -> ExperienceLevel:
    folded = _fold(text)
    for value, names in _LEVELS.items():
        if folded in names or folded == value.value.lower():
            return value
    message = f"I don't know the level {text.strip()!r}. Choose junior, mid, senior or lead."
    raise InvalidInput(message)


def difficulty(args: Sequence[str]) -> Difficulty | None:
    text = _fold(_words(args))
    if not text or text in _ALL_ROLES:
        return None
    for value, names in _DIFFICULTIES.items():
        if text in names:
            return value
    message = f"I don't know the difficulty {_words(args)!r}. Choose beginner, intermediate or advanced."
    raise InvalidInput(message)


def switch(args: Sequence[str]) -> bool | None:
    """on/off (and yes/no, enable/disable, ...); None when no argument was given."""
    text = _fold(_words(args))
    if not text:
        return None
    if text in _ON or text in _OFF:
        return text in _ON
    message = f"Say on or off (not {_words(args)!r})."
    raise InvalidInput(message)


def location(args: Sequence[str]) -> str | None:
    """A place, "" to clear it, or None when nothing was given."""
    text = _words(args)
    if not text:
        return None
    return "" if text.lower() in _CLEAR else text


@dataclass(frozen=True)
class SkillsArgs:
    action: Literal["show", "add", "remove", "clear"]
    skills: list[str] = field(default_factory=list)


def skills_args(args: Sequence[str], is_skill: Callable[[str], bool]) -> SkillsArgs:
    """`add a, b` / `remove a` / `clear`; a bare list means add."""
    words = _words(args).split(" ", 1) if _words(args) else []
    if not words:
        return SkillsArgs("show")
    verb = _SKILL_VERBS.get(words[0].lower())
    rest = words[1] if verb and len(words) > 1 else ("" if verb else _words(args))
    if verb == "clear":
        return SkillsArgs("clear")
    skills = split_skills(rest, is_skill)
    if not skills:
        message = f"Which skills should I {verb or 'add'}? Separate them with commas."
        raise InvalidInput(message)
    return SkillsArgs(verb or "add", skills)


def split_skills(text: str, is_skill: Callable[[str], bool]) -> list[str]:
    """Commas, semicolons or new lines separate skills; "python sql docker" (no commas) is split on spaces
    unless the whole text names one skill ("machine learning")."""
    parts = [part.strip() for part in re.split(r"[,;\n]+", text) if part.strip()]
    if len(parts) == 1 and " " in parts[0] and not is_skill(parts[0]):
        return parts[0].split()
    return parts


@dataclass(frozen=True)
class TokenArgs:
    action: Literal["issue", "list", "revoke"]
    days: int | None = None
    jti: str | None = None


def token_args(args: Sequence[str]) -> TokenArgs:
    words = _words(args).split()
    if not words:
        return TokenArgs("issue")
    head = words[0].lower()
    if head in {"revoke", "revoke-all", "delete", "remove"} and len(words) <= 2:
        jti = words[1] if len(words) == 2 and words[1].lower() != "all" else None
        return TokenArgs("revoke", jti=jti)
    if head in {"list", "ls", "show"} and len(words) == 1:
        return TokenArgs("list")
    match = _DAYS.fullmatch(" ".join(words))
    if head in {"new", "issue", "create"} and len(words) <= 2:
        match = _DAYS.fullmatch(words[1]) if len(words) == 2 else None
        if len(words) == 1:
            return TokenArgs("issue")
    if match:
        return TokenArgs("issue", days=int(match.group(1)))
    message = "I didn't understand that. Send /token for a new token, /token list, or /token revoke."
    raise InvalidInput(message)
