"""/trending and /gap: charts plus the numbers behind them."""

from __future__ import annotations

from telegram import Update

from bot import charts, parsing, views
from bot.context import NavContext, current_user
from bot.replies import photo, send


async def trending(update: Update, context: NavContext) -> None:
    """Replies with a chart of the top skills, the ranked list and the rising skills."""
    args = parsing.market_args(context.args or [])
    await show_trending(update, context, role=args.role, days=args.days)


async def show_trending(update: Update, context: NavContext, *, role: str | None, days: int) -> None:
    """The /trending reply for a role and window (free text answers with it too)."""
    report = await context.navigator.trending(days=days, role=role)
    if report.total_jobs_analyzed:
        await photo(update, await charts.render(charts.trending_png, report), views.trending_caption(report))
    await send(update, views.trending(report))


async def gap(update: Update, context: NavContext) -> None:
    """Replies with a have/missing chart of the role's required skills, coverage and the next skill to learn."""
    await show_gap(update, context, role=parsing.role_arg(context.args or []))


async def show_gap(update: Update, context: NavContext, *, role: str | None, skills: list[str] | None = None) -> None:
    """The /gap reply; `skills` named in a free-text question stand in for the profile's."""
    user = await current_user(update, context)
    report = await context.navigator.skill_gap(role, skills, user=user)
    await photo(update, await charts.render(charts.gap_png, report), views.gap_caption(report))
    await send(update, views.gap(report))
