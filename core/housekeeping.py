"""Housekeeping: the one cleanup that the scheduler's weekly slot and `career-nav cleanup` both run.

What goes, and after how long:

    postings      analytics day older than the retention (JOB_DATA_RETENTION_DAYS, or --retention-days);
                  the rollups of the emptied days are rebuilt (Navigator.cleanup)
    job runs      run records that finished before the same cutoff
    slot locks    `job:slot` leases that ended more than LOCK_RETENTION ago
    link codes    expired ones; failed attempts older than core.accounts.ATTEMPT_RETENTION (AccountService.purge_expired)
    token ledger  records of tokens that expired more than TOKEN_LEDGER_GRACE ago, revoked or not: an expired
                  token is refused on its own `exp` claim, so its record (and its revocation) no longer matters
    digest ledger entries untouched for DIGEST_RETENTION, except each user's newest `sent` entry (the next
                  digest's "up from N" compares with its coverage) and every `sending` entry (owned by a sender)

Kept on purpose: users and their credentials (deleted with the account), ingestion watermarks (one per
search, with a capped list of bought ids), the data version and other meta keys (a fixed set).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.service import Navigator

DIGEST_RETENTION = timedelta(weeks=26)
LOCK_RETENTION = timedelta(days=30)
# Only a margin for clocks that disagree across processes: the record outlives the token by a day.
TOKEN_LEDGER_GRACE = timedelta(days=1)


class CleanupReport(BaseModel):
    """What one cleanup deleted; `accounts` counts per identity ledger (link_codes, attempts, tokens)."""

    retention_days: int
    cutoff: date
    postings_deleted: int
    days_rebuilt: int
    runs_deleted: int
    locks_deleted: int
    digests_deleted: int
    accounts: dict[str, int]

    def summary(self) -> dict[str, Any]:
        """Plain JSON data, as the run ledger stores it."""
        return self.model_dump(mode="json")


async def run_cleanup(nav: Navigator, retention_days: int) -> CleanupReport:
    """Deletes postings past retention (fixing rollups) and every ledger entry that is no longer needed."""
    now = nav.clock.now()
    postings = await nav.cleanup(retention_days)  # validates retention_days before anything is deleted
    store = nav.store
    return CleanupReport(
        retention_days=retention_days, cutoff=postings.cutoff,
        postings_deleted=postings.deleted, days_rebuilt=postings.days_rebuilt,
        runs_deleted=await store.runs.delete_older_than(now - timedelta(days=retention_days)),
        locks_deleted=await store.locks.delete_older_than(now - LOCK_RETENTION),
        digests_deleted=await store.digests.delete_older_than(now - DIGEST_RETENTION),
        accounts={**await _purge_account_ledgers(nav), "tokens": await store.tokens.delete_expired(now - TOKEN_LEDGER_GRACE)},
    )


async def _purge_account_ledgers(nav: Navigator) -> dict[str, int]:
    try:
        accounts = nav.accounts
    except ConfigError:
        return {}  # a navigator built without accounts (tests, tools) has no account service to ask
    return await accounts.purge_expired()
