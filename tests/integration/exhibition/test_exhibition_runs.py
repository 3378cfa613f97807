"""Runs over time: new files, faulty files, crashes half way, configuration by env var."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dlt
import pytest
from exhibition_harness import assert_each_loaded_once, load, query, world_scans

import ingestion.exhibition as exhibition_package
from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.exhibition import exhibition_source
from ingestion.settings import resolve_home
from sandbox.files.exhibition import ExhibitionFileFaults, write_exhibition_files
from sandbox.world.tables import read_truth_table


@pytest.fixture(scope="module")
def world_files(small_world: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The world's files without faults, in a staging folder tests copy from."""
    return write_exhibition_files(small_world, tmp_path_factory.mktemp("exhibition_staging"))


def _good_scans_of(small_world: Path, files: list[Path]) -> list[tuple[str, str, dt.datetime]]:
    """The distinct good scans the given files hold."""
    ids = {f.name.removeprefix("badge_scans_").split(".")[0] for f in files}
    return sorted(set(world_scans(small_world).good_keys(exhibitions=ids)))


def test_a_new_file_later_loads_only_its_rows(
    small_world: Path, world_files: list[Path], tmp_path: Path
) -> None:
    home, landing = resolve_home(tmp_path / "home"), tmp_path / "landing"
    landing.mkdir()
    early, late = world_files[:-1], world_files[-1:]
    for path in early:
        shutil.copy(path, landing)
    load(home, landing)
    assert_each_loaded_once(home, _good_scans_of(small_world, early))

    shutil.copy(late[0], landing)
    second = load(home, landing)
    assert second.rows_per_table["badge_scans"] == len(_good_scans_of(small_world, late))
    assert second.rows_per_table["files"] == 1
    assert_each_loaded_once(home, _good_scans_of(small_world, world_files))

    # The organiser re-sends an old file renamed: the same content is not read again.
    shutil.copy(early[0], landing / f"resent_{early[0].name}")
    assert load(home, landing).rows_per_table == {}


def test_faulty_files_keep_their_good_rows(small_world: Path, tmp_path: Path) -> None:
    faults = ExhibitionFileFaults(truncate_files=1, malformed_rows_per_file=3, unreadable_files=2)
    files = write_exhibition_files(small_world, tmp_path / "landing", faults=faults)
    injected = read_truth_table(small_world, "exhibition_file_faults").to_pylist()
    home = resolve_home(tmp_path / "home")
    summary = load(home, tmp_path / "landing")

    world = world_scans(small_world)
    faulted = {f["scan_id"] for f in injected if f["scan_id"]}
    assert {f["fault"] for f in injected} == {
        "truncated_row",
        "extra_field",
        "bad_time",
        "no_contact",
        "unreadable_file",
    }
    assert_each_loaded_once(home, world.good_keys(exclude=faulted))

    rejected = dict(query(home, "select source_ref, reason from raw_exhibition.rejected_rows"))
    for fault in injected:
        if fault["fault"] == "unreadable_file":
            assert fault["file_name"] in rejected
            continue
        reason = rejected[f"{fault['file_name']}:{fault['line']}"]
        expected = {
            "truncated_row": "truncated file",
            "extra_field": "fields but the header",
            "bad_time": "cannot be parsed",
            "no_contact": "is usable",
        }[fault["fault"]]
        if fault["scan_id"] in {r["scan_id"] for r in world.bad}:
            continue  # a defective world row may be rejected for its own defect first
        assert expected in reason, (fault, reason)
    statuses = dict(query(home, "select name, status from raw_exhibition.files"))
    assert len(statuses) == len(files)
    assert sorted(s for s in statuses.values() if s == "rejected") == ["rejected"] * 2
    assert summary.rejected_rows == len(rejected)


def test_crash_while_reading_files_then_rerun(
    small_world: Path, world_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, landing = resolve_home(tmp_path / "home"), tmp_path / "landing"
    shutil.copytree(world_files[0].parent, landing)
    real_parse = exhibition_package.parse_file
    calls = {"n": 0}

    def crashing_parse(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == min(3, len(world_files)):
            raise OSError("disk went away")
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(exhibition_package, "parse_file", crashing_parse)
    with pytest.raises(Exception, match="disk went away"):
        load(home, landing)
    monkeypatch.setattr(exhibition_package, "parse_file", real_parse)
    load(home, landing)
    assert_each_loaded_once(home, _good_scans_of(small_world, world_files))
    rejects = query(
        home, "select count(*), count(distinct reject_id) from raw_exhibition.rejected_rows"
    )[0]
    world = world_scans(small_world)
    assert rejects[0] == rejects[1] == len(world.bad) + world.same_second_repeats()
    assert load(home, landing).rows_per_table == {}


def test_crash_before_load_then_rerun(
    small_world: Path, world_files: list[Path], tmp_path: Path
) -> None:
    home, landing = resolve_home(tmp_path / "home"), tmp_path / "landing"
    shutil.copytree(world_files[0].parent, landing)
    pipeline = make_pipeline("exhibition", home)
    pipeline.extract(exhibition_source(landing_dir=str(landing)), loader_file_format="parquet")
    pipeline.normalize()  # the process dies here: a package is extracted but not loaded
    del pipeline

    load(home, landing)  # finishes the pending package, then finds nothing new
    assert_each_loaded_once(home, _good_scans_of(small_world, world_files))
    files = query(home, "select count(*) from raw_exhibition.files")[0][0]
    assert files == len(world_files)
    assert load(home, landing).rows_per_table == {}


def test_landing_dir_from_env_var(
    small_world: Path, world_files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "configured"
    landing.mkdir()
    shutil.copy(world_files[0], landing)
    monkeypatch.setenv("SOURCES__EXHIBITION__LANDING_DIR", str(landing))
    source = exhibition_source()
    assert set(source.resources) == {"badge_scans", "files"}
    home = resolve_home(tmp_path / "home")
    summary = run_pipeline(make_pipeline("exhibition", home), source, source_name="exhibition")
    expected = _good_scans_of(small_world, world_files[:1])
    assert summary.rows_per_table["badge_scans"] == len(expected)
    state = dlt.pipeline("salesdw_exhibition", pipelines_dir=str(home.pipelines_dir)).state
    loaded = state["sources"]["exhibition"]["resources"]["parsed_files"]["loaded_files"]
    assert [v["name"] for v in loaded.values()] == [world_files[0].name]
