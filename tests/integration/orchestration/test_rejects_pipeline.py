"""The shared reject path: bad rows land once with their reason, however often a run repeats."""

from pathlib import Path

import dlt
import duckdb
import pyarrow as pa

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.common.rejects import as_rejected, rejected_row
from ingestion.settings import resolve_home


@dlt.source(name="toy")
def toy_source(rows: list[dict]):
    @dlt.resource(name="items", primary_key="id", write_disposition="merge")
    def items():
        good = [r for r in rows if r.get("id")]
        bad = [r for r in rows if not r.get("id")]
        yield pa.Table.from_pylist(good, schema=pa.schema([("id", pa.string()), ("v", pa.int64())]))
        yield as_rejected(
            [rejected_row("items", "missing id", r, f"toy:row {i}") for i, r in enumerate(bad)]
        )

    return items


def test_rejected_rows_are_kept_once_and_counted(tmp_path: Path):
    home = resolve_home(tmp_path)
    rows = [{"id": "a", "v": 1}, {"id": None, "v": 2}, {"id": "b", "v": 3}]
    first = run_pipeline(make_pipeline("toy", home), toy_source(rows), source_name="toy")
    second = run_pipeline(make_pipeline("toy", home), toy_source(rows), source_name="toy")

    assert first.rows_per_table == {"items": 2}
    assert first.rejected_rows == 1
    assert second.rejected_rows == 1  # re-sent, but merged on its key
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_toy.items").fetchone() == (2,)
        rejected = con.execute(
            "select table_name, reason, source_ref, raw_payload from raw_toy.rejected_rows"
        ).fetchall()
    assert rejected == [("items", "missing id", "toy:row 0", '{"id": null, "v": 2}')]
