"""Navigator: the facade every front end calls — one method per user-visible function."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar
from itertools import islice
from dataclasses import dataclass
from functools import cached_property
from datetime import date, timedelta

from core import analytics, jobmatch, validation
from core.analytics import GapInput, TrendingQuery
from core.cache import VersionedCache, VersionProbe
from core.catalog import Catalog
from core.clock import Clock, SystemClock
from core.demo import DemoGenerator
from core.errors import ConfigError, InvalidInput, NotFound
from core.jobmatch import JobMatchReport
from core.models import (
    ALL_ROLES,
    Difficulty,
    GapReport,
    Health,
    Posting,
    ProjectMatch,
    ProjectRecommendations,
    ProjectSearchResult,
    Resource,
    ResourceSearchResult,
    ResourceType,
    RoadmapReport,
    SkillPath,
    Stats,
    TrendingReport,
    UpsertResult,
    User,
)
from core.rollups import Aggregate, build_rollups
from core.unlocks import SkillSample, UnlockModel
from core.skills.roles import Role, RoleCatalog
from core.skills.taxonomy import Taxonomy
from core.storage.ports import Store

if TYPE_CHECKING:  # spaCy takes ~1 s to import; only commands that extract pay for it
    from core.accounts import AccountService
    from core.enrich import ReextractSummary
    from core.intent import IntentRouter
    from core.skills.extractor import Extraction, SkillExtractor

T = TypeVar("T")
UNLOCK_SAMPLE = 1000
ROADMAP_THRESHOLD = 0.1
ROADMAP_MAX_SKILLS = 12
DEMO_BATCH = 1000


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class SkillSet:
    """A person's skills resolved through the taxonomy (with implied parents) plus what did not resolve."""

    names: frozenset[str]
    unrecognised: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanupResult:
    deleted: int
    days_rebuilt: int
    cutoff: date


class Navigator:
    def __init__(self, store: Store, taxonomy: Taxonomy, roles: RoleCatalog, catalog: Catalog, *, clock: Clock | None = None, accounts: AccountService | None = None, app_name: str = "Career Navigator", app_version: str = "1.0.0") -> None:
        self.store = store
        self._accounts = accounts
        self.taxonomy = taxonomy
        self.roles = roles
        self.catalog = catalog
        self.clock = clock or SystemClock()
        self.app_name, self.app_version = app_name, app_version
        self.cache = VersionedCache()  # answers per data version; public so benchmarks can clear it and tests can count misses
        self._version = VersionProbe(self.store.meta.data_version)

    async def close(self) -> None:
        await self.store.close()

    @property
    def accounts(self) -> AccountService:
        """Users, passwords, link codes and tokens (wired by core.bootstrap)."""
        if self._accounts is None:
            message = "Accounts are not configured for this navigator (build it with core.bootstrap.open_navigator)."
            raise ConfigError(message)
        return self._accounts

    # --- inputs -----------------------------------------------------------------------------------

    def resolve_role(self, role: str) -> Role:
        return self.roles.resolve(validation.non_blank("role", role))

    def resolve_skills(self, skills: Sequence[str]) -> SkillSet:
        normalised = self.taxonomy.normalise_skills(skills)
        names = set(normalised.known)
        for name in normalised.known:
            names.update(self.taxonomy.parents_of(name))
        return SkillSet(frozenset(names), tuple(normalised.unknown))

    def subject_skills(self, skills: Sequence[str] | None, user: User | None) -> SkillSet:
        """Explicit skills win; else the user's profile skills; else none."""
        explicit = validation.cleaned_skills(skills)
        if explicit is not None:
            return self.resolve_skills(explicit)
        return self.resolve_skills(user.skills) if user else SkillSet(frozenset())

    def subject_role(self, role: str | None, user: User | None) -> Role:
        if role and role.strip():
            return self.resolve_role(role)
        if user and user.target_roles:
            return self.resolve_role(user.target_roles[0])
        message = "Which role? Give a target role (e.g. 'Data Scientist') or set one in your profile."
        raise InvalidInput(message)

    def _window(self, days: int, offset: int = 0) -> tuple[date, date]:
        end = self.clock.now().date() - timedelta(days=offset)
        return end - timedelta(days=days - 1), end

    async def _aggregate(self, role_key: str, days: int, offset: int = 0) -> Aggregate:
        """Merged rollups for a window — shared by every question about it (read-only once built)."""
        start, end = self._window(days, offset)
        return await self._cached(("aggregate", role_key, start, end), lambda: self._load_aggregate(role_key, start, end))

    async def _load_aggregate(self, role_key: str, start: date, end: date) -> Aggregate:
        return Aggregate(await self.store.rollups.between(role_key, start, end))

    async def _cached(self, key: tuple, compute):  # type: ignore[no-untyped-def]
        version = await self._version.current()
        return await self.cache.get_or_compute(version, (key, self.clock.now().date()), compute)

    async def data_version(self) -> int:
        """The store's data version as this process last saw it (probed at most once a second)."""
        return await self._version.current()

    async def prepare(self, days: int, role: str | None) -> None:
        """Computes and caches what every question about this window shares: trending and the unlock sample."""
        await self.trending(days=days, role=role)
        if role is not None:
            await self._sample(self.resolve_role(role).key, days)

    async def _data_changed(self) -> None:
        await self.store.meta.bump_data_version()
        self._version.expire()

    # --- market -----------------------------------------------------------------------------------

    async def trending(self, days: int = 30, role: str | None = None, skills_limit: int = 15, locations_limit: int = 10) -> TrendingReport:
        validation.bounded("days", days, validation.DAYS)
        validation.bounded("skills_limit", skills_limit, validation.SKILLS_LIMIT)
        validation.bounded("locations_limit", locations_limit, validation.LOCATIONS_LIMIT)
        resolved = self.resolve_role(role) if role else None
        query = TrendingQuery(days, resolved.key if resolved else None, skills_limit, locations_limit)
        return await self._cached(("trending", query), lambda: self._trending(query, resolved))

    async def _trending(self, query: TrendingQuery, role: Role | None) -> TrendingReport:
        key = role.key if role else ALL_ROLES
        now, before = await self._aggregate(key, query.days), await self._aggregate(key, query.days, query.days)
        report = analytics.trending_report(query, now, before, category_of=self.taxonomy.category_of, generated_at=self.clock.now(), role_name=role.name if role else None)
        report.data_version = await self._version.current()
        return report

    async def skill_gap(self, role: str | None = None, skills: Sequence[str] | None = None, *, user: User | None = None, days: int = 30, threshold: float = 0.25) -> GapReport:
        validation.bounded("days", days, validation.DAYS)
        validation.bounded("threshold", threshold, validation.THRESHOLD)
        resolved = self.subject_role(role, user)
        have = self.subject_skills(skills, user)
        query = GapInput(resolved.name, resolved.key, have.names, threshold, days, have.unrecognised)
        return await self._cached(("gap", query), lambda: self._gap(query))

    async def _gap(self, query: GapInput) -> GapReport:
        agg = await self._aggregate(query.role_key, query.days)
        analytics.ensure_enough(agg, query.role_name, query.days)
        model = await self._unlock_model(query.role_key, query.days, query.user_skills, agg.total)
        return analytics.gap_report(query, agg, category_of=self.taxonomy.category_of, generated_at=self.clock.now(), unlocks=model.gains())

    async def _unlock_model(self, role_key: str, days: int, have: frozenset[str], total: int) -> UnlockModel:
        return UnlockModel(await self._sample(role_key, days), have, total)

    async def _sample(self, role_key: str, days: int) -> SkillSample:
        """The window's most recent postings as a skill matrix: it does not depend on the person, so every gap and
        roadmap for this window shares one read."""
        start, end = self._window(days)
        return await self._cached(("sample", role_key, start, end), lambda: self._load_sample(role_key, start, end))

    async def _load_sample(self, role_key: str, start: date, end: date) -> SkillSample:
        return SkillSample(await self.store.postings.skill_sets(role_key, start, end, UNLOCK_SAMPLE))

    async def roadmap(self, role: str | None = None, skills: Sequence[str] | None = None, *, user: User | None = None, days: int = 30, include_gap_analysis: bool = True, max_skills: int = ROADMAP_MAX_SKILLS) -> RoadmapReport:
        validation.bounded("days", days, validation.DAYS)
        validation.bounded("max_skills", max_skills, (1, 30))
        resolved = self.subject_role(role, user)
        have = self.subject_skills(skills, user) if include_gap_analysis else SkillSet(frozenset())
        query = GapInput(resolved.name, resolved.key, have.names, ROADMAP_THRESHOLD, days, have.unrecognised)
        return await self._cached(("roadmap", query, max_skills), lambda: self._roadmap(query, max_skills))

    async def _roadmap(self, query: GapInput, max_skills: int) -> RoadmapReport:
        agg = await self._aggregate(query.role_key, query.days)
        analytics.ensure_enough(agg, query.role_name, query.days)
        model = await self._unlock_model(query.role_key, query.days, query.user_skills, agg.total)
        shares = [(skill, analytics.percentage(count, agg.total)) for skill, count in analytics.required_skills(agg, query.threshold)[:max_skills]]
        order = analytics.learning_order([(s, p) for s, p in shares if s not in query.user_skills], model, agg.total)
        paths = [self._skill_path(skill, dict(shares)[skill], agg.total, True, gained) for skill, gained in order]
        paths += [self._skill_path(skill, share, agg.total, False, 0) for skill, share in shares if skill in query.user_skills]
        paths = analytics.parents_first(paths, self._parent_of)
        missing = sum(p.is_missing for p in paths)
        coverage = analytics.percentage(len(paths) - missing, len(paths)) if paths else 100.0
        return RoadmapReport(
            target_role=query.role_name, role_key=query.role_key, skill_paths=paths, total_skills=len(paths),
            missing_skills_count=missing, coverage_percentage=coverage,
            recommendations=analytics.roadmap_recommendations(paths, query.role_name, coverage),
            total_postings_analyzed=agg.total, window_days=query.days, generated_at=self.clock.now(),
        )

    def _parent_of(self, skill: str) -> str | None:
        entry = self.taxonomy.get(skill)
        return entry.parent if entry else None

    def _skill_path(self, skill: str, share: float, total: int, missing: bool, gained: int) -> SkillPath:
        return SkillPath(
            skill=skill, resources=self.catalog.resources_for(skill)[:4], is_missing=missing,
            priority_score=analytics.priority_score(share, gained, total), required_percentage=share,
            unlocks_postings=gained, category=self.taxonomy.category_of(skill),
        )

    async def match_job_description(self, text: str, *, skills: Sequence[str] | None = None, user: User | None = None, role: str | None = None) -> JobMatchReport:
        """A pasted posting against a person's skills: have/missing, missing weighted by the role's demand, what to learn next."""
        posting = jobmatch.read_posting(text)
        target = self.resolve_role(role) if role and role.strip() else jobmatch.detect_role(posting, self.roles)
        market = await jobmatch.market_for(target, self._aggregate)
        extraction = self.extract_skills(posting.body, posting.title)
        subject = self.subject_skills(skills, user)
        return jobmatch.build_report(posting, extraction, subject, target, market, self.catalog, generated_at=self.clock.now(), category_of=self.taxonomy.category_of)

    # --- projects and resources -------------------------------------------------------------------

    async def recommend_projects(self, skills: Sequence[str] | None = None, *, user: User | None = None, role: str | None = None, difficulty: Difficulty | None = None, skill_focus: Sequence[str] = (), limit: int = 10) -> ProjectRecommendations:
        validation.bounded("limit", limit, validation.PROJECT_LIMIT)
        have = self.subject_skills(skills, user)
        focus = self._canonical_focus(skill_focus)
        resolved = self.resolve_role(role) if role else self._profile_role(user)
        gaps = await self._gap_skills(resolved, have.names)
        candidates = self.catalog.filter_projects(difficulty, focus)
        key = resolved.key if resolved else None
        best = sorted(candidates, key=lambda p: (-analytics.project_score(p, have.names, gaps, key), p.id))[:limit]
        ranked = [analytics.match_project(p, have.names) for p in best]
        filters = {"difficulty": difficulty.value if difficulty else None, "skill_focus": focus, "limit": limit, "role": resolved.name if resolved else None}
        return ProjectRecommendations(
            projects=ranked, total_projects=len(candidates), filters_applied=filters, user_skill_count=len(have.names),
            recommendations=analytics.project_recommendations(ranked, len(have.names)),
        )

    def _profile_role(self, user: User | None) -> Role | None:
        if user and user.target_roles:
            return self.roles.find(user.target_roles[0])
        return None

    async def _gap_skills(self, role: Role | None, have: frozenset[str]) -> frozenset[str]:
        if role is None:
            return frozenset()
        agg = await self._aggregate(role.key, 30)
        return frozenset(skill for skill, _ in analytics.required_skills(agg, 0.2) if skill not in have)

    def _canonical_focus(self, skills: Sequence[str]) -> list[str]:
        focus = []
        for text in skills:
            entry = self.taxonomy.resolve(text)
            if entry is None:
                hint = self.taxonomy.suggest(text)
                message = f"Unknown skill {text!r}." + (f" Did you mean: {', '.join(hint)}?" if hint else "")
                raise InvalidInput(message)
            focus.append(entry.name)
        return focus

    async def skill_building_projects(self, skills: Sequence[str], *, user: User | None = None, difficulty: Difficulty | None = None, limit: int = 10) -> list[ProjectMatch]:
        validation.bounded("limit", limit, validation.PROJECT_LIMIT)
        targets = self._canonical_focus(validation.cleaned_skills(skills) or [])
        have = self.subject_skills(None, user)
        matches = [analytics.match_project(p, have.names) for p in self.catalog.filter_projects(difficulty, targets)]
        return sorted(matches, key=lambda m: (-len(set(targets) & set(m.skills)), -m.skill_match_percentage, m.id))[:limit]

    def search_projects(self, query: str, *, skills: Sequence[str] = (), difficulty: Difficulty | None = None, limit: int = 20, offset: int = 0) -> ProjectSearchResult:
        query = validation.non_blank("query", query)
        validation.bounded("limit", limit, validation.SEARCH_LIMIT)
        validation.non_negative("offset", offset)
        focus = self._canonical_focus(skills)
        hits = self.catalog.filter_projects(difficulty, focus, query)
        filters = {"skills": focus, "difficulty": difficulty.value if difficulty else None, "limit": limit, "offset": offset}
        return ProjectSearchResult(projects=hits[offset : offset + limit], total_found=len(hits), search_query=query, filters_applied=filters)

    def all_projects(self, *, user: User | None = None, skills: Sequence[str] | None = None, difficulty: Difficulty | None = None, limit: int = 50, offset: int = 0) -> list[ProjectMatch]:
        validation.bounded("limit", limit, validation.SEARCH_LIMIT)
        validation.non_negative("offset", offset)
        have = self.subject_skills(skills, user)
        projects = self.catalog.filter_projects(difficulty)[offset : offset + limit]
        return [analytics.match_project(p, have.names) for p in projects]

    def find_resources(self, skills: Sequence[str], resource_type: ResourceType | None = None, search: str | None = None) -> list[Resource]:
        names = self._canonical_focus(validation.cleaned_skills(skills) or [])
        return self.catalog.resources(names, resource_type, search)

    def learning_resources(self, skills: Sequence[str] | None = None, query: str | None = None, resource_type: ResourceType | None = None, limit: int = 20, offset: int = 0) -> ResourceSearchResult:
        """Resources for skills (narrowed by `query` text), or a text search over all resources when no skills are given; paged."""
        if skills is None:
            if not query or not query.strip():
                message = "Give skills (e.g. Docker, Kubernetes) or a search query."
                raise InvalidInput(message)
            return self.search_resources(query, resource_type, limit, offset)
        validation.bounded("limit", limit, validation.SEARCH_LIMIT)
        validation.non_negative("offset", offset)
        names = self._canonical_focus(validation.cleaned_skills(skills) or [])
        hits = self.catalog.resources(names, resource_type, query)
        filters = {"skills": names, "resource_type": resource_type.value if resource_type else None, "limit": limit, "offset": offset}
        return ResourceSearchResult(resources=hits[offset : offset + limit], total_found=len(hits), search_query=(query or "").strip(), filters_applied=filters)

    def search_resources(self, query: str, resource_type: ResourceType | None = None, limit: int = 20, offset: int = 0) -> ResourceSearchResult:
        query = validation.non_blank("query", query)
        validation.bounded("limit", limit, validation.SEARCH_LIMIT)
        validation.non_negative("offset", offset)
        hits = self.catalog.search_resources(query, resource_type)
        filters = {"resource_type": resource_type.value if resource_type else None, "limit": limit, "offset": offset}
        return ResourceSearchResult(resources=hits[offset : offset + limit], total_found=len(hits), search_query=query, filters_applied=filters)

    # --- data -------------------------------------------------------------------------------------

    async def add_postings(self, postings: Sequence[Posting]) -> UpsertResult:
        """Upserts by job id, recomputes the rollups of touched days, and bumps the data version."""
        result = await self.store.postings.upsert_many(postings)
        if result.touched:
            await self.store.rollups.rebuild(result.days, build_rollups)
            await self._data_changed()
        return result

    async def load_demo_data(self, count: int, seed: int = 42, on_progress: Callable[[int], None] | None = None) -> UpsertResult:
        """Generates `count` demo postings (deterministic for `seed`), stores them, rebuilds rollups once."""
        validation.bounded("postings", count, (1, 1_000_000))
        generator = DemoGenerator(self.taxonomy, self.roles, self.clock.now().date(), seed)
        total, days = UpsertResult(), set()
        for batch in batched(generator.postings(count), DEMO_BATCH):
            result = await self.store.postings.upsert_many(batch)
            total.inserted, total.updated, total.unchanged = total.inserted + result.inserted, total.updated + result.updated, total.unchanged + result.unchanged
            days.update(result.days)
            if on_progress:
                on_progress(len(batch))
        total.days = sorted(days)
        if total.touched:
            await self.store.rollups.rebuild(total.days, build_rollups)
            await self._data_changed()
        return total

    @cached_property
    def extractor(self) -> SkillExtractor:
        """Built on first use (about a second), so commands that never extract do not pay for it."""
        from core.skills.extractor import SkillExtractor

        return SkillExtractor(self.taxonomy)

    @cached_property
    def router(self) -> IntentRouter:
        """The free-text intent router over this navigator's taxonomy and roles (built on first use, ~60 ms)."""
        from core.intent import IntentRouter

        return IntentRouter(self.taxonomy, self.roles)

    def extract_skills(self, text: str, title: str = "", slugs: Sequence[str] = ()) -> Extraction:
        return self.extractor.extract(text, title, slugs)

    async def reextract(self, on_progress: Callable[[int], None] | None = None) -> ReextractSummary:
        """Re-runs extraction over stored (non-demo) postings and rebuilds the rollups of changed days."""
        from core.enrich import ReextractSummary, enrich

        summary, changed = ReextractSummary(), []
        async for posting in self.store.postings.iter_all():
            if on_progress:
                on_progress(1)
            if posting.is_demo:
                continue
            updated = enrich(posting, self.extractor, self.roles)
            summary.record(posting, updated)
            if updated.skill_names != posting.skill_names or updated.soft_skills != posting.soft_skills or updated.role_keys != posting.role_keys:
                changed.append(updated)
        for batch in batched(changed, DEMO_BATCH):
            await self.add_postings(batch)
        return summary

    async def user_by_email(self, email: str) -> User:
        user = await self.store.users.get_by_email(validation.non_blank("email", email))
        if user is None:
            message = f"No account with email {email.strip()!r}."
            raise NotFound(message)
        return user

    async def cleanup(self, retention_days: int) -> CleanupResult:
        """Deletes postings past retention and rebuilds their days; front ends run core.housekeeping.run_cleanup."""
        validation.bounded("retention_days", retention_days, (1, 3650))
        cutoff = self.clock.now().date() - timedelta(days=retention_days)
        deleted, days = await self.store.postings.delete_older_than(cutoff)
        await self.store.rollups.rebuild(days, build_rollups)
        if deleted:
            await self._data_changed()
        return CleanupResult(deleted=deleted, days_rebuilt=len(days), cutoff=cutoff)

    async def stats(self) -> Stats:
        postings = self.store.postings
        oldest, newest = await postings.day_range()
        return Stats(
            postings=await postings.count(), demo_postings=await postings.count(demo=True), roles=await postings.role_counts(),
            last_ingestion=await self.store.meta.get("last_ingestion"), data_version=await self.store.meta.data_version(),
            newest_posting=newest, oldest_posting=oldest, store=self.store.kind, users=await self.store.users.count(),
        )

    async def health(self) -> Health:
        ok = await self.store.ping()
        postings = await self.store.postings.count() if ok else 0
        newest = (await self.store.postings.day_range())[1] if ok else None
        age = (self.clock.now().date() - newest).days * 24.0 if newest else None
        detail = None if ok and postings else ("store unreachable" if not ok else "no postings yet: run `career-nav ingest` or `career-nav demo-data`")
        return Health(
            healthy=ok, store=self.store.kind, store_ok=ok, postings=postings, data_version=await self.store.meta.data_version() if ok else 0,
            data_age_hours=age, app_name=self.app_name, app_version=self.app_version, detail=detail,
        )
