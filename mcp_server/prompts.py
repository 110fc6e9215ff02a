"""Prompts: a career-coach walk-through that chains profile → gap → roadmap → projects."""

from __future__ import annotations

from typing import Annotated

from fastmcp import FastMCP
from pydantic import Field


def register(server: FastMCP) -> None:
    @server.prompt
    def career_coach(
        role: Annotated[str | None, Field(description="Target role, e.g. 'Data Scientist'. Omit to take it from the profile.")] = None,
        skills: Annotated[str | None, Field(description="Current skills, comma-separated. Omit to take them from the profile.")] = None,
    ) -> str:
        """Coach a person toward a target role with live job-market evidence: profile, gap, roadmap, projects."""
        return coach_script(role, skills)


def coach_script(role: str | None, skills: str | None) -> str:
    if role or skills:
        known = f"The person targets {role or '(ask them which role)'} and has these skills: {skills or '(ask them)'}."
        step_one = f"1. Profile: {known} If they have a Career Navigator token, get_profile fills any gaps."
    else:
        step_one = "1. Profile: call get_profile. If it says a token is needed, ask for their target role and current skills instead."
    return "\n".join(
        [
            "You are a career coach. Ground every claim in Career Navigator's numbers from real job postings; never invent figures.",
            step_one,
            "2. Gap: call skill_gap with the role and skills. Report coverage_percentage, the missing skills with their "
            "required_percentage, and next_skill with next_skill_unlocks. If the tool says there is too little data, retry with the wider days it suggests; "
            "if the role is unknown, offer the close matches it lists.",
            "3. Roadmap: call learning_roadmap for the role. Present the missing skill_paths in order, each with its priority_score, "
            "unlocks_postings and one or two of its resources (prefer free ones).",
            "4. Projects: call recommend_projects with the skills and role. Suggest two or three projects that close the top gaps, "
            "with skill_match_percentage and missing_skills.",
            "Finish with a concrete four-week plan (one focus skill and one project milestone per week) and offer to save new skills with update_profile.",
        ]
    )
