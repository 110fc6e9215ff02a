"""Settings: one pydantic-settings class, built in each entry point (never at import time).

Names follow the original product where they exist (see DESIGN.md "Configuration"). Every value is typed and
validated; a bad value fails with the variable's name, and a placeholder JWT secret is refused unless the
process runs in local/debug mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.cron import crontab_trigger
from core.errors import ConfigError
from core.secrets import local_secret

DEFAULT_ROLES = (
    "Software Engineer",
    "Data Scientist",
    "DevOps Engineer",
    "Frontend Developer",
    "Backend Developer",
    "Full Stack Developer",
    "Machine Learning Engineer",
    "Product Manager",
)
DEFAULT_LOCATIONS = ("United States", "Remote")
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "secret",
        "your-super-secret-jwt-key-here-change-in-production",
    }
)
MIN_SECRET_LENGTH = 32

CommaList = Annotated[tuple[str, ...], NoDecode]


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    # Core
    mongodb_uri: str | None = Field(default=None, alias="MONGODB_URI")
    mongodb_database: str = Field(default="career_navigator", alias="MONGODB_DATABASE")
    data_dir: Path = Field(default=Path("./var"), alias="CAREER_NAV_DATA_DIR")
    jwt_secret_key: SecretStr = Field(default=SecretStr(""), alias="JWT_SECRET_KEY")
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = Field(default="HS256", alias="JWT_ALGORITHM")
    jwt_access_token_expire_minutes: int = Field(default=30, ge=1, le=525_600, alias="JWT_ACCESS_TOKEN_EXPIRE_MINUTES")
    app_name: str = Field(default="Career Navigator", min_length=1, alias="APP_NAME")
    app_version: str = Field(default="1.0.0", min_length=1, alias="APP_VERSION")
    debug: bool = Field(default=False, alias="DEBUG")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(default="INFO", alias="LOG_LEVEL")

    # TheirStack
    their_stack_api_key: SecretStr | None = Field(default=None, alias="THEIR_STACK_API_KEY")
    their_stack_base_url: str = Field(default="https://api.theirstack.com", alias="THEIR_STACK_BASE_URL")
    their_stack_timeout: float = Field(default=30.0, gt=0, le=600, alias="THEIR_STACK_TIMEOUT")
    their_stack_max_retries: int = Field(default=3, ge=0, le=10, alias="THEIR_STACK_MAX_RETRIES")
    their_stack_rate_limit: int = Field(default=300, ge=1, le=10_000, alias="THEIR_STACK_RATE_LIMIT")
    max_jobs_per_search: int = Field(default=100, ge=1, le=500, alias="MAX_JOBS_PER_SEARCH")
    ingest_roles: CommaList = Field(default=DEFAULT_ROLES, alias="INGEST_ROLES")
    ingest_locations: CommaList = Field(default=DEFAULT_LOCATIONS, alias="INGEST_LOCATIONS")
    ingest_max_credits_per_run: int = Field(default=1000, ge=0, alias="INGEST_MAX_CREDITS_PER_RUN")

    # Schedules and retention
    job_collection_schedule: str = Field(default="0 2 * * *", alias="JOB_COLLECTION_SCHEDULE")
    cleanup_schedule: str = Field(default="0 3 * * 0", alias="CLEANUP_SCHEDULE")
    digest_schedule: str = Field(default="0 9 * * 1", alias="DIGEST_SCHEDULE")
    job_data_retention_days: int = Field(default=90, ge=1, le=3650, alias="JOB_DATA_RETENTION_DAYS")

    # Telegram
    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    telegram_webhook_url: str | None = Field(default=None, alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(default=None, alias="TELEGRAM_WEBHOOK_SECRET")
    # Where the webhook receiver listens (a reverse proxy usually forwards TELEGRAM_WEBHOOK_URL here).
    telegram_webhook_listen: str = Field(default="0.0.0.0", alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535, alias="TELEGRAM_WEBHOOK_PORT")

    # MCP
    mcp_host: str = Field(default="127.0.0.1", alias="MCP_HOST")
    mcp_port: int = Field(default=8000, ge=1, le=65535, alias="MCP_PORT")
    mcp_workers: int = Field(default=1, ge=1, le=32, alias="MCP_WORKERS")
    career_nav_token: SecretStr | None = Field(default=None, alias="CAREER_NAV_TOKEN")

    # Optional LLM assistant for free text the intent router cannot place (core.agent); all three or none.
    llm_api_base_url: str | None = Field(default=None, alias="LLM_API_BASE_URL")
    llm_api_key: SecretStr | None = Field(default=None, alias="LLM_API_KEY")
    llm_model: str | None = Field(default=None, max_length=200, alias="LLM_MODEL")
    llm_timeout: float = Field(default=20.0, gt=0, le=300, alias="LLM_TIMEOUT")
    llm_max_tool_calls: int = Field(default=4, ge=1, le=20, alias="LLM_MAX_TOOL_CALLS")
    llm_daily_budget: int = Field(default=50, ge=1, le=100_000, alias="LLM_DAILY_BUDGET")

    @field_validator("ingest_roles", "ingest_locations", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("job_collection_schedule", "cleanup_schedule", "digest_schedule")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        try:
            crontab_trigger(value)  # the parser the scheduler uses (crontab weekdays: 0 and 7 are Sunday)
        except ValueError as exc:
            raise ValueError(f"not a valid 5-field cron expression ({exc})") from exc
        return value

    @field_validator(
        "mongodb_uri", "telegram_api_base_url", "telegram_webhook_url", "their_stack_api_key",
        "telegram_bot_token", "telegram_webhook_secret", "career_nav_token", "llm_api_base_url", "llm_api_key", "llm_model",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("mongodb_uri")
    @classmethod
    def _mongo_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("mongodb://", "mongodb+srv://")):
            raise ValueError("must start with mongodb:// or mongodb+srv://")
        return value

    @field_validator("their_stack_base_url", "telegram_api_base_url", "telegram_webhook_url", "llm_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("llm_model")
    @classmethod
    def _stripped(cls, value: str | None) -> str | None:
        return value.strip() if value else value

    @model_validator(mode="after")
    def _llm_all_or_nothing(self) -> Settings:
        given = {"LLM_API_BASE_URL": self.llm_api_base_url, "LLM_API_KEY": self.llm_api_key, "LLM_MODEL": self.llm_model}
        missing = [name for name, value in given.items() if value is None]
        if 0 < len(missing) < len(given):
            raise ValueError(f"the LLM assistant needs LLM_API_BASE_URL, LLM_API_KEY and LLM_MODEL together; missing {', '.join(missing)} (or unset all three)")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        secret = self.jwt_secret_key.get_secret_value()
        if self.debug:
            return self
        if not secret and self.mongodb_uri is None:
            return self  # local mode: a random secret is created under CAREER_NAV_DATA_DIR on first use
        if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                "JWT_SECRET_KEY: set a strong random secret of at least 32 characters "
                "(e.g. `python -c \"import secrets; print(secrets.token_urlsafe(48))\"`), "
                "or set DEBUG=true for local development"
            )
        return self

    def jwt_secret(self) -> str:
        """The signing secret: the configured one, else (local mode) one generated once per data directory."""
        secret = self.jwt_secret_key.get_secret_value()
        return secret or local_secret(self.data_dir / "jwt_secret")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "career_nav.sqlite3"

    @property
    def uses_mongo(self) -> bool:
        return self.mongodb_uri is not None

    @property
    def llm_enabled(self) -> bool:
        """Whether the optional LLM assistant is configured (LLM_API_BASE_URL, LLM_API_KEY and LLM_MODEL set)."""
        return self.llm_api_base_url is not None and self.llm_api_key is not None and self.llm_model is not None


def load_settings(**overrides: object) -> Settings:
    """Builds Settings from the environment (and .env), turning validation errors into one clear ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = _env_name(error.get("loc", ()))
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return "Invalid configuration: " + "; ".join(problems)


def _env_name(loc: tuple[object, ...]) -> str:
    if not loc:
        return ""
    field = Settings.model_fields.get(str(loc[0]))
    return (field.alias if field and field.alias else str(loc[0])).upper()
