"""Reading the aggregated-path CSV: what is tolerated and what is refused in one line."""

from pathlib import Path

import pytest

from ml.attribution import PathFileError, PathRow, parse_paths_csv, read_paths_csv


def test_semicolons_bom_spacing_blank_lines_and_number_styles(tmp_path: Path):
    text = (
        "\ufeff path ; Total_Conversions ;total_conversion_value; total_null \r\n"
        "\r\n"
        " Search>Email >  Direct ; 1,234 ; 12.0 ; 3\r\n"
        "   \r\n"
        "Display;0;;7\r\n"
        ";;;\r\n"
        'Search > Email > Direct;1.5;"1,000.25";0\r\n'
    )
    file = tmp_path / "paths.csv"
    file.write_bytes(text.encode("utf-8"))
    table = read_paths_csv(file)
    # The first and last rows are the same path once spacing is normalised: summed.
    assert table.rows == (
        PathRow(("Search", "Email", "Direct"), conversions=1235.5, value=1012.25, nulls=3.0),
        PathRow(("Display",), conversions=0.0, value=0.0, nulls=7.0),
    )
    assert table.has_value and table.has_nulls


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(delimiter: str):
    rows = [["extra", "path", "total_conversions"], ["x", "A > B", "2"], ["y", "B", "1"]]
    table = parse_paths_csv("\n".join(delimiter.join(row) for row in rows))
    assert [(row.path, row.conversions) for row in table.rows] == [(("A", "B"), 2.0), (("B",), 1.0)]
    assert not table.has_value and not table.has_nulls


def test_quoted_thousands_in_a_comma_file_and_a_trailing_delimiter():
    table = parse_paths_csv('path,total_conversions\n"A > B","1,234",\nB, "2,000"\n')
    assert [row.conversions for row in table.rows] == [1234.0, 2000.0]


def test_utf16_excel_export(tmp_path: Path):
    file = tmp_path / "paths.txt"
    file.write_bytes("path\ttotal_conversions\nA > B\t3\n".encode("utf-16"))
    assert read_paths_csv(file).rows == (PathRow(("A", "B"), 3.0),)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("path;conversions\nA;1\n", 1, "no column total_conversions"),
        ("\n\nchannels,total_conversions\nA,1\n", 3, "no column path"),
        ("path;total_conversions\n\nA > B;abc\n", 3, "'abc', not a number"),
        ("path;total_conversions\nA;1\nB;12,5\n", 3, "'12,5', not a number"),
        ("path;total_conversions\nA;-2\n", 2, "negative"),
        ("path;total_conversions\nA;\n", 2, "total_conversions is empty"),
        ("path;total_conversions\n  ;4\n", 2, "the path is empty"),
        ("path;total_conversions\nA > > B;4\n", 2, "empty channel name"),
        ("path;total_conversions\nA;1;9\n", 2, "3 fields where the header has 2"),
        ("path;total_conversions;total_null\nA;1\n", 2, "2 fields where the header has 3"),
        ("path;total_conversions\n\n", 2, "no paths below the header"),
        ("\n  \n", 1, "the file is empty"),
    ],
)
def test_bad_input_is_one_line_naming_the_line(text: str, line: int, says: str):
    with pytest.raises(PathFileError) as caught:
        parse_paths_csv(text)
    message = str(caught.value)
    assert message.startswith(f"line {line}: ")
    assert says in message
    assert "\n" not in message
    assert caught.value.line == line


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path):
    file = tmp_path / "latin1.csv"
    file.write_bytes("path,total_conversions\nA,1\nRéseau,2\n".encode("latin-1"))
    with pytest.raises(PathFileError, match=r"^line 3: the file is not UTF-8"):
        read_paths_csv(file)
