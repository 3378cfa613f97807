"""``salesdw attribution``: end to end in a subprocess, and its one-line errors."""

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli.main import main

# The classic example with a value: only C1 > C2 > C3 converts, worth 90.
# Markov value: only C3 leads to a conversion; 90 over the 2 journeys leaving C3 = 45,
# E = P(reach C3)·45 = 2/3·45 = 30; without C1 E = 1/3·45 = 15 → RE ½, C2 and C3 → 1,
# so value shares 1/5, 2/5, 2/5 of 90 = 18, 36, 36 like the conversions.
CLASSIC_CSV = (
    "\ufeffpath;total_conversions;total_conversion_value;total_null\n"
    "\n"
    "C1 >C2>  C3;1;90.0;0\n"
    " C1 ;0;0;1\n"
    "C2 > C3;0;0;1\n"
)
EXPECTED = """model,channel,conversions,value
first_touch,C1,1,90
first_touch,C2,0,0
first_touch,C3,0,0
last_touch,C1,0,0
last_touch,C2,0,0
last_touch,C3,1,90
linear,C1,0.333333333,30
linear,C2,0.333333333,30
linear,C3,0.333333333,30
markov,C1,0.2,18
markov,C2,0.4,36
markov,C3,0.4,36
position_based,C1,0.4,36
position_based,C2,0.2,18
position_based,C3,0.4,36
shapley,C1,0.333333333,30
shapley,C2,0.333333333,30
shapley,C3,0.333333333,30
"""


def _run(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    file = tmp_path / "paths.csv"
    file.write_bytes(text.encode("utf-8"))
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli.main", "attribution", str(file), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_semicolon_file_with_bom_prints_every_model(tmp_path: Path):
    done = _run(tmp_path, CLASSIC_CSV)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED
    assert done.stderr.startswith("3 paths, 1 conversions, 3 channels, 6 models")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("path;total_null\nA;1\n", "paths.csv line 1: the header has no column total_conversions"),
        ("path;total_conversions\nA;1\nB;many\n", "paths.csv line 3: total_conversions is 'many'"),
    ],
)
def test_a_bad_file_is_one_line_and_a_failing_exit(tmp_path: Path, text: str, says: str):
    done = _run(tmp_path, text)
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"salesdw: {says}")


def test_output_file_and_a_summary_that_flags_missing_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    file = tmp_path / "paths.tsv"
    file.write_text("path\ttotal_conversions\nA > B\t1\nB\t1\n", encoding="utf-8")
    out = tmp_path / "credit.csv"
    code = main(["attribution", str(file), "--models", "markov, last_touch", "--output", str(out)])
    assert code == 0
    # Markov without nulls: RE_A = ½, RE_B = 1 → A ⅔, B 4/3 of 2 conversions.
    assert out.read_text(encoding="utf-8") == (
        "model,channel,conversions,value\n"
        "last_touch,A,0,\n"
        "last_touch,B,2,\n"
        "markov,A,0.666666667,\n"
        "markov,B,1.333333333,\n"
    )
    summary = capsys.readouterr().out
    assert f"→ {out}" in summary
    assert "value left empty" in summary and "Markov sees every path convert" in summary


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--models", "markov,u_shaped"], "unknown model u_shaped"),
        (["--markov-order", "0"], "--markov-order is 0"),
    ],
)
def test_bad_options_say_what_to_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
):
    file = tmp_path / "paths.csv"
    file.write_text("path,total_conversions\nA,1\n", encoding="utf-8")
    assert main(["attribution", str(file), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and err.count("\n") == 0


def test_a_missing_file_is_named(capsys: pytest.CaptureFixture[str]):
    assert main(["attribution", "/nonexistent/paths.csv"]) == 2
    assert "is not a file" in capsys.readouterr().err
