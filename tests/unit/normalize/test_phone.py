"""normalize_phone on the variants Chinese sources really produce."""

from __future__ import annotations

import pytest
from normalize_cases import INVALID, MOBILE, VALID

from ingestion.common.normalize import normalize_phone


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_valid_numbers_become_e164(raw: object, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", INVALID)
def test_unusable_numbers_give_none(raw: object) -> None:
    assert normalize_phone(raw) is None


def test_other_default_region() -> None:
    assert normalize_phone("9123 4567", default_region="HK") == "+85291234567"
    assert normalize_phone("0912-345-678", default_region="TW") == "+886912345678"
    assert normalize_phone("(415) 555-2671", default_region="US") == "+14155552671"
    assert normalize_phone("+86 138 0013 8000", default_region="HK") == MOBILE


def test_unknown_region_is_an_error() -> None:
    with pytest.raises(ValueError, match="default_region"):
        normalize_phone("13800138000", default_region="XX")
