"""Which files of a landing folder the source picks up."""

from __future__ import annotations

from pathlib import Path

from ingestion.exhibition.helpers import is_supported, landed_files


def test_landed_files_skip_locks_hidden_and_partial_downloads(tmp_path: Path) -> None:
    for name in [
        "b.csv",
        "a.xlsx",
        "~$a.xlsx",
        ".hidden.csv",
        "c.csv.part",
        "d.tmp",
        "e.pdf",
        "sub/f.CSV",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in landed_files(tmp_path)] == [
        "a.xlsx",
        "b.csv",
        "e.pdf",
        "sub/f.CSV",
    ]
    assert [is_supported(p) for p in landed_files(tmp_path)] == [True, True, False, True]


def test_missing_landing_folder_is_empty(tmp_path: Path) -> None:
    assert landed_files(tmp_path / "nope") == []
