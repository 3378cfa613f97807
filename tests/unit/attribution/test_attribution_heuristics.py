"""Rule-based models on hand-worked paths."""

import pytest
from attribution_cases import CLASSIC, TOUCHES, conversions, credits

from ml.attribution import attribute
from ml.attribution.heuristics import position_based_weights

EXACT = {"abs": 1e-12}


def test_classic_example_rule_based_credits():
    # Only C1 > C2 > C3 converted (1 conversion): first touch C1, last touch C3,
    # linear 1/3 each, position-based 0.4 / 0.2 / 0.4. The drop-out paths give nothing.
    results = attribute(CLASSIC, models=["first_touch", "last_touch", "linear", "position_based"])
    assert conversions(results, "first_touch") == {"C1": 1.0, "C2": 0.0, "C3": 0.0}
    assert conversions(results, "last_touch") == {"C1": 0.0, "C2": 0.0, "C3": 1.0}
    third = pytest.approx(1 / 3, **EXACT)
    assert conversions(results, "linear") == {"C1": third, "C2": third, "C3": third}
    assert conversions(results, "position_based") == pytest.approx(
        {"C1": 0.4, "C2": 0.2, "C3": 0.4}, **EXACT
    )


def test_touches_example_credits_each_touch():
    # A > B > C > A: 2 conv, 100 value; D > B: 1 conv, 30; C: 1 conv, 10; B > D: never.
    # first:  A 2 (100), D 1 (30), C 1 (10), B 0
    # last:   A 2 (100), B 1 (30), C 1 (10), D 0
    # linear: path 1 is 1/4 per touch and A is touched twice → A 2·2/4 = 1 (50),
    #         B 0.5 (25), C 0.5 (25); path 2 → D 0.5 (15), B 0.5 (15); path 3 → C 1 (10)
    #         = A 1 (50), B 1 (40), C 1.5 (35), D 0.5 (15)
    # position-based: path 1 weights 0.4, 0.1, 0.1, 0.4 → A 0.8·2 = 1.6 (80), B 0.2 (10),
    #         C 0.2 (10); path 2 is two touches → 50/50; path 3 one touch → all
    #         = A 1.6 (80), B 0.7 (25), C 1.2 (20), D 0.5 (15)
    results = attribute(TOUCHES, models=["first_touch", "last_touch", "linear", "position_based"])
    expected = {
        "first_touch": {"A": (2, 100), "B": (0, 0), "C": (1, 10), "D": (1, 30)},
        "last_touch": {"A": (2, 100), "B": (1, 30), "C": (1, 10), "D": (0, 0)},
        "linear": {"A": (1, 50), "B": (1, 40), "C": (1.5, 35), "D": (0.5, 15)},
        "position_based": {"A": (1.6, 80), "B": (0.7, 25), "C": (1.2, 20), "D": (0.5, 15)},
    }
    for model, by_channel in expected.items():
        got = credits(results, model)
        assert got.keys() == by_channel.keys(), model
        for channel, (conv, value) in by_channel.items():
            assert got[channel] == pytest.approx((conv, value), **EXACT), (model, channel)


@pytest.mark.parametrize(
    ("touches", "weights"),
    [
        (1, [1.0]),
        (2, [0.5, 0.5]),
        (3, [0.4, 0.2, 0.4]),
        (5, [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]),
    ],
)
def test_position_based_weights(touches: int, weights: list[float]):
    assert position_based_weights(touches) == pytest.approx(weights, **EXACT)
