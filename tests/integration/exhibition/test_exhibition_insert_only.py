"""badge_scans is insert-only: a re-export of loaded scans, in the same run or later, adds
no row, and the first delivery of a scan stays as it was loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from exhibition_harness import load, query

from ingestion.settings import resolve_home
from sandbox.files.exhibition import write_exhibition_files


@pytest.fixture(scope="module")
def one_csv(small_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The largest CSV file of the world (a file to re-export)."""
    files = write_exhibition_files(small_world, tmp_path_factory.mktemp("insert_only"))
    return max((f for f in files if f.suffix == ".csv"), key=lambda f: f.stat().st_size)


def _re_export(source: Path, target: Path) -> None:
    """The same scans in another file: different bytes (a blank line more), same rows."""
    target.write_bytes(source.read_bytes() + b"\r\n")


def _rows(home: object) -> list[tuple[str, int]]:
    return query(home, "select file_name, count(*) from raw_exhibition.badge_scans group by 1")


def test_a_re_export_in_the_same_run_loads_each_scan_once(one_csv: Path, tmp_path: Path) -> None:
    landing, home = tmp_path / "landing", resolve_home(tmp_path / "home")
    landing.mkdir()
    shutil.copy(one_csv, landing / f"a_{one_csv.name}")
    _re_export(one_csv, landing / f"b_{one_csv.name}")
    load(home, landing)
    ((total, distinct),) = query(
        home, "select count(*), count(distinct scan_key) from raw_exhibition.badge_scans"
    )
    assert total == distinct > 0
    assert _rows(home) == [(f"a_{one_csv.name}", total)]  # the first file of the run wins
    counted = dict(query(home, "select name, rows from raw_exhibition.files"))
    assert counted == {f"a_{one_csv.name}": total, f"b_{one_csv.name}": total}


def test_a_re_export_in_a_later_run_adds_nothing(one_csv: Path, tmp_path: Path) -> None:
    landing, home = tmp_path / "landing", resolve_home(tmp_path / "home")
    landing.mkdir()
    shutil.copy(one_csv, landing / one_csv.name)
    load(home, landing)
    before = _rows(home)
    _re_export(one_csv, landing / f"again_{one_csv.name}")
    load(home, landing)
    assert _rows(home) == before  # still every scan once, from the first file
    ((files,),) = query(home, "select count(*) from raw_exhibition.files")
    assert files == 2
