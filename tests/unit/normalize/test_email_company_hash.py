"""normalize_email, company keys, to_halfwidth and hash_identifier."""

from __future__ import annotations

import hashlib

import duckdb
import pytest
from normalize_cases import BAD_EMAILS, COMPANIES, EMAILS

from ingestion.common.normalize import (
    company_core_key,
    company_match_key,
    email_hash,
    hash_identifier,
    normalize_email,
    phone_hash,
    to_halfwidth,
)


@pytest.mark.parametrize(("raw", "expected"), EMAILS)
def test_emails_are_canonical(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", BAD_EMAILS)
def test_non_emails_give_none(raw: object) -> None:
    assert normalize_email(raw) is None


@pytest.mark.parametrize(("name", "match_key", "core_key"), COMPANIES)
def test_company_keys(name: str | None, match_key: str | None, core_key: str | None) -> None:
    assert company_match_key(name) == match_key
    assert company_core_key(name) == core_key


def test_region_prefix_matches_only_on_the_core_key() -> None:
    assert company_match_key("上海云帆信息科技有限公司") != company_match_key("云帆信息科技")
    assert company_core_key("上海云帆信息科技有限公司") == company_core_key("云帆信息科技")


def test_to_halfwidth() -> None:
    assert to_halfwidth("ＡＢＣ１２３＠．－\u3000（）") == "ABC123@.- ()"
    assert to_halfwidth("云帆①") == "云帆①"  # CJK and other symbols untouched
    assert to_halfwidth(None) is None


def test_hash_identifier_is_plain_sha256_and_matches_duckdb() -> None:
    value = "+8613800138000"
    expected = hashlib.sha256(value.encode()).hexdigest()
    assert hash_identifier(value) == expected
    assert hash_identifier(f" {value} ") == expected
    in_duckdb = duckdb.sql(f"select sha256(trim(' {value} '))").fetchall()[0][0]
    assert in_duckdb == expected
    assert hash_identifier(None) is None
    assert hash_identifier("  ") is None


def test_hashes_join_across_spellings() -> None:
    assert phone_hash("+86 138-0013-8000") == phone_hash("１３８００１３８０００")
    assert email_hash("ZhangSan＠Yunfan.com") == email_hash("mailto:zhangsan@yunfan.com")
    assert phone_hash("abc") is None
