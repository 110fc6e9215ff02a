"""Per-user daily budget of model requests, counted in this process's memory (resets at midnight UTC and on restart)."""

from __future__ import annotations

from datetime import date

from core.clock import Clock


class DailyBudget:
    def __init__(self, limit: int, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._day: date | None = None
        self._spent: dict[str, int] = {}

    def spend(self, key: str) -> bool:
        """Counts one request for `key`; False (and nothing counted) when today's budget is used up."""
        self._roll()
        if self._spent.get(key, 0) >= self.limit:
            return False
        self._spent[key] = self._spent.get(key, 0) + 1
        return True

    def used(self, key: str) -> int:
        self._roll()
        return self._spent.get(key, 0)

    def _roll(self) -> None:
        today = self._clock.now().date()
        if today != self._day:  # a new day: everyone starts again (and yesterday's keys are dropped)
            self._day, self._spent = today, {}
