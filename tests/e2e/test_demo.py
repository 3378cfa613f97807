"""`salesdw demo` end to end on a small company, checked against the sandbox's ground truth."""

from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pytest
from e2e_harness import count_rows as _count
from e2e_harness import salesdw as _salesdw

from sandbox.world.tables import read_system_table, read_truth_table

pytestmark = pytest.mark.slow


def _defects(sandbox_dir: Path, system: str, table: str) -> set[str]:
    defects = read_truth_table(sandbox_dir, "defects")
    mask = pc.and_(pc.equal(defects["system"], system), pc.equal(defects["table"], table))
    return set(defects.filter(mask)["record_id"].to_pylist())


def test_demo_prints_a_summary_naming_the_warehouse(demo_home: Path):
    stdout = (demo_home / "demo-stdout.txt").read_text()
    assert f"Warehouse: {demo_home / 'warehouse.duckdb'}" in stdout
    for source in ("crm", "wechat_work", "sem", "exhibition", "bank"):
        assert f"\n  {source} " in stdout
    assert "Rejected rows:" in stdout


def test_demo_loads_every_source_as_the_world_holds_it(demo_home: Path):
    sandbox = demo_home / "sandbox"
    with duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True) as con:
        for table in ("leads", "opportunities", "marketing_events", "orders", "invoices"):
            world = read_system_table(sandbox, "crm", table).num_rows
            assert _count(con, f"raw_crm.{table}") == world, table
        contacts = read_system_table(sandbox, "wechat_work", "external_contacts").num_rows
        assert _count(con, "raw_wechat_work.external_contacts") == contacts
        baidu = read_system_table(sandbox, "sem", "baidu_leads")
        bad = _defects(sandbox, "sem", "baidu_leads")
        assert _count(con, "raw_sem.baidu_leads") == baidu.num_rows - len(bad)
        assert _count(con, "raw_sem.rejected_rows", "table_name = 'baidu_leads'") == len(bad)
        scans = read_system_table(sandbox, "exhibition", "badge_scans").num_rows
        bad_scans = _defects(sandbox, "exhibition", "badge_scans")
        assert _count(con, "raw_exhibition.badge_scans") == scans - len(bad_scans)
        bank_lines = read_system_table(sandbox, "bank", "bank_lines").num_rows
        assert _count(con, "raw_bank.transactions") == bank_lines


def test_second_ingest_changes_nothing(demo_home: Path):
    def snapshot() -> dict[str, int]:
        with duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True) as con:
            tables = con.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema like 'raw_%' and table_schema not like '%_staging' "
                "and table_name not like '_dlt%'"
            ).fetchall()
            return {t: _count(con, t) for (t,) in tables}

    before = snapshot()
    result = _salesdw("ingest", "--sandbox", home=demo_home)
    assert result.returncode == 0, result.stderr[-3000:]
    assert snapshot() == before
