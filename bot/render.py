"""HTML building blocks for Telegram messages: escaping, links, human numbers and splitting under 4,096.

Every user- or data-supplied string goes through `esc` (or `link`), so a name like "<b>Eve</b>" shows as
typed. Messages are built line by line; `split_messages` cuts at line boundaries and, for a single overlong
line, at spaces — closing any open tag before a cut and reopening it after, so every part stays valid HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^<&\s]+|[<&]")
_OPEN_TAG = re.compile(r"<([a-zA-Z][\w-]*)")
_CUT_MARGIN = 120  # room for the closing and reopening tags around a cut


def esc(value: object) -> str:
    """Escapes text for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


def clip(text: object, limit: int = 120) -> str:
    """Shortens a string for display, marking the cut with an ellipsis."""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def bold(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def italic(text: object) -> str:
    return f"<i>{esc(text)}</i>"


def code(text: object) -> str:
    return f"<code>{esc(text)}</code>"


def link(title: object, url: str | None) -> str:
    """A link when the URL is http(s); otherwise the escaped title alone."""
    label = esc(clip(title, 90))
    if not url or not url.startswith(("http://", "https://")):
        return label
    return f'<a href="{html.escape(url, quote=True)}">{label}</a>'


def number(value: float) -> str:
    """1234 -> "1,234"."""
    return f"{round(value):,}"


def pct(value: float) -> str:
    """Percentages: whole numbers from 10 up, one decimal below ("45%", "7.5%")."""
    return f"{value:.0f}%" if abs(value) >= 10 else f"{value:.1f}%"


def points(value: float) -> str:
    """A change in percentage points with its sign ("+3.2 pp")."""
    return f"{value:+.1f} pp"


def money(value: float) -> str:
    """US dollars, rounded for reading: $950, $145k, $1.2M."""
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:.0f}"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    return f"{number(count)} {noun if count == 1 else plural_noun or noun + 's'}"


def joined(items: Iterable[object], limit: int = 40, empty: str = "—") -> str:
    """An escaped, comma-separated list, shortened to `limit` items ("and 12 more")."""
    values = [clip(item, 60) for item in items]
    if not values:
        return empty
    shown = ", ".join(esc(value) for value in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def split_messages(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Splits HTML into messages of at most `limit` characters, at line boundaries where possible."""
    parts: list[str] = []
    current = ""
    for line in text.strip("\n").split("\n"):
        if len(line) > limit:  # its pieces become messages of their own; the last may take the next lines
            *whole, last = _split_line(line, limit)
            if whole and current and len(current) + 1 + len(whole[0]) <= limit:
                whole[0], current = f"{current}\n{whole[0]}", ""
            parts.extend(part for part in (current, *whole) if part.strip())
            current = last
            continue
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            parts.append(current)
        current = line
    if current.strip():
        parts.append(current)
    return parts or [""]


def _split_line(line: str, limit: int) -> list[str]:
    """Cuts one overlong line at spaces (or anywhere, for endless words), keeping tags balanced."""
    budget = max(limit - _CUT_MARGIN, 1)
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag) of the tags open at this point
    for token in _tokens(line, budget):
        if size + len(token) > budget and current:
            pieces.append("".join(current) + "".join(f"</{name}>" for name, _ in reversed(stack)))
            current = [opening for _, opening in stack]
            size = sum(len(part) for part in current)
            if token.isspace():
                continue
        current.append(token)
        size += len(token)
        _track(token, stack)
    if current:
        pieces.append("".join(current))
    return pieces


def _tokens(line: str, budget: int) -> Iterable[str]:
    for match in _TOKEN.finditer(line):
        token = match.group(0)
        if len(token) <= budget or token.startswith("<"):
            yield token
        else:
            yield from (token[i : i + budget] for i in range(0, len(token), budget))


def _track(token: str, stack: list[tuple[str, str]]) -> None:
    if token.startswith("</"):
        if stack:
            stack.pop()
    elif token.startswith("<") and (opened := _OPEN_TAG.match(token)):
        stack.append((opened.group(1), token))
