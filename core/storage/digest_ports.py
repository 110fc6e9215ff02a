"""Storage port for the digest ledger: one entry per (user, period) that makes weekly delivery exactly-once.

An entry moves through these states:

    (none) ──claim──▶ sending ──mark_sent────▶ sent       (terminal: never sent again for the period)
                        │    ──mark_skipped─▶ skipped    (terminal: e.g. the user blocked the bot)
                        │    ──mark_failed──▶ failed     (retry=True: a later claim may try again;
                        │                                 retry=False: terminal, e.g. outcome unknown)
                        └─ lease ends ──▶ claimable again only if nothing was in flight (see below)

`sending` carries an idempotency note: `transmitting_at` is set right before the Bot API request leaves and
cleared when the request certainly failed (429, connect error). An expired `sending` entry without the note
died before anything left, so `claim` takes it over; one with the note may or may not have reached the user,
so it is never claimed again and `settle_stale` turns it into `failed` (retry=False, outcome unknown): at most
a missed digest, never a duplicate.

Adapters make `claim` atomic across processes (of concurrent claimers exactly one wins) and keep
`coverage` as plain JSON data. Times are aware UTC datetimes.

Old entries are purged (`delete_older_than`, run by core.housekeeping) except two kinds: each user's newest
`sent` entry, whose coverage the next digest compares with ("up from N"), and every `sending` entry, which
is owned by a sender or waits for `settle_stale`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.storage.account_ports import PerUserLedger

SENDING, SENT, FAILED, SKIPPED = "sending", "sent", "failed", "skipped"
STATES = (SENDING, SENT, FAILED, SKIPPED)
OUTCOME_UNKNOWN = "outcome unknown: the sender stopped while the message was in flight; not resent to avoid a duplicate"


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """What the ledger knows about one user's digest for one period."""

    user_id: str
    period: str
    state: str
    attempts: int
    owner: str | None = None
    claimed_at: datetime | None = None
    lease_until: datetime | None = None
    transmitting_at: datetime | None = None
    message_id: int | None = None
    coverage: dict[str, Any] | None = None
    error: str | None = None
    retry: bool = False
    sent_at: datetime | None = None
    updated_at: datetime | None = None


class DigestLedger(PerUserLedger, Protocol):
    async def claim(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta, max_attempts: int = 3) -> DigestEntry | None:
        """Takes the (user, period) entry for `owner` as `sending` (attempts + 1), or None when it is not free.

        Free means: no entry; or `failed` with retry=True and fewer than max_attempts attempts; or `sending`
        whose lease ended before anything was transmitted."""

    async def get(self, user_id: str, period: str) -> DigestEntry | None: ...

    async def mark_transmitting(self, user_id: str, period: str, owner: str, now: datetime, lease: timedelta) -> bool:
        """Notes that a send request is about to leave (and extends the lease); False when owner lost the entry."""

    async def clear_transmitting(self, user_id: str, period: str, owner: str, now: datetime) -> bool:
        """Removes the note after a request that certainly did not deliver (before waiting to retry)."""

    async def mark_sent(self, user_id: str, period: str, owner: str, now: datetime, message_id: int | None, coverage: dict[str, Any] | None) -> bool: ...

    async def mark_failed(self, user_id: str, period: str, owner: str, now: datetime, error: str, *, retry: bool) -> bool: ...

    async def mark_skipped(self, user_id: str, period: str, owner: str, now: datetime, reason: str) -> bool: ...

    async def settle_stale(self, now: datetime) -> int:
        """Turns expired `sending` entries that were transmitting into `failed` (retry=False, OUTCOME_UNKNOWN)."""

    async def finished_users(self, period: str) -> set[str]:
        """Users whose entry for the period is terminal: sent, skipped, or failed without retry."""

    async def last_sent(self, user_id: str) -> DigestEntry | None:
        """The user's most recently sent digest (any period), for "up from N" comparisons."""

    async def counts(self, period: str) -> dict[str, int]:
        """How many entries of the period are in each state."""

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Deletes entries last updated before cutoff, except `sending` ones and each user's newest `sent` one.

        "Newest sent" is what `last_sent` returns (the greatest `sent_at`; on a tie every tied entry is kept)."""


def is_claimable(entry: DigestEntry | None, now: datetime, max_attempts: int) -> bool:
    """The rule every adapter's `claim` implements (SQLite evaluates it here, MongoDB as a query filter)."""
    if entry is None:
        return True
    if entry.state == FAILED:
        return entry.retry and entry.attempts < max_attempts
    if entry.state == SENDING:
        return entry.transmitting_at is None and entry.lease_until is not None and entry.lease_until <= now
    return False


def is_finished(entry: DigestEntry | None) -> bool:
    """The rule `finished_users` implements: sent, skipped, or failed for good (never sent again for the period)."""
    return entry is not None and (entry.state in (SENT, SKIPPED) or (entry.state == FAILED and not entry.retry))
