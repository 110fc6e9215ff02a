"""Resources: the skills taxonomy, the role catalog and a market snapshot, as JSON an assistant can read."""

from __future__ import annotations

from typing import Any

from fastmcp import FastMCP

from core.service import Navigator

SKILLS_URI = "careernav://skills"
ROLES_URI = "careernav://roles"
SNAPSHOT_URI = "careernav://market/snapshot"
JSON = "application/json"


def register(server: FastMCP, nav: Navigator) -> None:
    @server.resource(SKILLS_URI, name="skills_taxonomy", mime_type=JSON)
    def skills_taxonomy() -> dict[str, Any]:
        """Every skill Career Navigator recognises: canonical name, category, aliases and parent skill.

        Use the canonical names when passing skills to tools (aliases work too).
        """
        entries = [{"name": e.name, "category": e.category, "aliases": list(e.aliases), "parent": e.parent} for e in nav.taxonomy]
        return {"version": nav.taxonomy.version, "categories": nav.taxonomy.categories, "total": len(entries), "skills": entries}

    @server.resource(ROLES_URI, name="role_catalog", mime_type=JSON)
    def role_catalog() -> dict[str, Any]:
        """The roles postings are tagged with (name, key, aliases): valid values for the tools' `role` parameters."""
        return {"roles": [{"name": role.name, "key": role.key, "aliases": list(role.aliases)} for role in nav.roles]}

    @server.resource(SNAPSHOT_URI, name="market_snapshot", mime_type=JSON)
    async def market_snapshot() -> dict[str, Any]:
        """The market over the last 30 days (top skills and locations, rising skills) and how fresh the data is."""
        report = await nav.trending(days=30, skills_limit=20)
        health = await nav.health()
        return {"trending": report.model_dump(mode="json"), "postings": health.postings, "data_age_hours": health.data_age_hours}
