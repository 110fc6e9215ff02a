"""Analytics: trending, rising, gap, roadmap priorities and project matching — pure functions over rollups.

Definitions (DESIGN.md "Analytics"):
- percentage(skill) = postings mentioning skill / postings in window x 100 (per role when a role is given)
- rising: share in the window vs the previous window of the same length, in percentage points
- gap: required skills = share >= threshold among the role's postings; coverage = required the user has / required
- unlocks: postings the user would "mostly match" (covers >= 75% (core.unlocks.MOSTLY_MATCH) of the posting's skills) after learning
  one more skill that they do not match now; measured on the most recent postings and scaled to the window
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.errors import InsufficientData
from core.models import (
    GapReport,
    LocationCount,
    Project,
    ProjectMatch,
    RequiredSkill,
    RisingSkill,
    SalaryRange,
    SkillCount,
    SkillPath,
    TrendingReport,
)
from core.rollups import Aggregate
from core.unlocks import UnlockModel

MIN_GAP_POSTINGS = 10
MIN_RISING_COUNT = 5
MIN_SALARY_POSTINGS = 3

CategoryOf = Callable[[str], "str | None"]


def percentage(count: float, total: float) -> float:
    return round(count / total * 100, 1) if total else 0.0


def top_skills(agg: Aggregate, limit: int, category_of: CategoryOf) -> list[SkillCount]:
    ranked = sorted(agg.skills.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [SkillCount(skill=s, count=c, percentage=percentage(c, agg.total), category=category_of(s)) for s, c in ranked]


def top_locations(agg: Aggregate, limit: int) -> list[LocationCount]:
    ranked = sorted(agg.locations.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [LocationCount(location=name, count=count) for name, count in ranked]


def salary_range(stat: Sequence[float], skill: str | None = None) -> SalaryRange | None:
    if not stat or stat[0] < MIN_SALARY_POSTINGS:
        return None
    count, total, low, high = stat
    return SalaryRange(skill=skill, postings_with_salary=int(count), min_usd=round(low), max_usd=round(high), average_midpoint_usd=round(total / count))


def rising_skills(now: Aggregate, before: Aggregate, limit: int, min_count: int = MIN_RISING_COUNT) -> tuple[list[RisingSkill], list[RisingSkill]]:
    """(rising, falling) skills by change in share, only for skills seen at least min_count times."""
    if not now.total or not before.total:
        return [], []
    changes = [_change(skill, now, before) for skill in set(now.skills) | set(before.skills)]
    changes = [c for c in changes if max(c.current_count, c.previous_count) >= min_count]
    rising = sorted((c for c in changes if c.change_points > 0), key=lambda c: (-c.change_points, c.skill))
    falling = sorted((c for c in changes if c.change_points < 0), key=lambda c: (c.change_points, c.skill))
    return rising[:limit], falling[:limit]


def _change(skill: str, now: Aggregate, before: Aggregate) -> RisingSkill:
    current, previous = now.share(skill) * 100, before.share(skill) * 100
    relative = round((current - previous) / previous * 100, 1) if previous else None
    return RisingSkill(
        skill=skill,
        current_percentage=round(current, 1),
        previous_percentage=round(previous, 1),
        change_points=round(current - previous, 1),
        relative_change=relative,
        current_count=now.skills.get(skill, 0),
        previous_count=before.skills.get(skill, 0),
    )


@dataclass(frozen=True)
class TrendingQuery:
    days: int = 30
    role_key: str | None = None
    skills_limit: int = 15
    locations_limit: int = 10


def trending_report(query: TrendingQuery, now: Aggregate, before: Aggregate, *, category_of: CategoryOf, generated_at: datetime, role_name: str | None) -> TrendingReport:
    rising, falling = rising_skills(now, before, limit=5)
    skills = top_skills(now, query.skills_limit, category_of)
    salaries = [salary_range(now.salaries.get(s.skill, []), s.skill) for s in skills]
    return TrendingReport(
        top_skills=skills,
        top_locations=top_locations(now, query.locations_limit),
        total_jobs_analyzed=now.total,
        generated_at=generated_at,
        window_days=query.days,
        role=role_name,
        remote_share=percentage(now.remote, now.total),
        salary_ranges=[s for s in salaries if s is not None],
        overall_salary=salary_range(now.salary_all),
        rising_skills=rising,
        falling_skills=falling,
    )


def required_skills(agg: Aggregate, threshold: float) -> list[tuple[str, int]]:
    """Skills whose share among the postings is at least threshold, most demanded first."""
    needed = threshold * agg.total
    hits = [(skill, count) for skill, count in agg.skills.items() if count >= needed - 1e-9]
    return sorted(hits, key=lambda item: (-item[1], item[0]))


def ensure_enough(agg: Aggregate, role_name: str, days: int) -> None:
    if agg.total < MIN_GAP_POSTINGS:
        wider = min(365, max(days * 2, 30))
        message = (
            f"Only {agg.total} {role_name} posting(s) in the last {days} days; at least {MIN_GAP_POSTINGS} are needed. "
            f"Try a wider window (e.g. {wider} days)."
        )
        raise InsufficientData(message, found=agg.total, needed=MIN_GAP_POSTINGS)


@dataclass(frozen=True)
class GapInput:
    role_name: str
    role_key: str
    user_skills: frozenset[str]
    threshold: float
    days: int
    unrecognised: tuple[str, ...] = ()


def gap_report(query: GapInput, agg: Aggregate, *, category_of: CategoryOf, generated_at: datetime, unlocks: dict[str, int]) -> GapReport:
    ensure_enough(agg, query.role_name, query.days)
    required = [
        RequiredSkill(skill=s, required_percentage=percentage(c, agg.total), user_has=s in query.user_skills, category=category_of(s), postings=c)
        for s, c in required_skills(agg, query.threshold)
    ]
    missing = [r.skill for r in required if not r.user_has]
    matched = len(required) - len(missing)
    next_skill = best_next_skill(missing, unlocks)
    return GapReport(
        role=query.role_name,
        role_key=query.role_key,
        total_postings_analyzed=agg.total,
        required_skills=required,
        missing_skills=missing,
        coverage_percentage=percentage(matched, len(required)) if required else 100.0,
        skill_match_count=matched,
        total_required_skills=len(required),
        threshold=query.threshold,
        window_days=query.days,
        user_skills=sorted(query.user_skills),
        unrecognised_skills=list(query.unrecognised),
        next_skill=next_skill,
        next_skill_unlocks=unlocks.get(next_skill, 0) if next_skill else 0,
        generated_at=generated_at,
    )


def best_next_skill(missing: Sequence[str], unlocks: dict[str, int]) -> str | None:
    """The missing skill that unlocks the most postings; ties go to the more demanded (earlier) one."""
    if not missing:
        return None
    return max(missing, key=lambda skill: (unlocks.get(skill, 0), -missing.index(skill)))


def learning_order(candidates: Sequence[tuple[str, float]], model: UnlockModel, total: int) -> list[tuple[str, int]]:
    """Greedy order over missing skills: at each step the best mix of demand and postings unlocked next."""
    remaining = dict(candidates)
    order: list[tuple[str, int]] = []
    while remaining:
        skill = max(remaining, key=lambda s: (priority_score(remaining[s], model.gain(s), total), remaining[s], s))
        order.append((skill, model.gain(skill)))
        model.learn(skill)
        del remaining[skill]
    return order


def priority_score(required_percentage: float, unlocks: int, total: int) -> float:
    """Demand weighs most; postings unlocked break ties between equally demanded skills."""
    return round(0.7 * required_percentage + 0.3 * percentage(unlocks, total), 1)


def parents_first(paths: list[SkillPath], parent_of: Callable[[str], "str | None"]) -> list[SkillPath]:
    """Keeps the given order of missing skills, except that a missing parent (Python) precedes its child (Django)."""
    missing = [p for p in paths if p.is_missing]
    by_name = {p.skill: p for p in missing}
    ordered: dict[str, SkillPath] = {}  # by skill name: insertion order, and membership without comparing models
    for path in missing:
        parent = by_name.get(parent_of(path.skill) or "")
        if parent is not None:
            ordered.setdefault(parent.skill, parent)
        ordered.setdefault(path.skill, path)
    known = sorted((p for p in paths if not p.is_missing), key=lambda p: (-p.priority_score, p.skill))
    return [*ordered.values(), *known]


def roadmap_recommendations(paths: Sequence[SkillPath], role_name: str, coverage: float) -> list[str]:
    missing = [p for p in paths if p.is_missing]
    if not missing:
        return [f"You cover every skill {role_name} postings commonly ask for. Deepen them with an advanced project."]
    first = missing[0]
    tips = [f"Focus on {first.skill} first: {first.required_percentage:.0f}% of {role_name} postings ask for it."]
    if first.unlocks_postings:
        tips[0] += f" Learning it would bring about {first.unlocks_postings:,} more postings within reach."
    if len(missing) > 1:
        tips.append("Then: " + ", ".join(p.skill for p in missing[1:4]) + ".")
    if coverage < 40:
        tips.append("Build fundamentals before frameworks: a small project per skill cements it faster than courses alone.")
    else:
        tips.append("You already cover much of the role; pick a project that combines two missing skills.")
    return tips


def match_project(project: Project, user_skills: frozenset[str]) -> ProjectMatch:
    missing = [s for s in project.skills if s not in user_skills]
    return ProjectMatch(**project.model_dump(), skill_match_percentage=_skill_share(project, missing), missing_skills=missing)


def _skill_share(project: Project, missing: Sequence[str]) -> float:
    return percentage(len(project.skills) - len(missing), len(project.skills)) if project.skills else 0.0


def project_score(project: Project, user_skills: frozenset[str], gap_skills: frozenset[str], role_key: str | None) -> float:
    """Fit: how much of it the user can already do, plus credit for closing their role's gaps."""
    missing = [s for s in project.skills if s not in user_skills]
    closes = len(set(missing) & gap_skills)
    nothing_new = 0 if missing else 25
    fits_role = 10 if role_key and role_key in project.roles else 0
    return _skill_share(project, missing) + 15 * min(closes, 2) + fits_role - nothing_new


def project_recommendations(matches: Sequence[ProjectMatch], user_skill_count: int) -> list[str]:
    if user_skill_count == 0:
        return ["Add your skills to your profile to get projects matched to you; until then these are popular starters."]
    tips = []
    average = sum(m.skill_match_percentage for m in matches) / len(matches) if matches else 0
    if average >= 70:
        tips.append("You have most of the skills for these projects: aim for a polished, deployed result.")
    elif average >= 40:
        tips.append("You have good foundation skills. These projects will help you grow.")
    else:
        tips.append("These projects stretch you: start with the Beginner ones and add one new skill at a time.")
    missing = Counter(skill for m in matches for skill in m.missing_skills)
    if missing:
        skill, count = missing.most_common(1)[0]
        tips.append(f"Consider learning {skill} to unlock more project opportunities ({count} of these use it).")
    return tips
