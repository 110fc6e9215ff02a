"""One language's phrase lists for the intent router (data/intents/<language>.json), checked and indexed.

Every phrase is normalised with the same function as the messages (`text.words`), so the file can be written
naturally ("what's hot") and still match what the router sees ("whats hot").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.intent.text import PhraseTable, words
from core.models import Difficulty
from core.paths import DATA_DIR, read_json

INTENTS_DIR = DATA_DIR / "intents"
SCORED_INTENTS = ("trending", "gap", "roadmap", "resources", "projects", "profile_update", "job_match", "help")
_REQUIRED = ("normalise", "intents", "profile", "followup", "target_markers", "articles", "skills", "roles", "days",
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
class RoleWords:
    """Extra ways to name roles: aliases, labels too vague to use alone, suffix variants and the plural ending."""

    aliases: Mapping[tuple[str, ...], str]
    ignored: frozenset[str]
    variants: Mapping[str, tuple[str, ...]]
    plural: str


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
    skills: SkillCues
    roles: RoleWords
    articles: frozenset[str]
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
    document = read_json(path, "Intent phrase", missing_hint="add data/intents/<language>.json for that language")
    try:
        return _build(document)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        message = f"Intent phrase file {path} is malformed: {type(exc).__name__}: {exc}"
        raise ConfigError(message) from exc


def _build(doc: dict[str, Any]) -> Phrases:
    missing = [key for key in _REQUIRED if key not in doc]
    unknown = set(doc.get("intents", {})) - set(SCORED_INTENTS)
    if missing or unknown or "default" not in doc.get("questions", {}):
        raise KeyError(f"missing sections {missing}, unknown intents {sorted(unknown)} (and questions need a 'default')")
    read = _Reader(_normaliser(doc["normalise"]))
    phrases = Phrases(
        language=str(doc.get("language", "en")),
        normaliser=read.normaliser,
        stopwords=read.wordset(doc["normalise"]["stopwords"]),
        common_words=read.wordset(doc["normalise"]["common_words"]),
        intents={name: read.table(spec["phrases"]) for name, spec in doc["intents"].items()},
        patterns={name: tuple((re.compile(p), float(w)) for p, w in spec.get("patterns", {}).items()) for name, spec in doc["intents"].items()},
        profile={kind: read.table(items) for kind, items in doc["profile"].items()},
        followup=read.table(doc["followup"]),
        target_markers=read.wordset(doc["target_markers"]),
        articles=read.wordset(doc["articles"]),
        skills=read.skill_cues(doc["skills"]),
        roles=read.role_words(doc["roles"]),
        days=read.days(doc["days"]),
        difficulty=read.table({text: Difficulty(level) for level, texts in doc["difficulty"].items() for text in texts}),
        job_description=read.job_description(doc["job_description"]),
        questions=dict(doc["questions"]),
        labels=dict(doc["labels"]),
    )
    return _with_vocabulary(phrases)


def _normaliser(section: dict[str, Any]) -> Normaliser:
    plain = Normaliser(dict(section["emoji"]), {k.lower(): v.lower() for k, v in section["spelling"].items()}, PhraseTable())
    return replace(plain, rewrites=_rewrites(section["rewrites"], plain))


@dataclass(frozen=True)
class _Reader:
    """Turns the file's phrase lists into tables and word sets, normalised like the messages."""

    normaliser: Normaliser

    def table(self, items: Iterable[str] | Mapping[str, Any], value: Any = 1) -> PhraseTable:
        pairs = items.items() if isinstance(items, Mapping) else ((item, value) for item in items)
        return PhraseTable.of((tuple(words(text, self.normaliser)), val) for text, val in pairs)

    def wordset(self, items: Iterable[str]) -> frozenset[str]:
        items = list(items)
        return frozenset(word for item in items for word in words(item, self.normaliser)) | frozenset(i.lower() for i in items)

    def skill_cues(self, section: dict[str, Any]) -> SkillCues:
        keys = ("strong_triggers", "weak_triggers", "list_separators", "context_nouns", "english_words")
        return SkillCues(*(self.wordset(section[key]) for key in keys))

    def role_words(self, section: dict[str, Any]) -> RoleWords:
        return RoleWords(
            aliases={tuple(words(alias, self.normaliser)): role for alias, role in section["aliases"].items()},
            ignored=frozenset(" ".join(words(label, self.normaliser)) for label in section.get("ignore", ())),
            variants={word.lower(): tuple(v.lower() for v in forms) for word, forms in section.get("variants", {}).items()},
            plural=str(section.get("plural", "")),
        )

    def days(self, section: dict[str, Any]) -> DaysLexicon:
        return DaysLexicon(
            self.table(section["phrases"]), self.wordset(section["prefixes"]), dict(section["units"]), frozenset(section["bare_units"]),
            dict(section["numbers"]), self.wordset(section["skip"]), self.wordset(section["experience_words"]),
        )

    def job_description(self, section: dict[str, Any]) -> JobDescriptionSignals:
        limits = (int(section[key]) for key in ("min_chars", "long_chars", "threshold"))
        return JobDescriptionSignals(self.table(section["signals"]), self.wordset(section["first_person"]), *limits)


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
    known.update(phrases.days.units, phrases.days.numbers, phrases.target_markers, phrases.articles)
    cues = phrases.skills
    known.update(cues.strong_triggers | cues.weak_triggers | cues.context_nouns)
    return replace(phrases, vocabulary=frozenset(known))
