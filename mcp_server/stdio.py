"""The stdio transport: one local client, identified by CAREER_NAV_TOKEN (checked before serving)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.errors import AuthError
from core.service import Navigator
from mcp_server.server import build_server

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger("career_nav.mcp")


async def run_stdio(nav: Navigator, settings: Settings) -> None:
    """Serves MCP on stdin/stdout until the client closes it. An invalid CAREER_NAV_TOKEN refuses to start."""
    secret = settings.career_nav_token.get_secret_value().strip() if settings.career_nav_token else ""
    token = secret or None
    if token is not None:
        await check_token(nav, token)
    await build_server(nav, identity=token).run_stdio_async(show_banner=False)


async def check_token(nav: Navigator, token: str) -> None:
    """AuthError with a one-line reason when the token does not verify (expired, revoked, wrong audience, ...)."""
    try:
        user = await nav.accounts.verify_token(token)
    except AuthError as exc:
        message = f"CAREER_NAV_TOKEN is not valid: {exc}"
        raise AuthError(message, reason=exc.reason) from None
    log.info("MCP stdio server: calls are made as user %s", user.id)
