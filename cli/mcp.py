"""`career-nav mcp [--transport stdio|http] [--host H] [--port P] [--workers N]`: the MCP server for LLM assistants."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from cli.app import CliError, navigator, run
from core.bootstrap import open_navigator
from core.lifecycle import stop_on_signals
from core.settings import Settings


async def serve(args: argparse.Namespace, settings: Settings) -> int:
    from mcp_server import run_http, run_stdio  # fastmcp takes ~1 s to import; other commands should not pay

    workers = args.workers if args.workers is not None else settings.mcp_workers
    if args.transport == "stdio" and args.workers is not None:
        raise CliError("--workers applies to --transport http (a stdio server talks to one client)")
    async with navigator(settings) as nav:  # opens the store (migrations included) and checks it, once
        if args.transport == "stdio":
            await run_stdio(nav, settings)
            return 0
        if workers == 1:
            await run_http(nav, *_address(args, settings), stop_on_signals(), on_ready=_announce)
            return 0
    from mcp_server.workers import run_http_workers

    await run_http_workers(partial(open_navigator, settings), settings, *_address(args, settings), workers, stop_on_signals(), on_ready=_announce)
    return 0


def _address(args: argparse.Namespace, settings: Settings) -> tuple[str, int]:
    return args.host or settings.mcp_host, args.port if args.port is not None else settings.mcp_port


def _announce(url: str) -> None:
    print(f"MCP server on {url} (Ctrl+C stops)", file=sys.stderr, flush=True)


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0-65535 (0 picks a free one)")
    return value


def _workers(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 32:
        raise argparse.ArgumentTypeError("workers is 1-32 (about one per CPU core)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mcp", help="serve the MCP server for LLM assistants (stdio, or streamable HTTP with GET /health)")
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio", help="stdio for a local MCP client (default), http for streamable HTTP at /mcp")
    p.add_argument("--host", help="HTTP bind address (default: MCP_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=_port, help="HTTP port (default: MCP_PORT, else 8000)")
    p.add_argument("--workers", type=_workers, help="HTTP worker processes, 1-32 (default: MCP_WORKERS, else 1); more than one serves statelessly")
    p.set_defaults(handler=lambda args: run(serve, args))
