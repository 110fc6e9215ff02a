"""Turning a posting's text into the skills and role keys analytics count (used by ingestion and reextract)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Posting, PostingSkill
from core.skills.extractor import Extraction, SkillExtractor
from core.skills.roles import RoleCatalog


def posting_skills(extraction: Extraction) -> list[PostingSkill]:
    return [PostingSkill(name=s.name, category=s.category, sources=list(s.sources)) for s in extraction.skills]


def role_keys(posting: Posting, roles: RoleCatalog) -> list[str]:
    """Roles the title matches, plus the role the posting was searched for (when it resolves)."""
    keys = dict.fromkeys(roles.tag_title(posting.title))
    searched = roles.find(posting.search.role) if posting.search.role else None
    if searched:
        keys[searched.key] = None
    return list(keys)


def enrich(posting: Posting, extractor: SkillExtractor, roles: RoleCatalog) -> Posting:
    extraction = extractor.extract(posting.description, posting.title, posting.technology_slugs)
    return posting.model_copy(
        update={
            "skills": posting_skills(extraction),
            "soft_skills": extraction.soft_names,
            "role_keys": role_keys(posting, roles),
        }
    )


@dataclass
class ReextractSummary:
    scanned: int = 0
    changed: int = 0
    skills_added: dict[str, int] = field(default_factory=dict)
    skills_removed: dict[str, int] = field(default_factory=dict)

    def record(self, before: Posting, after: Posting) -> None:
        self.scanned += 1
        old, new = set(before.skill_names), set(after.skill_names)
        if old == new and before.soft_skills == after.soft_skills and before.role_keys == after.role_keys:
            return
        self.changed += 1
        for name in new - old:
            self.skills_added[name] = self.skills_added.get(name, 0) + 1
        for name in old - new:
            self.skills_removed[name] = self.skills_removed.get(name, 0) + 1
