"""Trending and gap latency on the embedded store at 1k, 10k and 100k postings (cache cleared before each call).

Analytics read daily rollups, so latency should depend on days x distinct skills, not on the number of postings:
the 100k/1k ratio is the figure that matters on a noisy machine (target <= 3x; p95 at 100k <= 50 ms).

    .venv/bin/python bench/analytics.py [--sizes 1000,10000,100000] [--repeats 50] [--dir bench/out]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import demo_navigator, p50_p95, timings_ms  # noqa: E402


async def measure(size: int, repeats: int, directory: Path) -> dict[str, tuple[float, float]]:
    started = time.perf_counter()
    nav = await demo_navigator(directory, size)
    print(f"  {size:>7,} postings ready in {time.perf_counter() - started:.1f} s", flush=True)
    clear = nav.cache.clear  # measure the computation, not the cache
    calls = {
        "trending (all, 30d)": lambda: nav.trending(days=30),
        "trending (role, 90d)": lambda: nav.trending(days=90, role="Data Engineer"),
        "gap (Data Scientist)": lambda: nav.skill_gap("Data Scientist", ["Python", "SQL"]),
        "roadmap (Backend)": lambda: nav.roadmap("Backend Developer", ["Python"]),
        "trending (cached)": lambda: nav.trending(days=30),
    }
    results = {}
    for name, call in calls.items():
        await call()  # warm the page cache
        samples = await timings_ms(call, repeats, before=clear if "cached" not in name else (lambda: None))
        results[name] = p50_p95(samples)
    await nav.close()
    return results


def report(sizes: list[int], results: dict[int, dict[str, tuple[float, float]]]) -> None:
    names = list(results[sizes[0]])
    header = f"{'call':<22}" + "".join(f"{f'{s:,} p50/p95 ms':>22}" for s in sizes) + f"{'p95 ratio ' + f'{sizes[-1] // 1000}k/{sizes[0] // 1000}k':>20}"
    print("\n" + header)
    for name in names:
        row = f"{name:<22}" + "".join(f"{results[s][name][0]:>12.2f} / {results[s][name][1]:<7.2f}" for s in sizes)
        ratio = results[sizes[-1]][name][1] / max(results[sizes[0]][name][1], 1e-6)
        print(row + f"{ratio:>18.2f}x")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Analytics latency on the embedded SQLite store ({args.repeats} calls each, cache cleared per call)")
    results = {size: await measure(size, args.repeats, args.dir) for size in sizes}
    report(sizes, results)


if __name__ == "__main__":
    asyncio.run(main())
