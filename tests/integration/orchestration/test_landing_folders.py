"""Which landing folder a file source reads: the configured one, else the home's."""

from pathlib import Path

import duckdb
import pytest

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import resolve_home
from ingestion.sources import build_source

BADGE_CSV = (
    "姓名,手机,邮箱,公司,扫码时间,展会\n张伟,13800138000,,云帆科技,2025-05-12 10:00:00,工博会\n"
)


def _loaded_file_names(home_dir: Path) -> list[str]:
    home = resolve_home(home_dir)
    run_pipeline(
        make_pipeline("exhibition", home),
        build_source("exhibition", home),
        source_name="exhibition",
    )
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return [name for (name,) in con.execute("select name from raw_exhibition.files").fetchall()]


def test_file_source_reads_the_home_landing_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SOURCES__EXHIBITION__LANDING_DIR", raising=False)
    landing = resolve_home(tmp_path).landing("exhibition")
    landing.mkdir(parents=True)
    (landing / "home-drop.csv").write_text(BADGE_CSV, encoding="utf-8")
    assert _loaded_file_names(tmp_path) == ["home-drop.csv"]


def test_configured_landing_folder_wins_over_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    configured = tmp_path / "organiser-drop"
    configured.mkdir()
    (configured / "configured.csv").write_text(BADGE_CSV, encoding="utf-8")
    home_landing = resolve_home(tmp_path / "home").landing("exhibition")
    home_landing.mkdir(parents=True)
    (home_landing / "ignored.csv").write_text(BADGE_CSV, encoding="utf-8")
    monkeypatch.setenv("SOURCES__EXHIBITION__LANDING_DIR", str(configured))
    assert _loaded_file_names(tmp_path / "home") == ["configured.csv"]
