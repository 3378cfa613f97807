"""Scan times: every accepted format, the rejected ones, and vectorised == scalar."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from ingestion.exhibition.timestamps import parse_scan_time, parse_scan_times

UTC = dt.UTC
T = dt.datetime(2025, 5, 12, 6, 3, 11, tzinfo=UTC)  # 14:03:11 in China

GOOD = [
    ("2025-05-12 14:03:11", T),
    ("2025/5/12 14:03:11", T),
    ("2025/05/12 14:03", T.replace(second=0)),
    ("2025.5.12 14:03:11", T),
    ("2025年5月12日 14:03:11", T),
    ("2025年5月12日14时03分11秒", T),
    ("2025-05-12T14:03:11", T),
    ("2025-05-12T14:03:11+08:00", T),
    ("2025-05-12T06:03:11Z", T),
    ("2025-05-12 14:03:11.734", T),
    ("2025/5/12 下午 2:03:11", T),
    ("2025/5/12 2:03:11 PM", T),
    ("2025/5/12 上午 12:03:11", dt.datetime(2025, 5, 11, 16, 3, 11, tzinfo=UTC)),
    ("２０２５－０５－１２　１４：０３：１１", T),
    (" 2025-05-12 14:03:11 ", T),
    ("2025-05-12", dt.datetime(2025, 5, 11, 16, 0, tzinfo=UTC)),
    ("45789.58554398", T),  # Excel serial as text
    (45789.58554398, T),  # Excel serial as a number cell
    (dt.datetime(2025, 5, 12, 14, 3, 11), T),  # XLSX date cell (local)
    (dt.datetime(2025, 5, 12, 14, 3, 10, 999_600), T),  # Excel float noise
]

BAD = [
    None,
    "",
    "bad time",
    "2025-13-45 25:61",
    "2025-02-30 10:00:00",
    "2025-05-12 24:00:00",
    "12/05/2025 14:03",
    "05/12/2025",
    "1999-12-31 23:00:00",
    "2100-01-01 00:00:00",
    "2025/5/12 下午 14:03:11",
    "12345",
    "45789.5x",
    "2025-05",
    [],
]


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_accepted_formats(raw: object, expected: dt.datetime) -> None:
    assert parse_scan_time(raw) == expected


@pytest.mark.parametrize("raw", BAD)
def test_rejected_values(raw: object) -> None:
    assert parse_scan_time(raw) is None


def test_other_offset() -> None:
    assert parse_scan_time("2025-05-12 14:03:11", utc_offset_hours=0) == T.replace(hour=14)


def test_vectorised_equals_scalar() -> None:
    texts = [raw for raw, _ in GOOD if isinstance(raw, str)]
    texts += [raw for raw in BAD if isinstance(raw, str) or raw is None]
    texts += [
        f"2025-{m}-{d} {h}:{mi}:{s}"
        for m in (1, 2, 12)
        for d in (1, 28, 29, 30, 31)
        for h in (0, 9, 23)
        for mi in ("00", "59")
        for s in ("00", "59", "60")
    ]
    result = parse_scan_times(pa.array(texts, pa.string())).to_pylist()
    assert result == [parse_scan_time(t) for t in texts]
    assert sum(r is not None for r in result) > 100


def test_common_shapes_take_the_vectorised_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingestion.exhibition.timestamps as timestamps

    calls: list[object] = []
    monkeypatch.setattr(timestamps, "parse_scan_time", lambda v, o=8: calls.append(v))
    values = ["2025-05-12 14:03:11", "2025/5/12 14:03", "2025-05-12", "2025年5月12日 9:03:11"]
    result = timestamps.parse_scan_times(pa.array(values * 50))
    assert calls == [] and result.null_count == 0
