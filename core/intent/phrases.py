"""One language's phrase lists for the intent router (data/intents/<language>.json), checked and indexed.

Every phrase is normalised with the same function as the messages (`text.words`), so the file can be written
naturally ("what's hot") and still match what the router sees ("whats hot").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.intent.text import PhraseTable, words
from core.models import Difficulty
from core.paths import DATA_DIR

INTENTS_DIR = DATA_DIR / "intents"
SCORED_INTENTS = ("trending", "gap", "roadmap", "resources", "projects", "profile_update", "job_match", "help")
_REQUIRED = ("normalise", "intents", "profile", "followup", "target_markers", "comparison", "skills", "roles", "days",
             "difficulty", "job_description", "questions", "labels")


@dataclass(frozen=True)
class Normaliser:
    """What turns raw chat text into the router's words: emoji, one-word spellings and multi-word rewrites."""

    emoji: Mapping[str, str]
    spelling: Mapping[str, str]
    rewrites: PhraseTable


@dataclass(frozen=True)
class DaysLexicon:
    phrases: PhraseTable
    prefixes: frozenset[str]
    units: Mapping[str, int]
    bare_units: frozenset[str]
    numbers: Mapping[str, int]
    skip: frozenset[str]
    experience_words: frozenset[str]


@dataclass(frozen=True)
class JobDescriptionSignals:
    signals: PhraseTable
    first_person: frozenset[str]
    min_chars: int
    long_chars: int
    threshold: int


@dataclass(frozen=True)
class SkillCues:
    strong_triggers: frozenset[str]
    weak_triggers: frozenset[str]
    list_separators: frozenset[str]
    context_nouns: frozenset[str]
    english_words: frozenset[str]


@dataclass(frozen=True)
class Phrases:
    """Everything language-specific the router needs; build with `Phrases.load("en")`."""

    language: str
    normaliser: Normaliser
    stopwords: frozenset[str]
    common_words: frozenset[str]
    intents: Mapping[str, PhraseTable]
    patterns: Mapping[str, tuple[tuple[re.Pattern[str], float], ...]]
    profile: Mapping[str, PhraseTable]
    followup: PhraseTable
    target_markers: frozenset[str]
    comparison: frozenset[str]
    skills: SkillCues
    role_aliases: Mapping[tuple[str, ...], str]
    ignored_role_labels: frozenset[str]
    days: DaysLexicon
    difficulty: PhraseTable
    job_description: JobDescriptionSignals
    questions: Mapping[str, str]
    labels: Mapping[str, str]
    vocabulary: frozenset[str] = field(default=frozenset())

    @classmethod
    def load(cls, language: str = "en", directory: Path | None = None) -> Phrases:
        """The phrase file for `language`; the bundled files are read once per process."""
        if directory is None:
            return _load_bundled(language)
        return _load(Path(directory) / f"{language}.json")

    def words(self, text: str) -> list[str]:
        return words(text, self.normaliser)

    def label(self, intent: str) -> str:
        """A button label for an intent ("📈 Trending skills")."""
        return self.labels.get(intent, intent.replace("_", " ").capitalize())

    def question(self, key: str, **values: str) -> str:
        return self.questions.get(key, self.questions["default"]).format(**values)


@cache
def _load_bundled(language: str) -> Phrases:
    return _load(INTENTS_DIR / f"{language}.json")


def _load(path: Path) -> Phrases:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        message = f"No intent phrase file {path}: add data/intents/<language>.json for that language."
        raise ConfigError(message) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"Intent phrase file {path} is not valid JSON: {exc}"
        raise ConfigError(message) from exc
    try:
        return _build(document)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        message = f"Intent phrase file {path} is malformed: {type(exc).__name__}: {exc}"
        raise ConfigError(message) from exc


def _build(doc: dict[str, Any]) -> Phrases:
    missing = [key for key in _REQUIRED if key not in doc]
    if missing:
        raise KeyError(f"missing sections {missing}")
    raw = doc["normalise"]
    normaliser = Normaliser(dict(raw["emoji"]), {k.lower(): v.lower() for k, v in raw["spelling"].items()}, PhraseTable())
    normaliser = Normaliser(normaliser.emoji, normaliser.spelling, _rewrites(raw["rewrites"], normaliser))

    def table(items: Iterable[str] | Mapping[str, Any], value: Any = 1) -> PhraseTable:
        pairs = items.items() if isinstance(items, Mapping) else ((item, value) for item in items)
        return PhraseTable.of((tuple(words(text, normaliser)), val) for text, val in pairs)

    def wordset(items: Iterable[str]) -> frozenset[str]:
        return frozenset(word for item in items for word in words(item, normaliser)) | frozenset(i.lower() for i in items)

    unknown = set(doc["intents"]) - set(SCORED_INTENTS)
    if unknown:
        raise ValueError(f"unknown intents {sorted(unknown)}")
    skills, days, jd = doc["skills"], doc["days"], doc["job_description"]
    phrases = Phrases(
        language=str(doc.get("language", "en")),
        normaliser=normaliser,
        stopwords=wordset(raw["stopwords"]),
        common_words=wordset(raw["common_words"]),
        intents={name: table(spec["phrases"]) for name, spec in doc["intents"].items()},
        patterns={name: tuple((re.compile(p), float(w)) for p, w in spec.get("patterns", {}).items()) for name, spec in doc["intents"].items()},
        profile={kind: table(items) for kind, items in doc["profile"].items()},
        followup=table(doc["followup"]),
        target_markers=wordset(doc["target_markers"]),
        comparison=wordset(doc["comparison"]),
        skills=SkillCues(*(wordset(skills[key]) for key in ("strong_triggers", "weak_triggers", "list_separators", "context_nouns", "english_words"))),
        role_aliases={tuple(words(alias, normaliser)): role for alias, role in doc["roles"]["aliases"].items()},
        ignored_role_labels=frozenset(" ".join(words(label, normaliser)) for label in doc["roles"]["ignore"]),
        days=DaysLexicon(table(days["phrases"]), wordset(days["prefixes"]), dict(days["units"]), frozenset(days["bare_units"]),
                         dict(days["numbers"]), wordset(days["skip"]), wordset(days["experience_words"])),
        difficulty=table({text: Difficulty(level) for level, texts in doc["difficulty"].items() for text in texts}),
        job_description=JobDescriptionSignals(table(jd["signals"]), wordset(jd["first_person"]), int(jd["min_chars"]), int(jd["long_chars"]), int(jd["threshold"])),
        questions={**doc["questions"]},
        labels={**doc["labels"]},
    )
    return _with_vocabulary(phrases)


def _rewrites(items: Mapping[str, str], normaliser: Normaliser) -> PhraseTable:
    pairs = []
    for source, target in items.items():
        key = tuple(words(source, normaliser))
        if len(key) < 2:
            raise ValueError(f"rewrite {source!r} must have two or more words (one-word changes go in 'spelling')")
        pairs.append((key, tuple(target.lower().split())))
    return PhraseTable.of(pairs)


def _with_vocabulary(phrases: Phrases) -> Phrases:
    """Every word the file knows: the router never "corrects" one of these as a typo."""
    known = set(phrases.stopwords) | set(phrases.common_words)
    tables = [*phrases.intents.values(), *phrases.profile.values(), phrases.followup, phrases.difficulty,
              phrases.days.phrases, phrases.job_description.signals]
    for table in tables:
        known.update(word for key in table.keys() for word in key)
    known.update(phrases.days.units, phrases.days.numbers, phrases.target_markers, phrases.comparison)
    cues = phrases.skills
    known.update(cues.strong_triggers | cues.weak_triggers | cues.context_nouns)
    return replace(phrases, vocabulary=frozenset(known))
