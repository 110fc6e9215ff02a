"""Finds the taxonomy's skills in job postings: `SkillExtractor` and the `Extraction` it returns.

A posting's title and text are each cleaned and tokenised (`core.skills.cleaning`), matched against the phrase
table built from the taxonomy (`core.skills.phrases`, `core.skills.matching`), and matches of forms that are also
English words are kept only where their context confirms them (`core.skills.context`). TheirStack technology
slugs are then merged in, and everything is grouped into one record per canonical skill, in order of first
occurrence: title, then text, then slugs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from core.skills.cleaning import clean_text, tokenize
from core.skills.context import confirmed
from core.skills.matching import Mention, PhraseFinder
from core.skills.phrases import build_phrases
from core.skills.taxonomy import SkillEntry, Taxonomy

__all__ = [
    "SOURCE_TEXT", "SOURCE_THEIRSTACK", "SOURCE_TITLE", "ExtractedSkill", "Extraction", "SkillExtractor",
    "clean_text", "tokenize",
]

SOURCE_TEXT = "text"
SOURCE_TITLE = "title"
SOURCE_THEIRSTACK = "theirstack"
_SOURCE_ORDER = (SOURCE_TITLE, SOURCE_TEXT, SOURCE_THEIRSTACK)


@dataclass(frozen=True, slots=True)
class ExtractedSkill:
    """A skill found in one posting: where it was found, the words that named it, and how often."""

    name: str
    category: str
    sources: tuple[str, ...]
    spans: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class Extraction:
    """Skills of one posting; `implied` holds parents of mentioned skills that were not mentioned."""

    skills: list[ExtractedSkill] = field(default_factory=list)
    soft_skills: list[ExtractedSkill] = field(default_factory=list)
    implied: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Technical skills in order of first occurrence (title, then text, then TheirStack slugs)."""
        return [skill.name for skill in self.skills]

    @property
    def soft_names(self) -> list[str]:
        return [skill.name for skill in self.soft_skills]

    def to_dict(self) -> dict[str, list[str]]:
        return {"skills": self.names, "soft_skills": self.soft_names, "implied": list(self.implied)}


class SkillExtractor:
    """Finds taxonomy skills in posting text and titles and merges TheirStack technology slugs.

    Build one per process and share it: extraction never writes to the spaCy vocabulary.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._finder = PhraseFinder(build_phrases(taxonomy))
        self._parents = {entry.name: tuple(taxonomy.parents_of(entry.name)) for entry in taxonomy}

    @property
    def vocabulary_size(self) -> int:
        """Strings interned by spaCy; constant after construction."""
        return self._finder.vocabulary_size

    def extract(self, text: str, title: str = "", slugs: Sequence[str] = ()) -> Extraction:
        """The skills of one posting, from its title, its text and its TheirStack technology slugs."""
        collector = _Collector()
        if title:
            collector.add_mentions(self._mentions(title, is_title=True), SOURCE_TITLE)
        if text:
            collector.add_mentions(self._mentions(text, is_title=False), SOURCE_TEXT)
        for slug in slugs or ():
            entry = self.taxonomy.by_slug(slug)
            if entry is not None:
                collector.add(entry, SOURCE_THEIRSTACK)
        return collector.result(self._parents)

    def extract_many(
        self, items: Iterable[tuple[str, str, Sequence[str]]], batch_size: int = 256
    ) -> Iterator[Extraction]:
        """Extracts postings lazily, one `Extraction` per `(text, title, slugs)` item.

        `batch_size` is accepted for symmetry with `nlp.pipe`: the fast path builds one small `Doc` per
        posting and keeps nothing between postings, so there is nothing to batch (see bench/extraction.py
        for its speed against `nlp.pipe`).
        """
        del batch_size
        for item in items:
            text, title, slugs = (*item, "", ())[:3]
            yield self.extract(text, title, slugs)

    def _mentions(self, text: str, is_title: bool) -> list[Mention]:
        tokens = tokenize(clean_text(text))
        lows = list(map(str.lower, tokens))
        return confirmed(tokens, lows, self._finder.find(tokens, lows), is_title)


@dataclass(slots=True)
class _Record:
    """Everything found so far about one canonical skill."""

    entry: SkillEntry
    sources: set[str] = field(default_factory=set)
    spans: list[str] = field(default_factory=list)
    count: int = 0

    def skill(self) -> ExtractedSkill:
        sources = tuple(source for source in _SOURCE_ORDER if source in self.sources)
        return ExtractedSkill(self.entry.name, self.entry.category, sources, tuple(self.spans), self.count)


class _Collector:
    """Accumulates mentions into one record per canonical skill, in order of first occurrence."""

    def __init__(self) -> None:
        self._records: dict[str, _Record] = {}

    def add_mentions(self, mentions: Iterable[Mention], source: str) -> None:
        for mention in mentions:
            self.add(mention.entry, source, mention.surface)

    def add(self, entry: SkillEntry, source: str, surface: str | None = None) -> None:
        """Records that `entry` was found in `source`; `surface` is the wording when the text named it."""
        record = self._records.get(entry.name)
        if record is None:
            record = self._records[entry.name] = _Record(entry)
        record.sources.add(source)
        if surface is not None:
            record.count += 1
            if surface not in record.spans:
                record.spans.append(surface)

    def result(self, parents: dict[str, tuple[str, ...]]) -> Extraction:
        skills: list[ExtractedSkill] = []
        soft: list[ExtractedSkill] = []
        for record in self._records.values():
            (soft if record.entry.is_soft else skills).append(record.skill())
        return Extraction(skills=skills, soft_skills=soft, implied=self._implied(skills, parents))

    def _implied(self, skills: list[ExtractedSkill], parents: dict[str, tuple[str, ...]]) -> list[str]:
        """Parents of the technical skills found, in order, that were not found themselves."""
        implied: list[str] = []
        for skill in skills:
            for parent in parents.get(skill.name, ()):
                if parent not in self._records and parent not in implied:
                    implied.append(parent)
        return implied
