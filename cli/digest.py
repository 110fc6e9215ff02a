"""`career-nav digest [--dry-run] [--json]`: send this week's digest now to every subscriber whose send time has
come (the same run the scheduler makes every 15 minutes), or rehearse it.

`--dry-run` builds every subscriber's digest, sends nothing, writes nothing, and reports the counts, how long
building took, and how long a real send would take under Telegram's limits.
"""

from __future__ import annotations

import argparse
import uuid

from cli.app import emit_json, fail, navigator, run
from cli.ingest import STOPPED_EXIT, UPSTREAM_EXIT
from cli.progress import Progress
from core.digest_delivery import DigestSender
from core.lifecycle import stop_on_signals
from core.service import Navigator
from core.settings import Settings
from core.storage.run_ports import RunRecord
from scheduler.digest import DigestRun, DigestRunSummary, DryRunReport, dry_run
from scheduler.notifier import OVERALL_PER_SECOND, TelegramNotifier, bot_token


async def digest(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        if args.dry_run:
            report = await _dry_run(nav, settings)
            _print(args, report.as_dict(), dry_run_text(report))
            return fail(f"{report.build_errors} digest(s) could not be built", 1) if report.build_errors else 0
        if not bot_token(settings):
            return fail("TELEGRAM_BOT_TOKEN is not set: nothing can be sent (try --dry-run)", 2)
        summary = await _send(nav, settings)
    _print(args, summary.as_dict(), run_text(summary))
    return _exit_code(summary)


def _print(args: argparse.Namespace, data: dict, text: str) -> None:
    if args.json:
        emit_json(data)
    else:
        print(text)


async def _dry_run(nav: Navigator, settings: Settings) -> DryRunReport:
    total = 0
    async for _ in nav.store.users.iter_digest_subscribers():
        total += 1
    progress = Progress(total, "digests")
    try:
        return await dry_run(nav, settings.digest_schedule, on_progress=progress.advance)
    finally:
        progress.close()


async def _send(nav: Navigator, settings: Settings) -> DigestRunSummary:
    stop, started = stop_on_signals(), nav.clock.now()
    async with TelegramNotifier.from_settings(settings) as notifier:
        summary = await DigestRun(nav, DigestSender(nav, notifier), settings.digest_schedule).run(stop)
    run_id = f"digest-cli-{uuid.uuid4().hex}"  # unique: two runs within a second must not overwrite each other
    await nav.store.runs.record(RunRecord(run_id, "digest", summary.status, started, nav.clock.now(), None, summary.as_dict()))
    return summary


def dry_run_text(report: DryRunReport) -> str:
    each = report.build_seconds / report.built * 1000 if report.built else 0.0
    lines = [
        "Dry run: nothing was sent and nothing was written.",
        f"Subscribers: {report.subscribers:,} (due now: {report.due_now:,}; already done this week: {report.already_done:,})",
        f"Built {report.built:,} digest(s) in {report.build_seconds:.1f} s ({each:.1f} ms each), {report.build_errors} error(s); "
        f"{report.with_chart:,} with a chart ({report.charts_rendered} chart(s) rendered); longest {report.max_visible_chars:,} characters",
        f"A real send would take at least {duration(report.send_seconds_due)} for the {report.due_now - report.already_done:,} due now "
        f"({duration(report.send_seconds_all)} for all {report.subscribers:,}) under Telegram's limits "
        f"({OVERALL_PER_SECOND} messages/s overall, 1/s per chat).",
    ]
    lines += [f"  error: {error}" for error in report.errors[:5]]
    return "\n".join(lines)


def run_text(summary: DigestRunSummary) -> str:
    outcomes = ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in sorted(summary.outcomes.items())) or "nothing to send"
    text = f"Digest run {summary.status}: {summary.due:,} due of {summary.subscribers:,} subscribers; {outcomes}"
    text += f"; {summary.already_done:,} already done this week; {summary.errors} error(s); {summary.duration_s:.1f} s."
    return text + (f" Stopped: {summary.aborted}" if summary.aborted else "")


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _exit_code(summary: DigestRunSummary) -> int:
    if summary.status == "failed":
        return fail(summary.aborted or "the digest run failed", UPSTREAM_EXIT)
    if summary.status == "stopped":
        return fail("stopped; the next run sends the rest", STOPPED_EXIT)
    if summary.status == "partial":
        return fail("some digests were not delivered; the next run retries them", 1)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("digest", help="send this week's digest to subscribers whose send time has come (or --dry-run)")
    p.add_argument("--dry-run", action="store_true", help="build every digest and report; send nothing, write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=lambda args: run(digest, args))
