"""`career-nav mcp [--transport stdio|http] [--host H] [--port P]`: the MCP server for LLM assistants."""

from __future__ import annotations

import argparse
import sys

from cli.app import navigator, run, stop_on_signals
from core.settings import Settings


async def serve(args: argparse.Namespace, settings: Settings) -> int:
    from mcp_server import run_http, run_stdio  # fastmcp takes ~1 s to import; other commands should not pay

    async with navigator(settings) as nav:
        if args.transport == "stdio":
            await run_stdio(nav, settings)
            return 0
        stop = stop_on_signals()
        host, port = args.host or settings.mcp_host, args.port if args.port is not None else settings.mcp_port
        await run_http(nav, settings, host, port, stop, on_ready=lambda url: print(f"MCP server on {url} (Ctrl+C stops)", file=sys.stderr, flush=True))
    return 0



def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0-65535 (0 picks a free one)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mcp", help="serve the MCP server for LLM assistants (stdio, or streamable HTTP with GET /health)")
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio", help="stdio for a local MCP client (default), http for streamable HTTP at /mcp")
    p.add_argument("--host", help="HTTP bind address (default: MCP_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=_port, help="HTTP port (default: MCP_PORT, else 8000)")
    p.set_defaults(handler=lambda args: run(serve, args))
