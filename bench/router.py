"""Intent router latency and accuracy on the message suite, against naive baselines; job-description match latency.

    .venv/bin/python bench/router.py [--repeats 20] [--match-repeats 50] [--postings 10000] [--dir bench/out]

Router: every message of tests/unit/intent_cases.py routed `--repeats` times; the first pass runs with an empty typo
cache ("cold"), the rest warm. Baselines in the same run:
- the full SkillExtractor on every message: skills only (no role, no typo fixing, no intent); its fast path is
  quicker than the whole router, which is the point of comparing: the router's extra work costs ~0.1 ms;
- a naive fuzzy matcher: resolve every 1-3 word n-gram and ask difflib (`Taxonomy.suggest`, `RoleCatalog.suggest`)
  about every unknown word, as a first typo-tolerant router would; one pass, it is slow.
Job match: `Navigator.match_job_description` on the 3 KB description in tests/data, over a demo-loaded embedded store.
Targets (issue 9): router < 5 ms per message, job-description match < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import string
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import demo_navigator, p50_p95, timings_ms  # noqa: E402
from core.intent import ChatContext, IntentRouter  # noqa: E402
from core.skills.extractor import SkillExtractor  # noqa: E402
from core.skills.roles import RoleCatalog  # noqa: E402
from core.skills.taxonomy import Taxonomy  # noqa: E402
from tests.unit.intent_cases import ALL_CASES, Case  # noqa: E402

DESCRIPTION = (REPO / "tests" / "data" / "job_description_data_engineer.txt").read_text(encoding="utf-8")


def route_ms(router: IntentRouter, cases: list[Case]) -> list[float]:
    samples = []
    for case in cases:
        context = ChatContext(forwarded=case.forwarded)
        started = time.perf_counter()
        router.route(case.text, context)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def extract_ms(extractor: SkillExtractor, cases: list[Case]) -> list[float]:
    samples = []
    for case in cases:
        started = time.perf_counter()
        extractor.extract(case.text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class NaiveFuzzyRouter:
    """The obvious way to tolerate typos: resolve every 1-3 word n-gram, and ask the taxonomy's and role catalog's
    difflib `suggest` about every word that resolves to nothing. Arguments only; it does not even score intents."""

    def __init__(self, taxonomy: Taxonomy, roles: RoleCatalog) -> None:
        self.taxonomy, self.roles = taxonomy, roles

    def route(self, text: str) -> tuple[list[str], list[str]]:
        words = text.lower().split()
        skills, roles = [], []
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                gram = " ".join(words[start : start + size])
                entry, role = self.taxonomy.resolve(gram), self.roles.find(gram)
                skills += [entry.name] if entry else []
                roles += [role.name] if role else []
        for word in words:
            if not self.taxonomy.resolve(word) and not self.roles.find(word):
                skills += self.taxonomy.suggest(word, limit=1)
                roles += self.roles.suggest(word, limit=1)
        return skills, roles


def naive_ms(naive: NaiveFuzzyRouter, cases: list[Case]) -> list[float]:
    samples = []
    for case in cases:
        started = time.perf_counter()
        naive.route(case.text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _unknown_words(texts: int = 5, words: int = 500) -> list[str]:
    """Worst case for the typo fixer: long texts of made-up words (not a posting, nothing known)."""
    rng = random.Random(7)
    return [" ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10))) for _ in range(words)) for _ in range(texts)]


def accuracy(router: IntentRouter, cases: list[Case]) -> tuple[int, int]:
    from tests.unit.test_intent_router import mismatches

    right = sum(not mismatches(case, router.route(case.text, ChatContext(forwarded=case.forwarded))) for case in cases)
    return right, len(cases)


def bench_router(repeats: int) -> None:
    taxonomy, roles = Taxonomy.load(), RoleCatalog.load()
    started = time.perf_counter()
    router = IntentRouter(taxonomy, roles)
    built = (time.perf_counter() - started) * 1000
    extractor = SkillExtractor(taxonomy)
    cold = route_ms(router, ALL_CASES)
    warm = [ms for _ in range(repeats - 1) for ms in route_ms(router, ALL_CASES)]
    extraction = [ms for _ in range(repeats) for ms in extract_ms(extractor, ALL_CASES)]
    fuzzy = naive_ms(NaiveFuzzyRouter(taxonomy, roles), ALL_CASES)
    long_text = [ms for _ in range(repeats) for ms in route_ms(router, [Case(text, "clarify") for text in _unknown_words()])]
    right, total = accuracy(router, ALL_CASES)
    print(f"Router over {total} messages x {repeats} (router built in {built:.0f} ms); accuracy {right}/{total} = {right / total:.1%}")
    print(f"  {'':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = (("router, cold (first pass)", cold), ("router, warm", warm), ("router, 4 KB of unknown words", long_text),
            ("baseline: SkillExtractor per message", extraction),
            ("baseline: naive fuzzy look-ups (1 pass)", fuzzy))
    for name, samples in rows:
        p50, p95 = p50_p95(samples)
        print(f"  {name:40} {p50:8.3f} {p95:8.3f} {max(samples):8.3f}")


async def bench_match(postings: int, repeats: int, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    nav = await demo_navigator(directory, postings)
    skills = ["Python", "SQL", "Docker", "Kubernetes"]
    started = time.perf_counter()
    report = await nav.match_job_description(DESCRIPTION, skills=skills)
    first = (time.perf_counter() - started) * 1000
    samples = await timings_ms(lambda: nav.match_job_description(DESCRIPTION, skills=skills), repeats)
    extraction = [ms for _ in range(repeats) for ms in [_timed(lambda: nav.extract_skills(DESCRIPTION))]]
    await nav.close()
    p50, p95 = p50_p95(samples)
    e50, e95 = p50_p95(extraction)
    print(f"\nJob-description match, {len(DESCRIPTION):,} chars, {postings:,} demo postings ({report.role}, {report.market_postings} in the window)")
    print(f"  first call (builds the extractor): {first:.0f} ms")
    print(f"  match_job_description: p50 {p50:.2f} ms, p95 {p95:.2f} ms over {repeats}")
    print(f"  of which skill extraction:        p50 {e50:.2f} ms, p95 {e95:.2f} ms")


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--match-repeats", type=int, default=50)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    bench_router(args.repeats)
    asyncio.run(bench_match(args.postings, args.match_repeats, args.dir))


if __name__ == "__main__":
    main()
