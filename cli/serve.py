"""`career-nav up`: everything on this machine in one process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from cli.app import navigator, run
from core.service import Navigator
from core.settings import Settings

log = logging.getLogger("career_nav.up")
DEMO_POSTINGS = 5000


async def ensure_data(nav: Navigator, settings: Settings, allow_demo: bool) -> None:
    """A fresh store with no TheirStack key gets demo postings, so every answer has data behind it."""
    if not allow_demo or settings.their_stack_api_key is not None:
        return
    if await nav.store.postings.count() == 0:
        log.info("empty store and no THEIR_STACK_API_KEY: loading %d demo postings", DEMO_POSTINGS)
        await nav.load_demo_data(DEMO_POSTINGS, seed=42)


async def wait_for_stop() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def up(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        await ensure_data(nav, settings, allow_demo=not args.no_demo)
        stats = await nav.stats()
        print(f"Career Navigator is up: {stats.store} store, {stats.postings:,} postings ({stats.demo_postings:,} demo). Ctrl+C stops.")
        print("Try: career-nav trending --days 30   |   career-nav gap --role 'Data Scientist' --skills Python,SQL")
        await wait_for_stop()
    print("Stopped.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("up", help="run everything on this machine (store, demo data if empty, services)")
    p.add_argument("--no-demo", action="store_true", help="do not load demo data into an empty store")
    p.add_argument("--demo-if-empty", action="store_true", help=argparse.SUPPRESS)  # the default; kept for the Makefile
    p.set_defaults(handler=lambda args: run(up, args))
