"""MCP personal tokens: JWTs (PyJWT) backed by a `jti` ledger and a per-user token version.

A token is accepted only when every check passes: the pinned HS* algorithm, a valid signature, all of
sub/iat/exp/jti/iss/aud/ver present, our issuer and audience, not expired by the Clock, a ledger entry that
is neither revoked nor someone else's, and a `ver` equal to the user's current token_version ("revoke all"
bumps it). Each refusal raises AuthError with a distinct `reason` and logs that reason — never the token.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, NoReturn, Protocol

import jwt
from pydantic import BaseModel, Field

from core.clock import Clock
from core.errors import AuthError, ConfigError, InvalidInput, NotFound
from core.models import User
from core.storage.account_ports import TokenRecord, TokenRepository
from core.storage.ports import UserRepository

log = logging.getLogger("career_nav.accounts")

AUDIENCE = "career-navigator-mcp"
REQUIRED_CLAIMS = ("sub", "iat", "exp", "jti", "iss", "aud")
DEFAULT_TOKEN_DAYS = 30
TOKEN_DAYS = (1, 365)
MAX_TOKEN_LENGTH = 4096
IAT_LEEWAY = timedelta(seconds=30)
TOUCH_EVERY = timedelta(minutes=1)  # "last used" need not cost a write on every call
REJECTED = "This token is not valid. Create a new one with /token or `career-nav user token`."
EXPIRED = "This token has expired. Create a new one with /token or `career-nav user token`."


class TokenSettings(Protocol):
    """The part of core.settings.Settings the account services need."""

    jwt_algorithm: str
    app_name: str

    def jwt_secret(self) -> str: ...


class IssuedToken(BaseModel):
    """A freshly issued token: the only time the token itself is ever available."""

    token: str = Field(repr=False)
    jti: str
    expires_at: datetime


class TokenInfo(BaseModel):
    """An active token as listed to its owner (never the token itself)."""

    jti: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None


def issuer_for(app_name: str) -> str:
    """The `iss` claim: the app name as a slug ("Career Navigator" -> "career-navigator")."""
    return re.sub(r"[^a-z0-9]+", "-", app_name.lower()).strip("-") or "career-navigator"


class TokenService:
    def __init__(self, tokens: TokenRepository, users: UserRepository, clock: Clock, *, secret: str, algorithm: str, issuer: str) -> None:
        if not algorithm.startswith("HS"):
            message = f"MCP tokens are signed with an HS* algorithm, not {algorithm!r}."
            raise ConfigError(message)
        self._tokens = tokens
        self._users = users
        self._clock = clock
        self._secret = secret
        self._algorithm = algorithm
        self.issuer = issuer

    async def issue(self, user: User, days: int | None = None) -> IssuedToken:
        days = DEFAULT_TOKEN_DAYS if days is None else days
        if isinstance(days, bool) or not isinstance(days, int) or not TOKEN_DAYS[0] <= days <= TOKEN_DAYS[1]:
            message = f"days must be between {TOKEN_DAYS[0]} and {TOKEN_DAYS[1]} (got {days!r})."
            raise InvalidInput(message)
        now = self._clock.now().replace(microsecond=0)
        record = TokenRecord(secrets.token_urlsafe(16), user.id, user.token_version, now, now + timedelta(days=days))
        claims = {
            "sub": user.id,
            "iat": int(now.timestamp()),
            "exp": int(record.expires_at.timestamp()),
            "jti": record.jti,
            "iss": self.issuer,
            "aud": AUDIENCE,
            "ver": user.token_version,
        }
        await self._tokens.add(record)
        log.info("token issued: user=%s jti=%s expires=%s", user.id, record.jti, record.expires_at.isoformat())
        return IssuedToken(token=jwt.encode(claims, self._secret, algorithm=self._algorithm), jti=record.jti, expires_at=record.expires_at)

    async def verify(self, token: str) -> User:
        """The user a token belongs to; AuthError with a distinct reason otherwise."""
        claims = self._decode(token)
        user = await self._users.get(claims["sub"])
        if user is None or not user.is_active:
            self._reject("unknown_user", claims)
        record = await self._tokens.get(claims["jti"])
        if record is None or record.user_id != user.id or record.revoked_at is not None or claims["ver"] != user.token_version:
            self._reject("revoked", claims)
        await self._touch(record)
        return user

    def _decode(self, token: str) -> dict[str, Any]:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            self._reject("malformed")
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[self._algorithm],
                audience=AUDIENCE,
                issuer=self.issuer,
                # Time checks use our Clock below (PyJWT would read the wall clock).
                options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as exc:
            self._reject(_reason(exc))
        self._check_times(claims)
        return claims

    def _check_times(self, claims: dict[str, Any]) -> None:
        if not all(_is_number(claims[name]) for name in ("exp", "iat")) or not _is_int(claims.get("ver")):
            self._reject("missing_claim" if claims.get("ver") is None else "malformed", claims)
        now = self._clock.now().timestamp()
        if claims["exp"] <= now:
            self._reject("expired", claims)
        if claims["iat"] > now + IAT_LEEWAY.total_seconds():
            self._reject("not_yet_valid", claims)

    def _reject(self, reason: str, claims: dict[str, Any] | None = None) -> NoReturn:
        claims = claims or {}
        log.warning("token rejected: reason=%s sub=%s jti=%s", reason, _safe(claims.get("sub")), _safe(claims.get("jti")))
        raise AuthError(EXPIRED if reason == "expired" else REJECTED, reason=reason)

    async def _touch(self, record: TokenRecord) -> None:
        now = self._clock.now()
        if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
            await self._tokens.touch(record.jti, now)

    async def list_active(self, user_id: str) -> list[TokenInfo]:
        records = await self._tokens.active_for_user(user_id, self._clock.now())
        return [TokenInfo(jti=r.jti, created_at=r.created_at, expires_at=r.expires_at, last_used_at=r.last_used_at) for r in records]

    async def revoke(self, user_id: str, jti: str) -> None:
        """Revokes one of the user's own tokens; another user's jti is indistinguishable from an unknown one."""
        if not await self._tokens.revoke(user_id, jti, self._clock.now()):
            message = "No active token with that id."
            raise NotFound(message)
        log.info("token revoked: user=%s jti=%s", user_id, jti)

    async def revoke_all(self, user: User) -> int:
        """Bumps the user's token version (so even tokens missing from the ledger die) and marks the ledger."""
        await self._users.update(user.id, {"token_version": user.token_version + 1})
        count = await self._tokens.revoke_all(user.id, self._clock.now())
        log.info("all tokens revoked: user=%s count=%d", user.id, count)
        return count


def _reason(exc: jwt.PyJWTError) -> str:
    # Order matters: InvalidSignatureError is a DecodeError, and every one is an InvalidTokenError.
    reasons: tuple[tuple[type[Exception], str], ...] = (
        (jwt.InvalidAlgorithmError, "algorithm"),
        (jwt.InvalidSignatureError, "invalid_signature"),
        (jwt.MissingRequiredClaimError, "missing_claim"),
        (jwt.InvalidAudienceError, "wrong_audience"),
        (jwt.InvalidIssuerError, "wrong_issuer"),
        (jwt.ExpiredSignatureError, "expired"),
    )
    for kind, reason in reasons:
        if isinstance(exc, kind):
            return reason
    return "malformed"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _safe(value: object) -> str:
    """Claim values are attacker-controlled when a token is rejected: keep them short and printable."""
    text = str(value) if value is not None else "-"
    return re.sub(r"[^A-Za-z0-9_\-]", "?", text)[:48]
