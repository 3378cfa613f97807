"""Multi-touch attribution over conversion paths: heuristics, Markov chains, Shapley values.

Pure Python (pandas and numpy), so the CLI, a Dagster asset or a dbt Python
model can call the same code::

    from ml.attribution import attribute, read_paths_csv

    results = attribute(read_paths_csv("paths.csv"), models=["markov", "shapley"])

See ``ml/attribution/README.md`` for the input format and each model's conventions.
"""

from __future__ import annotations

from ml.attribution.heuristics import touch_attribution
from ml.attribution.markov import MarkovChain, RemovalEffects, build_chain, removal_effects
from ml.attribution.models import MODELS, attribute, to_csv
from ml.attribution.paths import Credit, PathRow, PathTable, split_path, to_path_table
from ml.attribution.reader import PathFileError, parse_paths_csv, read_paths_csv
from ml.attribution.shapley import shapley_attribution
from ml.attribution.weights import channel_weights

__all__ = [
    "MODELS",
    "Credit",
    "MarkovChain",
    "PathFileError",
    "PathRow",
    "PathTable",
    "RemovalEffects",
    "attribute",
    "build_chain",
    "channel_weights",
    "parse_paths_csv",
    "read_paths_csv",
    "removal_effects",
    "shapley_attribution",
    "split_path",
    "to_csv",
    "to_path_table",
    "touch_attribution",
]
