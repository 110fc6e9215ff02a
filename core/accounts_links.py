"""Telegram link codes: a one-time code, delivered as a deep link (`/start <code>`), that attaches a Telegram
identity to an existing account.

Codes carry 192 random bits as 32 URL-safe characters (Telegram allows 64 of `A-Za-z0-9_-`), are stored
only as a SHA-256 hash, expire after 10 minutes and are consumed atomically by the store. Moving a Telegram
identity that already belongs to another account needs an explicit `confirm=True`; the other account keeps
all of its data (it is never merged or deleted).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Literal, NoReturn

from pydantic import BaseModel, Field

from core.accounts_security import LINK_PER_SOURCE, Throttle
from core.clock import Clock
from core.errors import AuthError, Conflict, NotFound
from core.models import User
from core.storage.account_ports import LinkCodeRecord, LinkCodeRepository
from core.storage.ports import UserRepository

log = logging.getLogger("career_nav.accounts")

LINK_CODE_TTL = timedelta(minutes=10)
LINK_CODE_BYTES = 24
LINK_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
BAD_CODE = "This link code is invalid, expired or already used. Create a new one with /link."

LinkStatus = Literal["linked", "already_linked", "needs_confirmation"]


class LinkCode(BaseModel):
    code: str = Field(repr=False)
    deep_link_payload: str = Field(repr=False)
    expires_at: datetime

    def deep_link(self, bot_username: str) -> str:
        return f"https://t.me/{bot_username.lstrip('@')}?start={self.deep_link_payload}"


class LinkResult(BaseModel):
    """What redeeming a code did (or, for needs_confirmation, would do once confirmed)."""

    status: LinkStatus
    user_id: str
    telegram_id: int
    previous_user_id: str | None = Field(default=None, description="The account the Telegram identity is moved away from.")
    replaced_telegram_id: int | None = Field(default=None, description="The Telegram identity the account had before.")


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class LinkCodes:
    def __init__(self, codes: LinkCodeRepository, users: UserRepository, throttle: Throttle, clock: Clock) -> None:
        self._codes = codes
        self._users = users
        self._throttle = throttle
        self._clock = clock

    async def create(self, user: User) -> LinkCode:
        now = self._clock.now()
        code = secrets.token_urlsafe(LINK_CODE_BYTES)
        record = LinkCodeRecord(hash_code(code), user.id, now, now + LINK_CODE_TTL)
        await self._codes.add(record)
        log.info("link code created: user=%s expires=%s", user.id, record.expires_at.isoformat())
        return LinkCode(code=code, deep_link_payload=code, expires_at=record.expires_at)

    async def redeem(self, code: str, telegram_id: int, username: str | None, *, confirm: bool, source: str) -> LinkResult:
        await self._throttle.check(LINK_PER_SOURCE, source)
        record = await self._valid_record(code, source)
        owner = await self._users.get(record.user_id)
        if owner is None:
            await self._refuse("owner_gone", source)
        holder = await self._users.get_by_telegram_id(telegram_id)
        result = _plan(owner, holder, telegram_id)
        if result.status == "needs_confirmation" and not confirm:
            log.info("link needs confirmation: user=%s previous_user=%s", owner.id, result.previous_user_id)
            return result
        if await self._codes.consume(record.code_hash, self._clock.now()) is None:
            await self._refuse("used", source)  # a concurrent redeem won
        if result.status != "already_linked":
            await self._move(owner, holder, telegram_id, username)
            result.status = "linked"
        log.info("telegram identity linked: user=%s previous_user=%s", owner.id, result.previous_user_id)
        return result

    async def _valid_record(self, code: str, source: str) -> LinkCodeRecord:
        if not isinstance(code, str) or not LINK_CODE_PATTERN.fullmatch(code):
            await self._refuse("malformed", source)
        record = await self._codes.get(hash_code(code))
        if record is None:
            await self._refuse("unknown", source)
        if record.used_at is not None:
            await self._refuse("used", source)
        if record.expires_at <= self._clock.now():
            await self._refuse("expired", source)
        return record

    async def _refuse(self, reason: str, source: str) -> NoReturn:
        await self._throttle.fail(LINK_PER_SOURCE, source)
        log.warning("link code rejected: reason=%s", reason)
        raise AuthError(BAD_CODE, reason=f"link_code_{reason}")

    async def _move(self, owner: User, holder: User | None, telegram_id: int, username: str | None) -> None:
        if holder is not None and holder.id != owner.id:
            await self._users.update(holder.id, {"telegram_id": None, "telegram_username": None})
        try:
            updated = await self._users.update(owner.id, {"telegram_id": telegram_id, "telegram_username": username})
        except Conflict:
            updated = None
        if updated is None:  # the owner vanished or a concurrent link won: give the identity back
            if holder is not None and holder.id != owner.id:
                await self._users.update(holder.id, {"telegram_id": telegram_id, "telegram_username": holder.telegram_username})
            message = "The account for this link code could not be updated; create a new code."
            raise NotFound(message)


def _plan(owner: User, holder: User | None, telegram_id: int) -> LinkResult:
    result = LinkResult(status="linked", user_id=owner.id, telegram_id=telegram_id)
    if holder is not None and holder.id == owner.id:
        result.status = "already_linked"
        return result
    if holder is not None:
        result.previous_user_id = holder.id
    if owner.telegram_id is not None and owner.telegram_id != telegram_id:
        result.replaced_telegram_id = owner.telegram_id
    if result.previous_user_id or result.replaced_telegram_id:
        result.status = "needs_confirmation"
    return result
