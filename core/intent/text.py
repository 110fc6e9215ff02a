"""Chat text → the router's words, and phrase tables that find word sequences in them.

Normalisation (the same for messages and for the phrase files): Unicode NFKC, emoji replaced by words, apostrophes
dropped ("what's" → "whats"), split into words that keep "c++", "c#", "node.js", ".net" and "ci/cd" whole when the
caller says so, lower-cased, one-word spellings fixed ("devs" → "developers"), multi-word rewrites applied
("back end" → "backend"). The original spelling of each word is kept beside it, because "Go" and "go" differ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.intent.phrases import Normaliser

_WORD = re.compile(r"\w[\w+#]*(?:[./]\w[\w+#]*)*|\.\w+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_COMPOUND_SPLIT = re.compile(r"[./]")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    key: tuple[str, ...]
    value: Any


class PhraseTable:
    """Word sequences → values, found anywhere in a list of words (indexed by first word)."""

    def __init__(self, entries: Mapping[tuple[str, ...], Any] | None = None) -> None:
        self._entries = {key: value for key, value in (entries or {}).items() if key}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self._entries, key=len, reverse=True):
            self._by_first.setdefault(key[0], []).append(key)

    @classmethod
    def of(cls, pairs: Iterable[tuple[tuple[str, ...], Any]]) -> PhraseTable:
        return cls(dict(pairs))

    def keys(self) -> Iterable[tuple[str, ...]]:
        return self._entries.keys()

    def get(self, key: tuple[str, ...]) -> Any:
        return self._entries.get(key)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, lows: Sequence[str]) -> list[Match]:
        """Every occurrence of every phrase, overlapping ones included."""
        found = []
        for start, word in enumerate(lows):
            for key in self._by_first.get(word, ()):
                if tuple(lows[start : start + len(key)]) == key:
                    found.append(Match(start, start + len(key), key, self._entries[key]))
        return found

    def longest(self, lows: Sequence[str]) -> list[Match]:
        """Non-overlapping occurrences, left to right, the longest phrase at each position."""
        found, start = [], 0
        while start < len(lows):
            match = self._at(lows, start)
            if match is None:
                start += 1
                continue
            found.append(match)
            start = match.end
        return found

    def _at(self, lows: Sequence[str], start: int) -> Match | None:
        for key in self._by_first.get(lows[start], ()):
            if tuple(lows[start : start + len(key)]) == key:
                return Match(start, start + len(key), key, self._entries[key])
        return None


@dataclass(frozen=True, slots=True)
class Tokens:
    """A message's words: `lows` for matching, `origs` as written (same length)."""

    lows: tuple[str, ...]
    origs: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.lows)


def clean(text: str, emoji: Mapping[str, str]) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    for symbol, word in emoji.items():
        if symbol in text:
            text = text.replace(symbol, f" {word} ")
    return _APOSTROPHES.sub("", text)


def tokenize(text: str, normaliser: Normaliser, keep: Callable[[str], bool] | None = None) -> Tokens:
    """Normalised words of `text`; compound words ("python/django") are split unless `keep` says otherwise."""
    pairs: list[tuple[str, str]] = []
    for raw in _WORD.findall(clean(text, normaliser.emoji)):
        for orig in _split(raw, keep):
            low = orig.lower()
            fixed = normaliser.spelling.get(low)
            if fixed is None:
                pairs.append((low, orig))
            else:
                pairs.extend((word, word if fixed != low else orig) for word in fixed.split())
    return _rewrite(pairs, normaliser.rewrites)


def words(text: str, normaliser: Normaliser) -> list[str]:
    return list(tokenize(text, normaliser).lows)


def _split(raw: str, keep: Callable[[str], bool] | None) -> list[str]:
    """"node.js" and ".net" stay whole when `keep` knows them; "python/django" becomes two words."""
    if "." not in raw and "/" not in raw:
        return [raw]
    if keep is not None and keep(raw):
        return [raw]
    return [part for part in _COMPOUND_SPLIT.split(raw) if part]


def _rewrite(pairs: list[tuple[str, str]], rewrites: PhraseTable) -> Tokens:
    if not len(rewrites):
        return Tokens(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))
    lows = [p[0] for p in pairs]
    out: list[tuple[str, str]] = []
    start = 0
    for match in rewrites.longest(lows):
        out.extend(pairs[start : match.start])
        out.extend((word, word) for word in match.value)
        start = match.end
    out.extend(pairs[start:])
    return Tokens(tuple(p[0] for p in out), tuple(p[1] for p in out))
