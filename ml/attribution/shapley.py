"""Shapley attribution for aggregated paths: Zhao et al. (2018), simplified Shapley value.

The channels are players. ``R(T)`` is the conversions (or value) of the paths
whose set of distinct channels is exactly ``T``, and a coalition ``S`` is worth
what the paths using only its channels brought in:

    v(S) = Σ_{T ⊆ S} R(T)

That game is a sum of unanimity games (one per observed channel set, scaled by
``R(T)``), and the Shapley value of a unanimity game on ``T`` is ``1/|T|`` for
each member. So the exact Shapley value is

    φ_j = Σ_{T ∋ j} R(T) / |T|

which is the "simplified Shapley value" of the paper. It costs one pass over the
paths whatever the number of channels: no enumeration of the 2ⁿ coalitions, no
sampling, no channel limit. Order within a path and repeated touches do not
change a path's channel set, hence do not change the credit; non-converting
paths add nothing to any ``v(S)``.
"""

from __future__ import annotations

from ml.attribution.paths import Credit, PathTable


def shapley_attribution(table: PathTable) -> dict[str, Credit]:
    """Exact Shapley value of every channel in the game ``v(S) = Σ_{T ⊆ S} R(T)``.

    Args:
        table: The paths.

    Returns:
        Credit per channel, every channel of the table included; conversions and
        value each sum to the table's totals (efficiency: ``Σ φ_j = v(all channels)``).
    """
    conversions = dict.fromkeys(table.channels, 0.0)
    value = dict.fromkeys(table.channels, 0.0)
    for row in table.rows:
        members = set(row.path)
        for channel in members:
            conversions[channel] += row.conversions / len(members)
            value[channel] += row.value / len(members)
    return {channel: Credit(conversions[channel], value[channel]) for channel in table.channels}
