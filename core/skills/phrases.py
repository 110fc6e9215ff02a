"""The phrase table: every token sequence that names a taxonomy skill, and how strictly a match of it is checked.

Canonical names claim a sequence before aliases, and both before the spelling variants generated from them
("open-source", "virtualisation", "VNets", "contract tests"), so a variant never overrides a real name or alias.

Each sequence gets a gate. Forms that are also English words or names ("Go", "React", "Swift", "R", "C",
"Excel", ..., and the single-word forms of entries flagged `ambiguous`) are context-gated: they must be written
with the taxonomy's capitalisation and stand in a technical context (`core.skills.context`). Acronyms that are
also words ("REST", "ML") and English-led phrases of ambiguous entries ("Core Data") are case-gated: only the
capitalisation must be right. Everything else is ungated and counts wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.skills.cleaning import NEWLINE, tokenize
from core.skills.taxonomy import SkillEntry, Taxonomy

# Gates, from lenient to strict: a sequence written several ways takes the strictest of its forms.
UNGATED, CASE_GATED, CONTEXT_GATED = 0, 1, 2

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
_LOOSE_CATEGORIES = frozenset({"practice", "soft_skill"})  # ambiguous entries here are gated only in capitals
_CONCEPTS = frozenset({"practice", "data_ml", "soft_skill"})  # their names are used in the plural too
_BRITISH = (("ization", "isation"), ("izations", "isations"), ("izing", "ising"), ("ize", "ise"),
            ("eling", "elling"), ("eled", "elled"), ("center", "centre"), ("behavior", "behaviour"),
            ("analyze", "analyse"))

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrase:
    """What a token sequence names, and how sure a match of it must be before it counts."""

    entry: SkillEntry
    gate: int = UNGATED
    heads: frozenset[str] = frozenset()  # first words of the forms, spelled as the taxonomy spells them
    lower_ok: bool = False


def build_phrases(taxonomy: Taxonomy) -> dict[Key, Phrase]:
    """Token sequence (lower case) → phrase, for every name, alias and spelling variant of an ungated form."""
    claims = _claims(taxonomy)
    phrases = {key: _phrase(entry, key, forms) for key, (entry, forms) in claims.items()}
    for key, phrase in list(phrases.items()):
        if phrase.gate == UNGATED:
            for variant in _variants(key, phrase.entry, claims[key][1]):
                phrases.setdefault(variant, phrase)
    return phrases


def _claims(taxonomy: Taxonomy) -> dict[Key, tuple[SkillEntry, list[str]]]:
    """Token sequence → the entry that claims it first (names before aliases) and its forms with that sequence."""
    names = [(entry, entry.name) for entry in taxonomy]
    aliases = [(entry, alias) for entry in taxonomy for alias in entry.aliases]
    claims: dict[Key, tuple[SkillEntry, list[str]]] = {}
    for entry, form in names + aliases:
        key = _key(form)
        if key:
            owner, forms = claims.setdefault(key, (entry, []))
            if owner is entry:
                forms.append(form)
    return claims


def _key(form: str) -> Key:
    return tuple(token for token in tokenize(form.lower()) if token != NEWLINE)


def _phrase(entry: SkillEntry, key: Key, forms: list[str]) -> Phrase:
    gate = max(_gate_of(entry, form, key) for form in forms)
    if gate == UNGATED:
        return Phrase(entry)
    heads = frozenset(tokenize(form)[0] for form in forms)
    return Phrase(entry, gate, heads, lower_ok=key[0] in _LOWERCASE_OK)


def _gate_of(entry: SkillEntry, form: str, key: Key) -> int:
    """How a form must be matched: English words need context, English-led phrases the right case."""
    low = form.lower()
    if low in _CASE_ONLY_FORMS:
        return CASE_GATED
    if len(key) == 1 and low in _ENGLISH_FORMS:
        return CONTEXT_GATED
    if not entry.ambiguous or (entry.category in _LOOSE_CATEGORIES and not form.isupper()):
        return UNGATED
    if len(key) > 1:
        return CASE_GATED if key[0] in _ENGLISH_LEADS else UNGATED
    if not form.isalpha() or (form[1:] != form[1:].lower() and not form.isupper()):
        return UNGATED  # "Node.js", "Unity3D", "JuliaLang" are not English
    return CONTEXT_GATED


def _variants(key: Key, entry: SkillEntry, forms: list[str]) -> set[Key]:
    """Other ways postings write the same form: "open-source" for "Open Source", "virtualisation" for
    "Virtualization", "embedding" for "Embeddings", "VNets" for "VNet", "contract tests" for "contract testing"."""
    variants = {key}
    words = [token for token in key if token != "-"]
    if len(words) < len(key) and len(words) > 1:
        variants.add(tuple(words))
    elif 1 < len(key) <= 3 and all(token.isalpha() for token in key):
        variants.add(tuple(part for token in key for part in ("-", token))[1:])
    for american, british in _BRITISH:
        variants |= {_replace_suffix(variant, american, british) for variant in variants}
    last = key[-1]
    if last.isalpha() and (entry.category in _CONCEPTS or any(map(_ends_in_acronym, forms))):
        plural = last[:-1] if last.endswith("s") and not last.endswith("ss") and len(last) >= 5 else last + "s"
        variants |= {variant[:-1] + (plural,) for variant in variants if variant[-1] == last}
    if entry.category == "practice" and last == "testing":
        variants |= {variant[:-1] + (ending,) for variant in variants if variant[-1] == last
                     for ending in ("tests", "test")}
    variants.discard(key)
    return variants


def _ends_in_acronym(form: str) -> bool:
    """ "VNet", "Azure DevOps": the last word has capitals after its first letter."""
    words = form.split()
    return bool(words) and words[-1][1:] != words[-1][1:].lower()


def _replace_suffix(key: Key, american: str, british: str) -> Key:
    return tuple(token[: -len(american)] + british if token.endswith(american) else token for token in key)
