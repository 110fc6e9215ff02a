"""Shared plumbing for `career-nav` subcommands: settings, the navigator, output and errors."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from pydantic import BaseModel

from core.bootstrap import configure_logging, open_navigator
from core.errors import DomainError
from core.service import Navigator
from core.settings import Settings, load_settings

log = logging.getLogger("career_nav.cli")
Handler = Callable[[argparse.Namespace, Settings], Awaitable[int]]


class CliError(DomainError):
    """A usage problem found by the CLI itself."""

    exit_code = 2


@asynccontextmanager
async def navigator(settings: Settings) -> AsyncIterator[Navigator]:
    nav = await open_navigator(settings)
    try:
        yield nav
    finally:
        await nav.close()


def emit_json(value: Any) -> None:
    """Prints a model, a list of models or plain data as JSON on stdout."""
    sys.stdout.write(json.dumps(_plain(value), indent=2, default=str) + "\n")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def fail(message: str, code: int = 1) -> int:
    sys.stderr.write(f"career-nav: {message}\n")
    return code


def run(handler: Handler, args: argparse.Namespace) -> int:
    """Runs one async handler: settings first, then the handler; every failure becomes one line + exit code."""
    try:
        settings = load_settings()
        # Commands print their own results; logs stay at WARNING unless LOG_LEVEL asks for more.
        configure_logging(settings, level=None if "LOG_LEVEL" in os.environ else "WARNING")
        return asyncio.run(handler(args, settings))
    except DomainError as exc:
        return fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except Exception as exc:  # the top-level handler: keep the traceback in the log, one line for the user
        log.debug("unexpected error", exc_info=True)
        return fail(f"unexpected error: {type(exc).__name__}: {exc} (set LOG_LEVEL=DEBUG for the traceback)")


def split_commas(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def comma_list(value: str) -> list[str]:
    """argparse type for `a,b,c`; an explicitly empty list is an error the core explains."""
    return [part.strip() for part in value.split(",")]
