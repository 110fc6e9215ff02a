"""Decides whether a match of a gated form ("Go", "React", "Swift", "R", "Spring", ...) names the skill.

Forms that are also English words count only from the words around them: case first (the taxonomy's
capitalisation, or lower case for tools commonly written so), then vetoes ("go-to", "Spring 2025", "Rust Belt",
"a dog called Go"), then strong evidence (a list of skills, "experience with", a tech noun after, a line of its
own), then weaker evidence that only counts for a capitalised word inside a sentence (another skill nearby,
"in"/"with" before it). Case-gated forms ("REST", "Core Data") need only the case and no veto. Which forms are
gated, and how, is decided when the phrase table is built (`core.skills.phrases`).
"""

from __future__ import annotations

import re

from core.skills.cleaning import NEWLINE
from core.skills.matching import Mention
from core.skills.phrases import CASE_GATED, UNGATED

_TECH_NOUNS = frozenset(
    "developer developers development dev devs engineer engineers engineering programmer programmers "
    "programming program code coding codebase codebases service services microservices application "
    "applications app apps framework frameworks library libraries language languages sdk sdks module "
    "modules stack backend frontend components component hooks runtime ecosystem experience "
    "skills skill expertise knowledge proficiency project projects api apis version versions compiler "
    "toolchain server servers script scripts scripting cookbooks cookbook recipes manifests packages "
    "package crates crate tooling web mvc security cloud data batch integration bindings concurrency "
    "generics goroutines channels idioms game games engine editor 3d 2d shaders ui native router "
    "state testing tests spreadsheets spreadsheet macros formulas pivot vlookup models modelling modeling "
    "charts chart pipelines pipeline jobs cluster clusters functions middleware routes templates "
    "lead architect architecture expert specialist consultant contractor internals platform platforms "
    "plugins plugin extensions notebooks workbooks dashboards queries query streams streaming "
    "workflows dags operators playbooks roles tasks environment environments syntax features "
    "interop ffi async tokio cargo gin echo fiber"
    .split()
)
_SEPARATORS = frozenset({"/", ",", "|", "+", "&", "(", ")", ";", "and", "or", "&amp;", "\\", "[", "]"})
_TRIGGER_WORDS = frozenset(
    "experience experienced knowledge proficient proficiency expertise expert familiarity familiar "
    "background skills skilled fluent fluency written programming coding code developing develop work "
    "working built build building years exposure competence competency comfortable strong solid "
    "languages language stack technologies tools frameworks libraries must including include includes "
    "such ideally preferably plus bonus like integrate integrating integration integrations"
    .split()
)
_TRIGGER_LINKS = frozenset({"with", "in", "of", "using", "as", ":", "on", "-", "–", "like", "e.g", "i.e"})
_DIRECT_TRIGGERS = frozenset(
    "using use uses used via including incl e.g i.e idiomatic embedded modern production native "
    "typed leverage leveraging"
    .split()
)
_WEAK_PREVIOUS = frozenset({"in", "with", "on", "and", "or", "of", "for"})
_SENTENCE_ENDS = frozenset({".", "!", "?", NEWLINE})
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "incl", "vs", "approx", "esp"})
_VERSION = re.compile(r"v?\d{1,2}(?:\.\d+)*x?")
_BULLETS = frozenset({"-", "*", "+", "•", "·", "–", "—", ">", "o", "▪", "◦", "‣", "●"})
_HYPHEN_VETO = frozenset({"to", "level", "levels", "suite", "corp", "store", "proof", "belt", "style"})
_PREVIOUS_VETO = {
    "c": frozenset("series plan vitamin grade type class round level tier section part appendix option "
                   "exhibit schedule form block team row column".split()),
    "r": frozenset("section part form grade type class".split()),
    "chef": frozenset("head sous pastry executive private".split()),
    "spring": frozenset("this next last early late mid".split()),
    "go": frozenset("let will can must should lets".split()),
    "ruby": frozenset({"mrs", "ms", "mr", "dr"}),
    "julia": frozenset({"mrs", "ms", "mr", "dr"}),
}
_NEXT_VETO = {
    "go": frozenset("to ahead beyond above live through back out over forward far get the a an extra "
                    "deeper deep further well hand wrong".split()),
    "react": frozenset("to quickly fast appropriately calmly accordingly swiftly promptly".split()),
    "swift": frozenset("delivery response action turnaround resolution execution adoption pace decision "
                       "decisions progress growth".split()),
    "rust": frozenset("belt removal proof".split()),
    "excel": frozenset("at in as when within under".split()),
    "spring": frozenset("semester term break season cleaning internship intake cohort summer".split()),
    "express": frozenset("interest yourself your ideas concerns opinions themselves written our their "
                         "delivery shipping".split()),
    "unity": frozenset("of among between".split()),
    "ui": frozenset("test tests testing kit kits thread automation".split()),
}
# Words before a list of capitalised words that make them names, not skills ("pets named Swift and Rust").
_NAMING_WORDS = frozenset({"named", "called", "nicknamed", "dubbed"})


def confirmed(tokens: list[str], lows: list[str], mentions: list[Mention], is_title: bool) -> list[Mention]:
    """The mentions that name their skill: every ungated one, and the gated ones their context confirms."""
    if all(mention.phrase.gate == UNGATED for mention in mentions):
        return mentions
    gate = ContextGate(tokens, lows, mentions, is_title)
    return [mention for mention in mentions if mention.phrase.gate == UNGATED or gate.accepts(mention)]


class ContextGate:
    """Judges the gated mentions of one token list (a title or a text) against their surroundings."""

    def __init__(self, tokens: list[str], lows: list[str], mentions: list[Mention], is_title: bool) -> None:
        self.tokens = tokens
        self.lows = lows
        self.is_title = is_title
        self._title_case_lines: dict[int, bool] = {}
        self.plausible = [m for m in mentions if m.phrase.gate == UNGATED or self.case_level(m)]
        self.starts = {m.start for m in self.plausible}
        self.ends = {m.end: m.start for m in self.plausible}
        self.title_has_role = is_title and any(low in _TECH_NOUNS for low in lows)

    def accepts(self, mention: Mention) -> bool:
        """Case, then vetoes, then strong evidence, then weaker evidence (see the module docstring)."""
        level = self.case_level(mention)
        if not level or self._vetoed(mention):
            return False
        if mention.phrase.gate == CASE_GATED:
            return True
        if self._in_named_list(mention):
            return False
        if self.is_title:
            return self.title_has_role or self._listed(mention)
        if self._strong(mention):
            return True
        if level == 1 or self._followed_by_name(mention):
            return False
        return self._weak(mention)

    def case_level(self, mention: Mention) -> int:
        """2: written as the taxonomy writes it; 1: in lower case where that is common; 0: neither."""
        heads = mention.phrase.heads
        head = self.tokens[mention.start]
        if head in heads or any(form.islower() for form in heads):
            return 2
        if len(head) > 1 and head.isupper() and (self.is_title or self._in_title_case_line(mention.start)):
            return 2
        return 1 if mention.phrase.lower_ok and head.islower() else 0

    # -- evidence ----------------------------------------------------------------------------

    def _strong(self, mention: Mention) -> bool:
        return (
            self._listed(mention)
            or self._triggered(mention)
            or self._next_word(mention) in _TECH_NOUNS
            or self._alone_on_line(mention)
            or (len(mention.surface) > 1 and self._parenthesised(mention))
        )

    def _weak(self, mention: Mention) -> bool:
        """Another skill nearby, a tech noun soon after, or a weak preposition before."""
        near = self._near_skill(mention)
        previous = self._previous(mention.start, 1)
        if len(mention.surface) == 1:
            return near and previous in _WEAK_PREVIOUS
        soon = self._noun_soon(mention)
        if self._at_sentence_start(mention) or self._in_title_case_line(mention.start):
            return near or soon
        return near or soon or previous in _WEAK_PREVIOUS

    def _listed(self, mention: Mention) -> bool:
        """Next to another skill across "/", ",", "(", "and", ... ("Python/Go", "(Go, Rust)")."""
        left = self._past_separators(mention.start - 1, -1)
        if left != mention.start - 1 and left + 1 in self.ends:
            return True
        right = self._past_separators(mention.end, 1)
        return right != mention.end and right in self.starts

    def _past_separators(self, index: int, step: int) -> int:
        """Where a walk from `index` by `step` stops after at most two separators."""
        for _ in range(2):
            if self._token(index) not in _SEPARATORS:
                break
            index += step
        return index

    def _triggered(self, mention: Mention) -> bool:
        """After "experience with", "knowledge of", "proficient in", "using", "such as", ..."""
        first, second = self._previous(mention.start, 1), self._previous(mention.start, 2)
        if first in _DIRECT_TRIGGERS:
            return True
        return first in _TRIGGER_LINKS and second in _TRIGGER_WORDS

    def _parenthesised(self, mention: Mention) -> bool:
        return self._previous(mention.start, 1) == "(" and self._token(mention.end) in (")", ",")

    def _alone_on_line(self, mention: Mention) -> bool:
        """A list line holding just the skill: "- Go", "☞ Rust (a little)", "Python 3.12"."""
        start, end = self._line_bounds(mention.start)
        depth = 0
        for index in range(start, end):
            low = self.lows[index]
            depth += (low == "(") - (low == ")")
            if depth or mention.start <= index < mention.end or _is_version(low):
                continue
            if any(char.isalnum() for char in low):
                return False
        return True

    def _near_skill(self, mention: Mention, window: int = 8) -> bool:
        for other in self.plausible:
            if other.start == mention.start or other.entry.is_soft:
                continue
            if other.end <= mention.start and mention.start - other.end <= window:
                if not self._sentence_break(other.end, mention.start):
                    return True
            elif other.start >= mention.end and other.start - mention.end <= window:
                if not self._sentence_break(mention.end, other.start):
                    return True
        return False

    def _noun_soon(self, mention: Mention, window: int = 4) -> bool:
        for index in range(mention.end, min(mention.end + window, len(self.lows))):
            if self._is_sentence_end(index):
                return False
            if self.lows[index] in _TECH_NOUNS:
                return True
        return False

    # -- vetoes --------------------------------------------------------------------------------

    def _vetoed(self, mention: Mention) -> bool:
        key = mention.surface.lower()
        following = self._token(mention.end)
        if _is_year(following) or following in _NEXT_VETO.get(key, ()):
            return True
        if following == "-" and self._token(mention.end + 1) in _HYPHEN_VETO:
            return True
        previous = self._previous(mention.start, 1)
        if previous in _PREVIOUS_VETO.get(key, ()):
            return True
        return key == "go" and previous == "the" and self._previous(mention.start, 2) == "on"

    def _in_named_list(self, mention: Mention) -> bool:
        """ "a dog called Go", "pets named Swift, Rust and Ruby": walks left over the list to its head."""
        index = mention.start - 1
        while index >= 0:
            if self.lows[index] in _SEPARATORS:
                index -= 1
            elif index + 1 in self.ends:
                index = self.ends[index + 1] - 1
            else:
                break
        return self._token(index) in _NAMING_WORDS

    def _followed_by_name(self, mention: Mention) -> bool:
        """ "Ruby Chen", "Rust Belt", "Unity Catalog": a capitalised word that is not a tech word."""
        if self.is_title or mention.end >= len(self.tokens) or self._in_title_case_line(mention.start):
            return False
        word = self.tokens[mention.end]
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            return False
        return mention.end not in self.starts and word.lower() not in _TECH_NOUNS

    # -- positions -------------------------------------------------------------------------------

    def _token(self, index: int) -> str:
        return self.lows[index] if 0 <= index < len(self.lows) else NEWLINE

    def _next_word(self, mention: Mention) -> str:
        following = self._token(mention.end)
        return self._token(mention.end + 1) if _is_version(following) else following

    def _previous(self, start: int, distance: int) -> str:
        return self._token(start - distance)

    def _is_sentence_end(self, index: int) -> bool:
        low = self._token(index)
        if low == ".":
            return self._token(index - 1) not in _ABBREVIATIONS
        return low in _SENTENCE_ENDS

    def _sentence_break(self, start: int, end: int) -> bool:
        return any(self._is_sentence_end(index) for index in range(start, end))

    def _at_sentence_start(self, mention: Mention) -> bool:
        previous = mention.start - 1
        if previous < 0 or self._is_sentence_end(previous):
            return True
        return self.lows[previous] in _BULLETS and (previous == 0 or self._is_sentence_end(previous - 1))

    def _line_bounds(self, index: int) -> tuple[int, int]:
        start = index
        while start > 0 and self.lows[start - 1] != NEWLINE:
            start -= 1
        end = index
        while end < len(self.lows) and self.lows[end] != NEWLINE:
            end += 1
        return start, end

    def _in_title_case_line(self, index: int) -> bool:
        """Headings and titles capitalise every word, so there a capital letter proves nothing."""
        start, end = self._line_bounds(index)
        if start not in self._title_case_lines:
            words = [t for t in self.tokens[start:end] if len(t) > 3 and t.isalpha()]
            capitalised = sum(1 for word in words if word[0].isupper())
            self._title_case_lines[start] = len(words) >= 2 and capitalised >= 0.75 * len(words)
        return self._title_case_lines[start]


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token[:2] in ("19", "20")


def _is_version(token: str) -> bool:
    return bool(_VERSION.fullmatch(token)) and not _is_year(token)
