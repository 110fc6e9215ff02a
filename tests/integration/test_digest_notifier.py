"""The Telegram notifier over real sockets (the fake Bot API), and its pacer on virtual time.

What matters for exactly-once: which failures are retried (the request certainly did not deliver), which are
never retried (it may have), and that the idempotency hooks are called around every attempt.
"""

from __future__ import annotations

import logging
import socket

import pytest

from core.digest_delivery import DeliveryFailed, DeliveryRefused, DeliveryUncertain, NotifierBroken, OutgoingDigest, RecipientGone
from scheduler.notifier import TelegramNotifier, TelegramPacer, VirtualTime, estimate_send_seconds
from tests.fakes.telegram_server import FakeTelegram

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
CHAT = 4242


class RecordingAttempts:
    """SendAttempts that remembers the order of the hooks."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def before_send(self) -> None:
        self.events.append("before_send")

    async def not_sent(self) -> None:
        self.events.append("not_sent")


@pytest.fixture(scope="module")
def server():
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeTelegram) -> FakeTelegram:
    server.reset()
    return server


def notifier_for(fake: FakeTelegram, virtual: VirtualTime | None = None, **options) -> TelegramNotifier:
    virtual = virtual or VirtualTime()
    pacer = TelegramPacer(clock=virtual.monotonic, sleep=virtual.sleep)
    return TelegramNotifier(fake.token, fake.base_url, pacer=pacer, sleep=virtual.sleep, **options)


# --- the pacer ----------------------------------------------------------------------------------------------


async def test_the_pacer_lets_at_most_thirty_messages_through_in_any_second() -> None:
    virtual, stamps = VirtualTime(), []
    pacer = TelegramPacer(clock=virtual.monotonic, sleep=virtual.sleep)
    for chat in range(95):
        await pacer.acquire(chat)
        stamps.append(virtual.now)

    assert max(sum(1 for t in stamps if start <= t < start + 1) for start in stamps) == 30
    assert stamps[-1] == 3.0


async def test_the_pacer_spaces_messages_to_one_chat_a_second_apart() -> None:
    virtual, stamps = VirtualTime(), []
    pacer = TelegramPacer(clock=virtual.monotonic, sleep=virtual.sleep)
    for _ in range(3):
        await pacer.acquire(CHAT)
        stamps.append(virtual.now)

    assert stamps == [0.0, 1.0, 2.0]


async def test_a_flood_wait_holds_every_chat() -> None:
    virtual = VirtualTime()
    pacer = TelegramPacer(clock=virtual.monotonic, sleep=virtual.sleep)
    pacer.pause(5)

    await pacer.acquire(1)

    assert virtual.now == 5.0


async def test_sending_to_five_thousand_chats_takes_at_least_166_seconds_under_the_limits() -> None:
    assert await estimate_send_seconds(list(range(5000))) == (5000 - 1) // 30


# --- answers from the Bot API -------------------------------------------------------------------------------


async def test_a_digest_with_a_chart_goes_out_as_one_photo_with_the_text_as_caption(fake) -> None:
    async with notifier_for(fake) as notifier:
        message_id = await notifier.send(CHAT, OutgoingDigest("<b>Your digest</b> &amp; more", PNG), RecordingAttempts())

    [sent] = fake.sent(CHAT)
    assert (sent.kind, sent.text, sent.photo, sent.message_id) == ("photo", "Your digest & more", PNG, message_id)


async def test_flood_control_is_waited_out_with_the_hooks_around_each_attempt(fake) -> None:
    fake.fail_next("sendMessage", 429, retry_after=7)
    virtual, attempts = VirtualTime(), RecordingAttempts()

    async with notifier_for(fake, virtual) as notifier:
        await notifier.send(CHAT, OutgoingDigest("hello"), attempts)

    assert 7 in virtual.sleeps and virtual.now >= 7
    assert attempts.events == ["before_send", "not_sent", "before_send"] and len(fake.sent(CHAT)) == 1


async def test_an_endless_flood_wait_gives_up_without_delivering(fake) -> None:
    fake.fail_next("sendMessage", 429, retry_after=3600)

    async with notifier_for(fake) as notifier:
        with pytest.raises(DeliveryFailed, match="flood control"):
            await notifier.send(CHAT, OutgoingDigest("hello"), RecordingAttempts())


async def test_an_answer_that_never_comes_is_uncertain_and_not_resent(fake) -> None:
    fake.answer_slowly("sendMessage", 1.0)
    attempts = RecordingAttempts()

    async with notifier_for(fake, timeout=0.2) as notifier:
        with pytest.raises(DeliveryUncertain):
            await notifier.send(CHAT, OutgoingDigest("hello"), attempts)

    assert attempts.events == ["before_send"]
    fake.wait_for(lambda: len(fake.sent(CHAT)) == 1, what="the slow request to be processed")
    assert len(fake.calls_to("sendMessage")) == 1


async def test_an_unreachable_bot_api_is_retried_with_backoff_then_reported_as_not_delivered() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    virtual, attempts = VirtualTime(), RecordingAttempts()
    pacer = TelegramPacer(per_chat_seconds=0, clock=virtual.monotonic, sleep=virtual.sleep)  # only backoffs sleep

    async with TelegramNotifier("1:token", f"http://127.0.0.1:{port}/bot", pacer=pacer, sleep=virtual.sleep, max_retries=2, backoff=1.0) as notifier:
        with pytest.raises(DeliveryFailed, match="unreachable"):
            await notifier.send(CHAT, OutgoingDigest("hello"), attempts)

    assert attempts.events == ["before_send", "not_sent"] * 3
    first, second = virtual.sleeps  # jittered exponential backoff: [0.5, 1] then [1, 2]
    assert 0.5 <= first <= 1.0 <= second <= 2.0


@pytest.mark.parametrize(("status", "description", "error"), [
    (403, "Forbidden: bot was blocked by the user", RecipientGone),
    (400, "Bad Request: chat not found", RecipientGone),
    (400, "Bad Request: can't parse entities", DeliveryRefused),
])
async def test_telegram_refusals_map_to_what_the_ledger_must_do(fake, status, description, error) -> None:
    fake.fail_next("sendMessage", status, description=description)

    async with notifier_for(fake) as notifier:
        with pytest.raises(error, match=description):
            await notifier.send(CHAT, OutgoingDigest("hello"), RecordingAttempts())

    assert len(fake.calls_to("sendMessage")) == 1


async def test_malformed_html_is_refused_by_telegram_and_not_retried(fake) -> None:
    async with notifier_for(fake) as notifier:
        with pytest.raises(DeliveryRefused, match="can't parse entities"):
            await notifier.send(CHAT, OutgoingDigest("<b>unclosed"), RecordingAttempts())


async def test_a_rejected_token_stops_everything_and_never_shows_up_in_errors_or_logs(fake, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "999:NotTheRightTokenAtAll-0123456789"

    async with TelegramNotifier(secret, fake.base_url) as notifier:
        with pytest.raises(NotifierBroken) as raised:
            await notifier.send(CHAT, OutgoingDigest("hello"), RecordingAttempts())

    assert secret not in str(raised.value) and secret not in caplog.text
