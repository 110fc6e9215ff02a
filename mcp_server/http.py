"""Streamable HTTP: the ASGI app (MCP at /mcp behind bearer checks, GET /health), `run_http` for embedding and
`serve_http` for one process on a given socket (mcp_server.workers runs several). A server warms its answers and
checks itself with one call per protocol era before it reports ready."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware

from core.errors import ConfigError
from core.service import Navigator
from core.warmup import keep_warm, warm_up
from mcp_server.auth import BearerAuthMiddleware
from mcp_server.health import HEALTH_PATH
from mcp_server.server import build_server

log = logging.getLogger("career_nav.mcp")

MCP_PATH = "/mcp"
MODERN_PROTOCOL = "2026-07-28"  # one self-contained request per call (fastmcp 4, MCP SDK 2)
HANDSHAKE_PROTOCOL = "2025-06-18"  # `initialize`, then a session (older clients)
PRIME_HEADERS = {"Accept": "application/json, text/event-stream"}
# Young-generation GC threshold while serving (CPython's default is 700 allocations).
SERVING_GC_THRESHOLD = (20_000, 20, 20)


def build_http_app(nav: Navigator, *, stateless: bool = False) -> Starlette:
    """The HTTP app: streamable MCP at /mcp (bearer tokens verified, anonymous allowed) and GET /health.

    `stateless` answers every request on its own, with no MCP session: any worker process can then serve any request.
    """
    auth = Middleware(BearerAuthMiddleware, nav=nav, path=MCP_PATH)
    # "auto" checks Host/Origin on loopback binds: a web page cannot reach a local server by DNS rebinding.
    return build_server(nav).http_app(
        path=MCP_PATH, transport="http", middleware=[auth], host_origin_protection="auto", json_response=True, stateless_http=stateless
    )


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


def listening_sockets(host: str, port: int, count: int = 1) -> list[socket.socket]:
    """`count` bound, listening TCP sockets on host:port (port 0 picks a free one); ConfigError naming host:port
    when it cannot bind. Several sockets share the port with SO_REUSEPORT: the kernel spreads new connections over
    them, one socket per worker process, so no worker accepts more than its share of a burst."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(_bind(host, port, reuse_port=count > 1))
            port = sockets[0].getsockname()[1]
    except OSError as exc:
        for sock in sockets:
            sock.close()
        message = f"MCP server cannot listen on {host}:{port}: {exc.strerror or exc} (is the port in use? set --port or MCP_PORT)"
        raise ConfigError(message) from None
    return sockets


def _bind(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def endpoint_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{MCP_PATH}"


async def run_http(nav: Navigator, host: str, port: int, stop: asyncio.Event, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serves MCP over streamable HTTP on host:port until `stop` is set; `on_ready` gets the endpoint URL once bound."""
    (sock,) = listening_sockets(host, port)
    try:
        await serve_http(nav, sock, stop, on_ready=on_ready)
    finally:
        sock.close()


async def serve_http(nav: Navigator, sock: socket.socket, stop: asyncio.Event, *, stateless: bool = False, on_ready: Callable[[str], None] | None = None) -> None:
    """Serves the HTTP app on a listening socket until `stop` is set (one process; see mcp_server.workers for more)."""
    app = build_http_app(nav, stateless=stateless)
    # log_config=None keeps the process's logging; no access log (request lines are noise at this volume).
    level = logging.getLogger().getEffectiveLevel()
    server = _EmbeddedUvicorn(uvicorn.Config(app, log_config=None, log_level=level, access_log=False, lifespan="on", timeout_graceful_shutdown=2))
    warmed = await warm_up(nav)  # the first callers get warm answers, not a queue behind the first computations
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    keeper = asyncio.create_task(keep_warm(nav, stop, warmed))
    stopping = asyncio.create_task(stop.wait())
    try:
        url = endpoint_url(sock)
        started = await _started(server, serving)
        if started:
            await prime(app, url)
        with serving_gc():  # its full collection (~80 ms with warm caches) happens before the first caller, not on them
            if started:
                log.info("MCP server listening on %s (health: %s)", url, url.removesuffix(MCP_PATH) + HEALTH_PATH)
                if on_ready:
                    on_ready(url)
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        stopping.cancel()
        keeper.cancel()
        await serving


async def _started(server: uvicorn.Server, serving: asyncio.Task[None]) -> bool:
    """Waits for uvicorn's startup (lifespan included); False when it stopped instead."""
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    return server.started


async def prime(app: Starlette, url: str) -> None:
    """Sends a tool call of each protocol era through the app, in process, before the server reports ready.

    fastmcp and the MCP SDK import modules and build validators on first use: without this, the first handshake-era
    call waited ~220 ms (and everyone behind it). It also checks the app end to end; a failure is logged, not raised
    (/health reports the server's state).
    """
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=url.removesuffix(MCP_PATH), timeout=30) as http:
        try:
            await _modern_call(http)
            await _handshake_call(http)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("MCP self-check failed (the server starts anyway; see /health): %s", exc)


SELF_CHECK_CALL = {"name": "find_learning_resources", "arguments": {"skills": ["Python"]}}  # touches no store


async def _modern_call(http: httpx.AsyncClient) -> None:
    envelope = {"io.modelcontextprotocol/protocolVersion": MODERN_PROTOCOL, "io.modelcontextprotocol/clientCapabilities": {}}
    routing = {"MCP-Protocol-Version": MODERN_PROTOCOL, "Mcp-Method": "tools/call", "Mcp-Name": SELF_CHECK_CALL["name"]}
    await _post(http, _rpc("tools/call", {**SELF_CHECK_CALL, "_meta": envelope}), routing)


async def _handshake_call(http: httpx.AsyncClient) -> None:
    hello = {"protocolVersion": HANDSHAKE_PROTOCOL, "capabilities": {}, "clientInfo": {"name": "career-nav-self-check", "version": "1"}}
    opened = await _post(http, _rpc("initialize", hello), {})
    session = {"MCP-Protocol-Version": HANDSHAKE_PROTOCOL}
    if "mcp-session-id" in opened.headers:  # absent when stateless
        session["Mcp-Session-Id"] = opened.headers["mcp-session-id"]
    await http.post(MCP_PATH, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=PRIME_HEADERS | session)
    await _post(http, _rpc("tools/call", SELF_CHECK_CALL), session)
    if "Mcp-Session-Id" in session:
        await http.delete(MCP_PATH, headers=PRIME_HEADERS | session)


def _rpc(method: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}


async def _post(http: httpx.AsyncClient, message: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    response = await http.post(MCP_PATH, json=message, headers=PRIME_HEADERS | headers)
    if response.status_code != 200:
        raise ValueError(f"HTTP {response.status_code}: {response.text[:200]}")
    return response
