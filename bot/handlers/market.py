"""/trending and /gap: charts plus the numbers behind them."""

from __future__ import annotations

from telegram import Update

from bot import charts, parsing, views
from bot.context import NavContext, current_user
from bot.replies import photo, send


async def trending(update: Update, context: NavContext) -> None:
    """Replies with a chart of the top skills, the ranked list and the rising skills."""
    args = parsing.market_args(context.args or [])
    report = await context.navigator.trending(days=args.days, role=args.role)
    if report.total_jobs_analyzed:
        await photo(update, await charts.render(charts.trending_png, report), views.trending_caption(report))
    await send(update, views.trending(report))


async def gap(update: Update, context: NavContext) -> None:
    """Replies with a have/missing chart of the role's required skills, coverage and the next skill to learn."""
    role = parsing.role_arg(context.args or [])
    user = await current_user(update, context)
    report = await context.navigator.skill_gap(role, user=user)
    await photo(update, await charts.render(charts.gap_png, report), views.gap_caption(report))
    await send(update, views.gap(report))
