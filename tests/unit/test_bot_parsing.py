"""bot.parsing: what people type after a command, understood leniently or refused with a reason."""

from __future__ import annotations

import pytest

from bot import parsing
from core.errors import InvalidInput
from core.models import Difficulty, ExperienceLevel


@pytest.mark.parametrize(
    ("args", "role", "days"),
    [
        ([], None, 30),
        (["90"], None, 90),
        (["data", "scientist"], "data scientist", 30),
        (["7d", "Backend"], "Backend", 7),
        (["backend", "last", "14", "days"], "backend", 14),
        (["all", "60"], None, 60),
    ],
)
def test_market_arguments_take_role_and_days_in_any_order(args, role, days):
    assert parsing.market_args(args) == parsing.MarketArgs(role, days)


def test_two_numbers_of_days_are_refused():
    with pytest.raises(InvalidInput, match="once"):
        parsing.market_args(["7", "30"])


@pytest.mark.parametrize(("text", "level"), [("sr", ExperienceLevel.SENIOR), ("Entry-level", ExperienceLevel.JUNIOR), ("MID", ExperienceLevel.MID), ("staff", ExperienceLevel.LEAD)])
def test_levels_accept_common_names(text, level):
    assert parsing.level(text) == level


@pytest.mark.parametrize(("args", "value"), [([], None), (["easy"], Difficulty.BEGINNER), (["Hard"], Difficulty.ADVANCED), (["all"], None)])
def test_difficulties_accept_synonyms(args, value):
    assert parsing.difficulty(args) == value


@pytest.mark.parametrize(("args", "value"), [([], None), (["ON"], True), (["disable"], False), (["yes"], True)])
def test_switches_read_on_and_off_words(args, value):
    assert parsing.switch(args) == value


def test_skills_split_on_commas_or_spaces_but_keep_multi_word_skills():
    known = {"machine learning", "python", "sql"}
    is_skill = lambda text: text.lower() in known  # noqa: E731
    assert parsing.split_skills("Python, SQL", is_skill) == ["Python", "SQL"]
    assert parsing.split_skills("python sql", is_skill) == ["python", "sql"]
    assert parsing.split_skills("machine learning", is_skill) == ["machine learning"]
    assert parsing.skills_args(["rm", "python"], is_skill) == parsing.SkillsArgs("remove", ["python"])
    assert parsing.skills_args(["Python,", "SQL"], is_skill) == parsing.SkillsArgs("add", ["Python", "SQL"])
    assert parsing.skills_args([], is_skill).action == "show"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], parsing.TokenArgs("issue")),
        (["90"], parsing.TokenArgs("issue", days=90)),
        (["new", "7d"], parsing.TokenArgs("issue", days=7)),
        (["list"], parsing.TokenArgs("list")),
        (["revoke"], parsing.TokenArgs("revoke")),
        (["revoke", "all"], parsing.TokenArgs("revoke")),
        (["revoke", "abc123"], parsing.TokenArgs("revoke", jti="abc123")),
    ],
)
def test_token_arguments(args, expected):
    assert parsing.token_args(args) == expected


@pytest.mark.parametrize("args", [["please"], ["revoke", "a", "b"], ["new", "soon"]])
def test_token_arguments_that_mean_nothing_are_refused(args):
    with pytest.raises(InvalidInput):
        parsing.token_args(args)
