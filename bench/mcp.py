"""MCP over streamable HTTP on loopback: N concurrent clients x M tool calls on 100k demo postings.

The server runs in child processes (as `career-nav mcp --transport http --workers W` does); the load comes from
this one. Each load client is a lean streamable-HTTP MCP client on one keep-alive connection (initialize, then
JSON-RPC `tools/call`, every answer checked for a result with structured content) that costs a fraction of what the
server spends per call, so the load generator does not eat the cores it measures. Phases, each on a fresh server
(cold caches), the back-to-back ones repeated `--rounds` times because a shared machine is noisy:

- N clients calling back to back (saturation: latency = N / throughput) on W worker processes (default: one per
  core) and on 1 process (baseline: what one core does),
- N clients pausing 0.25-0.75 s between calls, as an assistant does while its model writes the next step,
- baselines: 1 client alone over HTTP, and the same calls in-process through `FastMCP.call_tool` (no HTTP).

Each row also gives the CPU milliseconds per call the server (all its processes) and the load generator spent.
Target: zero errors, p95 <= 100 ms (the median of the rounds' p95).

    .venv/bin/python bench/mcp.py [--clients 50] [--calls 20] [--postings 100000] [--workers 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Run as a script, this file's folder comes first on sys.path, where this very file would shadow the `mcp` SDK.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.common import demo_navigator, p50_p95, process_tree_cpu_seconds  # noqa: E402

ROLES = ["Data Scientist", "Backend Developer", "DevOps Engineer", "Frontend Developer", "Machine Learning Engineer", "Software Engineer", "Data Engineer", "Full Stack Developer"]
SKILLS = ["Python", "SQL", "Docker", "Kubernetes", "AWS", "JavaScript", "React", "Go", "Java", "Terraform", "Git", "Linux", "Pandas", "TypeScript", "PostgreSQL"]
MODERN = "2026-07-28"
PROTOCOLS = {"modern": MODERN, "handshake": "2025-06-18"}
CLIENT_INFO = {"name": "bench", "version": "1"}
ENVELOPE = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
    "io.modelcontextprotocol/clientCapabilities": {},
}
HEADERS = ("Accept: application/json, text/event-stream", "Content-Type: application/json")
START_TIMEOUT = 120.0
Call = tuple[str, dict[str, Any]]


def workload(client: int, calls: int) -> list[Call]:
    """A client's calls: every tool an assistant uses for market questions, with per-client roles and skills, in a
    per-client order."""
    rng = random.Random(client)
    makers = [
        lambda: ("trending_skills", {"days": rng.choice([7, 30, 90])} | ({"role": rng.choice(ROLES)} if rng.random() < 0.7 else {})),
        lambda: ("skill_gap", {"role": rng.choice(ROLES), "skills": rng.sample(SKILLS, 3)}),
        lambda: ("learning_roadmap", {"target_role": rng.choice(ROLES), "skills": rng.sample(SKILLS, 2)}),
        lambda: ("recommend_projects", {"skills": rng.sample(SKILLS, 3), "limit": 5}),
        lambda: ("search_projects", {"query": rng.choice(["api", "dashboard", "pipeline", "app"])}),
        lambda: ("find_learning_resources", {"skills": rng.sample(SKILLS, 2)}),
    ]
    chosen = [makers[i % len(makers)]() for i in range(calls)]
    rng.shuffle(chosen)  # each client in its own order: 50 clients in lockstep would hit the server with 50 roadmaps at once
    return chosen


@dataclass
class Run:
    samples: list[float] = field(default_factory=list)
    per_tool: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the server's processes spent during the run
    client_cpu: float = 0.0  # ... and the load generator

    def record(self, tool: str, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        self.samples.append(elapsed)
        self.per_tool.setdefault(tool, []).append(elapsed)


class LeanClient:
    """A minimal streamable-HTTP MCP client on one keep-alive HTTP/1.1 connection, every answer checked for a result
    with structured content. It speaks either protocol era a client may use:

    - "modern" (MCP 2026-07-28, what fastmcp 4 and the MCP SDK 2 clients negotiate): every request is self-contained,
      with its protocol envelope in `params._meta` and the routing headers; no handshake, no session;
    - "handshake" (MCP 2025-06-18, older clients): `initialize` first, then requests within that session.

    The load generator shares the machine with the server, so it must be cheap: written on asyncio streams it costs
    ~0.25 ms of CPU per call, where an httpx client costs ~3.9 ms (more than the server's own work per call).
    """

    def __init__(self, url: str, protocol: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path
        self.version = PROTOCOLS[protocol]
        self.session: str | None = None
        self.ids = 0

    async def __aenter__(self) -> LeanClient:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        if self.version != MODERN:
            params = {"protocolVersion": self.version, "capabilities": {}, "clientInfo": CLIENT_INFO}
            headers, _ = await self.post({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": params})
            self.session = headers.get("mcp-session-id")  # absent when the server is stateless
            await self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.writer.close()

    async def post(self, message: dict[str, Any], *routing: str) -> tuple[dict[str, str], bytes]:
        body = json.dumps(message).encode()
        head = [f"POST {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}", f"mcp-protocol-version: {self.version}", *HEADERS, *routing]
        if self.session:
            head.append(f"mcp-session-id: {self.session}")
        self.writer.write("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        status, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines if line)}
        payload = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if not status.split()[1].startswith("2"):
            raise RuntimeError(f"{status}: {payload[:120]!r}")
        return headers, payload

    async def call_tool(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        self.ids += 1
        params: dict[str, Any] = {"name": tool, "arguments": args}
        routing: tuple[str, ...] = ()
        if self.version == MODERN:
            params["_meta"] = ENVELOPE
            routing = ("mcp-method: tools/call", f"mcp-name: {tool}")
        _, payload = await self.post({"jsonrpc": "2.0", "id": self.ids, "method": "tools/call", "params": params}, *routing)
        result = json.loads(payload).get("result") or {}
        if result.get("isError") or "structuredContent" not in result:
            raise RuntimeError(f"tool answered {str(result)[:120]}")
        return result["structuredContent"]


async def drive(client: Any, calls: list[Call], run: Run, *, barrier: asyncio.Barrier | None = None, pause: tuple[float, float] | None = None, seed: int = 0) -> None:
    rng = random.Random(seed)
    async with client:
        if barrier is not None:
            await barrier.wait()  # every client connected: measure calls, not handshakes
        for tool, args in calls:
            if pause:
                await asyncio.sleep(rng.uniform(*pause))  # the model writing its next step
            started = time.perf_counter()
            try:
                await client.call_tool(tool, args)
            except Exception as exc:  # a benchmark counts failures instead of stopping at the first
                run.errors[f"{tool}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            else:
                run.record(tool, started)


async def concurrent(url: str, protocol: str, clients: int, calls: int, pause: tuple[float, float] | None = None) -> Run:
    run, barrier = Run(), asyncio.Barrier(clients + 1)
    tasks = [asyncio.create_task(drive(LeanClient(url, protocol), workload(i, calls), run, barrier=barrier, pause=pause, seed=i)) for i in range(clients)]
    await barrier.wait()
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    run.seconds = time.perf_counter() - started
    return run


async def one_client(url: str, protocol: str, calls: list[Call]) -> Run:
    run, started = Run(), time.perf_counter()
    await drive(LeanClient(url, protocol), calls, run)
    run.seconds = time.perf_counter() - started
    return run


async def in_process(directory: Path, postings: int, calls: list[Call]) -> Run:
    """The same calls through the server's own `call_tool`: tools, validation and serialisation, no HTTP."""
    from mcp_server import build_server

    nav = await demo_navigator(directory, postings)
    server, run = build_server(nav), Run()
    started = time.perf_counter()
    for tool, args in calls:
        begun = time.perf_counter()
        await server.call_tool(tool, args)
        run.record(tool, begun)
    run.seconds = time.perf_counter() - started
    await nav.close()
    return run


class ServerProcess:
    """This script in --serve mode: the HTTP server on a free loopback port, in its own process(es)."""

    def __init__(self, directory: Path, postings: int, workers: int) -> None:
        self.command = [sys.executable, __file__, "--serve", "--postings", str(postings), "--dir", str(directory), "--workers", str(workers)]

    async def __aenter__(self) -> ServerProcess:
        self.process = await asyncio.create_subprocess_exec(*self.command, stdout=subprocess.PIPE)
        line = await asyncio.wait_for(self.process.stdout.readline(), START_TIMEOUT)
        if not line.startswith(b"http://"):
            raise RuntimeError(f"server did not start (exit code {await self.process.wait()})")
        self.url = line.decode().strip()
        return self

    def cpu_seconds(self) -> float:
        return process_tree_cpu_seconds(self.process.pid)

    async def __aexit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def measured(server: ServerProcess, load: Awaitable[Run]) -> Run:
    """Runs `load` against `server`, noting the CPU both sides spent (server: every process of it)."""
    server_before, client_before = server.cpu_seconds(), time.process_time()
    run = await load
    run.server_cpu, run.client_cpu = server.cpu_seconds() - server_before, time.process_time() - client_before
    return run


async def serve(directory: Path, postings: int, workers: int) -> None:
    from core.lifecycle import stop_on_signals
    from core.settings import load_settings
    from mcp_server import run_http
    from mcp_server.workers import run_http_workers

    announce, settings, stop = (lambda url: print(url, flush=True)), load_settings(), stop_on_signals()
    if workers > 1:
        return await run_http_workers(partial(demo_navigator, directory, postings), settings, "127.0.0.1", 0, workers, stop, on_ready=announce)
    nav = await demo_navigator(directory, postings)
    try:
        await run_http(nav, "127.0.0.1", 0, stop, on_ready=announce)
    finally:
        await nav.close()


COLUMNS = f"{'phase':<60}{'calls':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'calls/s':>9}{'server CPU ms/call':>20}{'client':>8}"


def line(name: str, run: Run) -> str:
    p50, p95 = p50_p95(run.samples) if run.samples else (float("nan"),) * 2
    calls = len(run.samples) or 1
    rate = len(run.samples) / run.seconds if run.seconds else 0.0
    cpu = f"{run.server_cpu / calls * 1000:>20.2f}{run.client_cpu / calls * 1000:>8.2f}" if run.server_cpu else f"{'':>20}{'':>8}"
    return f"{name:<60}{len(run.samples):>7}{sum(run.errors.values()):>8}{p50:>9.1f}{p95:>9.1f}{rate:>9.0f}{cpu}"


def report(runs: dict[str, Run], rounds: dict[str, list[Run]]) -> None:
    print(f"\n{COLUMNS}")
    for name, run in runs.items():
        print(line(name, run))
    print(f"\n{'p50 / p95 ms per tool, every round together':<50}" + "".join(f"{f'phase {i}':>16}" for i in range(1, len(rounds) + 1)))
    for tool in sorted(next(iter(runs.values())).per_tool):
        cells = [p50_p95([ms for run in repeats for ms in run.per_tool.get(tool, [])]) for repeats in rounds.values()]
        print(f"  {tool:<48}" + "".join(f"{f'{p50:.0f} / {p95:.0f}':>16}" for p50, p95 in cells))
    for name, run in runs.items():
        for error, count in run.errors.most_common(3):
            print(f"  {name}: error x{count}: {error}")
    print()
    for number, (name, repeats) in enumerate(rounds.items(), start=1):
        p95s = sorted(p50_p95(run.samples)[1] if run.samples else float("inf") for run in repeats)
        errors = sum(sum(run.errors.values()) for run in repeats)
        verdict = "met" if errors == 0 and statistics.median(p95s) <= 100 else "missed"
        print(f"phase {number}: target (zero errors, p95 <= 100 ms) {verdict}: {name}: p95 over {len(p95s)} rounds {' / '.join(f'{p:.0f}' for p in p95s)} ms, median {statistics.median(p95s):.0f}, {errors} errors")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="server worker processes (default: one per core)")
    parser.add_argument("--rounds", type=int, default=5, help="repeats of each back-to-back phase, each on a fresh server")
    parser.add_argument("--dir", type=Path, default=Path("bench/out"))
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.serve:
        return await serve(args.dir, args.postings, args.workers)
    print(f"MCP over streamable HTTP on loopback: {args.clients} clients x {args.calls} calls, {args.postings:,} demo postings", flush=True)
    print(f"machine: {os.cpu_count()} cores, load average before the run {os.getloadavg()[0]:.2f} (other work on the machine skews every figure)", flush=True)
    await (await demo_navigator(args.dir, args.postings)).close()  # build the demo store once, outside any timing
    everything = [call for i in range(args.clients) for call in workload(i, args.calls)]
    runs: dict[str, Run] = {}
    rounds: dict[str, list[Run]] = {}
    # Round-robin over the configurations, so that a slow spell of a shared machine hits them all alike.
    for number, (protocol, workers) in itertools.product(range(1, args.rounds + 1), itertools.product(PROTOCOLS, (args.workers, 1))):
        name = f"{args.clients} clients back to back, {protocol}, {processes(workers)}"
        async with ServerProcess(args.dir, args.postings, workers) as server:
            run = await measured(server, concurrent(server.url, protocol, args.clients, args.calls))
        rounds.setdefault(name, []).append(run)
    for name, repeats in rounds.items():
        runs.update({f"{name} #{number}": run for number, run in enumerate(repeats, start=1)})
    async with ServerProcess(args.dir, args.postings, args.workers) as server:
        load = concurrent(server.url, "modern", args.clients, args.calls, pause=(0.25, 0.75))
        runs[f"{args.clients} clients paced 0.25-0.75 s, modern, {processes(args.workers)}"] = await measured(server, load)
    async with ServerProcess(args.dir, args.postings, 1) as server:
        runs["1 client, same calls, modern, 1 process (baseline)"] = await measured(server, one_client(server.url, "modern", everything))
    runs["in-process call_tool, no HTTP (baseline)"] = await in_process(args.dir, args.postings, everything)
    report(runs, rounds)


def processes(workers: int) -> str:
    return f"{workers} worker processes" if workers > 1 else "1 process"


if __name__ == "__main__":
    asyncio.run(main())
