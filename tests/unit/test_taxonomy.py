"""Taxonomy loading, look-ups and the resolution of a person's free-text skills."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.skills.taxonomy import DEFAULT_PATH, SkillEntry, Taxonomy

CANONICAL = Path(__file__).resolve().parents[2] / "data" / "CANONICAL.txt"


def entry(name: str, category: str = "language", *aliases: str, parent: str | None = None, **kw) -> SkillEntry:
    return SkillEntry(name, category, tuple(aliases), kw.get("slugs", ()), parent, kw.get("ambiguous", False))


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.from_entries(
        [
            entry("Python", "language", "py", "python3", slugs=("python",)),
            entry("Java", "language", slugs=("java",)),
            entry("JavaScript", "language", "JS", "ECMAScript"),
            entry("Go", "language", "Golang", ambiguous=True),
            entry("React", "framework", "ReactJS", "React.js", ambiguous=True),
            entry("Node.js", "framework", "Node", "NodeJS"),
            entry("Django", "framework", parent="Python"),
            entry("Spring", "framework", "Spring Framework", parent="Java", ambiguous=True),
            entry("Spring Boot", "framework", parent="Spring", slugs=("spring-boot",)),
            entry("AWS", "cloud", "Amazon Web Services", slugs=("amazon-web-services", "aws")),
            entry("Google Cloud", "cloud", "GCP", "Google Cloud Platform"),
            entry("Kubernetes", "devops", "k8s"),
            entry("PostgreSQL", "database", "Postgres"),
            entry("Communication", "soft_skill"),
        ]
    )


def write_taxonomy(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "skills.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def skill_row(name: str, category: str = "language", **extra: object) -> dict[str, object]:
    return {"name": name, "category": category, "aliases": [], "slugs": [], "parent": None, "ambiguous": False} | extra


# -- loading ---------------------------------------------------------------------------------------


def test_load_reads_entries_from_a_taxonomy_file(tmp_path: Path) -> None:
    rows = [skill_row("Python", aliases=["py"], slugs=["python"]), skill_row("Django", "framework", parent="Python")]
    path = write_taxonomy(tmp_path, {"version": 1, "categories": ["language", "framework"], "skills": rows})

    loaded = Taxonomy.load(path)

    assert len(loaded) == 2
    assert loaded.get("django") == SkillEntry("Django", "framework", (), (), "Python", False)
    assert loaded.by_slug("python").name == "Python"


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ({"version": 1}, "'skills' list"),
        ([1, 2], "'skills' list"),
        ({"skills": ["Python"]}, "must be an object"),
        ({"skills": [skill_row("")]}, "non-empty 'name'"),
        ({"categories": ["language"], "skills": [skill_row("Docker", "devops")]}, "unknown category 'devops'"),
        ({"skills": [skill_row("Python", aliases="py")]}, "'aliases' must be a list of strings"),
        ({"skills": [skill_row("Python"), skill_row("python")]}, "twice"),
        ({"skills": [skill_row("Django", parent="Pyhton")]}, "unknown parent 'Pyhton'"),
        ({"skills": [skill_row("Django", parent=3)]}, "'parent' that is not a string"),
    ],
)
def test_malformed_taxonomy_file_raises_config_error_naming_the_problem(
    tmp_path: Path, document: object, fragment: str
) -> None:
    path = write_taxonomy(tmp_path, document)

    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        Taxonomy.load(path)


def test_missing_taxonomy_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        Taxonomy.load(tmp_path / "absent.json")


def test_default_taxonomy_is_loaded_once_per_process() -> None:
    assert Taxonomy.load() is Taxonomy.load()


def test_default_taxonomy_file_has_over_a_thousand_skills_in_known_categories() -> None:
    document = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    loaded = Taxonomy.load()

    assert len(loaded) >= 1000
    assert set(loaded.categories) <= set(document["categories"])
    assert {"language", "framework", "database", "cloud", "devops", "data_ml", "practice", "soft_skill"} <= set(
        loaded.categories
    )


def test_default_taxonomy_contains_every_shared_canonical_name_and_alias() -> None:
    loaded = Taxonomy.load()
    missing = []
    for line in CANONICAL.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, name, aliases = line.split("|")
        if loaded.get(name) is None or loaded.get(name).name != name:
            missing.append(name)
        missing += [alias for alias in aliases.split(",") if alias and loaded.resolve(alias) != loaded.get(name)]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("TS", "TypeScript"),
        ("GCP", "Google Cloud"),
        ("sklearn", "scikit-learn"),
        ("Postgres", "PostgreSQL"),
        ("golang", "Go"),
        ("Amazon Web Services", "AWS"),
        ("Apache Kafka", "Kafka"),
        ("Microsoft SQL Server", "SQL Server"),
        ("python3", "Python"),
        ("ReactJS", "React"),
        ("AWS cloud", "AWS"),
        ("Java", "Java"),
    ],
)
def test_default_taxonomy_resolves_common_aliases(text: str, expected: str) -> None:
    assert Taxonomy.load().resolve(text).name == expected


def test_default_taxonomy_flags_english_word_skills_as_ambiguous() -> None:
    loaded = Taxonomy.load()

    flagged = {name for name in ("Go", "R", "C", "Swift", "Rust", "Spring", "React") if loaded.get(name).ambiguous}

    assert flagged == {"Go", "R", "C", "Swift", "Rust", "Spring", "React"}


# -- look-ups -------------------------------------------------------------------------------------


def test_get_matches_canonical_names_ignoring_case_but_not_aliases(taxonomy: Taxonomy) -> None:
    assert taxonomy.get("POSTGRESQL").name == "PostgreSQL"
    assert taxonomy.get("Postgres") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python3", "Python"),
        ("Python 3.11", "Python"),
        ("  PYTHON  ", "Python"),
        ("ReactJS", "React"),
        ("react.js", "React"),
        ("React 18", "React"),
        ("AWS cloud", "AWS"),
        ("amazon web services", "AWS"),
        ("Google Cloud", "Google Cloud"),
        ("k8s", "Kubernetes"),
        ("K8S", "Kubernetes"),
        ("golang", "Go"),
        ("Go lang", "Go"),
        ("node js", "Node.js"),
        ("Node-JS", "Node.js"),
        ("spring boot 3", "Spring Boot"),
        ("Java", "Java"),
        ("java 17", "Java"),
        ("javascript", "JavaScript"),
    ],
)
def test_resolve_maps_free_text_to_canonical_skill(taxonomy: Taxonomy, text: str, expected: str) -> None:
    assert taxonomy.resolve(text).name == expected


@pytest.mark.parametrize("text", ["", "   ", "Jav", "Pyton", "cooking", "Java Beans"])
def test_resolve_returns_none_for_text_that_names_no_skill(taxonomy: Taxonomy, text: str) -> None:
    assert taxonomy.resolve(text) is None


def test_java_never_resolves_to_javascript(taxonomy: Taxonomy) -> None:
    assert [taxonomy.resolve(text).name for text in ("Java", "JAVA", "java8", "Java 17")] == ["Java"] * 4


def test_suggest_offers_close_canonical_names(taxonomy: Taxonomy) -> None:
    assert taxonomy.suggest("Pyton")[0] == "Python"
    assert taxonomy.suggest("Kubernets")[0] == "Kubernetes"
    assert taxonomy.suggest("Postgre")[0] == "PostgreSQL"


def test_suggest_respects_the_limit_and_returns_nothing_for_gibberish(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.suggest("Jav", limit=1)) == 1
    assert taxonomy.suggest("qqqqqqzz") == []
    assert taxonomy.suggest("python", limit=0) == []


def test_normalise_skills_splits_known_from_unknown_with_suggestions(taxonomy: Taxonomy) -> None:
    result = taxonomy.normalise_skills(["python3", "ReactJS", "AWS cloud", "Pyton", "Python", "", "k8s"])

    assert result.known == ["Python", "React", "AWS", "Kubernetes"]
    assert list(result.unknown) == ["Pyton"]
    assert result.unknown["Pyton"][0] == "Python"


def test_by_slug_finds_skills_by_any_of_their_theirstack_slugs(taxonomy: Taxonomy) -> None:
    assert taxonomy.by_slug("amazon-web-services").name == "AWS"
    assert taxonomy.by_slug("aws").name == "AWS"
    assert taxonomy.by_slug("no-such-slug") is None


def test_category_of_names_the_category_or_none(taxonomy: Taxonomy) -> None:
    assert taxonomy.category_of("kubernetes") == "devops"
    assert taxonomy.category_of("Cooking") is None


def test_parents_of_follows_implied_skills_transitively(taxonomy: Taxonomy) -> None:
    assert taxonomy.parents_of("Spring Boot") == ["Spring", "Java"]
    assert taxonomy.parents_of("Django") == ["Python"]
    assert taxonomy.parents_of("Python") == []
    assert taxonomy.parents_of("Unknown") == []


def test_parents_of_stops_on_a_cycle() -> None:
    cyclic = Taxonomy.from_entries([entry("A", parent="B"), entry("B", parent="C"), entry("C", parent="A")])

    assert cyclic.parents_of("A") == ["B", "C"]


def test_taxonomy_iterates_counts_and_answers_membership(taxonomy: Taxonomy) -> None:
    assert len(taxonomy) == 14
    assert [skill.name for skill in taxonomy][:2] == ["Python", "Java"]
    assert "python" in taxonomy
    assert taxonomy.get("Go") in taxonomy
    assert "Golang" not in taxonomy
    assert 3 not in taxonomy


def test_soft_skill_entries_say_they_are_soft(taxonomy: Taxonomy) -> None:
    assert taxonomy.get("Communication").is_soft
    assert not taxonomy.get("Python").is_soft


def test_version_is_a_short_hash_that_changes_with_content() -> None:
    first = Taxonomy.from_entries([entry("Python", "language", "py")])
    same = Taxonomy.from_entries([entry("Python", "language", "py")])
    changed = Taxonomy.from_entries([entry("Python", "language", "py", "python3")])

    assert first.version == same.version
    assert first.version != changed.version
    assert len(first.version) == 12
