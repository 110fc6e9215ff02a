"""`career-nav up`: everything on this machine in one process — store, MCP over HTTP, scheduler, and the bot
when a token is set — sharing one Navigator."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from cli.app import navigator, run
from core.lifecycle import stop_on_signals
from core.service import Navigator
from core.settings import Settings

log = logging.getLogger("career_nav.up")
DEMO_POSTINGS = 5000


async def ensure_data(nav: Navigator, settings: Settings, allow_demo: bool) -> None:
    """A fresh store with no TheirStack key gets demo postings, so every answer has data behind it."""
    if not allow_demo or settings.their_stack_api_key is not None:
        return
    if await nav.store.postings.count() == 0:
        print(f"Empty store and no THEIR_STACK_API_KEY: loading {DEMO_POSTINGS:,} demo postings…", flush=True)
        await nav.load_demo_data(DEMO_POSTINGS, seed=42)



def services(nav: Navigator, settings: Settings, args: argparse.Namespace, stop: asyncio.Event) -> dict[str, Coroutine[Any, Any, None]]:
    from mcp_server.http import run_http
    from scheduler.app import run_scheduler

    host, port = args.host or settings.mcp_host, args.port or settings.mcp_port
    running = {
        "mcp": run_http(nav, host, port, stop, on_ready=lambda url: print(f"MCP server: {url}", flush=True)),
        "scheduler": run_scheduler(nav, settings, stop),
    }
    if settings.telegram_bot_token is not None:
        from bot.app import run_bot

        running["bot"] = run_bot(nav, settings, stop)
    else:
        print("Telegram bot: off (set TELEGRAM_BOT_TOKEN to start it).", flush=True)
    return running


async def supervise(running: dict[str, Coroutine[Any, Any, None]], stop: asyncio.Event) -> int:
    """Runs the services until stop; if one fails, stops the others and reports it."""
    tasks = {asyncio.create_task(coro, name=name): name for name, coro in running.items()}
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    failed = [(tasks[t], t.exception()) for t in done if not t.cancelled() and t.exception()]
    for name, error in failed:
        log.error("%s stopped with an error", name, exc_info=error)
    return 1 if failed else 0


async def up(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        await ensure_data(nav, settings, allow_demo=not args.no_demo)
        stats = await nav.stats()
        print(f"Career Navigator is up: {stats.store} store, {stats.postings:,} postings ({stats.demo_postings:,} demo). Ctrl+C stops.", flush=True)
        stop = stop_on_signals()
        code = await supervise(services(nav, settings, args, stop), stop)
    print("Stopped.", flush=True)
    return code


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("up", help="run everything on this machine: store, MCP (HTTP), scheduler, bot if a token is set")
    p.add_argument("--no-demo", action="store_true", help="do not load demo data into an empty store")
    p.add_argument("--demo-if-empty", action="store_true", help=argparse.SUPPRESS)  # the default; kept for the Makefile
    p.add_argument("--host", help="MCP HTTP host (default MCP_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help="MCP HTTP port (default MCP_PORT, 8000)")
    p.set_defaults(handler=lambda args: run(up, args))
