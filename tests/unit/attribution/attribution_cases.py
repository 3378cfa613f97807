"""Hand-worked path sets shared by the attribution tests, and a reader for results."""

from __future__ import annotations

import pandas as pd

# The classic three-journey example: one conversion, two drop-outs.
#   C1 > C2 > C3 → conversion;  C1 → null;  C2 > C3 → null
CLASSIC = [
    (("C1", "C2", "C3"), 1, None, 0),
    (("C1",), 0, None, 1),
    (("C2", "C3"), 0, None, 1),
]

# Repeats, a two-touch and a one-touch path, and a path that never converts.
TOUCHES = [
    ("A > B > C > A", 2, 100.0, 0),
    ("D > B", 1, 30.0, 0),
    ("C", 1, 10.0, 0),
    ("B > D", 0, 0.0, 3),
]

# A loop (B → A after A → B) with values: two conversions out of three journeys.
LOOP = [
    ("A > B > A", 1, 100.0, 0),
    ("B", 0, 0.0, 1),
    ("A > B", 1, 40.0, 0),
]


def credits(results: pd.DataFrame, model: str) -> dict[str, tuple[float, float]]:
    """One model's ``channel → (conversions, value)`` from an :func:`attribute` frame."""
    rows = results[results["model"] == model]
    return {
        channel: (conversions, value)
        for channel, conversions, value in rows[["channel", "conversions", "value"]].itertuples(
            index=False
        )
    }


def conversions(results: pd.DataFrame, model: str) -> dict[str, float]:
    """One model's ``channel → conversions``."""
    return {channel: credit[0] for channel, credit in credits(results, model).items()}
