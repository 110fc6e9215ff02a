"""What the router returns (`Routed`), the intents it knows, and the short per-chat memory (`ChatContext`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import Any

from core.models import Difficulty


class Intent(str, Enum):
    TRENDING = "trending"
    GAP = "gap"
    ROADMAP = "roadmap"
    RESOURCES = "resources"
    PROJECTS = "projects"
    PROFILE_UPDATE = "profile_update"
    JOB_MATCH = "job_match"
    HELP = "help"
    CLARIFY = "clarify"


ANALYSIS_INTENTS = (Intent.TRENDING, Intent.GAP, Intent.ROADMAP, Intent.RESOURCES, Intent.PROJECTS)


@dataclass(frozen=True)
class Routed:
    """One message, placed: the intent, how sure the router is (0..1), and the arguments it carries.

    `role`/`target_role` are canonical role names and the skill tuples canonical taxonomy names. For `clarify`,
    `options` are the likely intents (for buttons), `question` a short reply, and `role_options` the roles to pick
    from when the message named several; the other arguments are kept so a button can complete the request.
    `text` is the message as received (a `job_match` front end passes it to `Navigator.match_job_description`).
    """

    intent: Intent
    confidence: float
    role: str | None = None
    skills: tuple[str, ...] = ()
    days: int | None = None
    difficulty: Difficulty | None = None
    add_skills: tuple[str, ...] = ()
    remove_skills: tuple[str, ...] = ()
    target_role: str | None = None
    options: tuple[Intent, ...] = ()
    question: str | None = None
    role_options: tuple[str, ...] = ()
    followup: bool = False
    text: str = ""

    @property
    def needs_clarification(self) -> bool:
        return self.intent is Intent.CLARIFY

    def choose(self, intent: Intent | str, role: str | None = None) -> Routed:
        """This request completed by a button press: the chosen intent (and role, when several were named)."""
        return replace(self, intent=Intent(intent), confidence=1.0, options=(), question=None, role_options=(), role=role or self.role)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (enums as their values)."""
        data = asdict(self)
        data["intent"] = self.intent.value
        data["options"] = [option.value for option in self.options]
        data["difficulty"] = self.difficulty.value if self.difficulty else None
        for key in ("skills", "add_skills", "remove_skills", "role_options"):
            data[key] = list(data[key])
        return data


@dataclass
class ChatContext:
    """Short memory of one chat: the last question's intent, role, skills and window.

    The front end keeps one per chat, sets `forwarded` for a forwarded message before routing it, and calls
    `update(routed)` after each reply. "and for backend?" then means the last intent for Backend Developer.
    """

    intent: Intent | None = None
    role: str | None = None
    skills: tuple[str, ...] = ()
    days: int | None = None
    pending: Routed | None = None
    forwarded: bool = False

    def update(self, routed: Routed) -> None:
        """Remembers what a routed message was about (a clarification is kept until a button answers it)."""
        self.forwarded = False
        if routed.intent is Intent.CLARIFY:
            self.pending = routed
        else:
            self.pending = None
        if routed.intent in ANALYSIS_INTENTS:
            self.intent, self.days = routed.intent, routed.days
        if routed.target_role or routed.role:
            self.role = routed.target_role or routed.role
        if routed.skills or routed.add_skills:
            self.skills = routed.skills or routed.add_skills

    def choose(self, intent: Intent | str, role: str | None = None) -> Routed:
        """The request a clarification button completes (or a fresh one from memory when nothing is pending)."""
        if self.pending is not None:
            return self.pending.choose(intent, role)
        return Routed(Intent(intent), 1.0, role=role or self.role, skills=self.skills, days=self.days)
