""""Unlocks": how many more postings a person would mostly match (cover >= MOSTLY_MATCH of their skills) per skill learned.

A window's most recent postings are sampled once into a `SkillSample`, a posting x skill incidence matrix shared by
every gap and roadmap question about that window. An `UnlockModel` then answers for one person with a few array
operations: how many postings each skill would tip over the line now, and after each skill they learn next.

    sample = SkillSample(skill_sets)                       # once per window (cached)
    model = UnlockModel(sample, frozenset({"Python"}), total=2_400)
    model.gain("SQL")                                      # postings SQL would bring to a mostly-match, scaled to total
    model.learn("SQL")                                     # ... and the gains after learning it
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

MOSTLY_MATCH = 0.75


class SkillSample:
    """Sampled postings as a boolean matrix (row = posting with skills, column = skill), with per-posting thresholds."""

    def __init__(self, skill_sets: Iterable[Sequence[str]]) -> None:
        columns: dict[str, int] = {}
        rows: list[list[int]] = []
        sampled = 0
        for skills in skill_sets:
            sampled += 1
            if skills:
                rows.append([columns.setdefault(skill, len(columns)) for skill in set(skills)])
        matrix = np.zeros((len(rows), len(columns)), dtype=bool)
        for row, cols in enumerate(rows):
            matrix[row, cols] = True
        self.sampled = sampled  # postings read, including those with no skills (they count towards the scale)
        self.columns = columns
        self.matrix = matrix
        # Skills a posting needs covered to be "mostly matched": ceil(0.75 x its distinct skills).
        self.threshold = np.ceil(MOSTLY_MATCH * matrix.sum(axis=1) - 1e-9).astype(np.int64)
        by_column, by_row = np.nonzero(matrix.T)
        self.rows_with = np.split(by_row, np.flatnonzero(np.diff(by_column)) + 1) if by_row.size else []

    def column(self, skill: str) -> int | None:
        return self.columns.get(skill)


class UnlockModel:
    """One person's unlocks over a sample, updated as they learn skills (each update touches only that skill's postings)."""

    def __init__(self, sample: SkillSample, have: frozenset[str], total: int) -> None:
        self._sample = sample
        known = [column for skill in have if (column := sample.column(skill)) is not None]
        self._known = np.zeros(len(sample.columns), dtype=bool)
        self._known[known] = True
        # Skills still missing before a posting is mostly matched; gains count, per skill, postings missing exactly one.
        self._need = sample.threshold - sample.matrix[:, known].sum(axis=1)
        self._gain = sample.matrix[self._need == 1].sum(axis=0)
        self._scale = total / sample.sampled if sample.sampled else 0.0

    def _count(self, skill: str) -> int:
        column = self._sample.column(skill)
        if column is None or self._known[column]:
            return 0
        return int(self._gain[column])

    def gain(self, skill: str) -> int:
        """Postings that learning `skill` next would bring to a mostly-match (scaled to the window)."""
        return round(self._count(skill) * self._scale)

    def gains(self) -> dict[str, int]:
        """Every skill with a non-zero sampled gain."""
        return {skill: self.gain(skill) for skill in self._sample.columns if self._count(skill)}

    def learn(self, skill: str) -> None:
        column = self._sample.column(skill)
        if column is None or self._known[column]:
            return
        self._known[column] = True
        rows = self._sample.rows_with[column]
        before = self._need[rows]
        self._need[rows] = before - 1
        matrix = self._sample.matrix
        self._gain = self._gain - matrix[rows[before == 1]].sum(axis=0) + matrix[rows[before == 2]].sum(axis=0)

