"""Shapley attribution: hand-worked games and the closed form against the definition."""

import itertools
import math
import random

import pytest
from attribution_cases import TOUCHES, conversions, credits

from ml.attribution import attribute, to_path_table

EXACT = {"abs": 1e-12}


def test_two_channels_by_hand():
    # R({A}) = 3, R({B}) = 1, R({A,B}) = 2 + 2 = 4 (order does not matter), and values
    # R({A}) = 300, R({B}) = 50, R({A,B}) = 200 + 100 = 300.
    # v(∅) = 0, v(A) = 3, v(B) = 1, v(AB) = 8
    # φ_A = ½[(v(A) − v(∅)) + (v(AB) − v(B))] = ½[3 + 7] = 5
    # φ_B = ½[(v(B) − v(∅)) + (v(AB) − v(A))] = ½[1 + 5] = 3
    # value: v(A) = 300, v(B) = 50, v(AB) = 650 → φ_A = ½[300 + 600] = 450,
    #        φ_B = ½[50 + 350] = 200
    paths = [("A", 3, 300.0), ("B", 1, 50.0), ("A > B", 2, 200.0), ("B > A", 2, 100.0)]
    got = credits(attribute(paths, models=["shapley"]), "shapley")
    assert got == {"A": pytest.approx((5, 450), **EXACT), "B": pytest.approx((3, 200), **EXACT)}


def test_three_channels_by_hand():
    # R({A}) = 2, R({A,B}) = 4, R({B,C}) = 6, R({A,B,C}) = 6, R({C}) = 3; C > A never converts.
    # v(A) = 2, v(B) = 0, v(C) = 3, v(AB) = 6, v(AC) = 5, v(BC) = 9, v(ABC) = 21.
    # With three players the weights are 1/3 (empty S), 1/6 (one other), 1/3 (both others):
    # φ_A = 2/3 + (6 − 0)/6 + (5 − 3)/6 + (21 − 9)/3 = 2/3 + 1 + 1/3 + 4 = 6
    # φ_B = 0/3 + (6 − 2)/6 + (9 − 3)/6 + (21 − 5)/3 = 2/3 + 1 + 16/3   = 7
    # φ_C = 3/3 + (5 − 2)/6 + (9 − 0)/6 + (21 − 6)/3 = 1 + 1/2 + 3/2 + 5 = 8
    paths = [
        ("A", 2),
        ("A > B", 4),
        ("B > C", 6),
        ("A > B > C", 6),
        ("C", 3),
        (("C", "A"), 0, None, 5),
    ]
    results = attribute(paths, models=["shapley"])
    assert conversions(results, "shapley") == pytest.approx({"A": 6, "B": 7, "C": 8}, **EXACT)
    assert results["value"].isna().all()  # no record carried a value


def test_repeats_do_not_change_a_path_channel_set():
    # A > B > C > A (2 conv, 100) splits over {A, B, C}: 2/3 and 100/3 each.
    # D > B (1, 30): 1/2 and 15 each.  C (1, 10): all to C.
    got = credits(attribute(TOUCHES, models=["shapley"]), "shapley")
    assert got["A"] == pytest.approx((2 / 3, 100 / 3), **EXACT)
    assert got["B"] == pytest.approx((2 / 3 + 1 / 2, 100 / 3 + 15), **EXACT)
    assert got["C"] == pytest.approx((2 / 3 + 1, 100 / 3 + 10), **EXACT)
    assert got["D"] == pytest.approx((1 / 2, 15), **EXACT)


def _definition(paths: list[tuple[tuple[str, ...], int]]) -> dict[str, float]:
    """Shapley values by the textbook formula over every coalition (independent of the library)."""
    players = sorted({channel for path, _ in paths for channel in path})
    n = len(players)

    def worth(coalition: frozenset[str]) -> float:
        return sum(conv for path, conv in paths if set(path) <= coalition)

    values = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for coalition in itertools.combinations(others, size):
                members = frozenset(coalition)
                total += weight * (worth(members | {player}) - worth(members))
        values[player] = total
    return values


def test_closed_form_equals_enumerating_every_coalition():
    generator = random.Random(20180101)
    channels = ["Direct", "Display", "Email", "Search", "Social", "Events"]
    paths = [
        (
            tuple(generator.choice(channels) for _ in range(generator.randint(1, 5))),
            generator.randint(0, 9),
        )
        for _ in range(40)
    ]
    table = to_path_table(paths)
    got = credits(attribute(table, models=["shapley"]), "shapley")
    expected = _definition([(row.path, row.conversions) for row in table.rows])
    assert len(expected) == len(channels)
    assert {c: credit[0] for c, credit in got.items()} == pytest.approx(expected, abs=1e-9)
