"""The LLM assistant's settings (all three or none, blank = unset, the key kept secret) and its daily budget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.agent import AgentConfig, DailyBudget
from core.agent.chat_api import Stop
from core.agent.runner import parse_arguments
from core.clock import FixedClock
from core.errors import ConfigError
from core.settings import load_settings

LLM = {"LLM_API_BASE_URL": "https://llm.example.test/v1/", "LLM_API_KEY": "sk-secret-123", "LLM_MODEL": " small-model "}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (*LLM, "LLM_TIMEOUT", "LLM_MAX_TOOL_CALLS", "LLM_DAILY_BUDGET", "DEBUG", "JWT_SECRET_KEY", "MONGODB_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREER_NAV_DATA_DIR", str(tmp_path / "var"))


def test_the_assistant_is_off_without_settings_and_blank_values_count_as_unset(monkeypatch):
    assert load_settings().llm_enabled is False
    for name in LLM:
        monkeypatch.setenv(name, "  ")
    settings = load_settings()
    assert settings.llm_enabled is False and AgentConfig.from_settings(settings) is None


def test_all_three_settings_enable_it_with_a_clean_url_model_and_a_hidden_key(monkeypatch):
    for name, value in LLM.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    config = AgentConfig.from_settings(settings)
    assert settings.llm_enabled and config is not None
    assert (config.base_url, config.model, config.api_key) == ("https://llm.example.test/v1", "small-model", "sk-secret-123")
    assert (config.timeout, config.max_tool_calls, config.daily_budget) == (20.0, 4, 50)
    assert "sk-secret-123" not in repr(settings) and "sk-secret-123" not in repr(config)


@pytest.mark.parametrize("missing", sorted(LLM))
def test_a_partial_configuration_names_what_is_missing(monkeypatch, missing):
    for name, value in LLM.items():
        if name != missing:
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"missing {missing}"):
        load_settings()


@pytest.mark.parametrize(("name", "value"), [("LLM_API_BASE_URL", "ftp://llm"), ("LLM_TIMEOUT", "0"), ("LLM_MAX_TOOL_CALLS", "0"), ("LLM_DAILY_BUDGET", "-1")])
def test_bad_values_are_refused_with_the_variables_name(monkeypatch, name, value):
    for key, good in LLM.items():
        monkeypatch.setenv(key, good)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()


def test_the_daily_budget_counts_per_user_and_starts_again_the_next_utc_day():
    clock = FixedClock(datetime(2026, 11, 26, 23, 59, tzinfo=UTC))
    budget = DailyBudget(2, clock)
    assert [budget.spend("ada"), budget.spend("ada"), budget.spend("ada"), budget.spend("bob")] == [True, True, False, True]
    assert budget.used("ada") == 2
    clock.advance(minutes=2)
    assert budget.spend("ada") and budget.used("ada") == 1


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\"days\"", "{'days': 30}"])
def test_tool_arguments_that_are_not_a_json_object_are_malformed(text):
    with pytest.raises(Stop) as stopped:
        parse_arguments(text)
    assert stopped.value.kind == "malformed"


def test_empty_tool_arguments_mean_no_arguments():
    assert parse_arguments("") == {} and parse_arguments('{"days": 7}') == {"days": 7}
