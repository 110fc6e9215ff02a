"""Domain errors become `ToolError`s at the MCP edge; anything else is masked by the server (mask_error_details)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from fastmcp.exceptions import ToolError

from core.errors import DomainError


@contextmanager
def tool_errors() -> Iterator[None]:
    """Re-raises a DomainError as a ToolError carrying its user-safe, actionable message.

    Domain errors are the caller's to fix (unknown role → close matches, too little data → the count and a
    wider window), so they are logged at DEBUG without a traceback, unlike unexpected failures.
    """
    try:
        yield
    except DomainError as exc:
        message = str(exc)
        raise ToolError(message, log_level=logging.DEBUG) from exc
