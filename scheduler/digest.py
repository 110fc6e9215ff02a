"""The digest delivery run, and its dry run.

    summary = await DigestRun(nav, sender, settings.digest_schedule).run(stop)
    report = await dry_run(nav, settings.digest_schedule)          # builds every digest, sends and writes nothing

A run serves every opted-in user with a Telegram chat whose send time (DIGEST_SCHEDULE in their own
timezone) has passed in their current week and whose ledger entry for that week is not finished. It first
settles entries a crashed sender left in flight (outcome unknown: not resent), then hands users to a few
workers that each call `DigestSender.deliver` (claim → build → send → mark). The scheduler runs it every
15 minutes (scheduler.jobs.DIGEST_CADENCE), so every timezone's send time — whole, half or quarter hour
offsets alike — is served within 15 minutes, and a run that was missed or stopped is caught up by the next.
A stop request lets the messages in flight finish and be recorded; the rest wait for the next run.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.digest import digest_period, is_due, visible_length
from core.digest_delivery import DigestComposer, DigestSender, NotifierBroken, Outcome
from core.errors import DomainError
from core.models import User
from core.service import Navigator
from scheduler.notifier import OVERALL_PER_SECOND, estimate_send_seconds

log = logging.getLogger("career_nav.digest")

DEFAULT_CONCURRENCY = 4


@dataclass
class DigestRunSummary:
    subscribers: int = 0
    due: int = 0
    already_done: int = 0
    settled_unknown: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    stopped: bool = False
    aborted: str | None = None
    duration_s: float = 0.0

    @property
    def status(self) -> str:
        if self.aborted:
            return "failed"
        if self.stopped:
            return "stopped"
        return "partial" if self.errors or self.outcomes[Outcome.FAILED] else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "subscribers": self.subscribers, "due": self.due, "already_done": self.already_done,
            "settled_unknown": self.settled_unknown, "outcomes": dict(self.outcomes), "errors": self.errors,
            "stopped": self.stopped, "aborted": self.aborted, "duration_s": round(self.duration_s, 3),
        }


async def due_users(nav: Navigator, schedule: str) -> tuple[list[tuple[User, str]], int, int]:
    """(user, period) pairs to serve now, the number of subscribers, and how many were already done."""
    now = nav.clock.now()
    subscribers, due = 0, []
    async for user in nav.store.users.iter_digest_subscribers():
        subscribers += 1
        if is_due(now, user.timezone, schedule):
            due.append((user, digest_period(now, user.timezone)))
    finished = {period: await nav.store.digests.finished_users(period) for period in {p for _, p in due}}
    todo = [(user, period) for user, period in due if user.id not in finished[period]]
    return todo, subscribers, len(due) - len(todo)


class DigestRun:
    """One pass over the due users with a few concurrent workers (the notifier keeps Telegram's limits)."""

    def __init__(self, nav: Navigator, sender: DigestSender, schedule: str, *, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self._nav, self._sender, self._schedule = nav, sender, schedule
        self._concurrency = max(1, concurrency)

    async def run(self, stop: asyncio.Event | None = None) -> DigestRunSummary:
        started, stop = time.perf_counter(), stop or asyncio.Event()
        summary = DigestRunSummary(settled_unknown=await self._nav.store.digests.settle_stale(self._nav.clock.now()))
        todo, summary.subscribers, summary.already_done = await due_users(self._nav, self._schedule)
        summary.due = len(todo) + summary.already_done
        queue: asyncio.Queue[tuple[User, str]] = asyncio.Queue()
        for item in todo:
            queue.put_nowait(item)
        halt = asyncio.Event()  # set when the run must end early (stop requested, or the token is refused)
        relay = asyncio.ensure_future(_relay(stop, halt))
        try:
            await asyncio.gather(*(self._worker(queue, halt, summary) for _ in range(self._concurrency)))
        finally:
            relay.cancel()
        summary.stopped = stop.is_set() and not queue.empty() and summary.aborted is None
        summary.duration_s = time.perf_counter() - started
        log.info("digest run: %s", summary.as_dict())
        return summary

    async def _worker(self, queue: asyncio.Queue[tuple[User, str]], halt: asyncio.Event, summary: DigestRunSummary) -> None:
        while not halt.is_set() and not queue.empty():
            user, period = queue.get_nowait()
            try:
                delivery = await self._sender.deliver(user, period)
            except NotifierBroken as exc:
                summary.aborted = str(exc)
                halt.set()
                log.error("digest run stopped: %s", exc)
                return
            except Exception:  # one user's failure must not end the run; the claim lapses and a later run retries
                summary.errors += 1
                log.exception("digest for user=%s period=%s failed", user.id, period)
                continue
            summary.outcomes[delivery.outcome] += 1


async def _relay(stop: asyncio.Event, halt: asyncio.Event) -> None:
    await stop.wait()
    halt.set()


# --- dry run ------------------------------------------------------------------------------------------------


@dataclass
class DryRunReport:
    subscribers: int = 0
    due_now: int = 0
    already_done: int = 0
    built: int = 0
    build_errors: int = 0
    with_chart: int = 0
    charts_rendered: int = 0
    max_visible_chars: int = 0
    build_seconds: float = 0.0
    send_seconds_due: float = 0.0
    send_seconds_all: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "errors"}
        return data | {"overall_rate_per_second": OVERALL_PER_SECOND, "errors": self.errors[:20]}


async def dry_run(nav: Navigator, schedule: str, *, charts: bool = True, on_progress: Callable[[int], None] | None = None) -> DryRunReport:
    """Builds every subscriber's digest as if it were their send time; sends nothing and writes nothing."""
    report, started, now = DryRunReport(), time.perf_counter(), nav.clock.now()
    todo, report.subscribers, report.already_done = await due_users(nav, schedule)
    report.due_now = len(todo) + report.already_done
    composer, chats = DigestComposer(nav, charts=charts), []
    async for user in nav.store.users.iter_digest_subscribers():
        await _build_one(composer, user, digest_period(now, user.timezone), report)
        chats.append(user.telegram_id or 0)
        if on_progress:
            on_progress(1)
    report.charts_rendered = composer.charts_rendered
    report.build_seconds = time.perf_counter() - started
    report.send_seconds_due = await estimate_send_seconds([user.telegram_id or 0 for user, _ in todo])
    report.send_seconds_all = await estimate_send_seconds(chats)
    return report


async def _build_one(composer: DigestComposer, user: User, period: str, report: DryRunReport) -> None:
    try:
        composed = await composer.compose(user, period)
    except DomainError as exc:
        report.build_errors += 1
        report.errors.append(f"user={user.id}: {exc}")
        return
    report.built += 1
    report.with_chart += composed.message.chart is not None
    report.max_visible_chars = max(report.max_visible_chars, visible_length(composed.message.text))
