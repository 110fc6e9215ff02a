"""The domain error tree every front end translates at its edge.

    DomainError                 base: a message safe to show to the user
    ├── InvalidInput            the caller's input is wrong (bad option, unknown role, empty skills)
    │   ├── UnknownRole         a role that does not resolve; carries close matches
    │   └── UnknownTimezone     a timezone that names no IANA zone; carries close matches
    ├── NotFound                a thing the caller named does not exist (user, resource, project)
    ├── InsufficientData        too few postings to answer; carries the count found
    ├── Conflict                the request collides with existing state (e.g. email already registered)
    ├── AuthError               identity problems (bad password, bad/expired/revoked token, bad link code)
    │   └── Throttled           too many failed attempts; carries retry_after seconds
    ├── ConfigError             a setting is missing or invalid for the requested operation
    └── UpstreamError           an external service failed (TheirStack, Telegram); see core.ingest.errors

The bot replies with `str(error)`, MCP raises `ToolError(str(error))`, the CLI prints it on one line and exits
with `error.exit_code`.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base class: the message is meant for the user and never contains secrets."""

    exit_code = 1


class InvalidInput(DomainError):
    exit_code = 2


class UnknownRole(InvalidInput):
    def __init__(self, role: str, suggestions: Sequence[str] = ()) -> None:
        self.role = role
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        message = f"Unknown role {role!r}.{hint}"
        super().__init__(message)


class UnknownTimezone(InvalidInput):
    def __init__(self, timezone: str, suggestions: Sequence[str] = ()) -> None:
        self.timezone = timezone
        self.suggestions = list(suggestions)
        hint = f"Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else "Use an IANA name such as Europe/Berlin, America/New_York or UTC."
        message = f"Unknown timezone {timezone!r}. {hint}"
        super().__init__(message)


class NotFound(DomainError):
    exit_code = 3


class InsufficientData(DomainError):
    exit_code = 4

    def __init__(self, message: str, found: int = 0, needed: int = 0) -> None:
        self.found = found
        self.needed = needed
        super().__init__(message)


class Conflict(DomainError):
    exit_code = 5


class AuthError(DomainError):
    exit_code = 6

    def __init__(self, message: str, reason: str = "invalid") -> None:
        self.reason = reason
        super().__init__(message)


class Throttled(AuthError):
    def __init__(self, message: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message, reason="throttled")


class ConfigError(DomainError):
    exit_code = 2


class UpstreamError(DomainError):
    exit_code = 7
