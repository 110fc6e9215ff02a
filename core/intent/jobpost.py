"""Recognising a pasted (or forwarded) job posting among chat messages, cheaply and without a model.

Evidence adds up: length, several lines and bullets, posting phrases ("requirements", "we are looking for"), several
distinct skills, the forwarded flag, and a request such as "does this job fit me". A person talking about themselves
("I'm a backend developer with 5 years of experience in ...?") loses points for first-person words and a closing
question mark, so a long question is still a question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.intent.phrases import Phrases
from core.intent.spotting import SkillSpotter

_BULLET = re.compile(r"^\s*(?:[-*•·–—▪◦‣●]|\d{1,2}[.)]\s|<li\b)", re.IGNORECASE)
MIN_WORDS = 8
MANY_SKILLS = 5
SOME_SKILLS = 3
MAX_SIGNAL_POINTS = 3
FIRST_PERSON_LIMIT = 3


class JobPostDetector:
    def __init__(self, phrases: Phrases, skills: SkillSpotter) -> None:
        self.signals = phrases.job_description
        self.request = phrases.intents.get("job_match")
        self.skills = skills

    def score(self, text: str, lows: Sequence[str], forwarded: bool) -> int:
        stripped = text.strip()
        points = 2 if forwarded else 0
        points += self._shape(stripped)
        found = {match.key for match in self.signals.signals.find(lows)}
        points += min(MAX_SIGNAL_POINTS, len(found))
        points += self._skill_points(lows)
        if self.request is not None and self.request.find(lows):
            points += 1
        if sum(word in self.signals.first_person for word in lows) >= FIRST_PERSON_LIMIT:
            points -= 2
        if stripped.endswith("?"):
            points -= 1
        return points

    def detect(self, text: str, lows: Sequence[str], forwarded: bool) -> int | None:
        """The evidence score when the text reads as a job posting, else None."""
        if len(lows) < MIN_WORDS:
            return None
        points = self.score(text, lows, forwarded)
        return points if points >= self.signals.threshold else None

    def _shape(self, text: str) -> int:
        points = 2 if len(text) >= self.signals.long_chars else 1 if len(text) >= self.signals.min_chars else 0
        lines = [line for line in text.splitlines() if line.strip()]
        if sum(bool(_BULLET.match(line)) for line in lines) >= 3:
            points += 1
        if len(lines) >= 6:
            points += 1
        return points

    def _skill_points(self, lows: Sequence[str]) -> int:
        count = self.skills.count_distinct(lows, MANY_SKILLS)
        return 2 if count >= MANY_SKILLS else 1 if count >= SOME_SKILLS else 0
