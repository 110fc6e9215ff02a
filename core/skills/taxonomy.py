"""The skills taxonomy: canonical names, categories, aliases, TheirStack slugs and implied parents.

`Taxonomy.load()` reads `data/skills.json` (cached for the default path); `Taxonomy.resolve()` turns a
person's free text ("python3", "ReactJS", "AWS cloud", "k8s") into a canonical entry, and `suggest()`
offers close names for text that resolves to nothing.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError
from core.paths import DATA_DIR, read_json

DEFAULT_PATH = DATA_DIR / "skills.json"
SOFT_CATEGORY = "soft_skill"

_SEPARATORS = re.compile(r"[\s._\-]+")
_TRAILING_VERSION = re.compile(r"(?:\s*v?\d+(?:\.\d+)*\+?)$", re.IGNORECASE)
# Words people add around a skill name that never change which skill they mean.
_FILLER_WORDS = frozenset(
    "cloud platform language lang programming framework library lib development developer "
    "skills skill experience db database services service tool tools the".split()
)


@dataclass(frozen=True, slots=True)
class SkillEntry:
    """One canonical skill and everything that names it."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    parent: str | None = None
    ambiguous: bool = False

    @property
    def is_soft(self) -> bool:
        return self.category == SOFT_CATEGORY

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The canonical name followed by its aliases."""
        return (self.name, *self.aliases)


@dataclass(slots=True)
class SkillNormalisation:
    """A person's skills split into canonical names and unresolved text with suggestions."""

    known: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)


def normalise_key(text: str) -> str:
    """Folds case, spaces, dots, hyphens and underscores: "React.js" and "reactjs" share a key."""
    return _SEPARATORS.sub("", text.strip().lower())


class Taxonomy:
    """An immutable, indexed set of skill entries."""

    def __init__(self, entries: Iterable[SkillEntry]) -> None:
        self._entries: tuple[SkillEntry, ...] = tuple(entries)
        self._by_name: dict[str, SkillEntry] = {}
        self._by_key: dict[str, SkillEntry] = {}
        self._by_slug: dict[str, SkillEntry] = {}
        for entry in self._entries:
            self._index(entry)
        self._index_aliases()
        self._check_parents()
        self.version: str = _content_hash(self._entries)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> Taxonomy:
        """Loads a taxonomy file; the default file is read once per process."""
        if path is None:
            return _load_default()
        return cls.from_entries(_read_entries(Path(path)))

    @classmethod
    def from_entries(cls, entries: Iterable[SkillEntry]) -> Taxonomy:
        return cls(entries)

    def _index(self, entry: SkillEntry) -> None:
        lowered = entry.name.lower()
        if lowered in self._by_name:
            message = f"Skill taxonomy lists {entry.name!r} twice."
            raise ConfigError(message)
        self._by_name[lowered] = entry
        for slug in entry.slugs:
            self._by_slug.setdefault(slug.lower(), entry)

    def _index_aliases(self) -> None:
        # Canonical names claim their key before any alias can.
        for entry in self._entries:
            self._by_key.setdefault(normalise_key(entry.name), entry)
        for entry in self._entries:
            for alias in entry.aliases:
                self._by_key.setdefault(normalise_key(alias), entry)

    def _check_parents(self) -> None:
        for entry in self._entries:
            if entry.parent is not None and entry.parent.lower() not in self._by_name:
                message = f"Skill {entry.name!r} names an unknown parent {entry.parent!r}."
                raise ConfigError(message)

    # -- look-ups ----------------------------------------------------------------------------

    def get(self, name: str) -> SkillEntry | None:
        """The entry whose canonical name is `name`, ignoring case."""
        return self._by_name.get(name.strip().lower())

    def resolve(self, text: str) -> SkillEntry | None:
        """The entry a person means by `text`: a name or alias, give or take case, spacing and versions."""
        cleaned = text.strip()
        if not cleaned:
            return None
        for candidate in _candidates(cleaned):
            entry = self._by_key.get(normalise_key(candidate))
            if entry is not None:
                return entry
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Canonical names that look like `text` (for "did you mean")."""
        key = normalise_key(text)
        if not key or limit <= 0:
            return []
        close = difflib.get_close_matches(key, list(self._by_key), n=limit * 4, cutoff=0.6)
        names: list[str] = []
        for match in close:
            name = self._by_key[match].name
            if name not in names:
                names.append(name)
        return names[:limit]

    def normalise_skills(self, texts: Iterable[str]) -> SkillNormalisation:
        """Resolves each text; unresolved ones come back with suggestions."""
        result = SkillNormalisation()
        for text in texts:
            if not text or not text.strip():
                continue
            entry = self.resolve(text)
            if entry is None:
                result.unknown[text.strip()] = self.suggest(text)
            elif entry.name not in result.known:
                result.known.append(entry.name)
        return result

    def by_slug(self, slug: str) -> SkillEntry | None:
        return self._by_slug.get(slug.strip().lower())

    def category_of(self, name: str) -> str | None:
        entry = self.get(name)
        return entry.category if entry else None

    def parents_of(self, name: str) -> list[str]:
        """Skills implied by `name`, nearest first (Django → Python; Spring Boot → Spring → Java)."""
        parents: list[str] = []
        entry = self.get(name)
        while entry is not None and entry.parent is not None:
            parent = self.get(entry.parent)
            if parent is None or parent.name in parents or parent.name == name:
                break
            parents.append(parent.name)
            entry = parent
        return parents

    @property
    def categories(self) -> list[str]:
        return sorted({entry.category for entry in self._entries})

    def __iter__(self) -> Iterator[SkillEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, SkillEntry):
            return self._by_name.get(item.name.lower()) == item
        return isinstance(item, str) and item.strip().lower() in self._by_name

    def __repr__(self) -> str:
        return f"Taxonomy({len(self)} skills, version={self.version})"


def _candidates(text: str) -> Iterator[str]:
    """Readings of a person's text, most literal first."""
    yield text
    words = text.split()
    without_filler = " ".join(word for word in words if word.lower() not in _FILLER_WORDS)
    for base in dict.fromkeys((text, without_filler)):
        if not base:
            continue
        unversioned = _TRAILING_VERSION.sub("", base).strip()
        yield base
        if unversioned:
            yield unversioned
        for variant in (base, unversioned):
            if variant.lower().endswith("js") and len(variant) > 3:
                yield variant[:-2]


def _content_hash(entries: tuple[SkillEntry, ...]) -> str:
    rows = sorted(
        (e.name, e.category, e.aliases, e.slugs, e.parent or "", e.ambiguous) for e in entries
    )
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:12]


@functools.cache
def _load_default() -> Taxonomy:
    return Taxonomy.from_entries(_read_entries(DEFAULT_PATH))


def _read_entries(path: Path) -> list[SkillEntry]:
    document = read_json(path, "Skill taxonomy")
    rows = document.get("skills") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        message = f"Skill taxonomy file {path} must be an object with a 'skills' list."
        raise ConfigError(message)
    categories = document.get("categories")
    allowed = set(categories) if isinstance(categories, list) and categories else None
    return [_entry_from_row(row, index, path, allowed) for index, row in enumerate(rows)]


def _entry_from_row(row: object, index: int, path: Path, allowed: set[str] | None) -> SkillEntry:
    where = f"Skill taxonomy file {path}, skill #{index}"
    if not isinstance(row, dict):
        message = f"{where} must be an object."
        raise ConfigError(message)
    name, category = row.get("name"), row.get("category")
    if not isinstance(name, str) or not name.strip():
        message = f"{where} needs a non-empty 'name'."
        raise ConfigError(message)
    if not isinstance(category, str) or (allowed is not None and category not in allowed):
        message = f"{where} ({name!r}) has an unknown category {category!r}."
        raise ConfigError(message)
    parent = row.get("parent")
    if parent is not None and not isinstance(parent, str):
        message = f"{where} ({name!r}) has a 'parent' that is not a string."
        raise ConfigError(message)
    return SkillEntry(
        name=name.strip(),
        category=category,
        aliases=_strings(row.get("aliases", []), f"{where} ({name!r}) 'aliases'"),
        slugs=_strings(row.get("slugs", []), f"{where} ({name!r}) 'slugs'"),
        parent=parent or None,
        ambiguous=bool(row.get("ambiguous", False)),
    )


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        message = f"{where} must be a list of strings."
        raise ConfigError(message)
    return tuple(item.strip() for item in value if item.strip())
