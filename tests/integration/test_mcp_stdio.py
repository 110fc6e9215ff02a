"""`career-nav mcp --transport stdio` as a subprocess, the way an MCP client (Claude Desktop, an IDE) launches it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

from core.bootstrap import open_navigator
from tests.mcp_support import SECRET, build_demo_store, settings_for, user_with_token

ROOT = Path(__file__).parents[2]
MCP_STDIO = ["-m", "cli.main", "mcp", "--transport", "stdio"]


def server_env(data_dir: Path, token: str) -> dict[str, str]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "JWT_SECRET_KEY": SECRET, "MONGODB_URI": "", "CAREER_NAV_TOKEN": token}
    env.pop("LOG_LEVEL", None)
    return env


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A data directory with demo postings (dated from today) and an account with a token: (dir, user id, token)."""
    data_dir = tmp_path_factory.mktemp("mcp-stdio")
    build_demo_store(data_dir)

    async def create() -> tuple[str, str]:
        nav = await open_navigator(settings_for(data_dir))
        try:
            user, token = await user_with_token(nav, skills=["Python", "SQL"], roles=["Data Scientist"])
            return user.id, token
        finally:
            await nav.close()

    user_id, token = asyncio.run(create())
    return data_dir, user_id, token


async def test_stdio_server_serves_the_token_holders_profile_and_analysis(account):
    data_dir, user_id, token = account
    transport = StdioTransport(sys.executable, MCP_STDIO, env=server_env(data_dir, token), cwd=str(ROOT), keep_alive=False)
    async with Client(transport, timeout=60) as mcp:
        assert len(await mcp.list_tools()) == 10
        profile = (await mcp.call_tool("get_profile")).structured_content
        gap = (await mcp.call_tool("skill_gap")).structured_content
    assert profile["id"] == user_id and profile["skills"] == ["Python", "SQL"]
    assert gap["role"] == "Data Scientist" and gap["total_postings_analyzed"] >= 10
    assert {"Python", "SQL"} <= {row["skill"] for row in gap["required_skills"] if row["user_has"]}


def test_stdio_server_refuses_to_start_with_an_invalid_token(account):
    data_dir, _, token = account
    result = subprocess.run([sys.executable, *MCP_STDIO], env=server_env(data_dir, token[:-4] + "AAAA"), cwd=ROOT, capture_output=True, text=True, input="", timeout=60)
    assert result.returncode == 6
    assert result.stdout == ""
    reason = "career-nav: CAREER_NAV_TOKEN is not valid: This token is not valid. Create a new one with /token or `career-nav user token`."
    assert result.stderr.strip().splitlines()[-1] == reason  # after the accounts layer's own warning
