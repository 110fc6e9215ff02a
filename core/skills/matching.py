"""Finds the phrase table's token sequences in a posting's tokens with spaCy's `PhraseMatcher` (attr LOWER).

The fast path: a set look-up keeps only tokens that can start a match (a one-token pattern, or the first two
tokens of a longer one) plus the pattern tokens that follow them; every gap between those runs is one
placeholder. The `Doc` handed to the matcher is therefore a few dozen tokens long and built only from strings
already in the vocabulary: the StringStore never grows, memory stays flat over any number of postings, and one
finder can be shared across threads. `filter_spans` keeps the longest match ("SQL Server" over "SQL", "Spring
Boot" over "Spring").
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from core.skills.cleaning import rejoin
from core.skills.phrases import Key, Phrase
from core.skills.taxonomy import SkillEntry

_GAP = "\x00"  # stands for any run of tokens that no pattern contains


@dataclass(frozen=True, slots=True)
class Mention:
    """One match in a token list: the phrase it matched, its token range and the words as written."""

    phrase: Phrase
    start: int
    end: int
    surface: str

    @property
    def entry(self) -> SkillEntry:
        return self.phrase.entry


class PhraseFinder:
    """Matches a phrase table against token lists without ever writing to the spaCy vocabulary."""

    def __init__(self, phrases: dict[Key, Phrase]) -> None:
        self.phrases = phrases
        self._firsts = frozenset(key[0] for key in phrases)
        self._singles = frozenset(key[0] for key in phrases if len(key) == 1)
        self._pairs = frozenset(key[:2] for key in phrases if len(key) > 1)
        self._known = frozenset(token for key in phrases for token in key)
        self._longest = max((len(key) for key in phrases), default=1)
        self.nlp = spacy.blank("en")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        patterns: dict[str, list[Doc]] = {}
        for key, phrase in phrases.items():
            patterns.setdefault(phrase.entry.name, []).append(Doc(self.nlp.vocab, words=list(key)))
        for name, docs in patterns.items():
            self.matcher.add(name, docs)
        Doc(self.nlp.vocab, words=[_GAP])  # interns the placeholder before any extraction

    @property
    def vocabulary_size(self) -> int:
        """Strings interned by spaCy; constant after construction."""
        return len(self.nlp.vocab.strings)

    def find(self, tokens: list[str], lows: list[str]) -> list[Mention]:
        """The longest non-overlapping matches in `tokens` (`lows` is the same list in lower case)."""
        hits = list(compress(range(len(lows)), map(self._firsts.__contains__, lows)))
        if not hits:
            return []
        words, positions = self._windows(lows, hits)
        if not words:
            return []
        mentions: list[Mention] = []
        for span in filter_spans(self.matcher(Doc(self.nlp.vocab, words=words), as_spans=True)):
            start, end = positions[span.start], positions[span.end - 1] + 1
            surface = tokens[start] if end - start == 1 else rejoin(tokens[start:end])  # most matches are one word
            mentions.append(Mention(self.phrases[tuple(lows[start:end])], start, end, surface))
        return mentions

    def _windows(self, lows: list[str], hits: list[int]) -> tuple[list[str], list[int]]:
        """Only the tokens a match could cover: each possible first token that is a pattern by itself or
        starts a known pair, with the run of pattern tokens after it; one placeholder between runs."""
        known, singles, pairs, longest, total = self._known, self._singles, self._pairs, self._longest, len(lows)
        words: list[str] = []
        positions: list[int] = []
        covered = 0
        for start in hits:
            extends = start + 1 < total and (lows[start], lows[start + 1]) in pairs
            if not extends and lows[start] not in singles:
                continue
            if start >= covered:
                if words and start > covered:
                    words.append(_GAP)
                    positions.append(-1)
                words.append(lows[start])
                positions.append(start)
                covered = start + 1
            if extends:
                index, limit = covered, min(total, start + longest)
                while index < limit and lows[index] in known:
                    words.append(lows[index])
                    positions.append(index)
                    index += 1
                covered = max(covered, index)
        return words, positions
