"""Typed, bounded tool parameters (the original product's ranges) with the descriptions the model reads."""

from __future__ import annotations

from typing import Annotated

from mcp_types import ToolAnnotations
from pydantic import Field

from core import validation

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)

SkillName = Annotated[str, Field(min_length=1, max_length=100)]

Days = Annotated[
    int,
    Field(ge=validation.DAYS[0], le=validation.DAYS[1], description="Analyse postings from the last N days (1-365). 30 is a good default; widen it when data is thin."),
]
Role = Annotated[
    str | None,
    Field(
        max_length=100,
        description=(
            "Target role, e.g. 'Data Scientist', 'Backend Developer', 'DevOps Engineer' (aliases such as 'ml engineer' "
            "or 'sre' work; the careernav://roles resource lists them). Omit to use the signed-in caller's first target role."
        ),
    ),
]
Skills = Annotated[
    list[SkillName] | None,
    Field(
        max_length=100,
        description=(
            "The person's current skills, e.g. ['Python', 'SQL', 'k8s'] (aliases and any letter case work). "
            "Omit to use the signed-in caller's profile skills."
        ),
    ),
]
Threshold = Annotated[
    float,
    Field(
        ge=validation.THRESHOLD[0],
        le=validation.THRESHOLD[1],
        description="A skill counts as required when at least this share of the role's postings mention it (0.1-1.0, default 0.25).",
    ),
]
SkillsLimit = Annotated[int, Field(ge=validation.SKILLS_LIMIT[0], le=validation.SKILLS_LIMIT[1], description="How many top skills to return (1-50).")]
LocationsLimit = Annotated[int, Field(ge=validation.LOCATIONS_LIMIT[0], le=validation.LOCATIONS_LIMIT[1], description="How many top locations to return (1-30).")]
ProjectLimit = Annotated[int, Field(ge=validation.PROJECT_LIMIT[0], le=validation.PROJECT_LIMIT[1], description="How many projects to return (1-50).")]
SearchLimit = Annotated[int, Field(ge=validation.SEARCH_LIMIT[0], le=validation.SEARCH_LIMIT[1], description="Page size (1-100).")]
Offset = Annotated[int, Field(ge=0, le=100_000, description="How many results to skip, for paging (0 = first page).")]
