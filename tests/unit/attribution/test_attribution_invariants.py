"""Properties every model keeps on any input: totals, signs, names, input shapes."""

import random

import pandas as pd
import pytest

from ml.attribution import MODELS, attribute, to_path_table

CHANNELS = ["Direct", "Display", "Email", "Events", "Search", "WeChat"]


def _paths(seed: int) -> list[tuple[tuple[str, ...], int, float, int]]:
    """Random paths with repeats and loops; value only where something converted."""
    generator = random.Random(seed)
    paths = []
    for _ in range(60):
        path = tuple(generator.choice(CHANNELS) for _ in range(generator.randint(1, 6)))
        conv = generator.randint(0, 8)
        value = float(generator.randint(1, 900)) if conv else 0.0
        paths.append((path, conv, value, generator.randint(0, 8)))
    return paths


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_credits_sum_to_totals_and_are_never_negative(seed: int, order: int):
    paths = _paths(seed)
    table = to_path_table(paths)
    results = attribute(paths, markov_order=order)
    assert sorted(results["model"].unique()) == sorted(MODELS)
    for model, rows in results.groupby("model"):
        assert rows["conversions"].sum() == pytest.approx(table.total_conversions, rel=1e-9), model
        assert rows["value"].sum() == pytest.approx(table.total_value, rel=1e-9), model
    assert (results[["conversions", "value"]] >= 0).all().all()


def test_every_channel_appears_under_every_model_in_sorted_order():
    paths = [("Search > Email", 1), ("Display", 0, None, 4)]  # Display never converts
    results = attribute(paths)
    assert len(results) == len(MODELS) * 3
    keys = list(zip(results["model"], results["channel"], strict=True))
    assert keys == sorted(keys)
    display = results[results["channel"] == "Display"]
    assert (display["conversions"] == 0).all()


@pytest.mark.parametrize("order", [1, 2])
def test_renaming_and_reordering_channels_changes_nothing(order: int):
    paths = _paths(4)
    # A rotation of the names, so sort order and state numbering both change.
    rename = dict(zip(CHANNELS, CHANNELS[2:] + CHANNELS[:2], strict=True))
    renamed = [(tuple(rename[c] for c in path), *rest) for path, *rest in paths]
    random.Random(5).shuffle(renamed)
    original = attribute(paths, markov_order=order)
    permuted = attribute(renamed, markov_order=order)
    permuted["channel"] = permuted["channel"].map({new: old for old, new in rename.items()})
    merged = original.merge(permuted, on=["model", "channel"], suffixes=("", "_renamed"))
    assert len(merged) == len(original)
    assert merged["conversions"].to_numpy() == pytest.approx(
        merged["conversions_renamed"].to_numpy(), abs=1e-9
    )
    assert merged["value"].to_numpy() == pytest.approx(merged["value_renamed"].to_numpy(), abs=1e-9)


def test_frame_records_and_per_person_journeys_agree():
    paths = _paths(6)
    frame = pd.DataFrame(
        {
            "path": [" > ".join(path) for path, *_ in paths],
            "total_conversions": [conv for _, conv, _, _ in paths],
            "total_conversion_value": [value for _, _, value, _ in paths],
            "total_null": [nulls for *_, nulls in paths],
        }
    )
    # One row per person: each converting journey carries its share of the path's value.
    people = []
    for path, conv, value, nulls in paths:
        people += [(list(path), 1, value / conv, 0)] * conv if conv else []
        people += [(list(path), 0, 0.0, 1)] * nulls
    expected = attribute(paths, markov_order=2)
    for other in (attribute(frame, markov_order=2), attribute(people, markov_order=2)):
        assert list(other["channel"]) == list(expected["channel"])
        assert other["conversions"].to_numpy() == pytest.approx(
            expected["conversions"].to_numpy(), abs=1e-9
        )
        assert other["value"].to_numpy() == pytest.approx(expected["value"].to_numpy(), abs=1e-9)


def test_no_conversions_gives_zero_credit_everywhere():
    results = attribute([("A > B", 0, None, 3), ("B", 0, None, 2)])
    assert (results["conversions"] == 0).all()
    assert results["value"].isna().all()


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown model 'u_shaped'"):
        attribute([("A", 1)], models=["u_shaped"])
