"""What the bot says in free-text chat that no command says: job matches, clarifying questions, confirmations and
the assistant's answers. HTML, escaped through bot.render; command replies stay in bot.views."""

from __future__ import annotations

from typing import Any

from bot import render as r
from bot import views
from core.agent import PendingAction
from core.intent import Routed
from core.jobmatch import JobMatchReport

MISSING_SHOWN = 12


def job_match(report: JobMatchReport) -> str:
    about = f"{report.role} posting" if report.role else "posting"
    lines = [f"📄 {r.bold('Job match — ' + about)}" + (f": {r.esc(r.clip(report.title, 80))}" if report.title else "")]
    lines.append(
        f"You have {len(report.have)} of {len(report.posting_skills)} skills it asks for ({r.pct(report.match_percentage)}); "
        f"weighted by demand: {r.bold(r.pct(report.weighted_match_percentage))}"
    )
    lines.append(f"\n✅ {r.bold('You have')}: {r.joined(report.have, 20, empty='none of them yet')}")
    asked = [item for item in report.missing if item.postings]
    rare = [item.skill for item in report.missing if not item.postings]
    if asked:
        lines.append(f"❌ {r.bold('Missing')} (share of {r.esc(report.weights_scope)} postings, last {report.window_days} days):")
        lines += [f"• {r.esc(item.skill)} — {r.pct(item.market_percentage)}" for item in asked[:MISSING_SHOWN]]
        if len(asked) > MISSING_SHOWN:
            lines.append(f"… and {len(asked) - MISSING_SHOWN} more")
    if rare:
        lines.append(f"❔ Also in this posting (rare in {r.esc(report.weights_scope)} postings): {r.joined(rare, 10)}")
    if report.best_next_skill:
        top = report.missing[0]
        share = f": {r.pct(top.market_percentage)} of {r.esc(report.weights_scope)} postings ask for it" if top.postings else ""
        lines.append(f"\n👉 Learn {r.bold(report.best_next_skill)} next{share}.")
    if report.resource is not None:
        lines.append(views.resources([report.resource], [report.best_next_skill or ""]))
    if not report.user_skills:
        lines.append("\nTip: add your skills (/skills add Python, SQL) so I can tell what you already have.")
    return "\n".join(lines)


def clarify(routed: Routed) -> str:
    return f"🤔 {r.esc(routed.question or 'What would you like to know?')}"


def profile_change(routed: Routed) -> str:
    lines = [f"✏️ {r.bold('Update your profile?')}"]
    if routed.add_skills:
        lines.append(f"➕ Add skills: {r.joined(routed.add_skills)}")
    if routed.remove_skills:
        lines.append(f"➖ Remove skills: {r.joined(routed.remove_skills)}")
    if routed.target_role:
        lines.append(f"🎯 Target role: {r.bold(routed.target_role)}")
    return "\n".join(lines)


def nothing_to_change() -> str:
    return "✏️ Tell me what to change, e.g. “add Docker to my skills” or “I want to become a data engineer”."


def which_skill() -> str:
    return "📚 Which skill? For example: “how do I learn Docker?” or /resources docker."


def choice_made(question: str, label: str) -> str:
    return f"{r.esc(question)}\n→ {r.bold(label)}"


# --- the assistant -----------------------------------------------------------------------------------


def assistant_answer(text: str) -> str:
    return f"🤖 {r.esc(r.clip(text, 3000))}"


def assistant_failure(message: str) -> str:
    return f"🤖 {r.esc(message)} Here's what I can do instead:"


def assistant_pending(action: PendingAction, text: str | None) -> str:
    lines = [f"🤖 {r.esc(r.clip(text, 600))}"] if text else []
    lines.append(f"{r.bold(action.title)} — shall I?")
    lines += [f"• {r.esc(r.clip(line, 200))}" for line in action.lines()] or ["• (no changes given)"]
    return "\n".join(lines)


def telegram_link(data: dict[str, Any]) -> str:
    return f"🔗 {r.bold('One-time link code')}: {r.code(data.get('code', ''))}\n{r.esc(data.get('instructions', ''))}"


def assistant_done(title: str) -> str:
    return f"✅ Done: {r.esc(title)}."


def cancelled() -> str:
    return "OK, nothing changed."
