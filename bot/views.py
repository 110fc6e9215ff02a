"""What the bot says: each function turns a core model into HTML (escaped through bot.render)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot import render as r
from bot.commands import COMMANDS, usage
from core.accounts import DeletionReport, IssuedToken, LinkCode, LinkResult, SkillChange, TokenInfo
from core.cron import zone
from core.errors import UnknownTimezone
from core.models import GapReport, ProjectRecommendations, Resource, RoadmapReport, TrendingReport, User
from core.timezones import is_fixed_offset, timezone_label, utc_offset

ROADMAP_PAGE = 3
PROJECTS_PAGE = 3
RESOURCE_ICONS = {"Documentation": "📘", "Course": "🎓", "Video": "🎬", "Book": "📗", "Tutorial": "🧪"}
TIMEZONE_LIST = "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones"


def _day(moment: datetime) -> str:
    return f"{moment:%d %b %Y}".lstrip("0")


def _name(user: User) -> str:
    return r.clip(user.full_name or user.telegram_username or "there", 60)


# --- profile ------------------------------------------------------------------------------------------


def profile(user: User, now: datetime) -> str:
    level = user.experience_level.value if user.experience_level else "—"
    lines = [
        f"👤 {r.bold(_name(user))}" + (f" (@{r.esc(r.clip(user.telegram_username, 40))})" if user.telegram_username else ""),
        f"🎯 Target role: {r.joined(user.target_roles, 5)}",
        f"🧰 Skills ({len(user.skills)}): {r.joined(user.skills, 30)}",
        f"📈 Level: {r.esc(level)}",
        f"📍 Location: {r.esc(r.clip(user.location, 100)) if user.location else '—'}",
        f"🕘 Timezone: {r.esc(timezone_label(user.timezone, now))}",
        f"📬 Weekly digest: {'on' if user.digest_opt_in else 'off'}",
    ]
    if user.email:
        lines.append(f"🔗 Linked account: {r.esc(r.clip(user.email, 80))}")
    lines.append("\nTap a button to change something.")
    return "\n".join(lines)


def skills(user: User) -> str:
    if not user.skills:
        return "You haven't added any skills yet.\nAdd some: /skills add Python, SQL, Docker"
    listed = ", ".join(r.esc(r.clip(skill, 80)) for skill in user.skills)
    return f"🧰 {r.bold('Your skills')} ({len(user.skills)}):\n{listed}\n\nChange them: /skills add … · /skills remove … · /skills clear"


def skill_change(change: SkillChange, verb: str) -> str:
    lines = []
    if change.changed:
        lines.append(f"✅ {verb.capitalize()}: {r.joined(change.changed)}")
    if change.unchanged:
        note = "already in your profile" if verb == "added" else "not in your profile"
        lines.append(f"ℹ️ {note.capitalize()}: {r.joined(change.unchanged)}")
    for text, hints in change.unknown.items():
        hint = f" Did you mean {r.joined(hints)}?" if hints else " Try another name for it."
        lines.append(f"❓ I don't know {r.bold(r.clip(text, 60))}.{hint}")
    if not lines:
        lines.append("Nothing to change.")
    lines.append(f"\n🧰 Your skills ({len(change.user.skills)}): {r.joined(change.user.skills, 30)}")
    return "\n".join(lines)


def saved(what: str, value: object) -> str:
    return f"✅ {r.esc(what)}: {r.bold(r.clip(value, 120)) if value not in (None, '') else 'cleared'}"


def digest_status(on: bool) -> str:
    if on:
        return "📬 Weekly digest is <b>on</b> — once a week you'll get what's trending for your role."
    return "📬 Weekly digest is <b>off</b>."


# --- timezone and digest time -------------------------------------------------------------------------


def _local(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(zone(timezone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def _until(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 90:
        return f"in {r.plural(minutes, 'minute')}"
    hours = round(minutes / 60)
    return f"in {r.plural(hours, 'hour')}" if hours < 36 else f"in {r.plural(round(hours / 24), 'day')}"


def digest_arrival(user: User, now: datetime, when: datetime | None) -> str:
    """When the next weekly digest arrives, in the user's own time (`when` from core.digest_schedule)."""
    if not user.digest_opt_in:
        return "📭 Weekly digest: off — /digest on to get it on your local time."
    if when is None:
        return "📬 Weekly digest: on, but the schedule sends none in the coming weeks."
    if when <= now:
        return "📬 This week's digest is due — it's on its way."
    return f"📬 Next digest: {r.bold(_local(when, user.timezone))} ({r.esc(user.timezone)}), {_until(when - now)}"


def timezone(user: User, now: datetime, when: datetime | None, *, changed: bool = False) -> str:
    """The timezone, the local time and the next digest; with the usage help unless it was just changed."""
    label = r.bold(timezone_label(user.timezone, now))
    lines = [
        f"✅ Timezone: {label}" if changed else f"🕘 Your timezone: {label}",
        f"🕰 Local time: {_local(now, user.timezone)}",
        digest_arrival(user, now, when),
    ]
    if is_fixed_offset(user.timezone) and utc_offset(user.timezone, now) != "UTC+00:00":
        lines.append("ℹ️ A fixed offset ignores daylight saving time; a city's zone (e.g. Europe/Berlin) follows it.")
    if not changed:
        lines += ["", r.esc(usage("timezone") or ""), "Any IANA name in any case, UTC, or an offset like UTC+2. Send a city and I'll suggest its zone."]
    return "\n".join(lines)


def timezone_unknown(error: UnknownTimezone, current: str) -> str:
    """A name that is no timezone: close names to tap (or where to look), and the usage."""
    lines = [f"⚠️ I don't know the timezone {r.bold(error.timezone)}."]
    if error.suggestions:
        lines.append(f"Did you mean {r.joined(error.suggestions)}? Tap a button to use it.")
    else:
        lines.append(f"Use an IANA name such as Europe/Berlin or America/New_York ({r.link('the full list', TIMEZONE_LIST)}), or an offset like UTC+2.")
    lines += [f"Your timezone is still {r.bold(current)}.", "", r.esc(usage("timezone") or "")]
    return "\n".join(lines)


def timezone_hint(user: User) -> str:
    """After onboarding: subscribers still on the default UTC learn that the digest follows their timezone."""
    if not user.digest_opt_in or user.timezone != "UTC":
        return ""
    return "\n\n🕘 The digest follows your timezone — UTC for now. Set yours: /timezone Europe/Berlin"


# --- market ------------------------------------------------------------------------------------------


def _scope(role: str | None, days: int, postings: int) -> str:
    return f"{r.esc(role or 'all roles')} · last {r.plural(days, 'day')} · {r.plural(postings, 'posting')}"


def trending_caption(report: TrendingReport) -> str:
    return f"📈 {r.bold('Top skills')} · {_scope(report.role, report.window_days, report.total_jobs_analyzed)}"


def trending(report: TrendingReport) -> str:
    if not report.total_jobs_analyzed:
        return f"No postings in the last {r.plural(report.window_days, 'day')} for {r.esc(report.role or 'any role')} yet. Try more days, e.g. /trending 90."
    lines = [f"📈 {r.bold('Top skills')} — {_scope(report.role, report.window_days, report.total_jobs_analyzed)}"]
    lines += [f"{i}. {r.esc(row.skill)} — {r.pct(row.percentage)} ({r.number(row.count)})" for i, row in enumerate(report.top_skills, 1)]
    if report.rising_skills:
        lines.append(f"\n🚀 {r.bold('Rising')} (vs the {report.window_days} days before)")
        lines += [f"▲ {r.esc(s.skill)} {r.points(s.change_points)} ({r.pct(s.previous_percentage)} → {r.pct(s.current_percentage)})" for s in report.rising_skills[:5]]
    if report.top_locations:
        places = ", ".join(f"{r.esc(r.clip(loc.location, 40))} ({r.number(loc.count)})" for loc in report.top_locations[:6])
        lines.append(f"\n📍 {r.bold('Where')}: {places}")
    lines.append(f"🌍 Remote: {r.pct(report.remote_share)} of postings")
    if report.overall_salary:
        pay = report.overall_salary
        lines.append(f"💵 Salaries (USD, where stated): {r.money(pay.min_usd)}–{r.money(pay.max_usd)}, typical {r.money(pay.average_midpoint_usd)}")
    lines.append("\nYour gap for a role: /gap · what to learn next: /roadmap")
    return "\n".join(lines)


def gap_caption(report: GapReport) -> str:
    return f"🧭 {r.bold(report.role)}: you have {report.skill_match_count} of {report.total_required_skills} required skills ({r.pct(report.coverage_percentage)})"


def gap(report: GapReport) -> str:
    lines = [
        f"🧭 {r.bold('Skill gap — ' + report.role)}",
        f"{r.plural(report.total_postings_analyzed, 'posting')}, last {r.plural(report.window_days, 'day')}; a skill counts as required when at least {r.pct(report.threshold * 100)} of postings ask for it.",
        "",
    ]
    lines += [f"{'✅' if row.user_has else '❌'} {r.esc(row.skill)} — {r.pct(row.required_percentage)}" for row in report.required_skills]
    lines.append(f"\nCoverage: {r.bold(r.pct(report.coverage_percentage))} ({report.skill_match_count}/{report.total_required_skills})")
    if report.next_skill:
        unlocks = f": it unlocks {r.plural(report.next_skill_unlocks, 'more posting')}" if report.next_skill_unlocks else ""
        lines.append(f"👉 Learn {r.bold(report.next_skill)} next{unlocks}.")
    if report.unrecognised_skills:
        lines.append(f"❓ Not recognised in your profile: {r.joined(report.unrecognised_skills)}")
    if not report.user_skills:
        lines.append("\nTip: add your skills (/skills add Python, SQL) to see what you already cover.")
    lines.append("\nFull plan: /roadmap · practice: /projects")
    return "\n".join(lines)


# --- learning ----------------------------------------------------------------------------------------


def pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def roadmap_page(report: RoadmapReport, page: int) -> str:
    total = pages(len(report.skill_paths), ROADMAP_PAGE)
    lines = [
        f"🗺 {r.bold('Roadmap — ' + report.target_role)}" + (f" (page {page + 1}/{total})" if total > 1 else ""),
        f"Coverage {r.pct(report.coverage_percentage)} · {r.plural(report.missing_skills_count, 'skill')} to learn · {r.plural(report.total_postings_analyzed, 'posting')}, last {report.window_days} days",
    ]
    if page == 0:
        lines += [f"• {r.esc(text)}" for text in report.recommendations[:3]]
    start = page * ROADMAP_PAGE
    for number, path in enumerate(report.skill_paths[start : start + ROADMAP_PAGE], start + 1):
        status = "✅ you have it" if not path.is_missing else f"unlocks {r.plural(path.unlocks_postings, 'posting')}" if path.unlocks_postings else "in demand"
        lines.append(f"\n{r.bold(f'{number}. {path.skill}')} — in {r.pct(path.required_percentage)} of postings · {status}")
        lines += [f"   {_resource_line(resource)}" for resource in path.resources]
    if not report.skill_paths:
        lines.append("\nNothing to learn for this role right now — you cover it. Try /trending for what's rising.")
    return "\n".join(lines)


def _resource_line(resource: Resource) -> str:
    extras = [resource.type.value] + (["free"] if resource.free else []) + ([resource.level] if resource.level else [])
    return f"{RESOURCE_ICONS.get(resource.type.value, '•')} {r.link(resource.title, resource.url)} · {r.esc(', '.join(extras))}"


def projects_page(result: ProjectRecommendations, page: int, difficulty: str | None) -> str:
    total = pages(len(result.projects), PROJECTS_PAGE)
    header = f"🛠 {r.bold('Projects for you')}" + (f" · {r.esc(difficulty)}" if difficulty else "") + (f" (page {page + 1}/{total})" if total > 1 else "")
    lines = [header]
    if page == 0:
        lines += [f"• {r.esc(text)}" for text in result.recommendations[:2]]
    start = page * PROJECTS_PAGE
    for project in result.projects[start : start + PROJECTS_PAGE]:
        lines.append(f"\n{r.bold(r.clip(project.title, 100))} · {r.esc(project.difficulty.value)} · {r.esc(project.estimated_time)}")
        missing = f" · to learn: {r.joined(project.missing_skills, 8)}" if project.missing_skills else " · you have every skill"
        lines.append(f"Match {r.pct(project.skill_match_percentage)}{missing}")
        lines.append(r.italic(r.clip(project.description, 300)))
    if not result.projects:
        lines.append("\nNo projects match that filter. Try /projects without a difficulty.")
    return "\n".join(lines)


def resources(found: Sequence[Resource], asked: Sequence[str]) -> str:
    if not found:
        return f"No learning resources for {r.joined(asked)} yet. Try a broader skill, e.g. /resources python."
    lines = [f"📚 {r.bold('Learning resources')} — {r.joined(dict.fromkeys(res.skill or '' for res in found), 10)}"]
    for resource in found:
        lines.append(_resource_line(resource))
        if resource.description:
            lines.append(f"   {r.italic(r.clip(resource.description, 160))}")
    return "\n".join(lines)


# --- help and onboarding -----------------------------------------------------------------------------


def help_text() -> str:
    lines = [f"🧭 {r.bold('Career Navigator')} reads the job market so you can steer your career.", ""]
    lines += [f"{r.esc(command.usage)} — {r.esc(command.description)}" for command in COMMANDS]
    lines.append("\nRoles and skills are forgiving: “ml engineer”, “k8s” and “js” all work.")
    lines.append("Or just ask: “what's hot for data engineers?”, “how do I learn Kubernetes?” — or paste a job ad to see how you match.")
    return "\n".join(lines)


def welcome(user: User, *, resuming: bool) -> str:
    if resuming:
        return f"👋 Welcome back, {r.esc(_name(user))}! Let's finish your profile — tap Skip for anything you'd rather not say."
    return (
        f"👋 Hi {r.esc(_name(user))}! I'm {r.bold('Career Navigator')}: I read job postings so you can see which skills the market wants, "
        "what you're missing for your target role, and what to learn next.\n\n"
        "A few quick questions to set up your profile (skip any, /cancel to stop — /start picks up where you left off)."
    )


def welcome_back(user: User) -> str:
    return f"👋 Welcome back, {r.esc(_name(user))}! Your profile is set up.\n\n" + ready()


def ready() -> str:
    return "Try:\n/gap — your skill gap for your target role\n/roadmap — what to learn next\n/trending — what the market asks for\n/projects — practice projects\n/help — everything else"


STEP_PROMPTS = {
    "role": "🎯 Which role are you aiming for?",
    "skills": "🧰 Which skills do you have? Send them separated by commas, e.g. <i>Python, SQL, Docker</i> (aliases like k8s or js work).",
    "level": "📈 What's your experience level?",
    "location": "📍 Where do you want to work? Send a city or country, or tap Remote.",
    "digest": "📬 Want a weekly digest of what's trending for your role?",
}


def step_prompt(step: str, number: int, total: int) -> str:
    return f"<b>{number}/{total}</b> · {STEP_PROMPTS[step]}"


# --- account -----------------------------------------------------------------------------------------


def link_intro() -> str:
    return (
        f"🔗 {r.bold('Linking accounts')}\n"
        "This Telegram chat is your Career Navigator account. To use the same profile from an AI assistant, send /token.\n\n"
        "Already have an account from the CLI or an assistant? Ask it for a Telegram link "
        "(<code>create_telegram_link</code>) and open it here — or send /link &lt;code&gt;. I'll ask before moving this chat to it.\n\n"
        "Need a one-time code for this account (e.g. to connect another Telegram account)? Tap the button."
    )


def link_code(code: LinkCode, bot_username: str | None) -> str:
    deep = code.deep_link(bot_username) if bot_username else None
    lines = [f"🔗 {r.bold('One-time link code')} (valid until {code.expires_at:%H:%M} UTC, single use):", r.code(code.code)]
    if deep:
        lines.append(f"Deep link: {r.link(deep, deep)}")
    lines.append("Open it from the Telegram account to connect (or send /start &lt;code&gt; there). Don't share it with anyone else.")
    return "\n".join(lines)


def link_result(result: LinkResult) -> str:
    if result.status == "already_linked":
        return "✅ This Telegram account is already linked to that account — nothing to do."
    return "✅ Linked! This chat now uses that account's profile.\nSee it with /profile."


def link_confirm(result: LinkResult) -> str:
    lines = ["⚠️ This Telegram account already belongs to a Career Navigator profile." if result.previous_user_id else "⚠️ That account is linked to another Telegram account."]
    lines.append("Linking moves this chat to the account from the code. The other profile is kept as it is (never merged or deleted), but this chat will no longer reach it.")
    lines.append("\nLink anyway?")
    return "\n".join(lines)


def token_issued(issued: IssuedToken, mcp_url: str) -> str:
    return "\n".join(
        [
            f"🔑 {r.bold('Your MCP token')} — shown only this once, copy it now:",
            r.code(issued.token),
            "",
            f"Valid until {_day(issued.expires_at)} · id {r.code(issued.jti)}",
            f"\n{r.bold('Use it with an AI assistant')}",
            "• Local (stdio): set <code>CAREER_NAV_TOKEN</code> to the token and run <code>career-nav mcp</code>. In an MCP client config:",
            '<pre>{"mcpServers": {"career-navigator": {"command": "career-nav", "args": ["mcp"], "env": {"CAREER_NAV_TOKEN": "&lt;token&gt;"}}}}</pre>',
            f"• Remote (HTTP): {r.code(mcp_url)} with the header <code>Authorization: Bearer &lt;token&gt;</code>",
            "\nLost it or shared it by mistake? /token revoke",
        ]
    )


def token_list(tokens: Sequence[TokenInfo]) -> str:
    if not tokens:
        return "🔑 You have no active MCP tokens. Create one with /token."
    lines = [f"🔑 {r.bold('Active MCP tokens')} ({len(tokens)})"]
    for token in tokens:
        used = _day(token.last_used_at) if token.last_used_at else "never"
        lines.append(f"• {r.code(token.jti)} — created {_day(token.created_at)}, last used {used}, expires {_day(token.expires_at)}")
    lines.append("\nRevoke one: /token revoke &lt;id&gt; · all: /token revoke")
    return "\n".join(lines)


def tokens_revoked(count: int | None) -> str:
    if count is None:
        return "🗑 Token revoked. Assistants using it are signed out."
    return f"🗑 Revoked all your MCP tokens ({r.plural(count, 'active token')}). Assistants using them are signed out."


def delete_prompt() -> str:
    return "⚠️ This deletes your profile, skills, MCP tokens and link codes for good. It can't be undone.\n\nDelete everything?"


def deleted(report: DeletionReport) -> str:
    tokens = report.removed.get("tokens", 0)
    revoked = f" ({r.plural(tokens, 'MCP token')} revoked)" if tokens else ""
    return f"🗑 Done — your account and all your data are deleted{revoked}. Send /start if you ever want to begin again."
