"""Who is calling a tool: a verified HTTP bearer token, a fixed stdio token, or nobody (anonymous).

Over HTTP, `BearerAuthMiddleware` checks `Authorization: Bearer <token>` with the accounts layer before any MCP
handling: a header that does not verify is refused with 401 and is never downgraded to anonymous; a request
without the header is anonymous. Tools ask `Callers` for the user of the current call. Tokens are never logged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastmcp.server.dependencies import get_http_request
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import AuthError, ConfigError
from core.models import User
from core.service import Navigator

log = logging.getLogger("career_nav.mcp")

USER_SCOPE_KEY = "career_nav.user"
TOKEN_NEEDED = (
    "This tool needs your personal token. Get one with /token in the Career Navigator Telegram bot or "
    "`career-nav user token --email you@example.com`, then send it as `Authorization: Bearer <token>` (HTTP) "
    "or set CAREER_NAV_TOKEN (stdio)."
)
NOT_BEARER = "Send the token as `Authorization: Bearer <token>`."


def bearer_token(header: str) -> str:
    """The token of an `Authorization: Bearer <token>` header value; AuthError for any other form."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError(NOT_BEARER, reason="malformed")
    return token.strip()


class Callers:
    """Resolves the user behind the current tool call.

    `token` (stdio: CAREER_NAV_TOKEN) identifies every call and is re-verified on each one, so revoking it takes
    effect at once; without it, the user is the one `BearerAuthMiddleware` verified for this HTTP request.
    `user_id` is an identity the process has already established (the bot's assistant acting for a Telegram user,
    through an in-memory client only): the account is re-read on every call, so a deleted account stops working.
    """

    def __init__(self, nav: Navigator, token: str | None = None, user_id: str | None = None) -> None:
        self._nav = nav
        self._token = token
        self._user_id = user_id

    async def optional(self) -> User | None:
        """The caller, or None when anonymous. AuthError when a presented token does not verify."""
        if self._user_id is not None:
            return await self._nav.accounts.get_profile(self._user_id)
        if self._token is not None:
            return await self._nav.accounts.verify_token(self._token)
        request = _current_request()
        if request is None:
            return None
        user = request.scope.get(USER_SCOPE_KEY)
        if isinstance(user, User):
            return user
        header = request.headers.get("authorization")
        # Reached only when the app was built without BearerAuthMiddleware: still never anonymous.
        return await self._nav.accounts.verify_token(bearer_token(header)) if header is not None else None

    async def required(self) -> User:
        """The caller; AuthError explaining how to get a token when the call is anonymous."""
        user = await self.optional()
        if user is None:
            raise AuthError(TOKEN_NEEDED, reason="missing")
        return user


def _current_request() -> Request | None:
    try:
        return get_http_request()
    except RuntimeError:  # in-memory and stdio calls have no HTTP request
        return None


class BearerAuthMiddleware:
    """ASGI middleware for the MCP endpoint: verifies a bearer token when one is sent, 401 when it fails."""

    def __init__(self, app: ASGIApp, nav: Navigator, path: str) -> None:
        self.app = app
        self.nav = nav
        self.path = path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _under(scope.get("path", ""), self.path):
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization")
        if header is None:
            await self.app(scope, receive, send)
            return
        try:
            scope[USER_SCOPE_KEY] = await self.nav.accounts.verify_token(bearer_token(header))
        except AuthError as exc:
            log.info("mcp request refused: reason=%s", exc.reason)
            await _send_json(send, 401, {"error": "invalid_token", "error_description": str(exc)}, _challenge(str(exc)))
            return
        except ConfigError as exc:
            await _send_json(send, 503, {"error": "unavailable", "error_description": str(exc)})
            return
        await self.app(scope, receive, send)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _challenge(description: str) -> list[tuple[bytes, bytes]]:
    quoted = description.replace("\\", "\\\\").replace('"', "'")
    return [(b"www-authenticate", f'Bearer error="invalid_token", error_description="{quoted}"'.encode())]


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps(body).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": payload})
