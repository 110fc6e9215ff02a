"""`career-nav match`: a job description on stdin against your skills, missing skills weighted by market demand."""

from __future__ import annotations

import argparse
import sys

from cli import render
from cli.app import CliError, comma_list, emit_json, navigator, run
from core.jobmatch import JobMatchReport
from core.settings import Settings

MAX_ROWS = 20
USAGE = "no job description on stdin: pipe the posting in, e.g. `career-nav match --skills Python,SQL < job.txt`"


async def match(args: argparse.Namespace, settings: Settings) -> int:
    text = sys.stdin.read()
    if not text.strip():
        raise CliError(USAGE)
    async with navigator(settings) as nav:
        user = await nav.user_by_email(args.email) if args.email else None
        report = await nav.match_job_description(text, skills=args.skills, user=user, role=args.role)
    if args.json:
        emit_json(report)
    else:
        print(human(report))
    return 0


def human(report: JobMatchReport) -> str:
    about = f"{report.role} posting" if report.role else "posting"
    title = f" — {report.title}" if report.title else ""
    lines = [
        f"Job match: {about}{title}",
        f"You have {len(report.have)} of {len(report.posting_skills)} skills ({report.match_percentage:.1f}%); "
        f"weighted by demand among {report.weights_scope} postings, last {report.window_days} days "
        f"({report.market_postings:,} postings): {report.weighted_match_percentage:.1f}%",
        "",
        "You have: " + (", ".join(report.have) or "none of them"),
    ]
    if report.missing:
        rows = [(m.skill, m.market_percentage, m.postings) for m in report.missing[:MAX_ROWS]]
        lines += ["", render.table(["missing skill", "demand %", "postings"], rows)]
    if len(report.missing) > MAX_ROWS:
        lines.append(f"… and {len(report.missing) - MAX_ROWS} more (--json lists all)")
    if report.best_next_skill:
        lines += ["", f"Learn next: {report.best_next_skill}" + (f" — {report.resource.title} ({report.resource.type.value}) {report.resource.url}" if report.resource else "")]
    if report.soft_skills:
        lines.append("Soft skills asked for: " + ", ".join(report.soft_skills))
    if report.unrecognised_skills:
        lines.append("Not recognised (ignored): " + ", ".join(report.unrecognised_skills))
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("match", help="a job description on stdin vs your skills: have/missing weighted by demand, what to learn next")
    p.add_argument("--skills", type=comma_list, metavar="a,b", help="your skills, comma-separated (aliases like k8s work)")
    p.add_argument("--email", help="use this account's profile skills")
    p.add_argument("--role", help="weigh by this role's postings (default: the role the posting names)")
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.set_defaults(handler=lambda args: run(match, args))
