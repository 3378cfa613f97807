"""Markov and Shapley channel weights per conversion type and attribution level.

A Python model on purpose: the weights come from ``ml.attribution`` (exact absorbing-
chain removal effects, closed-form Shapley values), the library the ``salesdw
attribution`` command runs, so the warehouse and the command never disagree. It reads
only the aggregated path table (``int_attribution__paths``: distinct channel paths with
counts), never touches row by row; ``int_attribution__touch_shares`` then spreads each
conversion's credit over its touches in proportion to these weights.
"""

from ml.attribution import channel_weights


def model(dbt, session):
    dbt.config(materialized="table")
    markov_order = int(dbt.config.get("markov_order"))
    paths = dbt.ref("int_attribution__paths").df()
    weights = channel_weights(paths, markov_order=markov_order)
    weights.insert(2, "markov_order", markov_order)
    return weights.astype(
        {
            "conversion_type": "string",
            "attribution_level": "string",
            "model": "string",
            "channel": "string",
            "markov_order": "int64",
            "removal_effect": "float64",
            "credited_conversions": "float64",
            "channel_weight": "float64",
            "conversions_with_channel": "float64",
            "journeys_with_channel": "float64",
        }
    )
