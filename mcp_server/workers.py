"""MCP over HTTP from several worker processes, so one server uses every core.

One Python process serves MCP on one core: past ~500 calls/s its event loop is the queue. `run_http_workers` binds
one SO_REUSEPORT socket per worker (the kernel spreads connections over them), starts each worker in a fresh
process (spawn) that opens its own Navigator and serves statelessly (no MCP session to pin a client to a worker),
restarts a worker that dies, and stops them all on `stop`. Workers ignore Ctrl+C (the supervisor stops them with
SIGTERM, after the requests in flight) and stop by themselves if the supervisor disappears.

    await run_http_workers(partial(open_navigator, settings), settings, "0.0.0.0", 8000, 4, stop, on_ready=print)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event
from typing import TYPE_CHECKING

from core.bootstrap import configure_logging
from core.errors import ConfigError, DomainError
from core.lifecycle import stop_on_signals
from core.service import Navigator
from mcp_server.http import endpoint_url, listening_sockets, serve_http

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger("career_nav.mcp")

# Picklable (a module-level function or a functools.partial of one): each worker opens its own Navigator with it.
Opener = Callable[[], Awaitable[Navigator]]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
POLL_SECONDS = 0.2
RESTART_WINDOW = 60.0  # a worker that dies more than MAX_RESTARTS times in this many seconds is not restarted again
MAX_RESTARTS = 5


@dataclass
class _Worker:
    index: int
    sock: socket.socket
    process: SpawnProcess | None = None
    ready: Event | None = None
    restarts: list[float] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"mcp-worker-{self.index}"


class WorkerPool:
    def __init__(self, opener: Opener, settings: Settings, sockets: list[socket.socket]) -> None:
        self._context = multiprocessing.get_context("spawn")  # no inherited event loop, threads or store connections
        self._opener, self._settings = opener, settings
        self.workers = [_Worker(index, sock) for index, sock in enumerate(sockets, start=1)]

    def start(self, worker: _Worker) -> None:
        worker.ready = self._context.Event()
        args = (self._opener, self._settings, worker.sock, worker.ready, os.getpid(), logging.getLogger().level)
        worker.process = self._context.Process(target=worker_main, args=args, name=worker.name, daemon=True)
        worker.process.start()

    async def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Returns once every worker serves; ConfigError if one exits first or they take longer than `timeout`."""
        deadline = time.monotonic() + timeout
        while not all(w.ready is not None and w.ready.is_set() for w in self.workers):
            for worker in self.workers:
                if worker.process is not None and worker.process.exitcode is not None:
                    message = f"MCP {worker.name} exited with code {worker.process.exitcode} while starting (its error is logged above)"
                    raise ConfigError(message)
            if time.monotonic() > deadline:
                raise ConfigError(f"MCP workers did not start within {timeout:.0f} s")
            await asyncio.sleep(0.05)

    async def supervise(self, stop: asyncio.Event) -> None:
        """Until `stop`: restarts workers that die; ConfigError when one keeps dying."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
            if stop.is_set():
                return
            for worker in self.workers:
                if worker.process is not None and worker.process.exitcode is not None:
                    self._restart(worker)

    def _restart(self, worker: _Worker) -> None:
        assert worker.process is not None
        now = time.monotonic()
        worker.restarts = [t for t in worker.restarts if now - t < RESTART_WINDOW] + [now]
        if len(worker.restarts) > MAX_RESTARTS:
            raise ConfigError(f"MCP {worker.name} exited {len(worker.restarts)} times within {RESTART_WINDOW:.0f} s (last exit code {worker.process.exitcode}); stopping")
        log.warning("MCP %s exited with code %s; starting a new one", worker.name, worker.process.exitcode)
        self.start(worker)

    async def stop(self) -> None:
        """SIGTERM to every worker (each finishes its requests in flight), then SIGKILL for any still running."""
        running = [w.process for w in self.workers if w.process is not None and w.process.is_alive()]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            await asyncio.to_thread(process.join, max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("MCP %s did not stop within %.0f s; killing it", process.name, STOP_TIMEOUT)
                process.kill()
                await asyncio.to_thread(process.join)


async def run_http_workers(opener: Opener, settings: Settings, host: str, port: int, workers: int, stop: asyncio.Event, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serves MCP over streamable HTTP from `workers` processes on host:port until `stop` is set."""
    sockets = listening_sockets(host, port, workers)
    pool = WorkerPool(opener, settings, sockets)
    try:
        for worker in pool.workers:
            pool.start(worker)
        await pool.wait_ready()
        url = endpoint_url(sockets[0])
        log.info("MCP server: %d worker processes on %s", workers, url)
        if on_ready:
            on_ready(url)
        await pool.supervise(stop)
    finally:
        await pool.stop()
        for sock in sockets:
            sock.close()


def worker_main(opener: Opener, settings: Settings, sock: socket.socket, ready: Event, supervisor: int, log_level: int) -> None:
    """A worker process: its own event loop and Navigator, serving `sock` statelessly until SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group; the supervisor decides
    configure_logging(settings, level=logging.getLevelName(log_level))
    try:
        asyncio.run(_serve(opener, settings, sock, ready, supervisor))
    except DomainError as exc:
        log.error("MCP %s cannot start: %s", multiprocessing.current_process().name, exc)
        raise SystemExit(exc.exit_code) from None


async def _serve(opener: Opener, settings: Settings, sock: socket.socket, ready: Event, supervisor: int) -> None:
    stop = stop_on_signals((signal.SIGTERM,))
    watch = asyncio.create_task(_stop_when_orphaned(supervisor, stop))
    nav = await opener()
    try:
        await serve_http(nav, sock, stop, stateless=True, on_ready=lambda _url: ready.set())
    finally:
        watch.cancel()
        await nav.close()


async def _stop_when_orphaned(supervisor: int, stop: asyncio.Event) -> None:
    """Sets `stop` when the supervisor is gone (killed without a chance to stop its workers)."""
    while os.getppid() == supervisor:
        await asyncio.sleep(1.0)
    log.warning("MCP %s: the supervisor exited; stopping", multiprocessing.current_process().name)
    stop.set()
