"""The whole-column paths (company keys, hashes, JSON objects) equal their scalar rules."""

from __future__ import annotations

import hashlib
import json
import random

import pyarrow as pa
import pytest
from normalize_cases import COMPANIES

from ingestion.common.arrow_json import json_object_array
from ingestion.common.normalize import (
    company_core_key,
    company_key_arrays,
    company_match_key,
    hash_identifier,
    hash_identifier_array,
    sha256_hex_array,
)
from ingestion.common.normalize.company import _REGIONS_ZH, _ZH_SUFFIXES


def _fuzzed_companies(count: int) -> list[str | None]:
    """Names built from the pieces the rules act on: legal forms, regions, brackets, spaces."""
    rng = random.Random(3)
    pieces = [*_ZH_SUFFIXES, *_REGIONS_ZH[:25], "省", "市", "(", ")", "（", "）", " ", "\u3000",
              "中国", "分公司", "北京分公司", "云帆", "信息", "科技", "1", "23", "有限", "责任",
              "Co.", "Ltd", "-", "【", "】", "Ｙｕｎ", "\t"]  # fmt: skip
    names: list[str | None] = [None, "", "  "]
    for _ in range(count):
        names.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))))
    return names


def test_company_keys_equal_the_scalar_rules() -> None:
    names = [n for n, _, _ in COMPANIES] + _fuzzed_companies(6000)
    match, core = company_key_arrays(pa.array(names * 2, pa.string()))
    assert match.to_pylist() == [company_match_key(n) for n in names] * 2
    assert core.to_pylist() == [company_core_key(n) for n in names] * 2
    assert sum(k is not None for k in match.to_pylist()) > 5000  # the fuzz is mostly names


def test_company_keys_of_an_empty_or_null_column() -> None:
    for values in (pa.array([], pa.string()), pa.array([None, None], pa.string())):
        match, core = company_key_arrays(values)
        assert match.to_pylist() == core.to_pylist() == [None] * len(values)


_SPACES = ["a", "中", " ", "\t", "\x1c", "\x1f", "\u3000", "\xa0", "\x85", "\u2028", "\u200b",
           "\x00", "\x7f", "é"]  # fmt: skip


@pytest.mark.parametrize("chars", [64, 32])
def test_hashes_equal_hash_identifier_whatever_the_whitespace(chars: int) -> None:
    rng = random.Random(chars)
    values = [None] + [
        "".join(rng.choice(_SPACES) for _ in range(rng.randint(0, 4))) for _ in range(3000)
    ]
    expected = [hash_identifier(v) for v in values]
    got = hash_identifier_array(pa.array(values, pa.string()), chars=chars).to_pylist()
    assert got == [e[:chars] if e else None for e in expected]
    plain = ["+8613800138000", "a@b.cn", "", None]  # the common case: hashed from the bytes
    assert hash_identifier_array(pa.array(plain)).to_pylist() == [hash_identifier(v) for v in plain]
    sliced = pa.array([" x ", "y", "z"]).slice(1)
    assert hash_identifier_array(sliced).to_pylist() == [hash_identifier("y"), hash_identifier("z")]


def test_sha256_hex_keeps_nulls_and_cuts_to_width() -> None:
    values = ["a", None, "", "中文"]
    assert sha256_hex_array(pa.array(values), 31).to_pylist() == [
        None if v is None else hashlib.sha256(v.encode()).hexdigest()[:31] for v in values
    ]


def test_json_objects_equal_json_dumps() -> None:
    rng = random.Random(1)
    alphabet = ["a", "中", '"', "\\", "\n", "\x01", "\t", " ", "\u2028", "\x7f", "é"]
    keys = ["序号", "微信号", 'a"b']
    columns = {
        key: [
            None if rng.random() < 0.5 else "".join(rng.choices(alphabet, k=rng.randint(0, 4)))
            for _ in range(2000)
        ]
        for key in keys
    }
    rows = [
        {k: v for k, v in zip(keys, values, strict=True) if v is not None}
        for values in zip(*columns.values(), strict=True)
    ]
    members = [(k, pa.array(v, pa.string())) for k, v in columns.items()]
    assert json_object_array(members, empty=None).to_pylist() == [
        json.dumps(r, ensure_ascii=False) if r else None for r in rows
    ]
    assert json_object_array(members).to_pylist() == [
        json.dumps(r, ensure_ascii=False) for r in rows
    ]
    assert any(not r for r in rows)  # rows without members are covered
