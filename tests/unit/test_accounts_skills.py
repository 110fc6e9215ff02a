"""AccountService.add_skills / remove_skills: canonical names, "did you mean" for the rest, nothing lost."""

from __future__ import annotations

import pytest

from core.accounts import AccountService
from core.errors import InvalidInput
from tests.accounts_support import account_service


@pytest.fixture
def accounts(sqlite_store, clock) -> AccountService:
    return account_service(sqlite_store, clock)


@pytest.fixture
async def user(accounts):
    return await accounts.get_or_create_telegram_user(42, "Ada")


async def test_added_skills_are_canonical_appended_once_and_unknown_text_gets_suggestions(accounts, user):
    first = await accounts.add_skills(user.id, ["python3", "k8s"])
    second = await accounts.add_skills(user.id, ["Python", "postgres", "pyhton"])

    assert first.changed == ["Python", "Kubernetes"]
    assert (second.changed, second.unchanged) == (["PostgreSQL"], ["Python"])
    assert second.unknown == {"pyhton": ["Python"]}
    assert (await accounts.get_profile(user.id)).skills == ["Python", "Kubernetes", "PostgreSQL"]


async def test_removing_skills_matches_aliases_and_reports_what_was_not_there(accounts, user):
    await accounts.add_skills(user.id, ["Python", "Kubernetes", "Java"])

    change = await accounts.remove_skills(user.id, ["k8s", "JAVA", "Django", "  "])

    assert change.changed == ["Kubernetes", "Java"] and change.unchanged == ["Django"]
    assert change.user.skills == ["Python"] == (await accounts.get_profile(user.id)).skills


async def test_skills_stored_outside_the_taxonomy_can_still_be_removed(accounts, user, sqlite_store):
    await sqlite_store.users.update(user.id, {"skills": ["Python", "Legacy Thing"]})

    change = await accounts.remove_skills(user.id, ["legacy thing"])

    assert change.changed == ["Legacy Thing"] and change.user.skills == ["Python"]


async def test_adding_past_the_skill_limit_is_refused_without_saving(accounts, user, sqlite_store):
    await sqlite_store.users.update(user.id, {"skills": [f"Skill {i}" for i in range(100)]})

    with pytest.raises(InvalidInput, match="At most 100 skills"):
        await accounts.add_skills(user.id, ["Python"])
    assert "Python" not in (await accounts.get_profile(user.id)).skills
