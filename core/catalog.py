"""Learning resources and project ideas (data/resources.json, data/projects.json): lookup, filters, search."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from core.errors import ConfigError
from core.models import Difficulty, Project, Resource, ResourceType
from core.paths import DATA_DIR

TYPE_ORDER = {t: i for i, t in enumerate([ResourceType.DOCUMENTATION, ResourceType.TUTORIAL, ResourceType.COURSE, ResourceType.VIDEO, ResourceType.BOOK])}


@dataclass(frozen=True)
class Page:
    limit: int = 20
    offset: int = 0


def _words(text: str) -> list[str]:
    return [word for word in text.lower().split() if word]


def _matches(query: str, haystack: Iterable[str]) -> bool:
    text = " ".join(haystack).lower()
    return all(word in text for word in _words(query))


class Catalog:
    def __init__(self, resources: dict[str, list[Resource]], projects: list[Project]) -> None:
        # Each skill's resources in the order they are offered: free first, then by type (docs, courses, ...).
        self._resources = {skill.lower(): sorted(items, key=lambda r: (not r.free, TYPE_ORDER.get(r.type, 9))) for skill, items in resources.items()}
        self._skills = {skill.lower(): skill for skill in resources}
        self.projects = projects

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Catalog:
        return _load_default() if data_dir is None else _load(data_dir)

    def skills_with_resources(self) -> list[str]:
        return sorted(self._skills.values())

    def resources_for(self, skill: str, resource_type: ResourceType | None = None) -> list[Resource]:
        items = self._resources.get(skill.lower(), [])
        return [r for r in items if r.type == resource_type] if resource_type else list(items)

    def resources(self, skills: Sequence[str], resource_type: ResourceType | None = None, search: str | None = None) -> list[Resource]:
        found = [r for skill in skills for r in self.resources_for(skill, resource_type)]
        if search:
            found = [r for r in found if _matches(search, (r.title, r.description, r.skill or "", r.type.value))]
        return found

    def search_resources(self, query: str, resource_type: ResourceType | None = None) -> list[Resource]:
        everything = [r for items in self._resources.values() for r in items]
        hits = [r for r in everything if _matches(query, (r.title, r.description, r.skill or ""))]
        if resource_type:
            hits = [r for r in hits if r.type == resource_type]
        return hits

    def filter_projects(self, difficulty: Difficulty | None = None, skills: Sequence[str] = (), query: str | None = None) -> list[Project]:
        wanted = {s.lower() for s in skills}
        projects = self.projects
        if difficulty:
            projects = [p for p in projects if p.difficulty == difficulty]
        if wanted:
            projects = [p for p in projects if wanted & {s.lower() for s in p.skills}]
        if query:
            projects = [p for p in projects if _matches(query, (p.title, p.description, *p.features, *p.skills))]
        return projects


def _load(data_dir: Path) -> Catalog:
    try:
        resources_doc = json.loads((data_dir / "resources.json").read_text(encoding="utf-8"))
        projects_doc = json.loads((data_dir / "projects.json").read_text(encoding="utf-8"))
        resources = {
            skill: [Resource.model_validate({**item, "skill": skill}) for item in items]
            for skill, items in resources_doc["resources"].items()
        }
        projects = [Project.model_validate(item) for item in projects_doc["projects"]]
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        message = f"Catalog data in {data_dir} is unreadable or malformed: {exc}"
        raise ConfigError(message) from exc
    return Catalog(resources, projects)


@cache
def _load_default() -> Catalog:
    return _load(DATA_DIR)
