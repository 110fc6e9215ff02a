"""/digest now and /digest preview: this week's digest through the same core path as the scheduler.

`now` claims the week's ledger entry, builds, sends and records it (so the scheduled run will not repeat it);
`preview` builds it and shows it here without recording anything.
"""

from __future__ import annotations

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import NavContext, current_user
from bot.render import esc
from bot.replies import photo, send
from core.digest import digest_period
from core.digest_delivery import (
    Delivery,
    DeliveryFailed,
    DeliveryRefused,
    DeliveryUncertain,
    DigestComposer,
    DigestSender,
    OutgoingDigest,
    Outcome,
    RecipientGone,
    SendAttempts,
)

REPLIES = {
    Outcome.ALREADY_DONE: "📬 This week's digest has already been sent to you. /digest preview shows it again.",
    Outcome.IN_PROGRESS: "📬 Your digest for this week is being sent right now.",
    Outcome.NO_CHAT: "📬 I can only send the digest in a private chat with you.",
}
TROUBLE = "😕 I couldn't send your digest just now ({detail}). Please try again later."


class ChatNotifier:
    """The core Notifier port over this bot's own `Bot` (its AIORateLimiter already waits out flood control)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, message: OutgoingDigest, attempts: SendAttempts) -> int | None:
        await attempts.before_send()
        try:
            if message.chart is not None:
                sent = await self._bot.send_photo(chat_id, message.chart, caption=message.text, parse_mode=ParseMode.HTML)
            else:
                sent = await self._bot.send_message(chat_id, message.text, parse_mode=ParseMode.HTML)
        except Forbidden as exc:
            raise RecipientGone(exc.message) from exc
        except BadRequest as exc:
            raise (RecipientGone if "chat not found" in exc.message.lower() else DeliveryRefused)(exc.message) from exc
        except RetryAfter as exc:
            await attempts.not_sent()
            raise DeliveryFailed(exc.message) from exc
        except TimedOut as exc:
            raise DeliveryUncertain(exc.message) from exc
        except NetworkError as exc:
            await attempts.not_sent()
            raise DeliveryFailed(exc.message) from exc
        return sent.message_id


async def digest_now(update: Update, context: NavContext) -> None:
    """Sends this week's digest now and records it, so the scheduled one will not repeat it."""
    user = await current_user(update, context)
    nav = context.navigator
    delivery = await DigestSender(nav, ChatNotifier(context.bot)).deliver(user, digest_period(nav.clock.now(), user.timezone))
    if delivery.outcome != Outcome.SENT:
        await send(update, _reply(delivery))


async def digest_preview(update: Update, context: NavContext) -> None:
    """Shows this week's digest here without sending or recording it."""
    user = await current_user(update, context)
    nav = context.navigator
    composed = await DigestComposer(nav).compose(user, digest_period(nav.clock.now(), user.timezone))
    if composed.message.chart is not None:
        await photo(update, composed.message.chart, composed.message.text)
    else:
        await send(update, composed.message.text)


def _reply(delivery: Delivery) -> str:
    return REPLIES.get(delivery.outcome) or TROUBLE.format(detail=esc(delivery.detail or delivery.outcome.value))


DIGEST_ACTIONS = {"now": digest_now, "preview": digest_preview}
