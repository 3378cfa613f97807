"""The vectorised normalisers return exactly what the scalar ones return."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from normalize_cases import BAD_EMAILS, COMPANIES, EMAILS, INVALID, VALID

from ingestion.common.normalize import (
    company_core_key,
    company_core_key_array,
    company_match_key,
    company_match_key_array,
    hash_identifier,
    hash_identifier_array,
    normalize_email,
    normalize_email_array,
    normalize_phone,
    normalize_phone_array,
    to_halfwidth,
    to_halfwidth_array,
)
from ingestion.common.normalize.text import to_fullwidth


def _strings(values: list[object]) -> list[str | None]:
    return [v if isinstance(v, str) or v is None else None for v in values]


def _fuzzed_phones(count: int) -> list[str | None]:
    """Random mixes of digits, prefixes and separators, many of them near-misses."""
    rng = random.Random(11)
    prefixes = ["", "+86", "+86 ", "0086", "86", "(+86)", "（＋８６）", "+852 ", "0", "00", "+"]
    separators = ["", " ", "-", ".", "－", "\u3000", "  ", "/"]
    out: list[str | None] = [None]
    for _ in range(count):
        length = rng.choice([7, 8, 10, 11, 11, 11, 12])
        digits = rng.choice("13456789") + "".join(rng.choice("0123456789") for _ in range(length))
        if rng.random() < 0.6:
            digits = "1" + rng.choice("3456789") + digits[2:11]
        if rng.random() < 0.05:
            digits = digits[:3] + digits[3] * 8
        sep = rng.choice(separators)
        text = rng.choice(prefixes) + sep.join([digits[:3], digits[3:7], digits[7:]])
        if rng.random() < 0.2:
            text = to_fullwidth(text) or text
        if rng.random() < 0.05:
            text += rng.choice([" ext 12", "转8", "x", "a"])
        out.append(text)
    return out


def test_phone_array_equals_scalar() -> None:
    values = _strings([raw for raw, _ in VALID] + INVALID) + _fuzzed_phones(3000)
    result = normalize_phone_array(pa.array(values, pa.string())).to_pylist()
    assert result == [normalize_phone(v) for v in values]
    assert sum(r is not None for r in result) > 1000  # the fuzz is not all garbage


def test_phone_array_other_region_and_chunked() -> None:
    chunked = pa.chunked_array([["9123 4567", None], ["13800138000"]])
    assert normalize_phone_array(chunked, "HK").to_pylist() == [
        "+85291234567",
        None,
        normalize_phone("13800138000", "HK"),
    ]


def test_email_array_equals_scalar() -> None:
    values = _strings([raw for raw, _ in EMAILS] + BAD_EMAILS)
    values += ["A@B.CO", " x@y.com\t", "\u00a0x@y.com", "NONE@qq.com", "a@example.com"]
    result = normalize_email_array(pa.array(values, pa.string())).to_pylist()
    assert result == [normalize_email(v) for v in values]


def test_company_and_text_arrays_equal_scalar() -> None:
    names = [name for name, _, _ in COMPANIES] * 3
    array = pa.array(names, pa.string())
    assert company_match_key_array(array).to_pylist() == [company_match_key(n) for n in names]
    assert company_core_key_array(array).to_pylist() == [company_core_key(n) for n in names]
    assert to_halfwidth_array(array).to_pylist() == [to_halfwidth(n) for n in names]


def test_hash_array_equals_scalar() -> None:
    values = ["+8613800138000", None, "", " a@b.com ", "a@b.com"]
    assert hash_identifier_array(pa.array(values)).to_pylist() == [
        hash_identifier(v) for v in values
    ]


def test_empty_arrays() -> None:
    empty = pa.array([], pa.string())
    assert len(normalize_phone_array(empty)) == 0
    assert len(normalize_email_array(empty)) == 0
    assert len(company_match_key_array(empty)) == 0


def test_clean_values_take_the_vectorised_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingestion.common.normalize.arrays as arrays

    calls: list[object] = []
    monkeypatch.setattr(arrays, "normalize_phone", lambda v, *a: calls.append(v))
    monkeypatch.setattr(arrays, "normalize_email", lambda v: calls.append(v))
    phones = [
        "13800138000",
        "+86 138-0013-8000",
        "0086 13800138000",
        "１３８００１３８０００",
        "(+86)13800138000",
        "138 0013 8000",
        "86-13800138000",
    ]
    assert normalize_phone_array(pa.array(phones * 20)).null_count == 0
    assert normalize_email_array(pa.array(["Zs@Yunfan.com ", "a.b@c.cn"] * 20)).null_count == 0
    assert calls == []
