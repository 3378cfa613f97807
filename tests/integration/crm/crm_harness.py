"""Running the CRM source against an emulator into a temporary warehouse, for tests."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.crm import crm_source
from ingestion.settings import Home
from sandbox.emulators.base import RunningEmulator
from sandbox.emulators.crm import CLIENT_ID, CLIENT_SECRET, CrmApp

FAST_RETRIES = {
    "request_max_attempts": 5,
    "request_backoff_factor": 0.01,
    "request_max_retry_delay": 0.02,
}


class CrmLoader:
    """Runs the CRM source against one emulator into one temporary home."""

    def __init__(self, emulator: RunningEmulator, home: Home) -> None:
        self.emulator = emulator
        self.home = home
        self.pipeline = make_pipeline("crm", home)

    @property
    def app(self) -> CrmApp:
        """The emulator's app (fault counters, stores)."""
        return self.emulator.app  # type: ignore[return-value]

    def run(self, **source_kwargs: object) -> LoadSummary:
        """One pipeline run; fast retries unless overridden."""
        kwargs = {
            "base_url": self.emulator.url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            **FAST_RETRIES,
            **source_kwargs,
        }
        return run_pipeline(self.pipeline, crm_source(**kwargs), source_name="crm")

    def table(self, name: str) -> pa.Table:
        """A raw_crm table as Arrow, sorted by id where it has one."""
        with duckdb.connect(str(self.home.warehouse), read_only=True) as con:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'raw_crm' and table_name = ?",
                    [name],
                ).fetchall()
            ]
            order = " order by id" if "id" in columns else ""
            return con.execute(f"select * from raw_crm.{name}{order}").to_arrow_table()

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        """Rows of a query on the warehouse."""
        with duckdb.connect(str(self.home.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()
