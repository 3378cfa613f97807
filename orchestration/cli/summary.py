"""The run summary a person reads at the end of a command."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ingestion.common.rejects import REJECTED_TABLE
from ingestion.settings import Home
from quality.rejected_share import table_row_counts


@dataclass
class WarehouseCounts:
    """Rows per raw table and rejected rows per source, read from the warehouse."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)


def count_raw_tables(home: Home) -> WarehouseCounts:
    """Count the rows of every raw table (dlt's own tables excluded)."""
    counts = WarehouseCounts()
    if not home.warehouse.exists():
        return counts
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            # dlt's merge staging datasets (raw_x_staging) and its own tables are not data.
            "where table_schema like 'raw\\_%' escape '\\' "
            "and table_schema not like '%\\_staging' escape '\\' "
            "and table_name not like '\\_dlt%' escape '\\' order by 1, 2"
        ).fetchall()
        by_dataset: dict[str, list[str]] = {}
        for schema, table in tables:
            by_dataset.setdefault(schema, []).append(table)
        for dataset, names in by_dataset.items():
            source = dataset.removeprefix("raw_")
            for table, n in table_row_counts(con, dataset, names).items():
                if table == REJECTED_TABLE:
                    counts.rejected[source] = n
                else:
                    counts.rows.setdefault(source, {})[table] = n
    return counts


# Schemas whose tables a person reads (staging views and intermediate steps are not listed).
MART_SCHEMAS = ("core", "funnel", "journey", "attribution")


def count_warehouse_tables(home: Home) -> dict[str, dict[str, int]]:
    """Rows of every mart table, per schema."""
    counts: dict[str, dict[str, int]] = {}
    if not home.warehouse.exists():
        return counts
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        for schema in MART_SCHEMAS:
            names = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = ? order by 1",
                    [schema],
                ).fetchall()
            ]
            if names:
                counts[schema] = table_row_counts(con, schema, names)
    return counts


def format_summary(
    home: Home,
    counts: WarehouseCounts | None,
    stage_seconds: dict[str, float],
    step_seconds: dict[str, float] | None = None,
    marts: dict[str, dict[str, int]] | None = None,
) -> str:
    """A short, aligned text summary of a run: rows, rejects, marts, time per stage and step."""
    lines = [""]
    if counts is not None:
        lines.append("Rows per source and table:")
        for source, tables in counts.rows.items():
            total = sum(tables.values())
            rejected = counts.rejected.get(source, 0)
            lines.append(f"  {source:<22} {total:>10,} rows   {rejected:>7,} rejected")
            lines.extend(f"    {table:<30} {n:>10,}" for table, n in tables.items())
    if marts:
        lines.append("")
        lines.append("Marts built:")
        for schema, tables in marts.items():
            lines.extend(f"  {schema + '.' + table:<40} {n:>10,}" for table, n in tables.items())
    lines.append("")
    lines.append("Time per stage:")
    lines.extend(f"  {stage:<64} {sec:>7.1f} s" for stage, sec in stage_seconds.items())
    if step_seconds:
        lines.append("  of which Dagster steps:")
        lines.extend(f"    {step:<62} {sec:>7.1f} s" for step, sec in step_seconds.items())
    lines.append(f"  {'total':<64} {sum(stage_seconds.values()):>7.1f} s")
    lines.append("")
    lines.append(f"Warehouse: {home.warehouse}")
    if counts is not None:
        lines.append(
            f"Rejected rows: {sum(counts.rejected.values()):,} "
            "(see raw_<source>.rejected_rows for the reasons)"
        )
    return "\n".join(lines)
