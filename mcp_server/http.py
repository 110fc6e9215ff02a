"""Streamable HTTP: the ASGI app (MCP at /mcp behind bearer checks, GET /health) and `run_http` for embedding."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import socket
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware

from core.errors import ConfigError
from core.service import Navigator
from mcp_server.auth import BearerAuthMiddleware
from mcp_server.health import HEALTH_PATH
from mcp_server.server import build_server

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger("career_nav.mcp")

MCP_PATH = "/mcp"
# fastmcp imports its session-state store on the first tool call of the process (~0.4 s, holding up every caller
# that arrives meanwhile); run_http imports these first, so that cost is paid at startup.
SESSION_STATE_MODULES = ("key_value.aio.adapters.pydantic", "key_value.aio.stores.memory")
# Young-generation GC threshold while serving (CPython's default is 700 allocations).
SERVING_GC_THRESHOLD = (20_000, 20, 20)


def build_http_app(nav: Navigator) -> Starlette:
    """The HTTP app: streamable MCP at /mcp (bearer tokens verified, anonymous allowed) and GET /health."""
    auth = Middleware(BearerAuthMiddleware, nav=nav, path=MCP_PATH)
    # "auto" checks Host/Origin on loopback binds: a web page cannot reach a local server by DNS rebinding.
    return build_server(nav).http_app(path=MCP_PATH, transport="http", middleware=[auth], host_origin_protection="auto", json_response=True)


class _EmbeddedUvicorn(uvicorn.Server):
    """Leaves signal handling to the caller, which stops the server through the `stop` event."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def serving_gc() -> Iterator[None]:
    """Fewer, cheaper cyclic garbage collections while serving; the previous settings come back afterwards.

    Objects built at startup (taxonomy, catalogs, schemas, the app) are frozen out of the collector's scans and young
    objects are collected less often. Under load (bench/mcp.py, 100k postings) the collector otherwise took ~15% of
    the server's CPU and paused it for up to 200 ms at a time.
    """
    previous = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def preload_session_state() -> None:
    for name in SESSION_STATE_MODULES:
        with contextlib.suppress(ImportError):  # a later fastmcp may store session state differently
            importlib.import_module(name)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket (port 0 picks a free one); ConfigError naming host:port when it cannot bind."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        message = f"MCP server cannot listen on {host}:{port}: {exc.strerror or exc} (is the port in use? set --port or MCP_PORT)"
        raise ConfigError(message) from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def endpoint_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{MCP_PATH}"


async def run_http(nav: Navigator, settings: Settings, host: str, port: int, stop: asyncio.Event, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serves MCP over streamable HTTP on host:port until `stop` is set; `on_ready` gets the endpoint URL once bound."""
    sock = listening_socket(host, port)
    preload_session_state()
    # log_config=None keeps the process's logging; no access log (request lines are noise at this volume).
    config = uvicorn.Config(
        build_http_app(nav), host=host, port=port, log_config=None, log_level=settings.log_level.lower(), access_log=False, lifespan="on", timeout_graceful_shutdown=2
    )
    server = _EmbeddedUvicorn(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    stopping = asyncio.create_task(stop.wait())
    url = endpoint_url(sock)
    log.info("MCP server listening on %s (health: %s)", url, url.removesuffix(MCP_PATH) + HEALTH_PATH)
    if on_ready:
        on_ready(url)
    try:
        with serving_gc():
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        stopping.cancel()
        await serving
        sock.close()
