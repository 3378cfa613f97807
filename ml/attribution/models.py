"""Run several attribution models over one set of paths and return one tidy frame."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from ml.attribution.heuristics import HEURISTIC_WEIGHTS, touch_attribution
from ml.attribution.markov import markov_attribution
from ml.attribution.paths import Credit, PathRecord, PathTable, to_path_table
from ml.attribution.shapley import shapley_attribution

MODELS = ("first_touch", "last_touch", "linear", "markov", "position_based", "shapley")
RESULT_COLUMNS = ["model", "channel", "conversions", "value"]


def _model_function(model: str, markov_order: int) -> Callable[[PathTable], dict[str, Credit]]:
    if model in HEURISTIC_WEIGHTS:
        weights = HEURISTIC_WEIGHTS[model]
        return lambda table: touch_attribution(table, weights)
    if model == "markov":
        return lambda table: markov_attribution(table, markov_order)
    if model == "shapley":
        return shapley_attribution
    raise ValueError(f"unknown model {model!r}; choose from {', '.join(MODELS)}")


def attribute(
    paths: pd.DataFrame | Iterable[PathRecord] | PathTable,
    models: Sequence[str] = MODELS,
    markov_order: int = 1,
) -> pd.DataFrame:
    """Credit each channel with conversions and value under each model.

    Args:
        paths: Aggregated or per-person paths (see :func:`to_path_table`).
        models: Which of :data:`MODELS` to run.
        markov_order: Order of the Markov chain (≥ 1).

    Returns:
        Columns ``model``, ``channel``, ``conversions``, ``value``: one row per model
        and channel (every channel of the input, 0 where a model gives it nothing),
        sorted by model then channel. ``value`` is NaN when the input has no value.
        Per model, each column sums to the input's total up to float rounding.

    Raises:
        ValueError: An unknown model, an order below 1, or unusable paths.
    """
    if markov_order < 1:
        raise ValueError(f"the Markov order must be 1 or more, not {markov_order}")
    functions = {model: _model_function(model, markov_order) for model in models}
    table = to_path_table(paths)
    rows = [
        (model, channel, credit.conversions, credit.value if table.has_value else math.nan)
        for model in sorted(functions)
        for channel, credit in sorted(functions[model](table).items())
    ]
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    return frame.astype({"conversions": "float64", "value": "float64"})


def format_number(number: float) -> str:
    """A credit for a CSV: up to 9 decimals, no trailing zeros, empty for NaN."""
    if math.isnan(number):
        return ""
    text = f"{number:.9f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def to_csv(results: pd.DataFrame) -> str:
    """The results of :func:`attribute` as CSV text (``model,channel,conversions,value``).

    Args:
        results: A frame as returned by :func:`attribute`.

    Returns:
        The CSV with a header, ``\\n`` line ends, numbers rounded to 9 decimals and
        ``value`` left empty where it is NaN.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    for model, channel, conversions, value in results[RESULT_COLUMNS].itertuples(index=False):
        writer.writerow([model, channel, format_number(conversions), format_number(value)])
    return buffer.getvalue()
