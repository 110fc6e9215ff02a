"""Turns posting text into the tokens the skill matcher sees.

`clean_text` strips HTML (tags, entities, scripts and styles), markdown markup (links, headings, emphasis,
bullets), URLs and e-mail addresses, keeping line breaks. `tokenize` splits text by one regular expression into
words and single punctuation marks: "Node.js", "C++", "C#", "R&D", ".NET", "A/B" stay whole, "/" and "-"
otherwise split (so "Python/Django" gives two skills while "CI/CD" still matches its own pattern), and a line
break is a token of its own. Taxonomy forms are tokenised by the same function, so a form matches exactly when
its tokens do.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

NEWLINE = "\n"

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


def clean_text(text: str) -> str:
    """Strips HTML, markdown markup, links and URLs, keeping line breaks."""
    # Each substitution runs only when its tell-tale character is present: most postings need few of them.
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


def rejoin(tokens: Sequence[str]) -> str:
    """Rejoins tokens the way they were most likely written ("CI/CD", "Amazon Web Services")."""
    text = tokens[0]
    for previous, token in zip(tokens, tokens[1:]):
        text += token if _is_mark(token) or _is_mark(previous) else f" {token}"
    return text


def _is_mark(token: str) -> bool:
    return len(token) == 1 and not token.isalnum()
