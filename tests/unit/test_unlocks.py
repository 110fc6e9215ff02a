"""The unlock model against a brute-force count of "mostly matched" postings, on random samples."""

from __future__ import annotations

import math
import random

import pytest

from core.unlocks import MOSTLY_MATCH, SkillSample, UnlockModel

SKILLS = [f"skill{i}" for i in range(12)]


def matched(skill_sets: list[list[str]], known: set[str]) -> int:
    return sum(1 for s in skill_sets if s and len(set(s) & known) >= math.ceil(MOSTLY_MATCH * len(set(s)) - 1e-9))


def random_sample(rng: random.Random) -> list[list[str]]:
    # Some empty postings (they count towards the scale, never as matches) and some repeated skills.
    return [rng.choices(SKILLS, k=rng.randint(0, 6)) for _ in range(rng.randint(0, 60))]


@pytest.mark.parametrize("seed", range(40))
def test_gains_equal_brute_force_counts_while_learning_in_any_order(seed):
    rng = random.Random(seed)
    skill_sets = random_sample(rng)
    known = set(rng.sample(SKILLS, rng.randint(0, 4)))
    model = UnlockModel(SkillSample(skill_sets), frozenset(known), total=len(skill_sets))
    for skill in rng.sample(SKILLS, len(SKILLS)):
        for candidate in SKILLS:
            expected = 0 if candidate in known else matched(skill_sets, known | {candidate}) - matched(skill_sets, known)
            assert model.gain(candidate) == expected, (candidate, sorted(known))
        model.learn(skill)
        known.add(skill)


def test_gains_scale_from_the_sample_to_the_whole_window():
    sample = SkillSample([["Python", "SQL"], ["Python", "SQL"], [], ["Go"]])
    model = UnlockModel(sample, frozenset({"Python"}), total=400)
    # 2 of 4 sampled postings become mostly matched with SQL: half the window's 400 postings.
    assert model.gain("SQL") == 200
    assert model.gains() == {"SQL": 200, "Go": 100}


def test_skills_outside_the_sample_and_skills_already_known_unlock_nothing():
    model = UnlockModel(SkillSample([["Python", "SQL"]]), frozenset({"Python"}), total=1)
    assert model.gain("Rust") == 0 and model.gain("Python") == 0
    model.learn("Rust")  # unknown to the sample: no effect
    model.learn("SQL")
    assert model.gains() == {}


def test_an_empty_sample_unlocks_nothing():
    model = UnlockModel(SkillSample([]), frozenset(), total=100)
    assert model.gains() == {} and model.gain("Python") == 0
