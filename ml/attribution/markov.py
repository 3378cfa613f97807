"""Markov-chain attribution with removal effects solved exactly as an absorbing chain.

Every journey walks ``start → state₁ → … → stateₘ → conversion | null``. For
order ``k`` a state is the tuple of the last ``k`` channels touched; the first
``k - 1`` states of a path hold fewer (``(A,)``, then ``(A, B)``, then
``(A, B, C)``, ``(B, C, D)`` … for ``k = 3``), so order 1 is the usual
first-order chain on channels. Transition probabilities are the observed
transition counts, each path weighted by its conversions plus nulls, divided
by the row totals. Repeated channels (``A > A``, ``A > B > A``) stay as they
are: loops are what the fundamental matrix is for.

With ``Q`` the transitions among transient states (start included) and ``r``
the one-step probability of converting from each, the probability of converting
from each state is ``x = (I - Q)⁻¹ r``. Removing a channel sends every
transition into a state containing it to null: those rows and columns leave
``Q`` and the system is solved again. Value works the same way with ``r``
replaced by the value collected on converting from each state (conversion
probability times the mean value of the journeys that converted there).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ml.attribution.paths import Credit, PathTable

State = tuple[str, ...]
_START = 0
# The solve is dense: 4,000 states is a 128 MB matrix and seconds per channel.
MAX_STATES = 4000


@dataclass(frozen=True)
class MarkovChain:
    """The transient part of an absorbing chain; index 0 is the start state.

    Attributes:
        states: The label of each transient state, ``()`` for start.
        transitions: ``Q``: probability of moving between transient states.
        conversion: ``r``: probability of converting on leaving each state.
        value: Expected conversion value collected on leaving each state.
    """

    states: tuple[State, ...]
    transitions: np.ndarray
    conversion: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class RemovalEffects:
    """The chain's outcome with every channel present, and the loss when each is removed.

    Attributes:
        conversion_probability: Probability that a journey from start converts.
        expected_value: Expected conversion value of a journey from start.
        effects: Per channel, the removal effect on conversions and on value: the
            share of the conversion probability (of the expected value) lost when
            the channel is removed, between 0 and 1.
    """

    conversion_probability: float
    expected_value: float
    effects: dict[str, Credit]


def path_states(path: tuple[str, ...], order: int) -> list[State]:
    """The states a path walks through: the last ``order`` channels after each touch.

    Args:
        path: The channels in order.
        order: Markov order (≥ 1).

    Returns:
        One state per touch; the first ``order - 1`` are shorter than ``order``.
    """
    return [path[max(0, i + 1 - order) : i + 1] for i in range(len(path))]


def build_chain(table: PathTable, order: int = 1) -> MarkovChain:
    """Estimate the transition probabilities of the order-``order`` chain.

    Args:
        table: The paths; journeys with neither conversions nor nulls are ignored.
        order: Markov order (≥ 1).

    Returns:
        The chain's transient part.

    Raises:
        ValueError: ``order`` is below 1, or the chain would have more than
            :data:`MAX_STATES` states.
    """
    if order < 1:
        raise ValueError(f"the Markov order must be 1 or more, not {order}")
    index: dict[State, int] = {(): _START}
    moves: defaultdict[tuple[int, int], float] = defaultdict(float)
    absorbed: defaultdict[int, float] = defaultdict(float)
    converted: defaultdict[int, float] = defaultdict(float)
    valued: defaultdict[int, float] = defaultdict(float)
    for row in table.rows:
        weight = row.conversions + row.nulls
        if weight == 0:
            continue
        previous = _START
        for state in path_states(row.path, order):
            current = index.setdefault(state, len(index))
            moves[previous, current] += weight
            previous = current
        absorbed[previous] += weight
        converted[previous] += row.conversions
        valued[previous] += row.value
    size = len(index)
    if size > MAX_STATES:
        raise ValueError(
            f"a Markov chain of order {order} over these paths has {size:,} states, more "
            f"than the {MAX_STATES:,} the exact solve takes; use a lower Markov order"
        )
    transitions = np.zeros((size, size))
    for (source, target), weight in moves.items():
        transitions[source, target] = weight
    leaving = transitions.sum(axis=1) + _vector(absorbed, size)
    # Only start can have nothing leaving it (no journey of positive weight);
    # dividing by 1 keeps its all-zero row.
    leaving[leaving == 0] = 1.0
    return MarkovChain(
        states=tuple(index),
        transitions=transitions / leaving[:, None],
        conversion=_vector(converted, size) / leaving,
        value=_vector(valued, size) / leaving,
    )


def _vector(weights: dict[int, float], size: int) -> np.ndarray:
    vector = np.zeros(size)
    for state, weight in weights.items():
        vector[state] = weight
    return vector


def absorb(chain: MarkovChain, removed: str | None = None) -> Credit:
    """Conversion probability and expected value of a journey from start.

    Args:
        chain: The chain.
        removed: A channel whose states turn into null, or None for the full chain.

    Returns:
        ``(probability of converting, expected conversion value)`` from start.
    """
    keep = np.array([removed is None or removed not in state for state in chain.states])
    keep[_START] = True
    kept = np.flatnonzero(keep)
    system = np.eye(len(kept)) - chain.transitions[np.ix_(kept, kept)]
    rewards = np.column_stack([chain.conversion[kept], chain.value[kept]])
    solution = np.linalg.solve(system, rewards)
    # kept is sorted and start is index 0, so start's row is the first one.
    return Credit(float(solution[0, 0]), float(solution[0, 1]))


def _loss(full: float, without: float) -> float:
    if full <= 0:
        return 0.0
    # Rounding can leave a removal a hair above the full chain; a loss is never negative.
    return min(1.0, max(0.0, 1.0 - without / full))


def removal_effects(table: PathTable, order: int = 1) -> RemovalEffects:
    """Removal effect of every channel, on conversions and on value.

    Args:
        table: The paths.
        order: Markov order (≥ 1).

    Returns:
        The full chain's outcome and each channel's removal effects.
    """
    chain = build_chain(table, order)
    full = absorb(chain)
    effects = {}
    for channel in table.channels:
        without = absorb(chain, channel)
        effects[channel] = Credit(
            _loss(full.conversions, without.conversions), _loss(full.value, without.value)
        )
    return RemovalEffects(full.conversions, full.value, effects)


def _shares(effects: dict[str, float], total: float) -> dict[str, float]:
    scale = sum(effects.values())
    if scale <= 0:
        return dict.fromkeys(effects, 0.0)
    return {channel: effect / scale * total for channel, effect in effects.items()}


def markov_attribution(table: PathTable, order: int = 1) -> dict[str, Credit]:
    """Total conversions and value shared in proportion to the removal effects.

    Args:
        table: The paths.
        order: Markov order (≥ 1).

    Returns:
        Credit per channel, every channel of the table included.
    """
    effects = removal_effects(table, order).effects
    conversions = _shares({c: e.conversions for c, e in effects.items()}, table.total_conversions)
    value = _shares({c: e.value for c, e in effects.items()}, table.total_value)
    return {channel: Credit(conversions[channel], value[channel]) for channel in effects}
