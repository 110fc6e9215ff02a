"""The bundled data files agree with each other: every skill named anywhere exists in the taxonomy."""

from __future__ import annotations

from collections import Counter

from core.demo import demo_parameters
from core.models import ResourceType


def test_every_demo_skill_has_three_resources_including_a_free_one(catalog):
    demo_skills = {skill for role in demo_parameters()["roles"].values() for skill in role["skills"]}
    for skill in demo_skills:
        resources = catalog.resources_for(skill)
        assert len(resources) >= 3, skill
        assert any(r.free for r in resources), skill
        assert len({r.type for r in resources}) >= 2, skill


def test_resources_are_typed_and_use_https(catalog):
    for skill in catalog.skills_with_resources():
        for resource in catalog.resources_for(skill):
            assert resource.type in ResourceType
            assert resource.url.startswith("https://"), resource.url


def test_catalog_and_demo_skills_exist_in_the_taxonomy(catalog, taxonomy):
    named = set(catalog.skills_with_resources())
    named |= {skill for project in catalog.projects for skill in project.skills}
    named |= {skill for role in demo_parameters()["roles"].values() for skill in role["skills"]}
    assert {name for name in named if taxonomy.get(name) is None} == set()


def test_projects_cover_every_difficulty_and_known_roles(catalog, roles):
    assert len(catalog.projects) >= 40
    assert Counter(p.difficulty for p in catalog.projects).most_common()[-1][1] >= 10
    assert len({p.id for p in catalog.projects}) == len(catalog.projects)
    assert {key for p in catalog.projects for key in p.roles} <= {role.key for role in roles}


def test_demo_roles_exist_in_the_role_catalog(roles):
    assert set(demo_parameters()["roles"]) <= {role.key for role in roles}


def test_the_taxonomy_is_broad(taxonomy):
    assert len(taxonomy) >= 1000
    assert taxonomy.resolve("k8s").name == "Kubernetes"
    assert taxonomy.resolve("Java").name == "Java"
