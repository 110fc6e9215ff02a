"""Building blocks the account services share: the password rule, argon2id off the event loop, throttling.

Throttling counts failed attempts as timestamped events under opaque keys (a keyed hash of the email, the
source, or the Telegram identity), so the attempts table never holds an email or an address in the clear.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.clock import Clock
from core.errors import InvalidInput, Throttled
from core.storage.account_ports import AttemptRepository

log = logging.getLogger("career_nav.accounts")

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # argon2 hashes any length; a cap keeps one request from costing seconds
PASSWORD_RULE = "Passwords must be at least 8 characters with an uppercase letter, a lowercase letter and a digit."


def check_password_rule(password: str) -> None:
    """The seed's rule: ≥ 8 characters with upper case, lower case and a digit."""
    ok = (
        isinstance(password, str)
        and PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH
        and re.search(r"[A-Z]", password) is not None
        and re.search(r"[a-z]", password) is not None
        and re.search(r"\d", password) is not None
    )
    if not ok:
        raise InvalidInput(PASSWORD_RULE)


class Passwords:
    """argon2id hashing and verification, run in a worker thread so the event loop keeps serving."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when password matches; with no stored hash, burns the same work against a dummy hash."""
        if stored_hash is None:
            await asyncio.to_thread(self._verify, await self._dummy(), password)
            return False
        return await asyncio.to_thread(self._verify, stored_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self.hasher.check_needs_rehash(stored_hash)

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, password)
        except VerificationError:
            return False
        except InvalidHashError:
            log.error("stored password hash is not a valid argon2 hash")
            return False

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16) + "Aa1")
        return self._dummy_hash


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    """At most `limit` failures per `window`; one more is refused until the oldest leaves the window."""

    scope: str
    limit: int
    window: timedelta


LOGIN_PER_ACCOUNT = ThrottleRule("login-account", 5, timedelta(minutes=15))
LOGIN_PER_SOURCE = ThrottleRule("login-source", 20, timedelta(minutes=15))
LINK_PER_SOURCE = ThrottleRule("link-source", 5, timedelta(minutes=15))
THROTTLE_MESSAGE = "Too many failed attempts. Try again in {seconds} seconds."


class Throttle:
    """Failed-attempt counters in the store, shared by every process."""

    def __init__(self, attempts: AttemptRepository, clock: Clock, key_secret: bytes) -> None:
        self._attempts = attempts
        self._clock = clock
        self._key_secret = key_secret

    def key(self, rule: ThrottleRule, subject: str) -> str:
        digest = hmac.new(self._key_secret, f"{rule.scope}\0{subject}".encode(), hashlib.sha256).hexdigest()
        return f"{rule.scope}:{digest[:40]}"

    async def check(self, rule: ThrottleRule, subject: str) -> None:
        """Raises Throttled when the subject has used up its failures for the window."""
        now = self._clock.now()
        failures = await self._attempts.since(self.key(rule, subject), now - rule.window)
        if len(failures) >= rule.limit:
            retry_after = max(1, math.ceil((failures[-rule.limit] + rule.window - now).total_seconds()))
            log.warning("attempt throttled: scope=%s retry_after=%ss", rule.scope, retry_after)
            raise Throttled(THROTTLE_MESSAGE.format(seconds=retry_after), retry_after=retry_after)

    async def fail(self, rule: ThrottleRule, subject: str, user_id: str | None = None) -> None:
        await self._attempts.record(self.key(rule, subject), self._clock.now(), user_id)

    async def reset(self, rule: ThrottleRule, subject: str) -> None:
        await self._attempts.clear(self.key(rule, subject))
