"""Finds the taxonomy's skills in job postings.

How it works, and why:

* Text is cleaned (HTML tags and entities, markdown emphasis, links, URLs) and split by one regular
  expression into words and single punctuation marks; "Node.js", "C++", "C#", "R&D", ".NET", "A/B" stay
  whole, "/" and "-" otherwise split, so "Python/Django" gives two skills while "CI/CD" still matches its
  own pattern. Patterns are tokenised by the same function, so a pattern matches exactly when its tokens do.
  Each name and alias also yields spelling variants ("open-source", "virtualisation", "VNets", "contract
  tests") that never override a real name or alias.
* The fast path: a set look-up keeps only tokens that can start a match (a one-token pattern, or the first
  two tokens of a longer one) plus the pattern tokens that follow them; every gap between those runs is one
  placeholder. The spaCy `Doc` handed to the `PhraseMatcher` (attr LOWER) is therefore a few dozen tokens
  long and built only from strings already in the vocabulary: the StringStore never grows, memory stays
  flat over any number of postings, and one extractor can be shared across threads.
* `filter_spans` keeps the longest match ("SQL Server" over "SQL", "Spring Boot" over "Spring").
* Forms that are also English words or names ("Go", "React", "Swift", "R", "C", "Excel", ..., and the
  single-word forms of entries flagged `ambiguous`) must be written with the taxonomy's capitalisation and
  stand in a technical context; English-led phrases of ambiguous entries ("Core Data") need the right case.
  See `_ContextGate`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from core.skills.taxonomy import SkillEntry, Taxonomy

SOURCE_TEXT = "text"
SOURCE_TITLE = "title"
SOURCE_THEIRSTACK = "theirstack"
_SOURCE_ORDER = (SOURCE_TITLE, SOURCE_TEXT, SOURCE_THEIRSTACK)

_GAP = "\x00"  # stands for any run of tokens that no pattern contains
_NEWLINE = "\n"

# Words (keeping "node.js", "c++", "c#", "r&d" whole), ".net"-style words, "a/b"-style letter pairs, and
# single punctuation marks; "/" and "-" otherwise always split, and a line break is a token of its own.
_TOKEN = re.compile(
    r"[A-Za-z]/[A-Za-z](?![\w+#])|\w+(?:[.&]\w+)*(?:\+\+|#)?|\.(?<![\w.]\.)[A-Za-z]\w*(?:\.\w+)*|[^\w\s]|\n"
)
_HTML_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|dd|dt|hr)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*\b[^<>]*>|<!--.*?-->", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_UNDERSCORE = re.compile(r"(?<!\w)_{1,2}(?=\S)|(?<=\S)_{1,2}(?!\w)")
_MD_MARKS = ("*", "`", "~", "\u2022", "\u00b7", "\u25cf")

# Single-word forms that are also ordinary English words or names: they count only when written with the
# taxonomy's capitalisation and in a technical context, whatever the taxonomy's `ambiguous` flag says.
_ENGLISH_FORMS = frozenset(
    "go react spring swift r c rust excel node express chef puppet unity dart julia elixir ruby rails "
    "lambda shell rest spark helm make ant lean bash ember meteor backbone gatsby hugo sketch notion slack "
    "teams zoom linear vault consul nomad storm beam hive pig presto druid delta sentry kong envoy elm "
    "crystal scheme solid nest next remix ionic electron mocha chai jasmine karma cucumber compass atlas "
    "prism apex sage composer bamboo travis circle drone harness argo flux snowflake pulsar citrix dash "
    "phoenix access word glue salt maya swing apollo aurora athena bedrock packer outlook illustrator "
    "juniper relay boost detox enzyme espresso capacitor expo realm pyramid tornado flask celery leaflet "
    "bootstrap lit handlebars razor less stylus assembly racket ada groovy gleam mojo octave bun mongoose "
    "retrofit dapper gin vapor thrift fortify snort wiz cadence spice locust blender framer eclipse "
    "caddy honeycomb fedora poetry prettier grunt gulp parcel rollup yarn backstage prefect luigi ray "
    "feast shiny amplitude segment stripe workday looker domo superset iceberg parquet impala waterfall "
    "babel anaconda ruff loki spinnaker vim gatling tosca bokeh confluent pinecone polars astro koa hapi "
    "miro jaeger gerrit"
    .split()
)
# Tool names people often write in lower case ("pandas, numpy", "experience with airflow"): lower case
# is accepted for them, but only with strong technical context.
_LOWERCASE_OK = frozenset(
    "golang pandas spark airflow jest flask celery dbt yarn selenium cypress playwright puppeteer mocha "
    "chai jasmine karma flutter tornado gin rails helm maven gradle bash node express snowflake looker "
    "hive presto impala parquet iceberg prefect luigi superset poetry prettier gulp grunt rollup parcel "
    "babel ruff vim storybook bun mongoose retrofit leaflet bootstrap handlebars sentry kong envoy consul "
    "vault nomad packer ray polars bokeh gatling loki jaeger confluent pulsar terraform"
    .split()
)
# Acronyms whose capitalisation alone tells them from the word ("REST APIs" vs "the rest", "ML" vs "ml").
_CASE_ONLY_FORMS = frozenset({"rest", "ml", "ai", "ui", "ux", "qa", "safe"})
# First words of multi-word forms that are English phrases too ("core data", "after effects"): such forms of
# ambiguous entries must be written with the taxonomy's capitalisation.
_ENGLISH_LEADS = _ENGLISH_FORMS | frozenset("core great after check word".split())
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
    "ecosystem plugins plugin extensions notebooks workbooks dashboards queries query streams streaming "
    "workflows dags operators playbooks roles tasks modules environment environments syntax features "
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
_SENTENCE_ENDS = frozenset({".", "!", "?", _NEWLINE})
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


_UNGATED, _CASE_GATED, _CONTEXT_GATED = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Phrase:
    """What a token sequence names, and how sure a match of it must be before it counts."""

    entry: SkillEntry
    gate: int = _UNGATED
    heads: frozenset[str] = frozenset()  # first words of the forms, spelled as the taxonomy spells them
    lower_ok: bool = False


@dataclass(frozen=True, slots=True)
class _Mention:
    entry: SkillEntry
    start: int
    end: int
    surface: str


def clean_text(text: str) -> str:
    """Strips HTML, markdown markup, links and URLs, keeping line breaks."""
    if "<" in text:
        text = _HTML_DROP.sub(" ", text)
        text = _HTML_BLOCK.sub("\n", text)
        text = _HTML_TAG.sub(" ", text)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "://" in text or "www." in text or "@" in text:
        text = _URL.sub(" ", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if "_" in text:
        text = _MD_UNDERSCORE.sub(" ", text)
    for mark in _MD_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def tokenize(text: str) -> list[str]:
    """Words and single punctuation marks; line breaks are tokens of their own."""
    return _TOKEN.findall(text)


def _surface(tokens: Sequence[str]) -> str:
    """Rejoins tokens the way they were most likely written ("CI/CD", "Amazon Web Services")."""
    parts: list[str] = []
    for index, token in enumerate(tokens):
        glued = index == 0 or _is_mark(token) or _is_mark(tokens[index - 1])
        parts.append(token if glued else f" {token}")
    return "".join(parts)


def _is_mark(token: str) -> bool:
    return len(token) == 1 and not token.isalnum()


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token[:2] in ("19", "20")


def _is_version(token: str) -> bool:
    return bool(_VERSION.fullmatch(token)) and not _is_year(token)



class _ContextGate:
    """Decides whether a gated mention ("Go", "React", "R", ...) names the skill in its context."""

    def __init__(self, tokens: list[str], lows: list[str], found: list[tuple[_Mention, _Phrase]], is_title: bool):
        self.tokens = tokens
        self.lows = lows
        self.is_title = is_title
        self._title_case_lines: dict[int, bool] = {}
        self.plausible = [m for m, p in found if p.gate == _UNGATED or self.case_level(m, p)]
        self.starts = {m.start for m in self.plausible}
        self.ends = {m.end: m.start for m in self.plausible}
        self.title_has_role = is_title and any(low in _TECH_NOUNS for low in lows)

    def accepts(self, mention: _Mention, phrase: _Phrase) -> bool:
        """Case first, then vetoes ("go-to", "Spring 2025", "R&D"), then strong evidence (a list of skills,
        "experience with", a tech noun after, a line of its own), then weaker evidence that only counts for
        a capitalised word inside a sentence (another skill nearby, "in"/"with" before it)."""
        level = self.case_level(mention, phrase)
        if not level or self._vetoed(mention):
            return False
        if phrase.gate == _CASE_GATED:
            return True
        if self._in_named_list(mention):
            return False
        if self.is_title:
            return self.title_has_role or self._listed(mention)
        if self._strong(mention):
            return True
        if level == 1 or self._followed_by_name(mention):
            return False
        near = self._near_skill(mention)
        previous = self._previous(mention.start, 1)
        if len(mention.surface) == 1:
            return near and previous in _WEAK_PREVIOUS
        soon = self._noun_soon(mention)
        if self._at_sentence_start(mention) or self._in_title_case_line(mention.start):
            return near or soon
        return near or soon or previous in _WEAK_PREVIOUS

    def case_level(self, mention: _Mention, phrase: _Phrase) -> int:
        """2: written as the taxonomy writes it; 1: in lower case where that is common; 0: neither."""
        head = self.tokens[mention.start]
        if head in phrase.heads or any(form.islower() for form in phrase.heads):
            return 2
        if len(head) > 1 and head.isupper() and (self.is_title or self._in_title_case_line(mention.start)):
            return 2
        return 1 if phrase.lower_ok and head.islower() else 0

    # -- evidence ----------------------------------------------------------------------------

    def _strong(self, mention: _Mention) -> bool:
        return (
            self._listed(mention)
            or self._triggered(mention)
            or self._next_word(mention) in _TECH_NOUNS
            or self._alone_on_line(mention)
            or (len(mention.surface) > 1 and self._parenthesised(mention))
        )

    def _listed(self, mention: _Mention) -> bool:
        """Next to another skill across "/", ",", "(", "and", ... ("Python/Go", "(Go, Rust)")."""
        left, hops = mention.start - 1, 0
        while left >= 0 and self.lows[left] in _SEPARATORS and hops < 2:
            left, hops = left - 1, hops + 1
        if hops and left + 1 in self.ends:
            return True
        right, hops = mention.end, 0
        while right < len(self.lows) and self.lows[right] in _SEPARATORS and hops < 2:
            right, hops = right + 1, hops + 1
        return bool(hops) and right in self.starts

    def _triggered(self, mention: _Mention) -> bool:
        """After "experience with", "knowledge of", "proficient in", "using", "such as", ..."""
        first, second = self._previous(mention.start, 1), self._previous(mention.start, 2)
        if first in _DIRECT_TRIGGERS:
            return True
        return first in _TRIGGER_LINKS and second in _TRIGGER_WORDS

    def _parenthesised(self, mention: _Mention) -> bool:
        return self._previous(mention.start, 1) == "(" and self._token(mention.end) in (")", ",")

    def _alone_on_line(self, mention: _Mention) -> bool:
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

    def _near_skill(self, mention: _Mention, window: int = 8) -> bool:
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

    def _noun_soon(self, mention: _Mention, window: int = 4) -> bool:
        for index in range(mention.end, min(mention.end + window, len(self.lows))):
            if self._is_sentence_end(index):
                return False
            if self.lows[index] in _TECH_NOUNS:
                return True
        return False

    # -- vetoes --------------------------------------------------------------------------------

    def _vetoed(self, mention: _Mention) -> bool:
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

    def _in_named_list(self, mention: _Mention) -> bool:
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

    def _followed_by_name(self, mention: _Mention) -> bool:
        """ "Ruby Chen", "Rust Belt", "Unity Catalog": a capitalised word that is not a tech word."""
        if self.is_title or mention.end >= len(self.tokens) or self._in_title_case_line(mention.start):
            return False
        word = self.tokens[mention.end]
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            return False
        return mention.end not in self.starts and word.lower() not in _TECH_NOUNS

    # -- positions -------------------------------------------------------------------------------

    def _token(self, index: int) -> str:
        return self.lows[index] if 0 <= index < len(self.lows) else _NEWLINE

    def _next_word(self, mention: _Mention) -> str:
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

    def _at_sentence_start(self, mention: _Mention) -> bool:
        previous = mention.start - 1
        if previous < 0 or self._is_sentence_end(previous):
            return True
        return self.lows[previous] in _BULLETS and (previous == 0 or self._is_sentence_end(previous - 1))

    def _line_bounds(self, index: int) -> tuple[int, int]:
        start = index
        while start > 0 and self.lows[start - 1] != _NEWLINE:
            start -= 1
        end = index
        while end < len(self.lows) and self.lows[end] != _NEWLINE:
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


class _Collector:
    """Accumulates mentions into one record per canonical skill, in order of first occurrence."""

    def __init__(self) -> None:
        self._records: dict[str, tuple[SkillEntry, set[str], list[str], list[int]]] = {}

    def add(self, entry: SkillEntry, source: str, surface: str | None = None) -> None:
        record = self._records.get(entry.name)
        if record is None:
            record = self._records[entry.name] = (entry, set(), [], [0])
        record[1].add(source)
        if surface is not None:
            record[3][0] += 1
            if surface not in record[2]:
                record[2].append(surface)

    def result(self, parents: dict[str, tuple[str, ...]]) -> Extraction:
        skills: list[ExtractedSkill] = []
        soft: list[ExtractedSkill] = []
        for entry, sources, spans, count in self._records.values():
            ordered = tuple(source for source in _SOURCE_ORDER if source in sources)
            found = ExtractedSkill(entry.name, entry.category, ordered, tuple(spans), count[0])
            (soft if entry.is_soft else skills).append(found)
        implied: list[str] = []
        for skill in skills:
            for parent in parents.get(skill.name, ()):
                if parent not in self._records and parent not in implied:
                    implied.append(parent)
        return Extraction(skills=skills, soft_skills=soft, implied=implied)


class SkillExtractor:
    """Finds taxonomy skills in posting text and titles and merges TheirStack technology slugs.

    Build one per process and share it: extraction never writes to the spaCy vocabulary.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.nlp = spacy.blank("en")
        self._phrases = _build_phrases(taxonomy)
        self._firsts = frozenset(key[0] for key in self._phrases)
        self._singles = frozenset(key[0] for key in self._phrases if len(key) == 1)
        self._pairs = frozenset(key[:2] for key in self._phrases if len(key) > 1)
        self._known = frozenset(token for key in self._phrases for token in key)
        self._parents = {entry.name: tuple(taxonomy.parents_of(entry.name)) for entry in taxonomy}
        self._longest = max((len(key) for key in self._phrases), default=1)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        patterns: dict[str, list[Doc]] = {}
        for key, phrase in self._phrases.items():
            patterns.setdefault(phrase.entry.name, []).append(Doc(self.nlp.vocab, words=list(key)))
        for name, docs in patterns.items():
            self.matcher.add(name, docs)
        Doc(self.nlp.vocab, words=[_GAP])  # interns the placeholder before any extraction

    @property
    def vocabulary_size(self) -> int:
        """Strings interned by spaCy; constant after construction."""
        return len(self.nlp.vocab.strings)

    def extract(self, text: str, title: str = "", slugs: Sequence[str] = ()) -> Extraction:
        collector = _Collector()
        if title:
            for mention in self._mentions(title, is_title=True):
                collector.add(mention.entry, SOURCE_TITLE, mention.surface)
        if text:
            for mention in self._mentions(text, is_title=False):
                collector.add(mention.entry, SOURCE_TEXT, mention.surface)
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
            text, title, slugs = (tuple(item) + ("", ()))[:3]
            yield self.extract(text or "", title or "", slugs or ())

    def _mentions(self, text: str, is_title: bool) -> list[_Mention]:
        tokens = _TOKEN.findall(clean_text(text))
        lows = list(map(str.lower, tokens))
        hits = list(compress(range(len(lows)), map(self._firsts.__contains__, lows)))
        if not hits:
            return []
        words, positions = self._windows(lows, hits)
        if not words:
            return []
        spans = filter_spans(self.matcher(Doc(self.nlp.vocab, words=words), as_spans=True))
        found: list[tuple[_Mention, _Phrase]] = []
        for span in spans:
            start, end = positions[span.start], positions[span.end - 1] + 1
            phrase = self._phrases[tuple(lows[start:end])]
            surface = tokens[start] if end - start == 1 else _surface(tokens[start:end])
            found.append((_Mention(phrase.entry, start, end, surface), phrase))
        if all(phrase.gate == _UNGATED for _, phrase in found):
            return [mention for mention, _ in found]
        gate = _ContextGate(tokens, lows, found, is_title)
        return [m for m, p in found if p.gate == _UNGATED or gate.accepts(m, p)]

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


def _build_phrases(taxonomy: Taxonomy) -> dict[tuple[str, ...], _Phrase]:
    """Token sequence → phrase. Canonical names claim a sequence before aliases, and both before the
    spelling variants (hyphens, British spellings, plurals) generated from them."""
    claims: dict[tuple[str, ...], tuple[SkillEntry, list[str]]] = {}
    ordered = [(entry, entry.name) for entry in taxonomy]
    ordered += [(entry, alias) for entry in taxonomy for alias in entry.aliases]
    for entry, form in ordered:
        key = _key(form)
        if key:
            claimed = claims.setdefault(key, (entry, []))
            if claimed[0] is entry:
                claimed[1].append(form)
    phrases = {key: _phrase(entry, key, forms) for key, (entry, forms) in claims.items()}
    for key, phrase in list(phrases.items()):
        if phrase.gate == _UNGATED:
            for variant in _variants(key, phrase.entry, claims[key][1]):
                phrases.setdefault(variant, phrase)
    return phrases


def _key(form: str) -> tuple[str, ...]:
    return tuple(token for token in tokenize(form.lower()) if token != _NEWLINE)


def _phrase(entry: SkillEntry, key: tuple[str, ...], forms: list[str]) -> _Phrase:
    gate = max(_gate_of(entry, form, key) for form in forms)
    if gate == _UNGATED:
        return _Phrase(entry)
    heads = frozenset(tokenize(form)[0] for form in forms)
    return _Phrase(entry, gate, heads, lower_ok=key[0] in _LOWERCASE_OK)


def _gate_of(entry: SkillEntry, form: str, key: tuple[str, ...]) -> int:
    """How a form must be matched: English words need context, English-led phrases the right case."""
    low = form.lower()
    if low in _CASE_ONLY_FORMS:
        return _CASE_GATED
    if len(key) == 1 and low in _ENGLISH_FORMS:
        return _CONTEXT_GATED
    if not entry.ambiguous or entry.category in ("practice", "soft_skill") and not form.isupper():
        return _UNGATED
    if len(key) > 1:
        return _CASE_GATED if key[0] in _ENGLISH_LEADS else _UNGATED
    if not form.isalpha() or (form[1:] != form[1:].lower() and not form.isupper()):
        return _UNGATED  # "Node.js", "Unity3D", "JuliaLang" are not English
    return _CONTEXT_GATED


_BRITISH = (("ization", "isation"), ("izations", "isations"), ("izing", "ising"), ("ize", "ise"),
            ("eling", "elling"), ("eled", "elled"), ("center", "centre"), ("behavior", "behaviour"),
            ("analyze", "analyse"))
_CONCEPTS = frozenset({"practice", "data_ml", "soft_skill"})


def _variants(key: tuple[str, ...], entry: SkillEntry, forms: list[str]) -> set[tuple[str, ...]]:
    """Other ways postings write the same form: "open-source" for "Open Source", "virtualisation" for
    "Virtualization", "embedding" for "Embeddings", "VNets" for "VNet", "contract tests" for "contract testing"."""
    variants = {key}
    words = [token for token in key if token != "-"]
    if len(words) < len(key) and len(words) > 1:
        variants.add(tuple(words))
    elif 1 < len(key) <= 3 and all(token.isalpha() for token in key):
        variants.add(tuple(part for token in key for part in ("-", token))[1:])
    for american, british in _BRITISH:
        variants |= {_replace_suffix(v, american, british) for v in variants}
    last = key[-1]
    acronym = any(form.split()[-1][1:] != form.split()[-1][1:].lower() for form in forms if form.split())
    if last.isalpha() and (entry.category in _CONCEPTS or acronym):
        plural = last[:-1] if last.endswith("s") and not last.endswith("ss") and len(last) >= 5 else last + "s"
        variants |= {v[:-1] + (plural,) for v in variants if v[-1] == last}
    if entry.category == "practice" and last == "testing":
        variants |= {v[:-1] + (ending,) for v in variants if v[-1] == last for ending in ("tests", "test")}
    variants.discard(key)
    return variants


def _replace_suffix(key: tuple[str, ...], american: str, british: str) -> tuple[str, ...]:
    return tuple(token[: -len(american)] + british if token.endswith(american) else token for token in key)
