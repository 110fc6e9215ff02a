"""PNG charts (matplotlib, Agg) for /trending and /gap. Rendering is CPU work: call `render(...)`, which runs
off the event loop. Figures are built with the object API (no pyplot state), so threads never share one."""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from pydantic import BaseModel  # noqa: E402

from core.models import GapReport, TrendingReport  # noqa: E402

R = TypeVar("R", bound=BaseModel)
CACHED_CHARTS = 128
_rendered: OrderedDict[tuple[str, str], bytes] = OrderedDict()  # touched only on the event loop
HAVE, MISSING, BAR, RISING = "#2e9e5b", "#d9534f", "#3b6fb6", "#f0ad4e"
MAX_BARS = 15
WIDTH, DPI = 8, 100


async def render(chart: Callable[[R], bytes], report: R) -> bytes:
    """Renders a chart in a worker thread; the same report's chart is drawn once (a small LRU cache)."""
    key = (chart.__name__, hashlib.sha256(report.model_dump_json(exclude={"generated_at"}).encode()).hexdigest())
    if key in _rendered:
        _rendered.move_to_end(key)
        return _rendered[key]
    png = await asyncio.to_thread(chart, report)
    _rendered[key] = png
    if len(_rendered) > CACHED_CHARTS:
        _rendered.popitem(last=False)
    return png


def clear_cache() -> None:
    """Forgets rendered charts (benchmarks measure drawing from scratch)."""
    _rendered.clear()


def trending_png(report: TrendingReport) -> bytes:
    """Horizontal bars: share of postings mentioning each top skill; rising skills highlighted."""
    rows = report.top_skills[:MAX_BARS]
    rising = {skill.skill for skill in report.rising_skills}
    title = f"Top skills — {report.role or 'all roles'}, last {report.window_days} days ({report.total_jobs_analyzed:,} postings)"
    colours = [RISING if row.skill in rising else BAR for row in rows]
    legend = [(BAR, "share of postings"), (RISING, "rising")] if rising & {row.skill for row in rows} else []
    return _bars([row.skill for row in rows], [row.percentage for row in rows], colours, title, legend)


def gap_png(report: GapReport) -> bytes:
    """Horizontal bars: each required skill's share of the role's postings, green if you have it."""
    rows = report.required_skills[:MAX_BARS]
    title = f"{report.role}: you cover {report.coverage_percentage:.0f}% of required skills"
    colours = [HAVE if row.user_has else MISSING for row in rows]
    return _bars([row.skill for row in rows], [row.required_percentage for row in rows], colours, title, [(HAVE, "you have it"), (MISSING, "missing")])


def _bars(labels: Sequence[str], values: Sequence[float], colours: Sequence[str], title: str, legend: Sequence[tuple[str, str]]) -> bytes:
    height = max(2.5, 0.42 * len(labels) + 1.2)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    FigureCanvasAgg(figure)
    # Fixed margins instead of tight_layout, which costs a full extra draw: room for the longest label.
    longest = max((len(label) for label in labels), default=0)
    figure.subplots_adjust(left=min(0.45, 0.03 + 0.0105 * longest), right=0.96, top=1 - 0.45 / height, bottom=0.2 / height)
    axes = figure.add_subplot()
    positions = range(len(labels))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(list(positions), [_plain(label) for label in labels])
    axes.invert_yaxis()
    axes.xaxis.set_visible(False)  # each bar carries its value; skipping the tick labels halves drawing time
    axes.set_xlim(0, min(100, max(values, default=0) * 1.18 + 1))
    axes.set_title(_plain(title), fontsize=11, loc="left")
    for position, value in zip(positions, values, strict=True):
        axes.text(value + 0.5, position, f"{value:.0f}% of postings" if position == 0 else f"{value:.0f}%", va="center", fontsize=8)
    if legend:
        axes.legend(handles=[Patch(facecolor=colour, label=label) for colour, label in legend], loc="lower right", fontsize=8, frameon=False)
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast zlib: a chart is ~60 KB anyway
    return buffer.getvalue()


def _plain(text: str) -> str:
    """Keeps matplotlib from reading "$...$" in data as math."""
    return text.replace("$", r"\$")
