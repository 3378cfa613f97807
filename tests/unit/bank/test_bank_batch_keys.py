"""Keys computed a batch at a time equal the per-line definition, and batches share them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingestion.bank.parsers import UnreadableFileError, parse_file
from ingestion.bank.rows import RowBuffer, _digest, line_identity
from ingestion.bank.transactions import SEP

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"


def _expected_keys(path: Path) -> list[tuple[str, int]]:
    """(transaction_key, occurrence) of each accepted line, computed one line at a time."""
    keys: list[tuple[str, int]] = []
    for statement in parse_file(path).statements:
        if statement.is_rejected:
            continue
        seen: Counter[str] = Counter()
        for entry in statement.entries:
            if entry.error is not None:
                continue
            identity = line_identity(statement.account or "", entry)
            keys.append((_digest(f"{identity}{SEP}{seen[identity]}"), seen[identity]))
            seen[identity] += 1
    return keys


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_batch_keys_equal_the_per_line_keys(path: Path) -> None:
    try:
        expected = _expected_keys(path)
    except UnreadableFileError:
        pytest.skip("not a statement file")
    buffer = RowBuffer()
    buffer.add_parsed("f", path.name, 1, parse_file(path))
    transactions = buffer.take_tables()[2]
    first = {}
    for key, occurrence in expected:
        first.setdefault(key, occurrence)
    got = zip(
        transactions["transaction_key"].to_pylist(),
        transactions["occurrence"].to_pylist(),
        strict=True,
    )
    assert list(got) == list(first.items())


def test_a_later_batch_drops_lines_an_earlier_batch_took() -> None:
    path = FIXTURES / "mt940_deutsche_bank.sta"
    buffer = RowBuffer()
    buffer.add_parsed("a", "a.sta", 1, parse_file(path))
    first = buffer.take_tables()[2]
    buffer.add_parsed("b", "b.sta", 1, parse_file(path))
    files, statements, second, _ = buffer.take_tables()
    assert first.num_rows > 0 and second.num_rows == 0
    assert files["entry_count"].to_pylist() == [first.num_rows]  # counted, not loaded twice
    assert statements.num_rows >= 1
