"""`career-nav extract-skills` (stdin JSON lines -> stdout JSON lines) and `career-nav reextract`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

from cli.app import navigator, run
from cli.progress import Progress
from core.settings import Settings

from core.skills.taxonomy import Taxonomy

if TYPE_CHECKING:
    from core.skills.extractor import SkillExtractor


def parse_line(line: str) -> tuple[str, str, str]:
    """(id, text, title) from one input line; ValueError says what is wrong."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    if "id" not in item or not isinstance(item["id"], (str, int)):
        raise ValueError('missing "id" (a string or number)')
    text, title = item.get("text"), item.get("title", "")
    if not isinstance(text, str):
        raise ValueError('missing "text" (a string)')
    if not isinstance(title, str):
        raise ValueError('"title" must be a string')
    return item["id"], text, title


def stream(extractor: SkillExtractor, source: TextIO, sink: TextIO, errors: TextIO) -> tuple[int, int]:
    """Extracts line by line, flushing each answer, so it works in a pipe. Returns (ok, bad)."""
    ok = bad = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            job_id, text, title = parse_line(line)
        except ValueError as exc:
            bad += 1
            errors.write(f"career-nav extract-skills: line {number}: {exc}; skipped\n")
            continue
        extraction = extractor.extract(text, title)
        sink.write(json.dumps({"id": job_id, "skills": extraction.names, "soft_skills": extraction.soft_names}) + "\n")
        sink.flush()
        ok += 1
    return ok, bad


async def extract_skills(args: argparse.Namespace, settings: Settings) -> int:
    from core.skills.extractor import SkillExtractor

    ok, bad = stream(SkillExtractor(Taxonomy.load()), sys.stdin, sys.stdout, sys.stderr)
    if bad:
        sys.stderr.write(f"career-nav extract-skills: {ok} line(s) extracted, {bad} skipped\n")
    return 1 if bad else 0


async def reextract(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        progress = Progress(await nav.store.postings.count(), "re-extracting")
        summary = await nav.reextract(on_progress=progress.advance)
        progress.close()
    print(f"Scanned {summary.scanned:,} postings; {summary.changed:,} changed (demo postings are left as generated).")
    for label, counts in (("added", summary.skills_added), ("removed", summary.skills_removed)):
        top = sorted(counts.items(), key=lambda item: -item[1])[:15]
        if top:
            print(f"Skills {label}: " + ", ".join(f"{name} (+{n})" if label == "added" else f"{name} (-{n})" for name, n in top))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract-skills", help='stdin JSON lines {"id","text"[,"title"]} -> stdout {"id","skills","soft_skills"}')
    p.set_defaults(handler=lambda args: run(extract_skills, args))
    p = sub.add_parser("reextract", help="re-run skill extraction over stored postings and rebuild rollups")
    p.set_defaults(handler=lambda args: run(reextract, args))
