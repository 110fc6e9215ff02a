"""`python -m mcp_server [--transport stdio|http] [--host H] [--port P]`: the same as `career-nav mcp`."""

from __future__ import annotations

import argparse
import sys

from cli import mcp


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m mcp_server")
    mcp.add_arguments(parser)
    args = parser.parse_args()
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
