"""Human-readable output for the terminal: aligned tables and short summaries."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import GapReport, ProjectMatch, ProjectRecommendations, Resource, RoadmapReport, Stats, TrendingReport


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def trending(report: TrendingReport) -> str:
    scope = report.role or "all roles"
    lines = [f"Trending skills — {scope}, last {report.window_days} days ({report.total_jobs_analyzed:,} postings, {report.remote_share:.1f}% remote)", ""]
    lines.append(table(["#", "skill", "postings", "%"], [(i, s.skill, s.count, s.percentage) for i, s in enumerate(report.top_skills, 1)]))
    if report.rising_skills:
        lines += ["", "Rising vs the previous window:", table(["skill", "now %", "before %", "change (pp)"], [(r.skill, r.current_percentage, r.previous_percentage, f"{r.change_points:+.1f}") for r in report.rising_skills])]
    if report.top_locations:
        lines += ["", "Top locations:", table(["location", "postings"], [(loc.location, loc.count) for loc in report.top_locations])]
    if report.overall_salary:
        s = report.overall_salary
        lines += ["", f"Salary (USD, {s.postings_with_salary:,} postings with a salary): ${s.min_usd:,.0f} – ${s.max_usd:,.0f}, average midpoint ${s.average_midpoint_usd:,.0f}"]
    return "\n".join(lines)


def gap(report: GapReport) -> str:
    lines = [
        f"Skill gap — {report.role}, last {report.window_days} days ({report.total_postings_analyzed:,} postings, threshold {report.threshold:.0%})",
        f"Coverage: {report.coverage_percentage:.1f}% ({report.skill_match_count} of {report.total_required_skills} required skills)",
        "",
        table(["skill", "required %", "you have"], [(r.skill, r.required_percentage, r.user_has) for r in report.required_skills]),
    ]
    if report.next_skill:
        unlock = f", bringing about {report.next_skill_unlocks:,} more postings within reach" if report.next_skill_unlocks else ""
        lines += ["", f"Next skill to learn: {report.next_skill}{unlock}."]
    if report.unrecognised_skills:
        lines += ["", "Not recognised (ignored): " + ", ".join(report.unrecognised_skills)]
    return "\n".join(lines)


def roadmap(report: RoadmapReport) -> str:
    lines = [f"Roadmap — {report.target_role} (coverage {report.coverage_percentage:.1f}%, {report.missing_skills_count} to learn)", ""]
    rows = [(i, p.skill, "learn" if p.is_missing else "have", p.required_percentage, p.priority_score, p.unlocks_postings or "") for i, p in enumerate(report.skill_paths, 1)]
    lines.append(table(["#", "skill", "status", "demand %", "priority", "unlocks"], rows))
    for path in report.skill_paths:
        if path.is_missing and path.resources:
            lines += ["", f"{path.skill}:"] + [f"  - [{r.type.value}] {r.title} — {r.url}" for r in path.resources]
    lines += [""] + [f"* {tip}" for tip in report.recommendations]
    return "\n".join(lines)


def projects(result: ProjectRecommendations) -> str:
    lines = [project_table(result.projects), ""] + [f"* {tip}" for tip in result.recommendations]
    return "\n".join(lines)


def project_table(items: Sequence[ProjectMatch]) -> str:
    rows = [(p.id, p.title, p.difficulty.value, p.estimated_time, p.skill_match_percentage, ", ".join(p.missing_skills) or "-") for p in items]
    return table(["id", "project", "difficulty", "time", "match %", "missing"], rows)


def resources(items: Sequence[Resource]) -> str:
    if not items:
        return "No resources found."
    return table(["skill", "type", "free", "title", "url"], [(r.skill, r.type.value, r.free, r.title, r.url) for r in items])


def stats(value: Stats) -> str:
    last = value.last_ingestion or {}
    lines = [
        f"Store: {value.store}   postings: {value.postings:,} (demo: {value.demo_postings:,})   users: {value.users:,}   data version: {value.data_version}",
        f"Posting days: {value.oldest_posting or '-'} … {value.newest_posting or '-'}",
        f"Last ingestion: {last.get('finished_at', 'never')}",
        "",
        table(["role", "postings"], sorted(value.roles.items(), key=lambda item: -item[1])),
    ]
    return "\n".join(lines)
