"""Finding a message's arguments: roles (role catalog + phrase-file aliases), skills (taxonomy), days, difficulty.

Skills that are also ordinary words ("go", "spring", "excel", "R") count only in a skill slot: after a verb such as
"learn"/"know"/"add", in a list with another skill, or written with the taxonomy's capitalisation mid-sentence.
Typos are corrected against a small vocabulary (role words and intent words) and, in a skill slot, against
one-word skill names with the same first letter — never against words the phrase file knows.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.errors import ConfigError
from core.intent.phrases import Phrases
from core.intent.text import PhraseTable, Tokens
from core.models import Difficulty
from core.skills.roles import Role, RoleCatalog
from core.skills.taxonomy import SkillEntry, Taxonomy, normalise_key

MAX_SKILL_WORDS = 3
ROLE_TYPO_CUTOFF = 0.85
SKILL_TYPO_CUTOFF = 0.8
MIN_TYPO_LENGTH = 5
MAX_TYPO_WORDS = 12
DAYS_BOUNDS = (1, 365)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    value: object

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class RoleSpotter:
    """Role mentions: every catalog name, key and alias (and plural) plus the phrase file's extra aliases."""

    def __init__(self, roles: RoleCatalog, phrases: Phrases) -> None:
        words = phrases.roles
        labels: dict[tuple[str, ...], Role] = {}
        for role in roles:
            for label in (role.name, role.key.replace("_", " "), *role.aliases):
                for key in _label_forms(tuple(phrases.words(label)), words.variants, words.plural):
                    labels.setdefault(key, role)
        for key, name in words.aliases.items():
            role = roles.find(name)
            if role is None:
                message = f"Intent phrase file ({phrases.language}) names an unknown role {name!r}."
                raise ConfigError(message)
            labels[key] = role
        for key in [key for key in labels if " ".join(key) in words.ignored]:
            del labels[key]
        self.table = PhraseTable(labels)
        self.words = frozenset(word for key in labels for word in key)

    def spans(self, lows: Sequence[str]) -> list[Span]:
        return [Span(m.start, m.end, m.value) for m in self.table.longest(lows)]


def _label_forms(key: tuple[str, ...], variants: Mapping[str, tuple[str, ...]], plural: str) -> list[tuple[str, ...]]:
    """A label, its plural ("data engineers") and its field names ("cloud engineering")."""
    head, last = key[:-1], key[-1]
    forms = [key, (*head, last + plural)] if plural and not last.endswith(plural) else [key]
    forms += [(*head, variant) for variant in variants.get(last, ()) if head]
    return forms


class SkillSpotter:
    """Skill mentions through the taxonomy's names and aliases, one to three words long."""

    def __init__(self, taxonomy: Taxonomy, phrases: Phrases) -> None:
        self.taxonomy = taxonomy
        self.cues = phrases.skills
        self.stopwords = phrases.stopwords
        self.vocabulary = phrases.vocabulary
        self._index: dict[str, SkillEntry] = {}
        for entry in taxonomy:  # canonical names claim a key before any alias, as in the taxonomy
            self._index.setdefault(normalise_key(entry.name), entry)
        for entry in taxonomy:
            for alias in entry.aliases:
                self._index.setdefault(normalise_key(alias), entry)
        self._typo_targets = Nearby((k for k, e in self._index.items() if k.isalpha() and len(k) >= MIN_TYPO_LENGTH - 1 and not e.ambiguous), SKILL_TYPO_CUTOFF)
        self.single_words = frozenset(key for key in self._index if key.isalnum())

    def keeps(self, word: str) -> bool:
        """Whether a compound word ("ci/cd", "node.js", ".net") names a skill as written."""
        return normalise_key(word) in self._index

    def lookup(self, words: Sequence[str]) -> SkillEntry | None:
        entry = self._index.get(_key(words))
        if entry is None and len(words) == 1 and any(ch.isdigit() for ch in words[0]):
            entry = self.taxonomy.resolve(words[0])  # "python3", "java 17"
        return entry

    def spans(self, tokens: Tokens) -> list[Span]:
        candidates = self._candidates(tokens.lows)
        accepted = [span for span in candidates if self._clear(span, tokens)]
        for span in candidates:  # an ambiguous word in a list with an accepted skill ("java, spring and docker")
            if span not in accepted and self._listed_with(span, accepted, tokens.lows):
                accepted.append(span)
        accepted += self._typos(tokens.lows, [*candidates, *accepted])
        return sorted(accepted, key=lambda span: span.start)

    def count_distinct(self, lows: Sequence[str], enough: int) -> int:
        """Distinct unambiguous skills named by one or two words (fast; used to recognise job descriptions)."""
        seen: set[str] = set()
        for index, word in enumerate(lows):
            for size in (2, 1):
                entry = self._index.get(_key(lows[index : index + size]))
                if entry is not None and not entry.ambiguous and not entry.is_soft and word not in self.stopwords:
                    seen.add(entry.name)
                    break
            if len(seen) >= enough:
                break
        return len(seen)

    def _candidates(self, lows: Sequence[str]) -> list[Span]:
        spans: list[Span] = []
        start = 0
        while start < len(lows):
            span = self._longest_at(lows, start)
            if span is None:
                start += 1
                continue
            spans.append(span)
            start = span.end
        return spans

    def _longest_at(self, lows: Sequence[str], start: int) -> Span | None:
        for size in range(min(MAX_SKILL_WORDS, len(lows) - start), 0, -1):
            words = lows[start : start + size]
            if words[0] in self.stopwords or words[-1] in self.stopwords:
                continue
            entry = self.lookup(words)
            if entry is not None:
                return Span(start, start + size, entry)
        return None

    def _clear(self, span: Span, tokens: Tokens) -> bool:
        """Unambiguous, or ambiguous but in a skill slot."""
        entry: SkillEntry = span.value  # type: ignore[assignment]
        if span.end - span.start > 1:
            return True
        low, orig = tokens.lows[span.start], tokens.origs[span.start]
        english = low in self.cues.english_words or len(low) == 1
        if not english:
            return not entry.ambiguous or low not in self.vocabulary
        if len(low) == 1:
            return orig == entry.name and self._triggered(tokens.lows, span.start, self.cues.strong_triggers | self.cues.weak_triggers)
        written_as_name = span.start > 0 and orig == entry.name and orig != low
        return written_as_name or self._triggered(tokens.lows, span.start, self.cues.strong_triggers) or self._before_noun(tokens.lows, span.end)

    def _triggered(self, lows: Sequence[str], start: int, triggers: frozenset[str]) -> bool:
        return any(word in triggers for word in lows[max(0, start - 2) : start])

    def _before_noun(self, lows: Sequence[str], end: int) -> bool:
        return end < len(lows) and lows[end] in self.cues.context_nouns

    def _listed_with(self, span: Span, accepted: list[Span], lows: Sequence[str]) -> bool:
        separators = self.cues.list_separators | {","}
        for other in accepted:
            between = lows[other.end : span.start] if other.end <= span.start else lows[span.end : other.start]
            if 0 < len(between) <= 1 and between[0] in separators or not between and other.end == span.start:
                return True
        return False

    def _typos(self, lows: Sequence[str], taken: list[Span]) -> list[Span]:
        found = []
        covered = {i for span in taken for i in range(span.start, span.end)}
        for index, word in enumerate(lows):
            if index in covered or not self._typo_candidate(word) or not self._in_slot(lows, index):
                continue
            entry = self._typo_target(word)
            if entry is not None:
                found.append(Span(index, index + 1, entry))
        return found

    def _typo_candidate(self, word: str) -> bool:
        return len(word) >= MIN_TYPO_LENGTH and word.isalpha() and word not in self.vocabulary and word not in self.single_words

    def _in_slot(self, lows: Sequence[str], index: int) -> bool:
        before = lows[index - 1] if index else ""
        triggers = self.cues.strong_triggers | self.cues.weak_triggers | self.cues.list_separators
        return before in triggers or self._before_noun(lows, index + 1)

    def _typo_target(self, word: str) -> SkillEntry | None:
        key = self._typo_targets.closest(word)
        return self._index[key] if key else None


_KEY_DROPS = str.maketrans("", "", "._- \t")


def _key(words: Sequence[str]) -> str:
    """`normalise_key` for words that are already lower case (str.translate: no regex on the hot path)."""
    return "".join(words).translate(_KEY_DROPS)


class Nearby:
    """Words by first letter and length, so a typo is compared only with words it could be `cutoff`-close to."""

    def __init__(self, words: Iterable[str], cutoff: float) -> None:
        self.cutoff = cutoff
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for word in sorted(set(words)):
            self._by_shape.setdefault((word[0], len(word)), []).append(word)

    def closest(self, word: str) -> str | None:
        # difflib's ratio is at most 2*min(a, b)/(a + b), which bounds how far the lengths can differ
        spread = int(2 * len(word) * (1 - self.cutoff) / self.cutoff)
        lengths = range(max(1, len(word) - spread), len(word) + spread + 1)
        candidates = [c for length in lengths for c in self._by_shape.get((word[0], length), ())]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=self.cutoff)
        return close[0] if close else None


class TypoFixer:
    """Corrects words nobody knows to the nearest role or intent word ("scienist" → "scientist")."""

    def __init__(self, phrases: Phrases, roles: RoleSpotter, skills: SkillSpotter) -> None:
        targets = (word for word in roles.words | phrases.vocabulary if len(word) >= MIN_TYPO_LENGTH and word.isalpha())
        self._targets = Nearby(targets, ROLE_TYPO_CUTOFF)
        self._known = phrases.vocabulary | roles.words | skills.single_words
        self.fix = lru_cache(maxsize=4096)(self._fix)

    def apply(self, tokens: Tokens) -> Tokens:
        """The words with typos fixed; only the first MAX_TYPO_WORDS unknown words are tried (gibberish stays cheap)."""
        lows, tried = list(tokens.lows), 0
        for index, word in enumerate(lows):
            if tried < MAX_TYPO_WORDS and self._unknown(word):
                tried += 1
                lows[index] = self.fix(word)
        return tokens if tried == 0 else Tokens(tuple(lows), tokens.origs)

    def _unknown(self, word: str) -> bool:
        return len(word) >= MIN_TYPO_LENGTH and word not in self._known and word.isalpha()

    def _fix(self, word: str) -> str:
        return self._targets.closest(word) or word


def parse_days(lows: Sequence[str], phrases: Phrases) -> int | None:
    """A window in days from "this month", "last 90 days", "past two weeks", "3 months" (clamped to 1..365)."""
    lexicon = phrases.days
    for match in lexicon.phrases.longest(lows):
        return int(match.value)
    for index, word in enumerate(lows):
        days = _days_at(lows, index, word in lexicon.prefixes, phrases)
        if days is not None:
            return max(DAYS_BOUNDS[0], min(DAYS_BOUNDS[1], days))
    return None


def _days_at(lows: Sequence[str], index: int, prefixed: bool, phrases: Phrases) -> int | None:
    lexicon = phrases.days
    position = index + 1 if prefixed else index
    while prefixed and position < len(lows) and lows[position] in lexicon.skip:
        position += 1
    count = _number(lows[position], lexicon.numbers) if position < len(lows) else None
    if count is None and prefixed:
        unit = lows[position] if position < len(lows) else ""
        return lexicon.units.get(unit)
    unit = lows[position + 1] if count is not None and position + 1 < len(lows) else ""
    if count is None or unit not in lexicon.units:
        return None
    following = lows[position + 2] if position + 2 < len(lows) else ""
    if not prefixed and (unit not in lexicon.bare_units or following in lexicon.experience_words):
        return None
    return count * lexicon.units[unit]


def _number(word: str, words: Mapping[str, int]) -> int | None:
    digits = word.rstrip("+")
    if digits.isdigit() and 0 < int(digits) < 10_000:
        return int(digits)
    return words.get(word)


def parse_difficulty(lows: Sequence[str], table: PhraseTable) -> Difficulty | None:
    found = table.longest(lows)
    return found[0].value if found else None
