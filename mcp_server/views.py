"""Output models for the personal tools (reports come straight from core.models)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.accounts import LinkCode
from core.models import ExperienceLevel, User


class Profile(BaseModel):
    """The caller's own profile, with the original product's field names."""

    id: str
    email: str | None
    full_name: str | None
    skills: list[str]
    target_roles: list[str]
    experience_level: ExperienceLevel | None
    location: str | None
    timezone: str
    digest_opt_in: bool = Field(description="Whether the weekly digest is delivered in Telegram.")
    telegram_linked: bool
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, user: User) -> Profile:
        fields = user.model_dump(include=set(cls.model_fields) - {"telegram_linked"})
        return cls(**fields, telegram_linked=user.telegram_id is not None)


class TelegramLink(BaseModel):
    """A one-time code that links a Telegram account to the caller's account."""

    code: str
    start_command: str = Field(description="What to send the Career Navigator bot in Telegram.")
    expires_at: datetime
    instructions: str

    @classmethod
    def of(cls, link: LinkCode) -> TelegramLink:
        command = f"/start {link.deep_link_payload}"
        steps = f"Open the Career Navigator bot in Telegram and send `{command}` before {link.expires_at:%H:%M} UTC (10 minutes). The code works once."
        return cls(code=link.code, start_command=command, expires_at=link.expires_at, instructions=steps)
