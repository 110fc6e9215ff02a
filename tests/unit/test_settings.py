"""Settings: typed, validated, named errors, no placeholder secrets outside local development."""

from __future__ import annotations

import stat

import pytest

from core.errors import ConfigError
from core.settings import load_settings

STRONG = "k" * 40


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("DEBUG", "JWT_SECRET_KEY", "MONGODB_URI", "THEIR_STACK_TIMEOUT", "INGEST_ROLES", "JOB_COLLECTION_SCHEDULE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CAREER_NAV_DATA_DIR", str(tmp_path / "var"))


def test_defaults_follow_the_original_product():
    settings = load_settings()
    assert settings.their_stack_rate_limit == 300 and settings.max_jobs_per_search == 100
    assert settings.job_collection_schedule == "0 2 * * *" and settings.job_data_retention_days == 90
    assert "Machine Learning Engineer" in settings.ingest_roles and settings.ingest_locations == ("United States", "Remote")


@pytest.mark.parametrize("secret", ["your-super-secret-jwt-key-here-change-in-production", "changeme", "short"])
def test_a_placeholder_jwt_secret_is_refused_outside_debug(monkeypatch, secret):
    monkeypatch.setenv("JWT_SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="JWT_SECRET_KEY"):
        load_settings()


def test_a_placeholder_secret_is_allowed_in_debug_mode(monkeypatch):
    monkeypatch.setenv("JWT_SECRET_KEY", "changeme")
    monkeypatch.setenv("DEBUG", "true")
    assert load_settings().jwt_secret() == "changeme"


def test_mongo_deployments_must_set_a_secret(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db:27017")
    with pytest.raises(ConfigError, match="JWT_SECRET_KEY"):
        load_settings()
    monkeypatch.setenv("JWT_SECRET_KEY", STRONG)
    assert load_settings().uses_mongo


def test_local_mode_generates_one_private_secret_and_keeps_it(tmp_path):
    first = load_settings().jwt_secret()
    second = load_settings().jwt_secret()
    path = tmp_path / "var" / "jwt_secret"
    assert first == second and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "value"),
    [("THEIR_STACK_TIMEOUT", "soon"), ("JOB_COLLECTION_SCHEDULE", "every day"), ("MONGODB_URI", "postgres://x"), ("LOG_LEVEL", "LOUD")],
)
def test_a_malformed_value_fails_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert name in str(error.value)


def test_comma_lists_are_split_and_trimmed(monkeypatch):
    monkeypatch.setenv("INGEST_ROLES", " Data Scientist , SRE ,")
    assert load_settings().ingest_roles == ("Data Scientist", "SRE")


def test_the_secret_never_shows_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("JWT_SECRET_KEY", STRONG)
    assert STRONG not in repr(load_settings())


@pytest.mark.parametrize("name", ["THEIR_STACK_API_KEY", "TELEGRAM_BOT_TOKEN", "CAREER_NAV_TOKEN", "MONGODB_URI"])
def test_an_empty_value_counts_as_unset(monkeypatch, name):
    monkeypatch.setenv(name, "  ")
    settings = load_settings()
    assert getattr(settings, field_for(name)) is None


def field_for(alias: str) -> str:
    from core.settings import Settings

    return next(name for name, field in Settings.model_fields.items() if field.alias == alias)
