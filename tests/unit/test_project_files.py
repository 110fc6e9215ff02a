"""compose.yaml and .env.example stay in step with the code (compose cannot run on this machine)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cli.main import build_parser
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_mongo_with_a_healthcheck_and_three_app_services():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["mongo"]["image"].startswith("mongo:8")
    assert "healthcheck" in services["mongo"] and services["mongo"]["volumes"]
    commands = {name: services[name]["command"] for name in ("bot", "mcp", "scheduler")}
    assert commands["bot"] == ["career-nav", "bot"]
    assert commands["scheduler"] == ["career-nav", "scheduler"]
    assert commands["mcp"][:2] == ["career-nav", "mcp"] and "http" in commands["mcp"]
    for name in commands:
        assert services[name]["depends_on"]["mongo"]["condition"] == "service_healthy"
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["MONGODB_URI"].startswith("mongodb://mongo:")


def test_compose_commands_are_valid_career_nav_commands():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    parser = build_parser()
    for name in ("bot", "mcp", "scheduler"):
        command = services[name]["command"]
        parser.parse_args(command[1:])  # argparse exits (SystemExit) on an option the CLI does not have


def test_env_example_documents_every_setting():
    text = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.M))
    expected = {field.alias for field in Settings.model_fields.values()}
    assert expected <= documented, sorted(expected - documented)
