from pathlib import Path

import pytest

from ingestion.settings import HOME_ENV_VAR, resolve_home


def test_explicit_home_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(HOME_ENV_VAR, str(tmp_path / "from-env"))
    assert resolve_home(tmp_path / "explicit").root == tmp_path / "explicit"


def test_environment_wins_over_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(HOME_ENV_VAR, str(tmp_path / "from-env"))
    assert resolve_home().root == tmp_path / "from-env"


def test_default_is_dot_salesdw_in_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv(HOME_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    home = resolve_home()
    assert home.root == tmp_path / ".salesdw"
    assert home.warehouse == tmp_path / ".salesdw" / "warehouse.duckdb"
    assert home.landing("bank") == tmp_path / ".salesdw" / "landing" / "bank"
