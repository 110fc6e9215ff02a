"""Delivering one user's digest exactly once: claim → compose → send → mark, through a Notifier port.

    DigestComposer    builds a user's digest and its message (text, plus a chart when it helps)
    DigestSender      the exactly-once step for one (user, period); the scheduler's run and the bot's
                      `/digest now` both call `deliver`
    Notifier          the port a transport implements (scheduler.notifier over the Bot API; the bot's own)

Exactly once, with the ledger (core.storage.digest_ports): the entry is claimed before anything is built,
noted as transmitting right before every request leaves, the note is cleared after a request that certainly
failed, and the entry is marked sent with the message id and a coverage snapshot. A crash before a request
leaves lets a later run take the entry over; a crash while one is in flight leaves the outcome unknown and
the user is not sent that week's digest again (at most a missed digest, never a duplicate).

Errors a Notifier raises (all `UpstreamError`s, so front ends explain them like any upstream failure):

    DeliveryError
    ├── RecipientGone          blocked the bot, deactivated, chat not found → skipped and unsubscribed
    ├── DeliveryRefused        Telegram refused this message (400): not retried
    ├── DeliveryUncertain      no answer after the request left: maybe delivered, never resent
    ├── DeliveryFailed         certainly not delivered (retries used up, flood wait too long): a later run retries
    │   └── NotifierBroken     the token is refused: every send would fail, so the run stops
    └── ClaimLost              another sender took the entry over: stop without sending
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from core.digest import Coverage, Digest, build_digest, fits_caption, render_html
from core.digest_chart import chart_helps, chart_key, movers_png
from core.errors import DomainError, UpstreamError
from core.models import User
from core.service import Navigator
from core.storage.digest_ports import FAILED, SENDING

log = logging.getLogger("career_nav.digest")

DEFAULT_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3


class DeliveryError(UpstreamError):
    """Base of what a Notifier raises."""


class RecipientGone(DeliveryError):
    """The user blocked the bot, was deactivated, or the chat does not exist."""


class DeliveryRefused(DeliveryError):
    """Telegram refused this message for good (e.g. 400 Bad Request)."""


class DeliveryUncertain(DeliveryError):
    """The request left and no answer came back: the message may or may not have been delivered."""


class DeliveryFailed(DeliveryError):
    """The message was certainly not delivered; a later attempt may succeed."""


class NotifierBroken(DeliveryFailed):
    """The Bot API refuses the token: nothing can be sent until the configuration is fixed."""


class ClaimLost(DeliveryError):
    """Another sender took over this user's entry (our lease ran out): do not send."""


@dataclass(frozen=True)
class OutgoingDigest:
    """What goes to the chat: HTML text, sent as the caption of `chart` when there is one."""

    text: str
    chart: bytes | None = None


class SendAttempts(Protocol):
    async def before_send(self) -> None:
        """Called right before each request leaves; raises ClaimLost when the sender no longer holds the entry."""

    async def not_sent(self) -> None:
        """Called after a request that certainly did not deliver (before waiting to retry)."""


class Notifier(Protocol):
    async def send(self, chat_id: int, message: OutgoingDigest, attempts: SendAttempts) -> int | None:
        """Delivers one message and returns its Telegram message id; raises DeliveryError subclasses."""


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_DONE = "already_done"  # the period's entry is terminal (sent, skipped, or failed for good)
    IN_PROGRESS = "in_progress"  # another sender holds the claim
    UNSUBSCRIBED = "unsubscribed"
    FAILED = "failed"  # not delivered; retried by a later run while attempts remain
    REFUSED = "refused"
    UNCERTAIN = "uncertain"
    NO_CHAT = "no_chat"


@dataclass(frozen=True)
class Delivery:
    user_id: str
    period: str
    outcome: Outcome
    message_id: int | None = None
    detail: str | None = None


@dataclass(frozen=True)
class ComposedDigest:
    digest: Digest
    message: OutgoingDigest
    snapshot: dict[str, Any] | None  # the coverage to remember for next week's "up from N"


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestComposer:
    """Builds digests and their messages; renders each distinct chart once (charts depend on the role only)."""

    def __init__(self, nav: Navigator, *, charts: bool = True) -> None:
        self._nav = nav
        self._charts_on = charts
        self._charts: dict[tuple[object, ...], asyncio.Future[bytes]] = {}

    async def compose(self, user: User, period: str) -> ComposedDigest:
        last = await self._nav.store.digests.last_sent(user.id)
        previous = Coverage.model_validate(last.coverage) if last and last.coverage else None
        digest = await build_digest(self._nav, user, previous, period=period)
        text = render_html(digest)
        chart = await self._chart(digest) if self._charts_on and chart_helps(digest) and fits_caption(text) else None
        snapshot = digest.coverage or previous
        return ComposedDigest(digest, OutgoingDigest(text, chart), snapshot.model_dump() if snapshot else None)

    async def _chart(self, digest: Digest) -> bytes:
        key = chart_key(digest)
        if key not in self._charts:
            self._charts[key] = asyncio.ensure_future(asyncio.to_thread(movers_png, digest))
        return await self._charts[key]

    @property
    def charts_rendered(self) -> int:
        return len(self._charts)


class _LedgerAttempts:
    """SendAttempts over the ledger: the idempotency note before each request, cleared after a certain failure."""

    def __init__(self, sender: DigestSender, user_id: str, period: str) -> None:
        self._sender, self._user_id, self._period = sender, user_id, period

    async def before_send(self) -> None:
        s = self._sender
        if not await s.ledger.mark_transmitting(self._user_id, self._period, s.owner, s.clock.now(), s.lease):
            message = "another sender took over this digest"
            raise ClaimLost(message)

    async def not_sent(self) -> None:
        s = self._sender
        await s.ledger.clear_transmitting(self._user_id, self._period, s.owner, s.clock.now())


class DigestSender:
    """The exactly-once step for one user and period."""

    def __init__(self, nav: Navigator, notifier: Notifier, composer: DigestComposer | None = None, *, owner: str | None = None,
                 lease: timedelta = DEFAULT_LEASE, max_attempts: int = MAX_ATTEMPTS) -> None:
        self._nav = nav
        self.notifier = notifier
        self.composer = composer or DigestComposer(nav)
        self.owner = owner or default_owner()
        self.lease, self.max_attempts = lease, max_attempts
        self.ledger, self.clock = nav.store.digests, nav.clock

    async def deliver(self, user: User, period: str) -> Delivery:
        """Claims, builds, sends and records `user`'s digest for `period`, unless it is done or taken."""
        if user.telegram_id is None:
            return Delivery(user.id, period, Outcome.NO_CHAT)
        entry = await self.ledger.claim(user.id, period, self.owner, self.clock.now(), self.lease, self.max_attempts)
        if entry is None:
            return await self._not_claimed(user.id, period)
        try:
            composed = await self.composer.compose(user, period)
        except DomainError as exc:
            return await self._failed(user.id, period, entry.attempts, f"could not build the digest: {exc}")
        return await self._send(user, period, entry.attempts, composed)

    async def _send(self, user: User, period: str, attempt: int, composed: ComposedDigest) -> Delivery:
        try:
            message_id = await self.notifier.send(user.telegram_id or 0, composed.message, _LedgerAttempts(self, user.id, period))
        except ClaimLost as exc:
            return Delivery(user.id, period, Outcome.IN_PROGRESS, detail=str(exc))
        except RecipientGone as exc:
            return await self._unsubscribe(user.id, period, str(exc))
        except (DeliveryUncertain, DeliveryRefused) as exc:
            await self.ledger.mark_failed(user.id, period, self.owner, self.clock.now(), str(exc), retry=False)
            outcome = Outcome.UNCERTAIN if isinstance(exc, DeliveryUncertain) else Outcome.REFUSED
            return Delivery(user.id, period, outcome, detail=str(exc))
        except DeliveryFailed as exc:
            delivery = await self._failed(user.id, period, attempt, str(exc))
            if isinstance(exc, NotifierBroken):
                raise
            return delivery
        if not await self.ledger.mark_sent(user.id, period, self.owner, self.clock.now(), message_id, composed.snapshot):
            log.warning("digest for user=%s period=%s was delivered after its claim lapsed; the ledger keeps the other verdict", user.id, period)
        return Delivery(user.id, period, Outcome.SENT, message_id)

    async def _failed(self, user_id: str, period: str, attempt: int, error: str) -> Delivery:
        retry = attempt < self.max_attempts
        await self.ledger.mark_failed(user_id, period, self.owner, self.clock.now(), error, retry=retry)
        log.warning("digest for user=%s period=%s not delivered (attempt %d, %s): %s", user_id, period, attempt, "will retry" if retry else "giving up", error)
        return Delivery(user_id, period, Outcome.FAILED, detail=error)

    async def _unsubscribe(self, user_id: str, period: str, reason: str) -> Delivery:
        await self.ledger.mark_skipped(user_id, period, self.owner, self.clock.now(), reason)
        await self._nav.store.users.update(user_id, {"digest_opt_in": False})
        log.info("user=%s unsubscribed from the digest: %s", user_id, reason)
        return Delivery(user_id, period, Outcome.UNSUBSCRIBED, detail=reason)

    async def _not_claimed(self, user_id: str, period: str) -> Delivery:
        entry = await self.ledger.get(user_id, period)
        busy = entry is not None and (entry.state == SENDING or (entry.state == FAILED and entry.retry))
        return Delivery(user_id, period, Outcome.IN_PROGRESS if busy else Outcome.ALREADY_DONE, detail=entry.state if entry else None)
