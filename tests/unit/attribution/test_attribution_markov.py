"""Markov attribution: removal effects worked out by hand, exact to 1e-9."""

import itertools
import random
from collections import defaultdict

import pytest
from attribution_cases import CLASSIC, LOOP, conversions, credits

from ml.attribution import attribute, removal_effects, to_path_table
from ml.attribution.markov import path_states

EXACT = {"abs": 1e-9}


def test_classic_example_removal_effects():
    # Transitions (each journey weighs 1):
    #   start → C1 2/3, start → C2 1/3;  C1 → C2 1/2, C1 → null 1/2;
    #   C2 → C3 1;  C3 → conversion 1/2, C3 → null 1/2
    # P(reach C2) = 2/3·1/2 + 1/3 = 2/3, so P(conversion) = 2/3·1·1/2 = 1/3.
    # Without C1: P(reach C2) = 1/3, P = 1/6, RE = 1 − (1/6)/(1/3) = 1/2.
    # Without C2 or C3 nothing converts: RE = 1.
    # Σ RE = 5/2 → shares 1/5, 2/5, 2/5 of the 1 conversion.
    effects = removal_effects(to_path_table(CLASSIC))
    assert effects.conversion_probability == pytest.approx(1 / 3, **EXACT)
    assert {c: e.conversions for c, e in effects.effects.items()} == pytest.approx(
        {"C1": 0.5, "C2": 1.0, "C3": 1.0}, **EXACT
    )
    assert conversions(attribute(CLASSIC, models=["markov"]), "markov") == pytest.approx(
        {"C1": 0.2, "C2": 0.4, "C3": 0.4}, **EXACT
    )


def test_loop_example_conversions_and_value():
    # Transitions: start → A 2/3, start → B 1/3;  A → B 2/3, A → conversion 1/3;
    #              B → A 1/3, B → null 1/3, B → conversion 1/3.
    # x = P(convert from state): x_A = 1/3 + 2/3 x_B, x_B = 1/3 + 1/3 x_A
    #   → x_A = 5/7, x_B = 4/7, P = 2/3·5/7 + 1/3·4/7 = 2/3.
    # Without A: x_B = 1/3, P = 1/9, RE_A = 1 − (1/9)/(2/3) = 5/6.
    # Without B: x_A = 1/3, P = 2/9, RE_B = 1 − (2/9)/(2/3) = 2/3.
    # Σ RE = 3/2 → A 5/9, B 4/9 of 2 conversions = 10/9 and 8/9.
    # Value collected on leaving: A 100/3 (A ends the 100 journey, 3 leave A),
    # B 40/3.  y_A = 100/3 + 2/3 y_B, y_B = 40/3 + 1/3 y_A → y_A = 380/7, y_B = 220/7,
    # E = 2/3·380/7 + 1/3·220/7 = 140/3 (the mean value per journey, as it should be).
    # Without A: y_B = 40/3, E = 40/9, RE = 1 − 40/420 = 19/21.
    # Without B: y_A = 100/3, E = 200/9, RE = 1 − 200/420 = 11/21.
    # Σ = 30/21 → A 19/30, B 11/30 of 140 = 266/3 and 154/3.
    effects = removal_effects(to_path_table(LOOP))
    assert effects.conversion_probability == pytest.approx(2 / 3, **EXACT)
    assert effects.expected_value == pytest.approx(140 / 3, **EXACT)
    assert effects.effects["A"] == pytest.approx((5 / 6, 19 / 21), **EXACT)
    assert effects.effects["B"] == pytest.approx((2 / 3, 11 / 21), **EXACT)
    got = credits(attribute(LOOP, models=["markov"]), "markov")
    assert got == {
        "A": pytest.approx((10 / 9, 266 / 3), **EXACT),
        "B": pytest.approx((8 / 9, 154 / 3), **EXACT),
    }


def test_second_order_sees_what_came_before():
    # A > B converts, C > B does not.
    # Order 1: start → A, C ½ each; A → B, C → B; B → conversion ½. P = ½.
    #   RE_A = 1 − (¼)/(½) = ½, RE_C = ½, RE_B = 1 → shares ¼, ½, ¼.
    # Order 2: (A) → (A,B) → conversion, (C) → (C,B) → null; P = ½.
    #   Without A: (A), (A,B) go → P = 0, RE 1.  Without C: P stays ½, RE 0.
    #   Without B: (A,B), (C,B) go → RE 1.  → shares ½, ½, 0.
    paths = [("A > B", 1, None, 0), ("C > B", 0, None, 1)]
    first = conversions(attribute(paths, models=["markov"], markov_order=1), "markov")
    second = conversions(attribute(paths, models=["markov"], markov_order=2), "markov")
    assert first == pytest.approx({"A": 0.25, "B": 0.5, "C": 0.25}, **EXACT)
    assert second == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.0}, **EXACT)


def test_without_nulls_removal_effect_is_the_chance_of_touching_the_channel():
    # No total_null: A > B and B both convert. start → A ½, start → B ½, A → B 1.
    # P = 1; without A: P = ½ (only journeys starting at B) → RE_A = ½; without B: RE = 1.
    # Σ RE = 3/2 → A ⅓, B ⅔ of 2 conversions.
    paths = [("A > B", 1), ("B", 1)]
    effects = removal_effects(to_path_table(paths))
    assert effects.conversion_probability == pytest.approx(1.0, **EXACT)
    assert effects.effects["A"].conversions == pytest.approx(0.5, **EXACT)
    assert effects.effects["B"].conversions == pytest.approx(1.0, **EXACT)
    got = conversions(attribute(paths, models=["markov"]), "markov")
    assert got == pytest.approx({"A": 2 / 3, "B": 4 / 3}, **EXACT)


def test_states_hold_the_last_k_channels():
    path = ("A", "B", "C", "D")
    assert path_states(path, 3) == [("A",), ("A", "B"), ("A", "B", "C"), ("B", "C", "D")]
    assert path_states(path, 1) == [("A",), ("B",), ("C",), ("D",)]


def _random_paths(seed: int) -> list[tuple[tuple[str, ...], int, float, int]]:
    generator = random.Random(seed)
    channels = ["Search", "Email", "Display", "Direct"]
    return [
        (
            tuple(generator.choice(channels) for _ in range(generator.randint(1, 6))),
            generator.randint(0, 5),
            float(generator.randint(0, 500)),
            generator.randint(1, 5),
        )
        for _ in range(25)
    ]


def _first_order_by_iteration(paths, removed: str | None) -> float:
    """P(conversion) of the first-order chain by pushing probability mass step by step.

    Built from the raw paths with its own counting, independent of the library's
    matrices; loops make the mass decay geometrically, so enough steps reach 1e-15.
    """
    counts: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path, conv, _value, nulls in paths:
        for source, target in itertools.pairwise(["(start)", *path]):
            counts[source][target] += conv + nulls
        counts[path[-1]]["(conversion)"] += conv
        counts[path[-1]]["(null)"] += nulls
    mass, converted = {"(start)": 1.0}, 0.0
    for _ in range(100_000):
        moved: dict[str, float] = {}
        for state, weight in mass.items():
            total = sum(counts[state].values())
            for target, count in counts[state].items():
                if target == "(conversion)":
                    converted += weight * count / total
                elif target not in ("(null)", removed):
                    moved[target] = moved.get(target, 0.0) + weight * count / total
        mass = moved
        if sum(mass.values()) < 1e-15:
            break
    return converted


def test_order_one_equals_an_independent_first_order_chain():
    paths = _random_paths(7)
    full = _first_order_by_iteration(paths, None)
    effects = removal_effects(to_path_table(paths), order=1)
    assert effects.conversion_probability == pytest.approx(full, **EXACT)
    for channel, effect in effects.effects.items():
        expected = 1 - _first_order_by_iteration(paths, channel) / full
        assert effect.conversions == pytest.approx(expected, **EXACT), channel


def test_order_beyond_the_longest_path_credits_paths_containing_the_channel():
    # When k ≥ every path's length the states are path prefixes and the chain is a tree,
    # so removing c loses exactly the journeys whose path contains c:
    # RE(c) = conversions (value) on paths with c / total conversions (value).
    paths = _random_paths(11)
    table = to_path_table(paths)
    effects = removal_effects(table, order=6)
    for channel, effect in effects.effects.items():
        with_channel = [row for row in table.rows if channel in row.path]
        share = sum(row.conversions for row in with_channel) / table.total_conversions
        value_share = sum(row.value for row in with_channel) / table.total_value
        assert effect == pytest.approx((share, value_share), **EXACT), channel


def test_order_below_one_is_refused():
    with pytest.raises(ValueError, match="order must be 1 or more"):
        attribute(CLASSIC, models=["markov"], markov_order=0)


def test_a_chain_beyond_the_dense_solve_limit_is_refused(monkeypatch: pytest.MonkeyPatch):
    # Order 2 over the loop example has 5 transient states: start, (A), (B), (A,B), (B,A).
    monkeypatch.setattr("ml.attribution.markov.MAX_STATES", 4)
    with pytest.raises(ValueError, match="has 5 states, more than the 4"):
        attribute(LOOP, models=["markov"], markov_order=2)
    assert len(attribute(LOOP, models=["markov"], markov_order=1)) == 2  # 3 states fit
