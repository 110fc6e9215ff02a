"""The weekly digest: a short, personal market update built from the same Navigator answers as the commands.

Content per user: rising and falling skills for their target role this week vs last, gap coverage now vs the
previous digest, the next skill that unlocks the most postings (with one resource), one fitting project, and
market figures (postings, remote share, salary range). Users without a target role get a market digest and a
nudge to set one. `render_html` formats it for one Telegram message (HTML parse mode, every value escaped).

When is a digest due? `DIGEST_SCHEDULE` (crontab, default "0 9 * * 1": Monday 09:00) is read in each user's
own timezone. A digest belongs to the user's local ISO week (`digest_period`), and it is due from the
schedule's first fire time in that week for CATCH_UP (`is_due`): a run that was late or missed is caught up
by the next one, while a week whose send time is long gone (someone opting in on a Sunday evening) waits for
the next send time instead of arriving hours before the next digest.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape, unescape

from pydantic import BaseModel, Field

from core.cron import cached_trigger, zone
from core.errors import InsufficientData, InvalidInput
from core.models import GapReport, ProjectMatch, Resource, RisingSkill, SalaryRange, TrendingReport, User
from core.service import Navigator

WEEK = 7
GAP_DAYS = 30
MAX_MOVERS = 3
TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024
DEFAULT_SCHEDULE = "0 9 * * 1"
CATCH_UP = timedelta(days=2)
_TAG = re.compile(r"<[^>]*>")


class Coverage(BaseModel):
    matched: int
    required: int
    percentage: float
    role: str | None = None  # "up from N" only compares coverage of the same role


class Digest(BaseModel):
    user_id: str
    period: str
    role: str | None
    postings_analyzed: int
    remote_share: float
    salary: SalaryRange | None = None
    rising: list[RisingSkill] = Field(default_factory=list)
    falling: list[RisingSkill] = Field(default_factory=list)
    coverage: Coverage | None = None
    previous_coverage: Coverage | None = None
    next_skill: str | None = None
    next_skill_unlocks: int = 0
    next_resource: Resource | None = None
    project: ProjectMatch | None = None
    top_skills: list[str] = Field(default_factory=list)
    first_name: str | None = None
    has_skills: bool = True


# --- when ---------------------------------------------------------------------------------------------------


def digest_period(now: datetime, timezone: str = "UTC") -> str:
    """The ISO week a digest belongs to, in the user's timezone (e.g. '2026-W48')."""
    year, week, _ = now.astimezone(zone(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(now: datetime, timezone: str = "UTC") -> datetime:
    """Monday 00:00 of the user's current local week."""
    local = now.astimezone(zone(timezone))
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def send_time(now: datetime, timezone: str = "UTC", schedule: str = DEFAULT_SCHEDULE) -> datetime | None:
    """The schedule's first fire time in the user's current local week (None if it never fires that week)."""
    start = week_start(now, timezone)
    fire = cached_trigger(schedule, timezone or "UTC").get_next_fire_time(None, start)
    return fire if fire is not None and fire < start + timedelta(days=WEEK) else None


def is_due(now: datetime, timezone: str = "UTC", schedule: str = DEFAULT_SCHEDULE) -> bool:
    """True from this week's send time until CATCH_UP later."""
    fire = send_time(now, timezone, schedule)
    return fire is not None and fire <= now < fire + CATCH_UP


def next_send_time(now: datetime, timezone: str = "UTC", schedule: str = DEFAULT_SCHEDULE) -> datetime | None:
    """The next fire time after `now` in the user's timezone (default: the next Monday 09:00)."""
    return cached_trigger(schedule, timezone or "UTC").get_next_fire_time(None, now + timedelta(microseconds=1))


# --- what ---------------------------------------------------------------------------------------------------


async def build_digest(nav: Navigator, user: User, previous: Coverage | None = None, *, period: str | None = None) -> Digest:
    """The digest for one user; `previous` is the coverage stored with their last digest."""
    role = await _role_or_none(nav, user)
    market = await nav.trending(days=WEEK, role=role, skills_limit=5)
    digest = _market_part(user, market, period or digest_period(nav.clock.now(), user.timezone))
    if role is None:
        return digest
    if previous is not None and previous.role == digest.role:
        digest.previous_coverage = previous
    gap = await _gap_or_none(nav, user, role)
    if gap is not None:
        _add_gap(digest, gap, nav)
    projects = await nav.recommend_projects(user=user, role=role, limit=1)
    digest.project = projects.projects[0] if projects.projects else None
    return digest


async def _role_or_none(nav: Navigator, user: User) -> str | None:
    """The user's first target role, if it still resolves (a renamed role falls back to the market digest)."""
    if not user.target_roles:
        return None
    try:
        return nav.resolve_role(user.target_roles[0]).name
    except InvalidInput:
        return None


def _market_part(user: User, market: TrendingReport, period: str) -> Digest:
    return Digest(
        user_id=user.id,
        period=period,
        role=market.role,
        postings_analyzed=market.total_jobs_analyzed,
        remote_share=market.remote_share,
        salary=market.overall_salary,
        rising=market.rising_skills[:MAX_MOVERS],
        falling=market.falling_skills[:MAX_MOVERS],
        top_skills=[s.skill for s in market.top_skills],
        first_name=(user.full_name or "").split(" ")[0] or None,
        has_skills=bool(user.skills),
    )


async def _gap_or_none(nav: Navigator, user: User, role: str) -> GapReport | None:
    try:
        return await nav.skill_gap(role, user=user, days=GAP_DAYS)
    except InsufficientData:
        return None


def _add_gap(digest: Digest, gap: GapReport, nav: Navigator) -> None:
    digest.coverage = Coverage(matched=gap.skill_match_count, required=gap.total_required_skills, percentage=gap.coverage_percentage, role=gap.role)
    digest.next_skill = gap.next_skill
    digest.next_skill_unlocks = gap.next_skill_unlocks
    if gap.next_skill:
        resources = nav.catalog.resources_for(gap.next_skill)
        digest.next_resource = resources[0] if resources else None


# --- how it reads -------------------------------------------------------------------------------------------


def _movers(label: str, movers: list[RisingSkill]) -> str | None:
    if not movers:
        return None
    items = ", ".join(f"{escape(m.skill)} ({m.change_points:+.1f} pp)" for m in movers)
    return f"{label} {items}"


def _coverage_line(digest: Digest) -> str | None:
    now = digest.coverage
    if now is None:
        return None
    line = f"🎯 You cover <b>{now.matched} of {now.required}</b> required skills ({now.percentage:.0f}%)"
    before = digest.previous_coverage
    if before is not None and before.matched != now.matched:
        direction = "up" if now.matched > before.matched else "down"
        line += f", {direction} from {before.matched}"
    return line + "."


def _resource_line(resource: Resource) -> str:
    title = escape(resource.title)
    if resource.url.startswith(("https://", "http://")):
        title = f'<a href="{escape(resource.url, quote=True)}">{title}</a>'
    return f"   📚 {title} ({resource.type.value})"


def _personal_lines(digest: Digest) -> list[str]:
    lines = [line for line in (_movers("📈 Rising:", digest.rising), _movers("📉 Cooling:", digest.falling), _coverage_line(digest)) if line]
    if digest.next_skill:
        count = digest.next_skill_unlocks
        unlock = f" — about {count:,} more posting{'s' if count != 1 else ''} within reach" if count else ""
        lines.append(f"➡️ Next skill: <b>{escape(digest.next_skill)}</b>{unlock}")
        if digest.next_resource:
            lines.append(_resource_line(digest.next_resource))
    if digest.project:
        lines.append(f"🛠 Project idea: {escape(digest.project.title)} ({digest.project.difficulty.value}, {digest.project.skill_match_percentage:.0f}% match)")
    if digest.role is not None and not digest.has_skills:
        lines.append("Add your skills with /skills add Python, SQL to see how much of the role you cover.")
    return lines


def render_html(digest: Digest) -> str:
    """One Telegram message (HTML parse mode); every data value is escaped."""
    scope = escape(digest.role) if digest.role else "the whole market"
    greeting = f"Hi {escape(digest.first_name)}! " if digest.first_name else ""
    lines = [f"{greeting}<b>Your weekly Career Navigator digest</b> — {scope}", ""]
    lines.append(f"📊 {digest.postings_analyzed:,} postings this week, {digest.remote_share:.0f}% remote")
    if digest.salary:
        lines.append(f"💰 Salaries ${digest.salary.min_usd:,.0f}–${digest.salary.max_usd:,.0f} (avg midpoint ${digest.salary.average_midpoint_usd:,.0f})")
    lines += _personal_lines(digest)
    if digest.role is None:
        if digest.top_skills:
            lines.append("🔥 Top skills: " + ", ".join(escape(s) for s in digest.top_skills))
        lines += ["", "Set a target role with /role to get your personal gap and next skill."]
    lines += ["", "/digest off to stop these messages."]
    return _fit(lines)


def _fit(lines: list[str]) -> str:
    """Drops whole lines from the middle (never cutting a tag) until the message fits Telegram's limit."""
    while utf16_length("\n".join(lines)) > TELEGRAM_LIMIT and len(lines) > 3:
        del lines[-3]
    return "\n".join(lines)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """The length Telegram checks against its limits: tags removed, entities decoded, in UTF-16 units."""
    return utf16_length(unescape(_TAG.sub("", html_text)))


def fits_caption(html_text: str) -> bool:
    """Whether the message can be a photo caption (1,024 visible characters)."""
    return visible_length(html_text) <= CAPTION_LIMIT
