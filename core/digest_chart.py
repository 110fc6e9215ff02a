"""The digest's chart: this week's movers for a role as a diverging bar chart (PNG, matplotlib Agg).

A chart helps when there is movement to show (`chart_helps`); it depends only on the role's market, so a
delivery run renders it once per role and period and reuses the bytes for every user of that role.
matplotlib is imported on first use (about half a second), with the object API only (no pyplot state), so
renders may run in worker threads.
"""

from __future__ import annotations

import io

from core.digest import Digest
from core.models import RisingSkill

MIN_MOVERS = 2
RISING, COOLING = "#2e9e5b", "#d9534f"


def chart_helps(digest: Digest) -> bool:
    """Enough rising and cooling skills to be worth a picture."""
    return len(digest.rising) + len(digest.falling) >= MIN_MOVERS


def chart_key(digest: Digest) -> tuple[object, ...]:
    """Digests with equal keys get the same chart."""
    movers = tuple((m.skill, m.change_points) for m in (*digest.rising, *digest.falling))
    return (digest.role, digest.period, movers)


def movers_png(digest: Digest) -> bytes:
    """Horizontal bars of the change in share (percentage points), rising in green, cooling in red."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    movers: list[RisingSkill] = sorted((*digest.rising, *digest.falling), key=lambda m: -m.change_points)
    figure = Figure(figsize=(6, max(2.0, 0.45 * len(movers) + 1.0)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(movers)))
    values = [m.change_points for m in movers]
    axes.barh(positions, values, color=[RISING if v > 0 else COOLING for v in values])
    axes.set_yticks(positions, [_plain(m.skill) for m in movers])
    axes.invert_yaxis()
    axes.axvline(0, color="#666666", linewidth=0.8)
    axes.set_xlabel("change in share of postings, this week vs last (pp)")
    axes.set_title(_plain(f"What moved this week — {digest.role or 'all roles'}"), fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _plain(text: str) -> str:
    """Keeps matplotlib from reading "$...$" in data as math."""
    return text.replace("$", r"\$")
