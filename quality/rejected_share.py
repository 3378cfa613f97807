"""How much of each raw table a source rejected: the raw layer's first quality signal."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingestion.common.rejects import REJECTED_TABLE


@dataclass(frozen=True)
class RejectedShare:
    """Loaded and rejected rows of one raw table, with the most common reasons."""

    table: str
    loaded: int
    rejected: int
    top_reasons: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        """Rejected rows over all rows received (0 when nothing arrived)."""
        total = self.loaded + self.rejected
        return self.rejected / total if total else 0.0


def _existing_tables(con: duckdb.DuckDBPyConnection, dataset: str) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [dataset]
    ).fetchall()
    return {name for (name,) in rows}


def table_row_counts(
    con: duckdb.DuckDBPyConnection, dataset: str, tables: list[str]
) -> dict[str, int]:
    """Rows in each table of a dataset that exists (a table not created yet is left out)."""
    existing = _existing_tables(con, dataset)
    counts = {}
    for table in tables:
        if table in existing:
            (counts[table],) = con.execute(f'select count(*) from "{dataset}"."{table}"').fetchone()
    return counts


def rejected_shares(
    con: duckdb.DuckDBPyConnection, dataset: str, tables: list[str]
) -> dict[str, RejectedShare]:
    """Rejected share of each table of a raw dataset, counted over all loads so far."""
    existing = _existing_tables(con, dataset)
    reasons: dict[str, list[tuple[str, int]]] = {}
    if REJECTED_TABLE in existing:
        for table, reason, n in con.execute(
            f'select table_name, reason, count(*) from "{dataset}"."{REJECTED_TABLE}" '
            "group by all order by 3 desc"
        ).fetchall():
            reasons.setdefault(table, []).append((reason, n))
    loaded = table_row_counts(con, dataset, tables)
    shares = {}
    for table in tables:
        table_reasons = reasons.get(table, [])
        shares[table] = RejectedShare(
            table=table,
            loaded=loaded.get(table, 0),
            rejected=sum(n for _, n in table_reasons),
            top_reasons=tuple(table_reasons[:3]),
        )
    return shares
