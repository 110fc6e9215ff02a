"""Bounds for every user-facing number (the original product's ranges), checked once in the core."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import InvalidInput

DAYS = (1, 365)
SKILLS_LIMIT = (1, 50)
LOCATIONS_LIMIT = (1, 30)
THRESHOLD = (0.1, 1.0)
PROJECT_LIMIT = (1, 50)
SEARCH_LIMIT = (1, 100)


def bounded(name: str, value: float, bounds: tuple[float, float]) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        message = f"{name} must be between {low:g} and {high:g} (got {value!r})."
        raise InvalidInput(message)


def non_negative(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        message = f"{name} must be 0 or more (got {value!r})."
        raise InvalidInput(message)


def cleaned_skills(skills: Sequence[str] | None) -> list[str] | None:
    """None stays None (no skills given); an explicit list must contain at least one non-blank skill."""
    if skills is None:
        return None
    cleaned = [s.strip() for s in skills if s and s.strip()]
    if not cleaned:
        message = "The skills list is empty: give at least one skill, e.g. Python,SQL."
        raise InvalidInput(message)
    return cleaned


def non_blank(name: str, value: str | None) -> str:
    if not value or not value.strip():
        message = f"{name} must not be empty."
        raise InvalidInput(message)
    return value.strip()
