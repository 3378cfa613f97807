"""Files arriving later, crashes half way (exception, killed process) and configuration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bank_harness import BankDrop, load_bank, query
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.bank import bank_source
from ingestion.bank.parsers import parse_file
from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import Home

FAULT_SUFFIXES = ("_part", "_corrected", "_resend")


def _clean_files(drop: BankDrop) -> list[Path]:
    junk = {f["file_name"] for f in drop.faults if f["fault"] == "unreadable_file"}
    return [
        p for p in drop.files if p.name not in junk and not any(s in p.stem for s in FAULT_SUFFIXES)
    ]


def _assert_world_loaded_once(home: Home, drop: BankDrop) -> None:
    serials = Counter(r[0] for r in query(home, "select serial_no from raw_bank.transactions"))
    assert set(serials) == set(drop.world_lines["line_id"].to_pylist())
    assert max(serials.values()) == 1


def _copy(files: list[Path], landing: Path) -> None:
    landing.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, landing / path.name)


def _accepted_serials(path: Path) -> set[str]:
    return {
        e.references["serial_no"]
        for s in parse_file(path).statements
        if not s.is_rejected
        for e in s.entries
        if e.error is None
    }


def test_a_file_dropped_later_loads_only_its_rows(bank_drop: BankDrop, tmp_path: Path) -> None:
    clean = _clean_files(bank_drop)
    # The newest statement of an account is in no other file: hold that file back.
    held = max((p for p in clean if p.suffix != ".csv"), key=lambda p: p.stem.split("_")[-1])
    landing, home = tmp_path / "landing", Home(tmp_path / "home")
    _copy([p for p in clean if p != held], landing)
    load_bank(home, landing)
    before = {r[0] for r in query(home, "select serial_no from raw_bank.transactions")}
    expected_new = _accepted_serials(held) - before
    assert expected_new
    _copy([held], landing)
    summary = load_bank(home, landing)
    assert summary.rows_per_table["files"] == 1
    assert summary.rows_per_table["transactions"] == len(expected_new)
    _assert_world_loaded_once(home, bank_drop)


def test_exception_after_the_first_file_then_rerun(
    bank_drop: BankDrop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingestion.bank import helpers

    real_parse, calls = helpers.parse_bytes, Counter()

    def parse_then_crash(data: bytes):
        calls["files"] += 1
        if calls["files"] == 2:
            raise RuntimeError("simulated crash after the first file")
        return real_parse(data)

    home = Home(tmp_path / "home")
    monkeypatch.setattr(helpers, "parse_bytes", parse_then_crash)
    with pytest.raises(PipelineStepFailed, match="simulated crash"):
        load_bank(home, bank_drop.landing)
    monkeypatch.undo()
    assert not make_pipeline("bank", home).has_pending_data  # a failed extract leaves nothing
    load_bank(home, bank_drop.landing)
    _assert_world_loaded_once(home, bank_drop)
    assert load_bank(home, bank_drop.landing).rows == 0


_KILL_AFTER_NORMALIZE = """
import os, sys
from pathlib import Path
from ingestion.bank import bank_source
from ingestion.common.pipeline import make_pipeline
from ingestion.settings import Home
pipeline = make_pipeline("bank", Home(Path(sys.argv[1])))
pipeline.extract(bank_source(landing_dir=sys.argv[2]), loader_file_format="parquet")
pipeline.normalize()
os._exit(9)  # killed between normalize and load
"""

_KILL_DURING_EXTRACT = """
import os, sys
from pathlib import Path
from ingestion.bank import bank_source, helpers
from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import Home
real, calls = helpers.parse_bytes, []
def parse_then_die(data):
    calls.append(1)
    if len(calls) == 5:
        os._exit(9)  # killed in the middle of reading the files
    return real(data)
helpers.parse_bytes = parse_then_die
pipeline = make_pipeline("bank", Home(Path(sys.argv[1])))
run_pipeline(pipeline, bank_source(landing_dir=sys.argv[2]), source_name="bank")
"""


@pytest.mark.parametrize(
    "script",
    [_KILL_AFTER_NORMALIZE, _KILL_DURING_EXTRACT],
    ids=["after_normalize", "during_extract"],
)
def test_killed_process_then_rerun(bank_drop: BankDrop, tmp_path: Path, script: str) -> None:
    home = Home(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-c", script, str(home.root), str(bank_drop.landing)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 9, done.stderr[-2000:]
    # The re-run finishes the interrupted load package, or reads every file again.
    rerun = load_bank(home, bank_drop.landing)
    assert rerun.recovered_load_ids or rerun.rows > 0
    _assert_world_loaded_once(home, bank_drop)
    ((files,),) = query(home, "select count(*) from raw_bank.files")
    assert files == len(bank_drop.files)
    assert load_bank(home, bank_drop.landing).rows == 0


def test_landing_dir_comes_from_the_env_var(
    bank_drop: BankDrop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "configured"
    _copy(_clean_files(bank_drop)[:3], landing)
    monkeypatch.setenv("SOURCES__BANK__LANDING_DIR", str(landing))
    home = Home(tmp_path / "home")
    summary = run_pipeline(make_pipeline("bank", home), bank_source(), source_name="bank")
    assert summary.rows_per_table["files"] == 3
    names = {r[0] for r in query(home, "select file_name from raw_bank.files")}
    assert names == {p.name for p in _clean_files(bank_drop)[:3]}


def test_a_run_of_one_table_leaves_the_others_to_the_next_run(
    bank_drop: BankDrop, tmp_path: Path
) -> None:
    """Dagster may materialise a subset of the raw tables: the others still get every file."""
    home = Home(tmp_path / "home")
    pipeline = make_pipeline("bank", home)
    only = bank_source(landing_dir=str(bank_drop.landing)).with_resources("transactions")
    first = run_pipeline(pipeline, only, source_name="bank")
    assert set(first.rows_per_table) == {"transactions"}
    second = load_bank(home, bank_drop.landing)
    assert set(second.rows_per_table) == {"files", "statements"}
    _assert_world_loaded_once(home, bank_drop)
    ((files,),) = query(home, "select count(*) from raw_bank.files")
    assert files == len(bank_drop.files)
    assert load_bank(home, bank_drop.landing).rows == 0
