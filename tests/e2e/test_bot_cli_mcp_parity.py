"""One question, three front ends: the bot, the MCP tool and `career-nav gap --json` give the same numbers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from fastmcp import Client

from core.bootstrap import open_navigator
from mcp_server import build_server
from tests.bot_support import demo_template, fake  # noqa: F401 — fixtures
from tests.bot_support import bot_settings, copy_data_dir, running_bot

ROOT = Path(__file__).resolve().parents[2]


def cli_gap(data_dir: Path) -> dict:
    env = {**os.environ, "CAREER_NAV_DATA_DIR": str(data_dir), "MONGODB_URI": "", "JWT_SECRET_KEY": ""}
    args = ["gap", "--role", "Data Scientist", "--skills", "Python,SQL", "--json"]
    result = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


async def test_the_bot_the_mcp_tool_and_the_cli_agree_on_a_skill_gap(fake, demo_template, tmp_path):
    fake.reset()
    settings = bot_settings(fake, copy_data_dir(demo_template, tmp_path / "data"))
    cli = cli_gap(settings.data_dir)
    nav = await open_navigator(settings)
    try:
        async with Client(build_server(nav)) as client:
            mcp = (await client.call_tool("skill_gap", {"role": "Data Scientist", "skills": ["Python", "SQL"]})).structured_content
        async with running_bot(nav, settings, fake):
            chat = fake.chat(fake.user("Ada"))
            await chat.send("/skills add Python, SQL")
            photo, body = await chat.send("/gap data scientist", expect=2)
    finally:
        await nav.close()
    numbers = ("coverage_percentage", "skill_match_count", "total_required_skills", "total_postings_analyzed", "missing_skills")
    assert {k: mcp[k] for k in numbers} == {k: cli[k] for k in numbers}
    assert f"you have {cli['skill_match_count']} of {cli['total_required_skills']} required skills" in photo.text
    shown = dict(re.findall(r"[✅❌] ([^—\n]+?) — (\d+)%", body.text))
    for required in cli["required_skills"][:5]:
        assert shown[required["skill"]] == str(round(required["required_percentage"]))
