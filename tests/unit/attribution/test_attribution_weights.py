"""Channel weights for the warehouse (ml.attribution.channel_weights), worked by hand."""

import pandas as pd
import pytest
from attribution_cases import CLASSIC

from ml.attribution import channel_weights
from ml.attribution.weights import WEIGHT_COLUMNS

EXACT = {"abs": 1e-9}


def _frame(
    paths: list[tuple], conversion_type: str = "won", attribution_level: str = "person"
) -> pd.DataFrame:
    """Path records ``(path, conversions, value, nulls)`` as the dbt model hands them over."""
    frame = pd.DataFrame(
        paths, columns=["path", "total_conversions", "total_conversion_value", "total_null"]
    )
    frame.insert(0, "attribution_level", attribution_level)
    frame.insert(0, "conversion_type", conversion_type)
    return frame


def _weights(result: pd.DataFrame, model: str, column: str = "channel_weight") -> dict:
    rows = result[result["model"] == model]
    return dict(zip(rows["channel"], rows[column], strict=True))


# A > B converts once, A alone drops out, B alone converts once.
TWO_CHANNELS = [("A > B", 1, 50.0, 0), ("A", 0, 0.0, 1), ("B", 1, 30.0, 0)]


def test_markov_and_shapley_weights_of_a_hand_worked_example():
    # Markov: start → A 2/3, start → B 1/3; A → B 1/2, A → null 1/2; B → conversion 1.
    #   P(conversion) = 2/3·1/2 + 1/3 = 2/3.
    #   Without A: only start → B converts, P = 1/3, RE_A = 1 − (1/3)/(2/3) = 1/2.
    #   Without B: nothing converts, RE_B = 1.  Weights 1/2 : 1 → A 1/3, B 2/3.
    # Shapley: {A, B} brought 1 conversion (1/2 each), {B} brought 1 → A 1/2, B 3/2 of 2:
    #   weights A 1/4, B 3/4.
    result = channel_weights(_frame(TWO_CHANNELS))
    assert list(result.columns) == ["conversion_type", "attribution_level", *WEIGHT_COLUMNS]
    assert _weights(result, "markov", "removal_effect") == pytest.approx(
        {"A": 0.5, "B": 1.0}, **EXACT
    )
    assert _weights(result, "markov") == pytest.approx({"A": 1 / 3, "B": 2 / 3}, **EXACT)
    assert _weights(result, "markov", "credited_conversions") == pytest.approx(
        {"A": 2 / 3, "B": 4 / 3}, **EXACT
    )
    assert _weights(result, "shapley") == pytest.approx({"A": 0.25, "B": 0.75}, **EXACT)
    assert _weights(result, "shapley", "credited_conversions") == pytest.approx(
        {"A": 0.5, "B": 1.5}, **EXACT
    )
    assert _weights(result, "shapley", "removal_effect") == {
        "A": pytest.approx(float("nan"), nan_ok=True),
        "B": pytest.approx(float("nan"), nan_ok=True),
    }
    # reach: A lies on one converting journey and two journeys in all; B on both converting ones
    assert _weights(result, "markov", "conversions_with_channel") == {"A": 1.0, "B": 2.0}
    assert _weights(result, "markov", "journeys_with_channel") == {"A": 2.0, "B": 2.0}


def test_classic_example_weights_follow_the_removal_effects():
    # Removal effects C1 1/2, C2 1, C3 1 (test_attribution_markov): weights 1/5, 2/5, 2/5.
    # Shapley: the one conversion went through {C1, C2, C3}: 1/3 each.
    result = channel_weights(_frame(CLASSIC))
    assert _weights(result, "markov") == pytest.approx({"C1": 0.2, "C2": 0.4, "C3": 0.4}, **EXACT)
    assert _weights(result, "shapley") == pytest.approx({c: 1 / 3 for c in ("C1", "C2", "C3")})


def test_each_group_gets_its_own_chain_and_game():
    # at account level only B converts: B takes everything
    account = [("B", 1, 10.0, 0), ("A", 0, 0.0, 2)]
    paths = pd.concat(
        [
            _frame(TWO_CHANNELS, conversion_type="won", attribution_level="person"),
            _frame(account, conversion_type="won", attribution_level="account"),
        ],
        ignore_index=True,
    )
    result = channel_weights(paths)
    person = result[result["attribution_level"] == "person"]
    account_weights = result[result["attribution_level"] == "account"]
    assert _weights(person, "markov") == pytest.approx({"A": 1 / 3, "B": 2 / 3}, **EXACT)
    assert _weights(account_weights, "markov") == pytest.approx({"A": 0.0, "B": 1.0}, **EXACT)
    assert _weights(account_weights, "shapley") == pytest.approx({"A": 0.0, "B": 1.0}, **EXACT)


def test_a_group_without_conversions_weighs_every_channel_zero():
    result = channel_weights(_frame([("A > B", 0, 0.0, 3)], conversion_type="won"))
    assert set(result["channel_weight"]) == {0.0}
    assert len(result) == 4  # two channels under two models


def test_repeats_in_a_row_change_no_first_order_weight():
    # The warehouse writes A > A > B as A > B for a first-order chain: a self-loop only
    # delays absorption, and Shapley looks at the set of channels.
    repeated = [("A > A > B", 1, 50.0, 0), ("A > A", 0, 0.0, 1), ("B > B > B", 1, 30.0, 0)]
    collapsed = channel_weights(_frame(TWO_CHANNELS, conversion_type="won"))
    expanded = channel_weights(_frame(repeated, conversion_type="won"))
    for model in ("markov", "shapley"):
        assert _weights(expanded, model) == pytest.approx(_weights(collapsed, model), **EXACT)


def test_second_order_weights_see_which_channel_came_first():
    # A > B converts twice, C > B drops out twice.
    # Order 1: start → A 1/2, start → C 1/2, A → B, C → B, B → conversion 1/2: P = 1/2.
    #   Without A (or C) half the journeys reach B: P = 1/4, RE = 1/2; without B, RE = 1.
    #   C is credited although no journey through C converts.
    # Order 2: (A, B) always converts and (C, B) never does: P = 1/2; without A, P = 0
    #   (RE 1); without C nothing changes (RE 0); without B, RE 1.
    paths = [("A > B", 2, 0.0, 0), ("C > B", 0, 0.0, 2)]
    first = channel_weights(_frame(paths, conversion_type="won"), markov_order=1)
    second = channel_weights(_frame(paths, conversion_type="won"), markov_order=2)
    assert _weights(first, "markov", "removal_effect") == pytest.approx(
        {"A": 0.5, "B": 1.0, "C": 0.5}, **EXACT
    )
    assert _weights(second, "markov", "removal_effect") == pytest.approx(
        {"A": 1.0, "B": 1.0, "C": 0.0}, **EXACT
    )
    assert _weights(second, "markov") == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.0}, **EXACT)


def test_a_missing_column_is_named():
    with pytest.raises(ValueError, match="total_null"):
        channel_weights(
            pd.DataFrame(
                {
                    "conversion_type": ["won"],
                    "attribution_level": ["person"],
                    "path": ["A"],
                    "total_conversions": [1],
                    "total_conversion_value": [0.0],
                }
            )
        )


def test_no_paths_give_an_empty_frame_with_the_columns():
    empty = _frame([], conversion_type="won", attribution_level="person")
    result = channel_weights(empty)
    assert result.empty
    assert list(result.columns) == ["conversion_type", "attribution_level", *WEIGHT_COLUMNS]
