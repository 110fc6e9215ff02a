"""`career-nav trending|gap|roadmap|projects|resources`: parse, call the Navigator, print."""

from __future__ import annotations

import argparse

from cli import render
from cli.app import CliError, comma_list, emit_json, navigator, run
from core.models import Difficulty, ResourceType, User
from core.service import Navigator
from core.settings import Settings


def _difficulty(text: str) -> Difficulty:
    for level in Difficulty:
        if level.value.lower() == text.strip().lower():
            return level
    raise argparse.ArgumentTypeError(f"choose one of {', '.join(d.value for d in Difficulty)}")


def _resource_type(text: str) -> ResourceType:
    for kind in ResourceType:
        if kind.value.lower() == text.strip().lower():
            return kind
    raise argparse.ArgumentTypeError(f"choose one of {', '.join(t.value for t in ResourceType)}")


def _output(args: argparse.Namespace, value: object, human) -> int:  # type: ignore[no-untyped-def]
    if args.json:
        emit_json(value)
    else:
        print(human(value))
    return 0


async def _user(nav: Navigator, args: argparse.Namespace) -> User | None:
    return await nav.user_by_email(args.email) if getattr(args, "email", None) else None


async def trending(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        report = await nav.trending(days=args.days, role=args.role, skills_limit=args.skills_limit, locations_limit=args.locations_limit)
    return _output(args, report, render.trending)


async def gap(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        report = await nav.skill_gap(args.role, args.skills, user=await _user(nav, args), days=args.days, threshold=args.threshold)
    return _output(args, report, render.gap)


async def roadmap(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        report = await nav.roadmap(args.role, args.skills, user=await _user(nav, args), days=args.days, include_gap_analysis=not args.no_gap_analysis, max_skills=args.max_skills)
    return _output(args, report, render.roadmap)


async def projects(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        user = await _user(nav, args)
        if args.search:
            result = nav.search_projects(args.search, skills=args.skill_focus, difficulty=args.difficulty, limit=args.limit, offset=args.offset)
            return _output(args, result, lambda r: render.table(["id", "project", "difficulty", "skills"], [(p.id, p.title, p.difficulty.value, ", ".join(p.skills)) for p in r.projects]))
        if args.build:
            found = await nav.skill_building_projects(args.build, user=user, difficulty=args.difficulty, limit=args.limit)
            return _output(args, found, render.project_table)
        if args.all:
            found = nav.all_projects(user=user, skills=args.skills, difficulty=args.difficulty, limit=args.limit, offset=args.offset)
            return _output(args, found, render.project_table)
        result = await nav.recommend_projects(args.skills, user=user, role=args.role, difficulty=args.difficulty, skill_focus=args.skill_focus, limit=args.limit)
    return _output(args, result, render.projects)


async def resources(args: argparse.Namespace, settings: Settings) -> int:
    async with navigator(settings) as nav:
        if args.query:
            result = nav.search_resources(args.query, args.type, limit=args.limit, offset=args.offset)
            return _output(args, result, lambda r: render.resources(r.resources))
        if not args.skills:
            raise CliError("Give skills (e.g. `resources Python Docker`) or --query TEXT.")
        found = nav.find_resources(args.skills, args.type, args.search)
    return _output(args, found, render.resources)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trending", help="top and rising skills, locations, remote share and salaries")
    p.add_argument("--days", type=int, default=30, help="window in days (1-365, default 30)")
    p.add_argument("--role", help="limit to one role, e.g. 'Data Scientist'")
    p.add_argument("--skills-limit", type=int, default=15, help="skills to list (1-50, default 15)")
    p.add_argument("--locations-limit", type=int, default=10, help="locations to list (1-30, default 10)")
    _common(p, trending)

    p = sub.add_parser("gap", help="required skills for a role vs your skills, coverage, what is missing")
    p.add_argument("--role", required=True, help="target role, e.g. 'Data Scientist'")
    _subject(p)
    p.add_argument("--threshold", type=float, default=0.25, help="minimum share of postings that makes a skill required (0.1-1.0, default 0.25)")
    _common(p, gap)

    p = sub.add_parser("roadmap", help="what to learn next for a role, in order, with resources")
    p.add_argument("--role", help="target role (default: the profile's first target role with --email)")
    _subject(p)
    p.add_argument("--max-skills", type=int, default=12, help="skills on the roadmap (1-30, default 12)")
    p.add_argument("--no-gap-analysis", action="store_true", help="rank by demand only, ignoring your skills")
    _common(p, roadmap)

    p = sub.add_parser("projects", help="practice projects that fit your skills (or --search / --build / --all)")
    _subject(p, days=False)
    p.add_argument("--role", help="favour projects that close this role's gaps")
    p.add_argument("--difficulty", type=_difficulty, help="Beginner, Intermediate or Advanced")
    p.add_argument("--skill-focus", action="append", default=[], metavar="SKILL", help="only projects using this skill (repeatable)")
    p.add_argument("--search", metavar="QUERY", help="search projects by text instead of recommending")
    p.add_argument("--build", type=comma_list, metavar="a,b", help="projects that build these skills")
    p.add_argument("--all", action="store_true", help="list all projects")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--offset", type=int, default=0)
    _common(p, projects)

    p = sub.add_parser("resources", help="learning resources for skills (or --query to search)")
    p.add_argument("skills", nargs="*", help="skills, e.g. Python Docker")
    p.add_argument("--type", type=_resource_type, help="Documentation, Course, Video, Book or Tutorial")
    p.add_argument("--search", help="filter the skills' resources by text")
    p.add_argument("--query", help="search all resources by text")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    _common(p, resources)


def _subject(p: argparse.ArgumentParser, days: bool = True) -> None:
    p.add_argument("--skills", type=comma_list, metavar="a,b", help="your skills, comma-separated (aliases like k8s work)")
    p.add_argument("--email", help="use this account's profile skills")
    if days:
        p.add_argument("--days", type=int, default=30, help="window in days (1-365, default 30)")


def _common(p: argparse.ArgumentParser, handler) -> None:  # type: ignore[no-untyped-def]
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.set_defaults(handler=lambda args: run(handler, args))
