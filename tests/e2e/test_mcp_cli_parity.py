"""The same question through the MCP tool and through `career-nav ... --json` gives identical numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastmcp import Client

from core.bootstrap import open_navigator
from mcp_server import build_server
from tests.mcp_support import SECRET, settings_for

ROOT = Path(__file__).parents[2]
# (CLI arguments, MCP tool, tool arguments): one question asked both ways
QUESTIONS = [
    (["trending", "--days", "30", "--skills-limit", "10", "--locations-limit", "5"], "trending_skills", {"days": 30, "skills_limit": 10, "locations_limit": 5}),
    (["trending", "--days", "14", "--role", "Backend Developer"], "trending_skills", {"days": 14, "role": "Backend Developer"}),
    (["gap", "--role", "Data Scientist", "--skills", "Python,SQL"], "skill_gap", {"role": "Data Scientist", "skills": ["Python", "SQL"]}),
    (["gap", "--role", "DevOps Engineer", "--skills", "Docker,k8s", "--days", "60", "--threshold", "0.4"], "skill_gap", {"role": "DevOps Engineer", "skills": ["Docker", "k8s"], "days": 60, "threshold": 0.4}),
    (["roadmap", "--role", "Backend Developer", "--skills", "Python"], "learning_roadmap", {"target_role": "Backend Developer", "skills": ["Python"]}),
    (["projects", "--skills", "Python,SQL", "--limit", "5"], "recommend_projects", {"skills": ["Python", "SQL"], "limit": 5}),
]


def career_nav(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "JWT_SECRET_KEY": SECRET, "MONGODB_URI": "", "THEIR_STACK_API_KEY": ""}
    env.pop("LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("parity")
    loaded = career_nav(directory, "demo-data", "--postings", "3000", "--seed", "11")
    assert loaded.returncode == 0, loaded.stderr
    return directory


def without_timestamps(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key != "generated_at"}


@pytest.mark.parametrize(("cli_args", "tool", "tool_args"), QUESTIONS, ids=[" ".join(q[0][:2]) + f" #{i}" for i, q in enumerate(QUESTIONS)])
async def test_mcp_tool_and_cli_give_identical_numbers(data_dir, cli_args, tool, tool_args):
    result = career_nav(data_dir, *cli_args, "--json")
    assert result.returncode == 0, result.stderr
    nav = await open_navigator(settings_for(data_dir))  # the real clock, like the CLI process
    try:
        async with Client(build_server(nav)) as client:
            answer = (await client.call_tool(tool, tool_args)).structured_content
    finally:
        await nav.close()
    assert without_timestamps(answer) == without_timestamps(json.loads(result.stdout))
