"""Accounts: users and profiles, passwords, Telegram link codes, MCP tokens and "delete my data".

The identity layer the bot, the MCP server and the CLI share. Every method that takes a `user_id` acts on
that user's data only; front ends pass the id of the identity they authenticated (Telegram update, token,
CLI email) and never an id taken from the caller's input.

    AccountService          the facade front ends call
    ├── Passwords, Throttle core.accounts_security (argon2id off the loop; failed-attempt windows)
    ├── LinkCodes           core.accounts_links (deep-link codes, atomic consume, explicit re-link)
    └── TokenService        core.accounts_tokens (JWTs, jti ledger, per-user token version)
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from datetime import timedelta
from collections.abc import Sequence

from argon2 import PasswordHasher
from pydantic import BaseModel

from core.accounts_links import LinkCode, LinkCodes, LinkResult
from core.accounts_security import (
    LINK_PER_SOURCE,
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_SOURCE,
    Passwords,
    Throttle,
    check_password_rule,
)
from core.accounts_tokens import IssuedToken, TokenInfo, TokenService, TokenSettings, issuer_for
from core.clock import Clock, SystemClock
from core.errors import AuthError, Conflict, InvalidInput, NotFound
from core.models import ExperienceLevel, ProfileUpdate, User
from core.skills.roles import RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.ports import Store
from core.timezones import resolve_timezone

__all__ = ["USER_LEDGERS", "AccountService", "DeletionReport", "IssuedToken", "LinkCode", "LinkResult", "SkillChange", "TokenInfo"]

log = logging.getLogger("career_nav.accounts")

# Store attributes holding per-user records; each has `delete_for_user`. A new ledger is one more name here.
USER_LEDGERS: tuple[str, ...] = ("credentials", "link_codes", "tokens", "attempts", "digests")

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_TEXT = 200
MAX_SKILLS = 100
MAX_ROLES = 10
BAD_LOGIN = "Incorrect email or password."
ATTEMPT_RETENTION = timedelta(days=1)  # longer than every throttle window


class DeletionReport(BaseModel):
    user_id: str
    removed: dict[str, int]


class SkillChange(BaseModel):
    """What adding or removing skills did: the updated user, what changed, and what could not be applied."""

    user: User
    changed: list[str] = []
    unchanged: list[str] = []
    unknown: dict[str, list[str]] = {}


class AccountService:
    def __init__(
        self,
        store: Store,
        taxonomy: Taxonomy,
        roles: RoleCatalog,
        settings: TokenSettings,
        clock: Clock | None = None,
        *,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._taxonomy = taxonomy
        self._roles = roles
        self._clock = clock or SystemClock()
        secret = settings.jwt_secret()
        self._passwords = Passwords(hasher)
        self._throttle = Throttle(store.attempts, self._clock, hashlib.sha256(b"throttle-keys\0" + secret.encode()).digest())
        self._links = LinkCodes(store.link_codes, store.users, self._throttle, self._clock)
        self._tokens = TokenService(
            store.tokens, store.users, self._clock, secret=secret, algorithm=settings.jwt_algorithm, issuer=issuer_for(settings.app_name)
        )

    # --- users and profiles -------------------------------------------------------------------------

    async def create_with_password(
        self,
        email: str,
        password: str,
        *,
        full_name: str | None = None,
        skills: Sequence[str] = (),
        target_roles: Sequence[str] = (),
        experience_level: ExperienceLevel | None = None,
        location: str | None = None,
    ) -> User:
        """Creates an email + password account; the password must satisfy the seed's rule."""
        address = _clean_email(email)
        check_password_rule(password)
        profile = ProfileUpdate(full_name=full_name, skills=list(skills), target_roles=list(target_roles), experience_level=experience_level, location=location)
        fields = self._profile_fields(profile)
        password_hash = await self._passwords.hash(password)
        user = await self._store.users.create(User(id=_new_id(), email=address, **fields))
        await self._store.credentials.set(user.id, password_hash, self._clock.now())
        log.info("user created: user=%s via=email", user.id)
        return user

    async def authenticate(self, email: str, password: str, *, source: str) -> User:
        """The user for email + password. Unknown emails cost the same argon2 work and fail alike."""
        address = email.strip().lower() if isinstance(email, str) else ""
        await self._throttle.check(LOGIN_PER_SOURCE, source)
        await self._throttle.check(LOGIN_PER_ACCOUNT, address)
        user = await self._store.users.get_by_email(address) if address else None
        stored = await self._store.credentials.get(user.id) if user else None
        candidate = password if isinstance(password, str) else ""
        if not await self._passwords.verify(stored, candidate) or user is None or stored is None or not user.is_active:
            await self._throttle.fail(LOGIN_PER_SOURCE, source)
            await self._throttle.fail(LOGIN_PER_ACCOUNT, address, user.id if user else None)
            log.warning("login failed: user=%s", user.id if user else "-")
            raise AuthError(BAD_LOGIN, reason="bad_credentials")
        await self._throttle.reset(LOGIN_PER_ACCOUNT, address)
        if self._passwords.needs_rehash(stored):
            await self._store.credentials.set(user.id, await self._passwords.hash(candidate), self._clock.now())
            log.info("password rehashed with current parameters: user=%s", user.id)
        return user

    async def get_or_create_telegram_user(self, telegram_id: int, name: str | None = None, username: str | None = None) -> User:
        """The account of a Telegram identity, created on first contact."""
        _check_telegram_id(telegram_id)
        existing = await self._store.users.get_by_telegram_id(telegram_id)
        if existing is not None:
            if username != existing.telegram_username:
                return await self._store.users.update(existing.id, {"telegram_username": username}) or existing
            return existing
        user = User(id=_new_id(), telegram_id=telegram_id, telegram_username=username, full_name=_clean_text("name", name))
        try:
            created = await self._store.users.create(user)
        except Conflict:  # another process created it first
            raced = await self._store.users.get_by_telegram_id(telegram_id)
            if raced is None:
                raise
            return raced
        log.info("user created: user=%s via=telegram", created.id)
        return created

    async def get_profile(self, user_id: str) -> User:
        return await self._user(user_id)

    async def find_by_email(self, email: str) -> User:
        """For operator tools (CLI): the account registered with an email."""
        user = await self._store.users.get_by_email(_clean_email(email))
        if user is None:
            message = "No account with that email."
            raise NotFound(message)
        return user

    async def update_profile(self, user_id: str, update: ProfileUpdate) -> User:
        """Changes the given fields of the user's own profile (skills and roles validated and canonicalised)."""
        await self._user(user_id)
        fields = self._profile_fields(update)
        if not fields:
            return await self._user(user_id)
        updated = await self._store.users.update(user_id, fields)
        if updated is None:
            raise _no_account()
        return updated

    async def add_skills(self, user_id: str, texts: Sequence[str]) -> SkillChange:
        """Adds the skills `texts` name (canonicalised); unknown text comes back with "did you mean" suggestions."""
        user = await self._user(user_id)
        result = self._taxonomy.normalise_skills(texts)
        added = [name for name in result.known if name not in user.skills]
        if len(user.skills) + len(added) > MAX_SKILLS:
            message = f"At most {MAX_SKILLS} skills, please."
            raise InvalidInput(message)
        if added:
            user = await self._store.users.update(user_id, {"skills": [*user.skills, *added]}) or user
        unchanged = [name for name in result.known if name not in added]
        return SkillChange(user=user, changed=added, unchanged=unchanged, unknown=result.unknown)

    async def remove_skills(self, user_id: str, texts: Sequence[str]) -> SkillChange:
        """Removes the named skills (by canonical name or as stored); text naming none of them is `unchanged`."""
        user = await self._user(user_id)
        targets: dict[str, str] = {}
        for text in (t.strip() for t in texts if t and t.strip()):
            entry = self._taxonomy.resolve(text)
            targets[text] = entry.name if entry else text
        stored = {name.lower(): name for name in user.skills}
        removed = [stored[name.lower()] for name in dict.fromkeys(targets.values()) if name.lower() in stored]
        if removed:
            user = await self._store.users.update(user_id, {"skills": [s for s in user.skills if s not in removed]}) or user
        unchanged = [text for text, name in targets.items() if name.lower() not in stored]
        return SkillChange(user=user, changed=removed, unchanged=unchanged)

    def _profile_fields(self, update: ProfileUpdate) -> dict[str, object]:
        fields: dict[str, object] = {}
        if update.full_name is not None:
            fields["full_name"] = _clean_text("full_name", update.full_name)
        if update.skills is not None:
            fields["skills"] = self._canonical_skills(update.skills)
        if update.target_roles is not None:
            fields["target_roles"] = self._canonical_roles(update.target_roles)
        if update.experience_level is not None:
            fields["experience_level"] = update.experience_level
        if update.location is not None:
            fields["location"] = _clean_text("location", update.location)
        if update.timezone is not None:
            fields["timezone"] = _check_timezone(update.timezone)
        if update.digest_opt_in is not None:
            fields["digest_opt_in"] = update.digest_opt_in
        return fields

    def _canonical_skills(self, skills: Sequence[str]) -> list[str]:
        if len(skills) > MAX_SKILLS:
            message = f"At most {MAX_SKILLS} skills, please."
            raise InvalidInput(message)
        result = self._taxonomy.normalise_skills(skills)
        if result.unknown:
            raise InvalidInput(_unknown_skills_message(result.unknown))
        return result.known

    def _canonical_roles(self, roles: Sequence[str]) -> list[str]:
        if len(roles) > MAX_ROLES:
            message = f"At most {MAX_ROLES} target roles, please."
            raise InvalidInput(message)
        names: list[str] = []
        for text in roles:
            name = self._roles.resolve(text).name  # UnknownRole lists close matches
            if name not in names:
                names.append(name)
        return names

    # --- Telegram link codes ------------------------------------------------------------------------

    async def create_link_code(self, user_id: str) -> LinkCode:
        """A one-time code (10 minutes) that links a Telegram identity to this account."""
        return await self._links.create(await self._user(user_id))

    async def redeem_link_code(
        self,
        code: str,
        telegram_id: int,
        name: str | None = None,
        *,
        username: str | None = None,
        confirm: bool = False,
        source: str | None = None,
    ) -> LinkResult:
        """Links the Telegram identity to the code's account; moving it from another account needs confirm=True."""
        _check_telegram_id(telegram_id)
        result = await self._links.redeem(code, telegram_id, username, confirm=confirm, source=source or _telegram_source(telegram_id))
        if result.status == "linked" and name:
            user = await self._store.users.get(result.user_id)
            if user is not None and not user.full_name:
                await self._store.users.update(user.id, {"full_name": _clean_text("name", name)})
        return result

    # --- MCP tokens ---------------------------------------------------------------------------------

    async def issue_token(self, user_id: str, days: int | None = None) -> IssuedToken:
        """A personal MCP token (default 30 days); the token is shown once and never stored."""
        return await self._tokens.issue(await self._user(user_id), days)

    async def verify_token(self, token: str) -> User:
        """The user a token belongs to; AuthError with a distinct `reason` for every kind of refusal."""
        return await self._tokens.verify(token)

    async def list_tokens(self, user_id: str) -> list[TokenInfo]:
        await self._user(user_id)
        return await self._tokens.list_active(user_id)

    async def revoke_token(self, user_id: str, jti: str) -> None:
        await self._user(user_id)
        await self._tokens.revoke(user_id, jti)

    async def revoke_all_tokens(self, user_id: str) -> int:
        return await self._tokens.revoke_all(await self._user(user_id))

    # --- delete my data -----------------------------------------------------------------------------

    async def delete_user(self, user_id: str) -> DeletionReport:
        """Removes the user and every per-user ledger (ledgers first, so a failure can simply be retried)."""
        user = await self._user(user_id)
        removed = {name: await getattr(self._store, name).delete_for_user(user_id) for name in USER_LEDGERS}
        if user.email:
            await self._throttle.reset(LOGIN_PER_ACCOUNT, user.email)
        if user.telegram_id is not None:
            await self._throttle.reset(LINK_PER_SOURCE, _telegram_source(user.telegram_id))
        removed["users"] = int(await self._store.users.delete(user_id))
        log.info("user deleted: user=%s", user_id)
        return DeletionReport(user_id=user_id, removed=removed)

    async def purge_expired(self) -> dict[str, int]:
        """Housekeeping for the cleanup job: spent link codes and attempts older than any throttle window."""
        now = self._clock.now()
        return {
            "link_codes": await self._store.link_codes.delete_expired(now),
            "attempts": await self._store.attempts.delete_older_than(now - ATTEMPT_RETENTION),
        }

    async def _user(self, user_id: str) -> User:
        user = await self._store.users.get(user_id) if isinstance(user_id, str) and user_id else None
        if user is None:
            raise _no_account()
        return user


def _new_id() -> str:
    return uuid.uuid4().hex


def _no_account() -> NotFound:
    return NotFound("No such account.")


def _telegram_source(telegram_id: int) -> str:
    return f"telegram:{telegram_id}"


def _clean_email(email: str) -> str:
    address = email.strip().lower() if isinstance(email, str) else ""
    if len(address) > 254 or not EMAIL_PATTERN.fullmatch(address):
        message = "Give a valid email address, e.g. ada@example.com."
        raise InvalidInput(message)
    return address


def _clean_text(name: str, value: str | None) -> str | None:
    text = value.strip() if value else ""
    if len(text) > MAX_TEXT:
        message = f"{name} must be at most {MAX_TEXT} characters."
        raise InvalidInput(message)
    return text or None


def _check_timezone(name: str) -> str:
    """The canonical IANA name ("europe/berlin" -> "Europe/Berlin", "UTC+2" -> "Etc/GMT-2"); close names on a miss."""
    return resolve_timezone(name)  # UnknownTimezone lists close names


def _check_telegram_id(telegram_id: int) -> None:
    if isinstance(telegram_id, bool) or not isinstance(telegram_id, int) or telegram_id <= 0:
        message = "A Telegram identity is a positive integer."
        raise InvalidInput(message)


def _unknown_skills_message(unknown: dict[str, list[str]]) -> str:
    parts = []
    for text, suggestions in unknown.items():
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        parts.append(f"{text!r}{hint}")
    return "Unknown skills: " + "; ".join(parts) + "."
