"""The weekly digest: a short, personal market update built from the same Navigator answers as the commands.

Content per user: rising and falling skills for their target role this week vs last, gap coverage now vs the
previous digest, the next skill that unlocks the most postings (with one resource), one fitting project, and
market figures (postings, remote share, salary range). Users without a target role get a market digest and a
nudge to set one. `render_html` formats it for one Telegram message (HTML parse mode, every value escaped).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from core.errors import InsufficientData
from core.models import GapReport, ProjectMatch, Resource, RisingSkill, SalaryRange, TrendingReport, User
from core.service import Navigator

WEEK = 7
MAX_MOVERS = 3
TELEGRAM_LIMIT = 4096


class Coverage(BaseModel):
    matched: int
    required: int
    percentage: float


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


def digest_period(now: datetime, timezone: str = "UTC") -> str:
    """The ISO week a digest belongs to, in the user's timezone (e.g. '2026-W48')."""
    try:
        local = now.astimezone(ZoneInfo(timezone))
    except (KeyError, ValueError):
        local = now
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


async def build_digest(nav: Navigator, user: User, previous: Coverage | None = None) -> Digest:
    """The digest for one user; `previous` is the coverage stored with their last digest."""
    role = user.target_roles[0] if user.target_roles else None
    market = await nav.trending(days=WEEK, role=role, skills_limit=5)
    digest = _market_part(user, market, nav.clock.now())
    if role is None:
        return digest
    digest.previous_coverage = previous
    gap = await _gap_or_none(nav, user, role)
    if gap is not None:
        _add_gap(digest, gap, nav)
    projects = await nav.recommend_projects(user=user, role=role, limit=1)
    digest.project = projects.projects[0] if projects.projects else None
    return digest


def _market_part(user: User, market: TrendingReport, now: datetime) -> Digest:
    return Digest(
        user_id=user.id,
        period=digest_period(now, user.timezone),
        role=market.role,
        postings_analyzed=market.total_jobs_analyzed,
        remote_share=market.remote_share,
        salary=market.overall_salary,
        rising=market.rising_skills[:MAX_MOVERS],
        falling=market.falling_skills[:MAX_MOVERS],
        top_skills=[s.skill for s in market.top_skills],
    )


async def _gap_or_none(nav: Navigator, user: User, role: str) -> GapReport | None:
    try:
        return await nav.skill_gap(role, user=user, days=30)
    except InsufficientData:
        return None


def _add_gap(digest: Digest, gap: GapReport, nav: Navigator) -> None:
    digest.coverage = Coverage(matched=gap.skill_match_count, required=gap.total_required_skills, percentage=gap.coverage_percentage)
    digest.next_skill = gap.next_skill
    digest.next_skill_unlocks = gap.next_skill_unlocks
    if gap.next_skill:
        resources = nav.catalog.resources_for(gap.next_skill)
        digest.next_resource = resources[0] if resources else None


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


def render_html(digest: Digest) -> str:
    """One Telegram message (HTML parse mode); every data value is escaped."""
    scope = escape(digest.role) if digest.role else "the whole market"
    lines = [f"<b>Your weekly Career Navigator digest</b> — {scope}", ""]
    lines.append(f"📊 {digest.postings_analyzed:,} postings this week, {digest.remote_share:.0f}% remote")
    if digest.salary:
        lines.append(f"💰 Salaries ${digest.salary.min_usd:,.0f}–${digest.salary.max_usd:,.0f} (avg midpoint ${digest.salary.average_midpoint_usd:,.0f})")
    lines += [line for line in (_movers("📈 Rising:", digest.rising), _movers("📉 Cooling:", digest.falling), _coverage_line(digest)) if line]
    if digest.next_skill:
        unlock = f" — about {digest.next_skill_unlocks:,} more postings within reach" if digest.next_skill_unlocks else ""
        lines.append(f"➡️ Next skill: <b>{escape(digest.next_skill)}</b>{unlock}")
        if digest.next_resource:
            r = digest.next_resource
            lines.append(f'   📚 <a href="{escape(r.url, quote=True)}">{escape(r.title)}</a> ({r.type.value})')
    if digest.project:
        lines.append(f"🛠 Project idea: {escape(digest.project.title)} ({digest.project.difficulty.value}, {digest.project.skill_match_percentage:.0f}% match)")
    if digest.role is None:
        lines.append("Top skills: " + ", ".join(escape(s) for s in digest.top_skills))
        lines += ["", "Set a target role with /role to get your personal gap and next skill."]
    lines += ["", "/digest off to stop these messages."]
    return _fit(lines)


def _fit(lines: list[str]) -> str:
    """Drops whole lines from the middle (never cutting a tag) until the message fits Telegram's limit."""
    while len("\n".join(lines)) > TELEGRAM_LIMIT and len(lines) > 3:
        del lines[-3]
    return "\n".join(lines)


def next_send_time(now: datetime, timezone: str, weekday: int = 0, hour: int = 9) -> datetime:
    """The next local `weekday` at `hour`:00 in the user's timezone (default Monday 09:00)."""
    zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    local = now.astimezone(zone)
    days_ahead = (weekday - local.weekday()) % 7
    candidate = (local + timedelta(days=days_ahead)).replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate
