"""JSON text built over Arrow columns, byte for byte what ``json.dumps`` writes.

Sources keep unknown columns and references as JSON objects per row
(``json.dumps(obj, ensure_ascii=False)``, default separators). Building them row by
row in Python costs more than parsing the file; these helpers build them from whole
columns. A value only needs escaping when it holds a quote, a backslash or a control
character; those few go through ``json.dumps`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

_NEEDS_ESCAPE = r'["\\\x00-\x1f]'
_NULL = pa.scalar(None, pa.string())


def json_string_array(values: pa.Array) -> pa.Array:
    """Each value as a JSON string literal (quotes included); null stays null."""
    quoted = pc.binary_join_element_wise('"', values, '"', "")
    special = pc.fill_null(pc.match_substring_regex(values, _NEEDS_ESCAPE), False)
    if not pc.any(special).as_py():
        return quoted
    escaped = [json.dumps(v, ensure_ascii=False) for v in values.filter(special).to_pylist()]
    return pc.replace_with_mask(quoted, special, pa.array(escaped, pa.string()))


def json_object_array(
    members: Sequence[tuple[str, pa.Array]], *, empty: str | None = "{}"
) -> pa.Array:
    """``json.dumps({key: value, ...}, ensure_ascii=False)`` per row, members in the given order.

    Args:
        members: (key, string column) pairs; a null value leaves its key out of that row.
        empty: What a row without members becomes: ``"{}"`` or None (null).

    Returns:
        A string array of JSON objects.
    """
    if not members:
        raise ValueError("json_object_array needs at least one member")
    # Each member as ", key: value" or "" (Arrow's skip-nulls join drops all-null rows).
    pieces = [
        pc.fill_null(
            pc.binary_join_element_wise(
                f", {json.dumps(key, ensure_ascii=False)}: ", json_string_array(values), ""
            ),
            "",
        )
        for key, values in members
    ]
    body = pc.utf8_slice_codeunits(pc.binary_join_element_wise(*pieces, ""), 2)
    text = pc.binary_join_element_wise("{", body, "}", "")
    if empty == "{}":
        return text
    return pc.if_else(pc.equal(body, ""), pa.scalar(empty, pa.string()), text)
