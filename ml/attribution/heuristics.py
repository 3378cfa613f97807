"""Rule-based models: each touch of a path gets a fixed share of the path's conversions.

Shares are per touch, not per distinct channel, so a channel touched twice on
one path collects both touches' shares (``A > B > A`` gives ``A`` two thirds
under ``linear``). Paths that did not convert carry no credit.
"""

from __future__ import annotations

from collections.abc import Callable

from ml.attribution.paths import Credit, PathTable

TouchWeights = Callable[[int], list[float]]

POSITION_FIRST = 0.4
POSITION_LAST = 0.4


def first_touch_weights(n: int) -> list[float]:
    """All credit to the first touch of an ``n``-touch path."""
    return [1.0] + [0.0] * (n - 1)


def last_touch_weights(n: int) -> list[float]:
    """All credit to the last touch of an ``n``-touch path."""
    return [0.0] * (n - 1) + [1.0]


def linear_weights(n: int) -> list[float]:
    """Equal credit to each of the ``n`` touches."""
    return [1.0 / n] * n


def position_based_weights(n: int) -> list[float]:
    """40 % to the first and last touch, 20 % shared by the touches between.

    Args:
        n: Number of touches on the path (≥ 1).

    Returns:
        One weight per touch, summing to 1: ``[1]`` for one touch and ``[0.5, 0.5]``
        for two, since there is no middle to hand the 20 % to.
    """
    if n == 1:
        return [1.0]
    if n == 2:
        return [0.5, 0.5]
    middle = (1.0 - POSITION_FIRST - POSITION_LAST) / (n - 2)
    return [POSITION_FIRST] + [middle] * (n - 2) + [POSITION_LAST]


def touch_attribution(table: PathTable, weights: TouchWeights) -> dict[str, Credit]:
    """Spread each path's conversions and value over its touches.

    Args:
        table: The paths.
        weights: Touch count → one weight per touch, summing to 1.

    Returns:
        Credit per channel, every channel of the table included (0 when it never
        touched a converting path).
    """
    conversions = dict.fromkeys(table.channels, 0.0)
    value = dict.fromkeys(table.channels, 0.0)
    for row in table.rows:
        if row.conversions == 0 and row.value == 0:
            continue
        for channel, weight in zip(row.path, weights(len(row.path)), strict=True):
            conversions[channel] += weight * row.conversions
            value[channel] += weight * row.value
    return {channel: Credit(conversions[channel], value[channel]) for channel in table.channels}


HEURISTIC_WEIGHTS: dict[str, TouchWeights] = {
    "first_touch": first_touch_weights,
    "last_touch": last_touch_weights,
    "linear": linear_weights,
    "position_based": position_based_weights,
}
