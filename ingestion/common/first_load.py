"""Appending a resource's first load instead of merging it.

A first load has nothing to merge with, and dlt's merge (staging table, delete,
insert) costs about twice an append. Sources still make keys unique within the run.
"""

from __future__ import annotations

from typing import Any

import dlt


def first_load() -> bool:
    """Whether this run is the first load of the running resource: nothing to merge with.

    The resource state keeps the id of that first load; dlt commits the state only
    together with the load's rows, so a run that failed leaves the next one first.
    """
    state = dlt.current.resource_state()
    load_id = dlt.current.load_package_state()["load_id"]
    return state.setdefault("first_load_id", load_id) == load_id


def as_appended(item: Any) -> Any:
    """``item`` marked to be appended rather than merged."""
    # A new hints dict each time: dlt keeps and merges the hints it is given.
    return dlt.mark.with_hints(item, dlt.mark.make_hints(write_disposition="append"))
