"""Skill extraction benchmark: quality on the labelled postings, speed against a naive spaCy baseline, memory.

    .venv/bin/python bench/extraction.py [--rss-postings N] [--corpus-size N] [--errors]

Quality is micro precision/recall/F1 over `tests/data/labelled_postings.jsonl` (technical skills and soft skills
separately). Speed compares `SkillExtractor.extract_many` with the naive baseline (`nlp.pipe` over full texts plus
one `PhraseMatcher(attr="LOWER")` over every name and alias) on the same corpus in the same run: the labelled
postings repeated to about `--corpus-size` postings, plus the SkillSpan tech postings when
`../shared/datasets/skillspan-tech-postings.jsonl` exists next to the repository (read here, never copied).
Memory is the resident set size before and after extracting `--rss-postings` postings, each made unique so that
any growth of spaCy's StringStore would show.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.skills.extractor import SkillExtractor  # noqa: E402
from core.skills.taxonomy import Taxonomy  # noqa: E402

LABELLED = REPO / "tests" / "data" / "labelled_postings.jsonl"
SKILLSPAN = REPO.parent / "shared" / "datasets" / "skillspan-tech-postings.jsonl"


class NaiveExtractor:
    """The baseline: spaCy's tokenizer over whole texts and one LOWER PhraseMatcher over all forms."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.nlp = spacy.blank("en")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for entry in taxonomy:
            self.matcher.add(entry.name, [self.nlp.make_doc(form) for form in entry.surface_forms])

    def extract_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[list[str]]:
        strings = self.nlp.vocab.strings
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield sorted({strings[match_id] for match_id, _, _ in self.matcher(doc)})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scores(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for found, gold in pairs:
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def quality(extractor: SkillExtractor, naive: NaiveExtractor, rows: list[dict], show_errors: bool) -> list[tuple]:
    results = [extractor.extract(row["text"], title=row["title"]) for row in rows]
    technical = [(set(r.names), set(row["skills"])) for r, row in zip(results, rows)]
    soft = [(set(r.soft_names), set(row["soft_skills"])) for r, row in zip(results, rows)]
    taxonomy = extractor.taxonomy
    naive_names = naive.extract_many(f"{row['title']}\n{row['text']}" for row in rows)
    naive_technical = [
        ({name for name in names if not taxonomy.get(name).is_soft}, set(row["skills"]))
        for names, row in zip(naive_names, rows)
    ]
    if show_errors:
        for row, (found, gold) in zip(rows, technical):
            if found != gold:
                print(f"{row['id']}: missed {sorted(gold - found)} extra {sorted(found - gold)}")
    return [
        ("technical skills", *scores(technical)),
        ("soft skills", *scores(soft)),
        ("technical, naive baseline", *scores(naive_technical)),
    ]


def build_corpus(rows: list[dict], size: int) -> list[tuple[str, str]]:
    postings = [(row["text"], row["title"]) for row in rows]
    if SKILLSPAN.exists():
        postings += [(row["text"], row["title"]) for row in read_jsonl(SKILLSPAN)]
    repeats = max(1, size // len(postings))
    return postings * repeats


def throughput(
    extractor: SkillExtractor, naive: NaiveExtractor, corpus: list[tuple[str, str]], rounds: int
) -> tuple[float, float]:
    """Postings per second, best of `rounds` interleaved runs each (other processes share the machine)."""
    fast = slow = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in extractor.extract_many((text, title, ()) for text, title in corpus):
            pass
        fast = max(fast, len(corpus) / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in naive.extract_many(f"{title}\n{text}" for text, title in corpus):
            pass
        slow = max(slow, len(corpus) / (time.perf_counter() - started))
    return fast, slow


def latency(extractor: SkillExtractor, rows: list[dict], rounds: int = 5) -> tuple[float, float]:
    timings = []
    for row in rows * rounds:
        started = time.perf_counter()
        extractor.extract(row["text"], title=row["title"])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def memory(extractor: SkillExtractor, corpus: list[tuple[str, str]], count: int) -> tuple[float, float, int, int]:
    strings_before, before = extractor.vocabulary_size, rss_mib()
    unique = (
        (f"{text}\nReference {index}: ticket zq{index}x, owner user{index * 7919}.", title, ())
        for index, (text, title) in enumerate(itertools.islice(itertools.cycle(corpus), count))
    )
    step = max(1, count // 10)
    for index, _ in enumerate(extractor.extract_many(unique), start=1):
        if index % step == 0:
            print(f"  rss: {index:>7} postings, {rss_mib():7.1f} MiB", file=sys.stderr, flush=True)
    return before, rss_mib(), strings_before, extractor.vocabulary_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rss-postings", type=int, default=100_000, help="postings for the memory check (0 skips it)")
    parser.add_argument("--corpus-size", type=int, default=5_000, help="postings in the throughput corpus")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved timing rounds; the best counts")
    parser.add_argument("--errors", action="store_true", help="list each posting's missed and extra skills")
    args = parser.parse_args()

    started = time.perf_counter()
    taxonomy = Taxonomy.load()
    extractor = SkillExtractor(taxonomy)
    build_seconds = time.perf_counter() - started
    naive = NaiveExtractor(taxonomy)
    rows = read_jsonl(LABELLED)
    corpus = build_corpus(rows, args.corpus_size)
    mean_kb = statistics.mean(len(text.encode()) for text, _ in corpus) / 1024

    print(f"taxonomy: {len(taxonomy)} skills (version {taxonomy.version}); extractor built in {build_seconds:.2f} s")
    print(f"labelled postings: {len(rows)}; throughput corpus: {len(corpus)} postings, mean {mean_kb:.1f} KB"
          f"{' (incl. SkillSpan tech postings)' if SKILLSPAN.exists() else ''}\n")
    print(f"{'quality':<28}{'precision':>10}{'recall':>10}{'F1':>8}{'TP':>7}{'FP':>6}{'FN':>6}")
    for name, precision, recall, f1, tp, fp, fn in quality(extractor, naive, rows, args.errors):
        print(f"{name:<28}{precision:>10.3f}{recall:>10.3f}{f1:>8.3f}{tp:>7}{fp:>6}{fn:>6}")

    fast, slow = throughput(extractor, naive, corpus, args.rounds)
    p50, p95 = latency(extractor, rows)
    print(f"\n{f'speed (best of {args.rounds})':<28}{'value':>12}")
    print(f"{'SkillExtractor':<28}{fast:>10.0f}/s")
    print(f"{'naive baseline':<28}{slow:>10.0f}/s")
    print(f"{'ratio':<28}{fast / slow:>11.1f}x")
    print(f"{'single posting p50':<28}{p50:>9.2f} ms")
    print(f"{'single posting p95':<28}{p95:>9.2f} ms")

    if args.rss_postings > 0:
        before, after, strings_before, strings_after = memory(extractor, corpus, args.rss_postings)
        print(f"\n{'memory':<28}{'value':>12}")
        print(f"{'RSS before':<28}{before:>8.1f} MiB")
        print(f"{f'RSS after {args.rss_postings} postings':<28}{after:>8.1f} MiB")
        print(f"{'StringStore size':<28}{strings_before:>8} -> {strings_after}")


if __name__ == "__main__":
    main()
