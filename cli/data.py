"""`career-nav demo-data|stats|health|cleanup`: the data behind the answers."""

from __future__ import annotations

import argparse

from cli import render
from cli.app import emit_json, navigator, run
from cli.progress import Progress
from core.housekeeping import CleanupReport, run_cleanup
from core.settings import Settings


async def demo_data(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        progress = Progress(args.postings, "demo postings")
        result = await nav.load_demo_data(args.postings, args.seed, on_progress=progress.advance)
        progress.close()
        total = await nav.store.postings.count()
    print(f"Demo data (seed {args.seed}): {result.inserted:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged; {total:,} postings stored. Demo postings are marked is_demo and '(demo)'.")
    return 0


async def stats(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        value = await nav.stats()
    if args.json:
        emit_json(value)
    else:
        print(render.stats(value))
    return 0


async def health(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        value = await nav.health()
    if args.json:
        emit_json(value)
    else:
        state = "healthy" if value.healthy else "UNHEALTHY"
        age = f"{value.data_age_hours:.0f} h" if value.data_age_hours is not None else "n/a"
        print(f"{state}: store {value.store} ({'ok' if value.store_ok else 'down'}), {value.postings:,} postings, data age {age}" + (f" — {value.detail}" if value.detail else ""))
    return 0 if value.healthy else 1


async def cleanup(args: argparse.Namespace, settings: Settings) -> int:
    days = args.retention_days or settings.job_data_retention_days
    async with navigator(settings) as nav:
        report = await run_cleanup(nav, days)
    if args.json:
        emit_json(report)
    else:
        print(f"Deleted {report.postings_deleted:,} postings older than {report.cutoff} ({days} days); rebuilt {report.days_rebuilt} day(s) of rollups.")
        print(_ledger_line(report))
    return 0


def _ledger_line(report: CleanupReport) -> str:
    accounts = report.accounts
    counts = {
        "digest ledger entries": report.digests_deleted, "expired token records": accounts.get("tokens", 0),
        "expired link codes": accounts.get("link_codes", 0), "failed-attempt records": accounts.get("attempts", 0),
        "job runs": report.runs_deleted, "slot locks": report.locks_deleted,
    }
    return "Purged " + ", ".join(f"{count:,} {name}" for name, count in counts.items()) + "."


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo-data", help="generate synthetic, clearly marked demo postings")
    p.add_argument("--postings", type=int, default=5000, help="how many (default 5000)")
    p.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same postings")
    p.set_defaults(handler=lambda args: run(demo_data, args))

    for name, handler, text in (("stats", stats, "postings, roles, last ingestion run, data version"), ("health", health, "exit 0 when the store is reachable")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=lambda args, h=handler: run(h, args))

    p = sub.add_parser("cleanup", help="delete postings older than the retention period (fixing rollups) and stale ledger entries")
    p.add_argument("--retention-days", type=int, help="default: JOB_DATA_RETENTION_DAYS (90)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=lambda args: run(cleanup, args))
