"""The command line: clear one-line errors a person can act on."""

from pathlib import Path

import pytest

from orchestration.cli.main import build_parser, main


def test_inspect_of_a_missing_file_says_what_to_do(capsys: pytest.CaptureFixture[str]):
    assert main(["inspect", "/nonexistent/statement.sta"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "is not a file" in err and "bank statement" in err


def test_inspect_of_an_unreadable_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    assert main(["inspect", str(junk)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("salesdw: cannot read junk.bin:")
    assert err.count("\n") == 0


def test_ingest_without_a_sandbox_company_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert main(["ingest", "--sandbox", "--home", str(tmp_path)]) == 2
    assert "salesdw sandbox generate" in capsys.readouterr().err


def test_unknown_source_is_refused_by_the_parser():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ingest", "hubspot"])
