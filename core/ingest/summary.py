"""What an ingestion run did: one SearchSummary per role × location, rolled up per role and per run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

OK, PARTIAL, CREDITS_EXHAUSTED, STOPPED, FAILED, CANCELLED = (
    "ok", "partial", "credits_exhausted", "stopped", "failed", "cancelled",
)
_COUNTERS = ("pages", "jobs_received", "new", "updated", "unchanged", "duplicates", "skipped", "retries")


@dataclass
class SearchSummary:
    """One role × location search. `jobs_received` is also the credits it cost (1 per job returned)."""

    role: str
    location: str
    pages: int = 0
    jobs_received: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    complete: bool = False
    duration_s: float = 0.0

    @property
    def credits(self) -> int:
        return self.jobs_received

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"credits": self.credits, "duration_s": round(self.duration_s, 3)}


@dataclass
class RunSummary:
    run_id: str
    started_at: datetime
    credit_budget: int
    searches: list[SearchSummary] = field(default_factory=list)
    finished_at: datetime | None = None
    status: str = OK
    reason: str | None = None

    @property
    def credits_used(self) -> int:
        return sum(s.credits for s in self.searches)

    @property
    def postings_new(self) -> int:
        return sum(s.new for s in self.searches)

    @property
    def postings_updated(self) -> int:
        return sum(s.updated for s in self.searches)

    @property
    def errors(self) -> list[str]:
        return [f"{s.role} / {s.location}: {error}" for s in self.searches for error in s.errors]

    @property
    def duration_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else 0.0

    def by_role(self) -> dict[str, dict[str, Any]]:
        """Per role: pages, jobs new/updated, credits, retries, errors, duration (summed over locations)."""
        roles: dict[str, dict[str, Any]] = {}
        for search in self.searches:
            row = roles.setdefault(search.role, {name: 0 for name in _COUNTERS} | {"credits": 0, "errors": 0, "duration_s": 0.0})
            for name in _COUNTERS:
                row[name] += getattr(search, name)
            row["credits"] += search.credits
            row["errors"] += len(search.errors)
            row["duration_s"] = round(row["duration_s"] + search.duration_s, 3)
        return roles

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "status": self.status, "reason": self.reason,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "duration_s": round(self.duration_s, 3), "credit_budget": self.credit_budget,
            "credits_used": self.credits_used, "postings_new": self.postings_new,
            "postings_updated": self.postings_updated, "errors": self.errors,
            "roles": self.by_role(), "searches": [s.as_dict() for s in self.searches],
        }

    def last_ingestion(self) -> dict[str, Any]:
        """The short form `stats` shows as `last_ingestion`."""
        return {
            "run_id": self.run_id, "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status, "reason": self.reason, "postings_new": self.postings_new,
            "postings_updated": self.postings_updated, "credits_used": self.credits_used,
            "searches": len(self.searches), "errors": len(self.errors),
        }

    def describe(self) -> str:
        """One log line."""
        text = (
            f"ingestion run {self.run_id} {self.status}: {self.postings_new} new, {self.postings_updated} updated, "
            f"{self.credits_used}/{self.credit_budget} credits, {len(self.searches)} searches, "
            f"{len(self.errors)} errors in {self.duration_s:.1f} s"
        )
        return text + (f" ({self.reason})" if self.reason else "")
