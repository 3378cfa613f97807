"""Channel weights of the data-driven models, per group of paths, for the warehouse.

The dbt model ``int_attribution__channel_weights`` hands over one aggregated path
table per conversion type and attribution level (columns ``path``,
``total_conversions``, ``total_conversion_value``, ``total_null``) and gets back, per
group, model and channel, the weight with which the warehouse splits each
conversion's credit over its touches:

- ``markov``: the removal effect on conversions, ``RE(c) / Σ RE``;
- ``shapley``: the Shapley value, ``φ_c / Σ φ`` (each converting path's conversions
  shared equally by its distinct channels).

A group without conversions gives every channel weight 0 (the warehouse then falls
back to linear credit).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ml.attribution.markov import removal_effects
from ml.attribution.paths import (
    CONVERSIONS_COLUMN,
    NULLS_COLUMN,
    PATH_COLUMN,
    VALUE_COLUMN,
    PathTable,
    to_path_table,
)
from ml.attribution.shapley import shapley_attribution

WEIGHT_COLUMNS = [
    "model",
    "channel",
    "removal_effect",
    "credited_conversions",
    "channel_weight",
    "conversions_with_channel",
    "journeys_with_channel",
]


def _shares(credits: dict[str, float]) -> dict[str, float]:
    total = sum(credits.values())
    if total <= 0:
        return dict.fromkeys(credits, 0.0)
    return {channel: credit / total for channel, credit in credits.items()}


def _reach(table: PathTable) -> tuple[dict[str, float], dict[str, float]]:
    """Conversions, and journeys (conversions + nulls), on paths through each channel."""
    conversions = dict.fromkeys(table.channels, 0.0)
    journeys = dict.fromkeys(table.channels, 0.0)
    for row in table.rows:
        for channel in set(row.path):
            conversions[channel] += row.conversions
            journeys[channel] += row.conversions + row.nulls
    return conversions, journeys


def table_weights(table: PathTable, markov_order: int = 1) -> pd.DataFrame:
    """Markov and Shapley weights of every channel of one path table.

    Args:
        table: The paths of one conversion type and level.
        markov_order: Order of the Markov chain (≥ 1).

    Returns:
        Columns :data:`WEIGHT_COLUMNS`, one row per model and channel.
        ``removal_effect`` is the Markov removal effect on conversions (NaN for
        Shapley); ``credited_conversions`` the conversions the model gives the
        channel; ``channel_weight`` that credit over all channels' (sums to 1 per
        model, or is all 0 when nothing converted).
    """
    effects = {c: e.conversions for c, e in removal_effects(table, markov_order).effects.items()}
    markov_weights = _shares(effects)
    shapley = {c: credit.conversions for c, credit in shapley_attribution(table).items()}
    shapley_weights = _shares(shapley)
    conversions, journeys = _reach(table)
    total = table.total_conversions
    rows = []
    for channel in table.channels:
        rows.append(
            (
                "markov",
                channel,
                effects[channel],
                markov_weights[channel] * total,
                markov_weights[channel],
                conversions[channel],
                journeys[channel],
            )
        )
        rows.append(
            (
                "shapley",
                channel,
                float("nan"),
                shapley[channel],
                shapley_weights[channel],
                conversions[channel],
                journeys[channel],
            )
        )
    return pd.DataFrame(rows, columns=WEIGHT_COLUMNS)


def channel_weights(
    paths: pd.DataFrame,
    markov_order: int = 1,
    group_columns: Sequence[str] = ("conversion_type", "attribution_level"),
) -> pd.DataFrame:
    """Markov and Shapley channel weights for each group of an aggregated path table.

    Args:
        paths: Columns ``group_columns`` plus ``path`` (channels joined by ``>``),
            ``total_conversions``, ``total_conversion_value`` and ``total_null``.
        markov_order: Order of the Markov chain (≥ 1).
        group_columns: The columns that name a group (one chain and one game each).

    Returns:
        ``group_columns`` followed by :data:`WEIGHT_COLUMNS`, one row per group, model
        and channel, sorted by them.

    Raises:
        ValueError: A column is missing or a path or count is unusable.
    """
    group_columns = list(group_columns)
    path_columns = [PATH_COLUMN, CONVERSIONS_COLUMN, VALUE_COLUMN, NULLS_COLUMN]
    missing = [c for c in [*group_columns, *path_columns] if c not in paths.columns]
    if missing:
        raise ValueError(f"the paths frame has no column {', '.join(missing)}")
    frames = []
    for key, group in paths.groupby(group_columns, sort=True, dropna=False):
        weights = table_weights(to_path_table(group[path_columns]), markov_order)
        for column, value in zip(group_columns, key, strict=True):
            weights.insert(group_columns.index(column), column, value)
        frames.append(weights)
    if not frames:
        return pd.DataFrame(columns=[*group_columns, *WEIGHT_COLUMNS])
    result = pd.concat(frames, ignore_index=True)
    return result.sort_values([*group_columns, "model", "channel"], ignore_index=True)
