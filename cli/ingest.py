"""`career-nav ingest` (TheirStack → store, now) and `career-nav scheduler` (the scheduled jobs, until stopped).

Both handle SIGINT/SIGTERM gracefully: the first signal lets the page in hand be stored and ends the run (or
the scheduler), a second one abandons the current request. `python -m cli.ingest ...` runs the same commands.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from cli import render
from cli.app import emit_json, fail, navigator, run
from cli.progress import Progress
from core.ingest.setup import NO_KEY, collection_service, has_api_key, theirstack_client
from core.ingest.summary import CREDITS_EXHAUSTED, STOPPED, RunSummary
from core.lifecycle import stop_on_signals
from core.settings import Settings

STOPPED_EXIT = 130
UPSTREAM_EXIT = 7



async def ingest(args: argparse.Namespace, settings: Settings) -> int:
    if not has_api_key(settings):
        return fail(NO_KEY, 2)
    from core.ingest.collector import DEFAULT_MAX_AGE_DAYS  # spaCy loads here, not for every command

    roles, locations = args.role or list(settings.ingest_roles), args.location or list(settings.ingest_locations)
    budget = settings.ingest_max_credits_per_run if args.max_credits is None else args.max_credits
    stop = stop_on_signals()
    max_age = DEFAULT_MAX_AGE_DAYS if args.max_age_days is None else args.max_age_days
    async with navigator(settings) as nav, theirstack_client(settings) as client:
        service = collection_service(nav, client, settings)
        service.plan(roles, locations)  # refuses unknown roles/locations before the progress bar appears
        progress = Progress(budget, "TheirStack jobs")
        try:
            summary = await service.collect_jobs_for_roles(roles, locations, max_age, budget, stop=stop, on_page=progress.advance)
        except asyncio.CancelledError:
            return fail("interrupted; the request in flight was abandoned, stored pages are kept", STOPPED_EXIT)
        finally:
            progress.close()
    if args.json:
        emit_json(summary.as_dict())
    else:
        print(_summary_text(summary))
    return _exit_code(summary)


def _summary_text(summary: RunSummary) -> str:
    headers = ["role", "location", "pages", "new", "updated", "credits", "retries", "errors", "time s", "complete"]
    rows = [
        (s.role, s.location, s.pages, s.new, s.updated, s.credits, s.retries, len(s.errors), round(s.duration_s, 1), s.complete)
        for s in summary.searches
    ]
    lines = [render.table(headers, rows), ""] if rows else []
    lines.append(
        f"Run {summary.run_id}: {summary.status} — {summary.postings_new:,} new, {summary.postings_updated:,} updated, "
        f"{summary.credits_used:,} of {summary.credit_budget:,} credits in {summary.duration_s:.1f} s."
        + (f" {summary.reason}." if summary.reason else "")
    )
    lines += [f"  error: {error}" for error in summary.errors]
    return "\n".join(lines)


def _exit_code(summary: RunSummary) -> int:
    if summary.status == STOPPED:
        return fail("stopped before every search finished; the next run continues where this one stopped", STOPPED_EXIT)
    if summary.status == CREDITS_EXHAUSTED or summary.errors:
        return fail(summary.reason or "some searches failed", UPSTREAM_EXIT)
    return 0


async def scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from scheduler.app import run_scheduler

    logging.getLogger().setLevel(settings.log_level)  # a service: its log is its output
    stop = stop_on_signals()
    async with navigator(settings) as nav:
        await run_scheduler(nav, settings, stop)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="fetch job postings from TheirStack now (needs THEIR_STACK_API_KEY)")
    p.add_argument("--role", action="append", metavar="R", help="role to search; repeat for several (default: INGEST_ROLES)")
    p.add_argument("--location", action="append", metavar="L", help="'United States', 'Remote', a country or ISO code, 'geonames:<id>', 'pattern:<regex>'; repeatable (default: INGEST_LOCATIONS)")
    p.add_argument("--max-age-days", type=int, metavar="N", help="only postings from the last N days (default 14)")
    p.add_argument("--max-credits", type=int, metavar="N", help="spend at most N API credits (default: INGEST_MAX_CREDITS_PER_RUN)")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(handler=lambda args: run(ingest, args))

    p = sub.add_parser("scheduler", help="run the scheduled jobs (ingest, cleanup, digest) until stopped")
    p.set_defaults(handler=lambda args: run(scheduler, args))
