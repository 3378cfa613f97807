"""Whole-column scan times and extra_json give exactly what the row-by-row rules give."""

from __future__ import annotations

import json
import random

import pyarrow as pa

from ingestion.exhibition.rows import extra_json
from ingestion.exhibition.timestamps import parse_scan_time, parse_scan_times


def _fuzzed_times(count: int) -> list[str | None]:
    """Exports' shapes with impossible parts, years at the edges and Excel serials."""
    rng = random.Random(5)
    out: list[str | None] = []
    for _ in range(count):
        year = rng.choice([1999, 2000, 2025, 2099, 2100])
        month, day = rng.randint(0, 13), rng.randint(0, 32)
        hour, minute, second = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        shape = rng.random()
        if shape < 0.4:
            out.append(f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}")
        elif shape < 0.6:
            out.append(f"{year}/{month}/{day} {hour}:{minute:02d}:{second:02d}")
        elif shape < 0.75:
            out.append(f"{rng.uniform(36000, 74000):.{rng.randint(0, 9)}f}")
        elif shape < 0.8:
            out.append(f"{year}年{month}月{day}日 {hour}:{minute}")
        else:
            out.append(
                rng.choice([
                    None, "", "45789.585x", "４５７８９.５", " 45789.5\t", "99999", "12345.5",
                    " 2025-05-12 14:03:11 ", "2025-05-12T14:03:11+08:00", "2025-05-12",
                    "2000-01-01 07:59:59", "2100-01-01 07:59:59", "2024-02-29 00:00:00",
                    "2025-02-29 00:00:00", "下午 2025-05-12 2:03", "2025-05-12 2:03 PM",
                ])
            )  # fmt: skip
    return out


def test_scan_times_equal_the_scalar_parser() -> None:
    values = _fuzzed_times(20000)
    got = parse_scan_times(pa.array(values, pa.string())).to_pylist()
    expected = [parse_scan_time(v) for v in values]
    assert got == expected
    assert 5000 < sum(e is not None for e in expected) < 15000  # good and bad both covered
    offset = parse_scan_times(pa.array(values, pa.string()), utc_offset_hours=-5).to_pylist()
    assert offset == [parse_scan_time(v, -5) for v in values]


def test_extra_json_equals_json_dumps_of_the_non_blank_cells() -> None:
    rng = random.Random(9)
    cells = ["", " ", "\u3000", "\x1c", "wx_1", '微信 "a"', "a\\b", "x\ny", "中国"]
    labels = ["序号", "微信号", "Country"]
    columns = [[rng.choice(cells) for _ in range(3000)] for _ in labels]
    got = extra_json([pa.array(c, pa.string()) for c in columns], labels, 3000).to_pylist()
    expected = []
    for row in zip(*columns, strict=True):
        kept = {k: v for k, v in zip(labels, row, strict=True) if v and v.strip()}
        expected.append(json.dumps(kept, ensure_ascii=False) if kept else None)
    assert got == expected
    assert None in got and any(g and "\\n" in g for g in got)


def test_extra_json_with_two_unknown_columns_of_one_name() -> None:
    columns = [pa.array(["a", ""], pa.string()), pa.array(["b", "c"], pa.string())]
    assert extra_json(columns, ["X", "X"], 2).to_pylist() == ['{"X": "b"}', '{"X": "c"}']
