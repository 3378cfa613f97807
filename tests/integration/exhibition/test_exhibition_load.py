"""World badge scans -> organiser files -> dlt -> DuckDB, checked against the sandbox truth."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from exhibition_harness import (
    assert_each_loaded_once,
    load,
    query,
    true_phones_by_badge,
    world_scans,
)

from ingestion.common.pipeline import LoadSummary
from ingestion.exhibition.parser import parse_file
from ingestion.settings import Home, resolve_home
from sandbox.files.exhibition import write_exhibition_files
from sandbox.world.tables import read_system_table, write_table

_MOBILE = re.compile(r"\+861[3-9]\d{9}")


class CleanLoad:
    """The world's files without faults, loaded twice into one warehouse."""

    def __init__(
        self,
        home: Home,
        files: list[Path],
        first: LoadSummary,
        second: LoadSummary,
        counts_after_first: dict[str, int],
    ) -> None:
        self.home, self.files, self.first, self.second = home, files, first, second
        self.counts_after_first = counts_after_first


def _counts(home: Home) -> dict[str, int]:
    return {
        t: query(home, f"select count(*) from raw_exhibition.{t}")[0][0]
        for t in ("badge_scans", "files", "rejected_rows")
    }


@pytest.fixture(scope="module")
def clean(small_world: Path, tmp_path_factory: pytest.TempPathFactory) -> CleanLoad:
    root = tmp_path_factory.mktemp("exhibition_clean")
    home = resolve_home(root / "home")
    files = write_exhibition_files(small_world, root / "landing")
    first = load(home, root / "landing")
    counts = _counts(home)
    second = load(home, root / "landing")
    return CleanLoad(home, files, first, second, counts)


def test_every_good_scan_lands_exactly_once(small_world: Path, clean: CleanLoad) -> None:
    world = world_scans(small_world)
    assert len(world.good) > 50  # the world is not trivially small
    assert_each_loaded_once(clean.home, world.good_keys())
    repeats = world.same_second_repeats()
    assert clean.first.rows_per_table["badge_scans"] == len(world.good) - repeats


def test_phones_match_the_true_person(small_world: Path, clean: CleanLoad) -> None:
    true_phone = true_phones_by_badge(small_world)
    rows = query(
        clean.home,
        "select badge_id, mobile, mobile_e164, phone_hash from raw_exhibition.badge_scans",
    )
    mobiles = [(b, e164) for b, _, e164, _ in rows if e164 and _MOBILE.fullmatch(e164)]
    assert len(mobiles) > 0.7 * len(rows)
    wrong = [(b, e164, true_phone.get(b)) for b, e164 in mobiles if true_phone.get(b) != e164]
    assert wrong == []
    # Rows without a mobile show a landline (the company switchboard) or no phone at all.
    others = [e164 for _, _, e164, _ in rows if e164 and not _MOBILE.fullmatch(e164)]
    assert all(e.startswith("+86") and e[3] != "1" for e in others)
    assert all(h is None or len(h) == 64 for *_, h in rows)


def test_defects_are_rejected_with_reasons(small_world: Path, clean: CleanLoad) -> None:
    world = world_scans(small_world)
    assert world.bad, "the world should hold defective scans"
    rejected = query(
        clean.home, "select reason, source_ref, raw_payload from raw_exhibition.rejected_rows"
    )
    duplicates = [r for r in rejected if r[0].startswith("duplicate of line")]
    assert len(duplicates) == world.same_second_repeats()
    rejected = [r for r in rejected if not r[0].startswith("duplicate of line")]
    assert len(rejected) == len(world.bad)
    by_badge = Counter()
    for reason, source_ref, payload in rejected:
        assert re.fullmatch(r"badge_scans_\w+\.(csv|xlsx):\d+", source_ref)
        assert reason.endswith(("is usable", "cannot be parsed", "(a scanner clock was wrong)"))
        values = json.loads(payload)
        badge = next(v for k, v in values.items() if k in ("胸卡号", "证件号", "Badge ID"))
        by_badge[badge.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})] += 1
    assert by_badge == Counter(r["badge_id"] for r in world.bad)


def test_every_file_format_is_read_and_headers_map(small_world: Path, clean: CleanLoad) -> None:
    exhibitions = read_system_table(small_world, "exhibition", "exhibitions").to_pylist()
    files = {
        name: (fmt, enc, status, json.loads(header_map))
        for name, fmt, enc, status, header_map in query(
            clean.home,
            "select name, format, encoding, status, header_map_json from raw_exhibition.files",
        )
    }
    assert set(files) == {p.name for p in clean.files}
    expected_encoding = {"csv_utf8_bom": "utf-8-sig", "csv_gbk": "gb18030", "xlsx": None}
    for exhibition in exhibitions:
        name = next((n for n in files if exhibition["exhibition_id"] in n), None)
        if name is None:
            continue  # an exhibition without scans has no file
        fmt, encoding, status, header_map = files[name]
        assert status in ("loaded", "partial")
        assert encoding == expected_encoding[exhibition["file_format"]]
        assert fmt == ("xlsx" if exhibition["file_format"] == "xlsx" else "csv")
        mapped = {v for v in header_map.values() if v != "extra"}
        core = {"badge_id", "name", "mobile", "email", "company", "scanned_at", "rating"}
        assert core <= mapped, (name, header_map)
        extras = [k for k, v in header_map.items() if v == "extra"]
        assert (
            extras == {0: [], 1: ["序号", "微信号"], 2: ["Country"]}[exhibition["header_variant"]]
        )
    combos = {(e["file_format"], e["header_variant"]) for e in exhibitions}
    assert len({fmt for fmt, _ in combos}) >= 2


def test_a_second_run_adds_nothing(clean: CleanLoad) -> None:
    assert clean.second.rows_per_table == {} and clean.second.rejected_rows == 0
    assert _counts(clean.home) == clean.counts_after_first


@pytest.mark.parametrize("file_format", ["csv_utf8_bom", "csv_gbk", "xlsx"])
def test_all_header_variants_parse_in_every_format(
    small_world: Path, tmp_path: Path, file_format: str
) -> None:
    """Every (format, variant) pair, forced on all exhibitions, reads back every good scan."""
    world = world_scans(small_world)
    expected = Counter(world.good_keys())
    for variant in (0, 1, 2):
        sandbox = tmp_path / f"sandbox_{variant}"
        exhibitions = read_system_table(small_world, "exhibition", "exhibitions")
        n = exhibitions.num_rows
        exhibitions = exhibitions.set_column(
            exhibitions.schema.get_field_index("file_format"),
            "file_format",
            pa.array([file_format] * n, pa.string()),
        )
        exhibitions = exhibitions.set_column(
            exhibitions.schema.get_field_index("header_variant"),
            "header_variant",
            pa.array([variant] * n, pa.int32()),
        )
        write_table(sandbox / "world" / "exhibition" / "exhibitions.parquet", exhibitions)
        shutil.copy(
            small_world / "world" / "exhibition" / "badge_scans.parquet",
            sandbox / "world" / "exhibition" / "badge_scans.parquet",
        )
        got: Counter = Counter()
        for path in write_exhibition_files(sandbox, tmp_path / f"landing_{file_format}_{variant}"):
            table = parse_file(path).table
            got.update(
                zip(
                    table["exhibition_name"].to_pylist(),
                    table["badge_id"].to_pylist(),
                    pc.cast(table["scanned_at"], pa.timestamp("us", tz="UTC")).to_pylist(),
                    strict=True,
                )
            )
        assert set(got) == set(expected), (file_format, variant)
        assert sum(got.values()) == sum(expected.values()) - world.same_second_repeats()
