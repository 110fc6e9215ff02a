"""The `career-nav` command: a thin adapter over the core, like the bot and the MCP server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import bot, data, digest, ingest, market, match, mcp, serve, skills, user


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="career-nav", description="Career Navigator: steer a technical career with evidence from the job market.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (serve, market, data, ingest, digest, skills, match, user, mcp, bot):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
