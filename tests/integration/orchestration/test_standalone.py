"""`python -m ingestion.<source>` loads one source without Dagster and says what it did."""

import subprocess
import sys
from pathlib import Path

import duckdb

BADGE_CSV = (
    "姓名,手机,邮箱,公司,扫码时间,展会\n张伟,13800138000,,云帆科技,2025-05-12 10:00:00,工博会\n"
)


def test_exhibition_loads_a_landing_folder_and_prints_one_summary_line(tmp_path: Path):
    landing = tmp_path / "drop"
    landing.mkdir()
    (landing / "scans.csv").write_text(BADGE_CSV + "李娜,138-abc,,,2025-05-12 11:00:00,工博会\n")
    home = tmp_path / "home"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingestion.exhibition",
            "--home",
            str(home),
            "--landing",
            str(landing),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().startswith("exhibition: 2 rows (badge_scans=1, files=1), 1 rejected")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select name from raw_exhibition.badge_scans").fetchall() == [("张伟",)]
