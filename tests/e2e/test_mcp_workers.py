"""`career-nav mcp --transport http --workers N` as a process: N worker processes behind one port, supervised."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastmcp import Client

from tests.cli_support import ROOT, career_nav
from tests.mcp_support import SECRET, build_demo_store, inspect, inspector  # noqa: F401 — fixture

START_TIMEOUT = 60.0
HANDSHAKE = "2025-06-18"

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts worker processes through /proc (Linux)")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("mcp-workers")
    build_demo_store(directory)  # dated from today: the workers run on the real clock
    return directory


class Server:
    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process, self.url = process, url

    def workers(self) -> set[int]:
        return children(self.process.pid) - {pid for pid in children(self.process.pid) if b"resource_tracker" in cmdline(pid)}


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listed:
            found.update(int(child) for child in listed.read().split())
    return found


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return command.read()
    except FileNotFoundError:
        return b""


@pytest.fixture
async def server(data_dir: Path) -> AsyncIterator[Server]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "JWT_SECRET_KEY": SECRET, "MONGODB_URI": "", "CAREER_NAV_TOKEN": ""}
    env.pop("LOG_LEVEL", None)
    command = [sys.executable, "-m", "cli.main", "mcp", "--transport", "http", "--port", "0", "--workers", "2"]
    process = await asyncio.create_subprocess_exec(*command, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    url = await asyncio.wait_for(announced_url(process), START_TIMEOUT)
    try:
        yield Server(process, url)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), START_TIMEOUT)


async def announced_url(process: asyncio.subprocess.Process) -> str:
    assert process.stderr is not None
    while line := (await process.stderr.readline()).decode():
        if line.startswith("MCP server on "):
            return line.split()[3]
    raise AssertionError(f"the server exited with code {await process.wait()} before it was ready")


async def trending_total(url: str) -> int:
    async with Client(url) as client:  # fastmcp 4 speaks MCP 2026-07-28: one self-contained request per call
        result = await client.call_tool("trending_skills", {"days": 30})
    return result.structured_content["total_jobs_analyzed"]


async def handshake_gap(url: str) -> dict:
    """An older client: `initialize`, then a call in that session (the workers serve it without one)."""
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": HANDSHAKE}
    hello = {"protocolVersion": HANDSHAKE, "capabilities": {}, "clientInfo": {"name": "old-client", "version": "1"}}
    call = {"name": "skill_gap", "arguments": {"role": "Data Scientist", "skills": ["Python"]}}
    async with httpx.AsyncClient(timeout=30) as http:
        opened = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello}, headers=headers)
        assert opened.status_code == 200, opened.text
        await http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
        answered = await http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": call}, headers=headers)
    assert answered.status_code == 200, answered.text
    return answered.json()["result"]["structuredContent"]


async def until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_two_workers_answer_modern_and_handshake_clients_on_one_port(server):
    assert len(server.workers()) == 2
    totals = await asyncio.gather(*(trending_total(server.url) for _ in range(12)))  # separate connections
    assert len(set(totals)) == 1 and totals[0] > 0  # every worker reads the same store
    gap = await handshake_gap(server.url)
    assert gap["role"] == "Data Scientist" and gap["required_skills"]


async def test_a_worker_that_dies_is_replaced_and_the_port_keeps_answering(server):
    before = server.workers()
    os.kill(min(before), signal.SIGKILL)
    await until(lambda: len(server.workers()) == 2 and server.workers() != before)
    assert await trending_total(server.url) > 0


async def test_sigterm_stops_the_supervisor_and_every_worker(server):
    workers = server.workers()
    server.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(server.process.wait(), START_TIMEOUT) == 0
    assert not any(Path(f"/proc/{pid}").exists() and b"spawn_main" in cmdline(pid) for pid in workers)


async def test_the_mcp_inspector_works_against_workers(server, inspector, tmp_path):
    result = await inspect(inspector, tmp_path, server.url, "--method", "tools/call", "--tool-name", "trending_skills", "--tool-arg", "days=30")
    assert result["structuredContent"]["total_jobs_analyzed"] > 0


def test_workers_are_refused_for_stdio(data_dir):
    result = career_nav(data_dir, "mcp", "--transport", "stdio", "--workers", "2")
    assert result.returncode == 2 and "--workers applies to --transport http" in result.stderr


@pytest.mark.parametrize("value", ["0", "33", "many"])
def test_a_worker_count_out_of_range_is_refused(data_dir, value):
    result = career_nav(data_dir, "mcp", "--transport", "http", "--workers", value)
    assert result.returncode == 2 and "workers" in result.stderr and "Traceback" not in result.stderr
