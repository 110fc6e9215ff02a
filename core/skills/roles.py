"""The role catalog: role names people type, the keys postings are tagged with, and title patterns."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.errors import ConfigError, UnknownRole
from core.paths import DATA_DIR


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    name: str
    aliases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    def matches_title(self, title: str) -> bool:
        return any(pattern.search(title) for pattern in self.patterns)


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


class RoleCatalog:
    """Resolves what a person types ("ml engineer", "Backend") to a role, and tags posting titles."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self._roles = {role.key: role for role in roles}
        self._lookup: dict[str, Role] = {}
        for role in self._roles.values():
            for label in (role.key, role.name, *role.aliases):
                self._lookup.setdefault(_fold(label), role)

    @classmethod
    def load(cls, path: Path | None = None) -> RoleCatalog:
        return _load_default() if path is None else _load(path)

    def __iter__(self) -> Iterator[Role]:
        return iter(self._roles.values())

    def __len__(self) -> int:
        return len(self._roles)

    def names(self) -> list[str]:
        return [role.name for role in self._roles.values()]

    def get(self, key: str) -> Role | None:
        return self._roles.get(key)

    def find(self, text: str) -> Role | None:
        """The role a name, key or alias refers to, or None."""
        folded = _fold(text)
        if folded in self._lookup:
            return self._lookup[folded]
        singular = folded.removesuffix("s")
        return self._lookup.get(singular)

    def resolve(self, text: str) -> Role:
        """Like find, but raises UnknownRole with close matches."""
        if not text or not text.strip():
            raise UnknownRole(text or "", self.names()[:5])
        role = self.find(text)
        if role is None:
            raise UnknownRole(text.strip(), self.suggest(text))
        return role

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        folded = _fold(text)
        labels = list(self._lookup)
        close = difflib.get_close_matches(folded, labels, n=limit * 3, cutoff=0.5)
        contained = [label for label in labels if folded and (folded in label or label in folded)]
        names: list[str] = []
        for label in close + contained:
            name = self._lookup[label].name
            if name not in names:
                names.append(name)
        return names[:limit]

    def tag_title(self, title: str) -> list[str]:
        """Role keys whose title patterns match a posting title."""
        lowered = title.lower()
        return [role.key for role in self._roles.values() if role.matches_title(lowered)]


def _load(path: Path) -> RoleCatalog:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        roles = [_role_from(entry) for entry in document["roles"]]
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        message = f"Role catalog {path} is unreadable or malformed: {exc}"
        raise ConfigError(message) from exc
    return RoleCatalog(roles)


@cache
def _load_default() -> RoleCatalog:
    return _load(DATA_DIR / "roles.json")


def _role_from(entry: dict) -> Role:
    patterns = tuple(re.compile(pattern, re.IGNORECASE) for pattern in entry.get("title_patterns", ()))
    return Role(key=entry["key"], name=entry["name"], aliases=tuple(entry.get("aliases", ())), patterns=patterns)
