"""MCP adapter (fastmcp): tools, resources and prompts over the core Navigator, served on stdio or streamable HTTP.

    build_server(nav, identity=None)  the FastMCP server (mcp_server.server)
    build_http_app(nav)               ASGI app: /mcp with bearer-token checks, GET /health (mcp_server.http)
    run_http(nav, settings, host, port, stop)   serve HTTP until `stop` is set
    run_stdio(nav, settings)          serve stdio; CAREER_NAV_TOKEN is verified first
"""

from __future__ import annotations

from mcp_server.http import build_http_app, run_http
from mcp_server.server import build_server
from mcp_server.stdio import run_stdio

__all__ = ["build_http_app", "build_server", "run_http", "run_stdio"]
