"""When a subscriber's next weekly digest arrives, for showing it to them (the bot's /timezone and /digest on).

No rule of its own: a week's send time, its catch-up window and its period come from `core.digest` (the
functions the scheduler's run uses), and a week counts as delivered when its ledger entry is finished — the
same test `DigestLedger.finished_users` applies before the run sends anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.digest import digest_period, is_due, send_time, week_start
from core.models import User
from core.service import Navigator
from core.storage.digest_ports import is_finished

LOOKAHEAD_WEEKS = 5  # a schedule with a month or day-of-month field can skip weeks


async def next_digest(nav: Navigator, user: User, schedule: str) -> datetime | None:
    """When the scheduler will send `user` their digest: `now` when this week's is due and not delivered yet,
    else the send time of the first later week not yet delivered. None when they are not subscribed or the
    schedule does not fire within LOOKAHEAD_WEEKS."""
    if not user.digest_opt_in or user.telegram_id is None:
        return None
    now, zone = nav.clock.now(), user.timezone
    if is_due(now, zone, schedule) and not await _delivered(nav, user.id, digest_period(now, zone)):
        return now
    monday = week_start(now, zone)
    for week in range(LOOKAHEAD_WEEKS):
        fire = send_time(monday + timedelta(days=7 * week), zone, schedule)  # wall-clock days: DST-proof
        if fire is not None and fire > now and not await _delivered(nav, user.id, digest_period(fire, zone)):
            return fire
    return None


async def _delivered(nav: Navigator, user_id: str, period: str) -> bool:
    return is_finished(await nav.store.digests.get(user_id, period))
