"""Exchange rates and cash receipts the warehouse derives, checked against the sandbox truth."""

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(demo_home: Path):
    with duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True) as con:
        yield con


def test_daily_rates_equal_the_rates_the_bank_paid_at(warehouse, demo_home: Path):
    truth = demo_home / "sandbox" / "truth" / "fx_rates.parquet"
    compared, largest_error, missing = warehouse.execute(
        "select count(ours.rate_to_cny), max(abs(ours.rate_to_cny - truth.rate_to_cny)),"
        " count(*) filter (where ours.rate_to_cny is null) "
        f"from read_parquet('{truth}') as truth "
        "left join intermediate.int_finance__daily_fx_rates as ours "
        "on ours.rate_date = truth.date and ours.currency = truth.currency"
    ).fetchone()
    # the CRM quotes USD per CNY to nine decimals; inverted back it is exact to 1e-6
    assert compared > 300 and missing == 0
    assert largest_error == 0


def test_usd_receipts_are_converted_at_their_booking_day_rate(warehouse, demo_home: Path):
    truth = demo_home / "sandbox" / "truth" / "fx_rates.parquet"
    rows = warehouse.execute(
        "select receipts.amount, receipts.amount_cny, truth.rate_to_cny "
        "from intermediate.int_finance__bank_receipts as receipts "
        f"join read_parquet('{truth}') as truth "
        "on truth.date = receipts.booking_date and truth.currency = receipts.currency "
        "where receipts.currency = 'USD'"
    ).fetchall()
    assert rows, "the demo company has USD receipts"
    for amount, amount_cny, rate in rows:
        assert amount_cny == (amount * rate).quantize(amount_cny)


def test_quoted_document_numbers_match_receipts_to_their_true_orders(warehouse, demo_home: Path):
    links = demo_home / "sandbox" / "truth" / "payment_links.parquet"
    matched, correct = warehouse.execute(
        "select count(*), count(truth.order_id) "
        "from intermediate.int_finance__reference_matches as matches "
        "join intermediate.int_finance__bank_receipts as receipts using (bank_transaction_id) "
        f"left join (select distinct line_id, order_id from read_parquet('{links}')) as truth "
        "on truth.line_id = receipts.serial_no and truth.order_id = matches.order_id"
    ).fetchone()
    assert matched > 0
    # rule 1 is the cascade's most certain rule: a quoted number names the right order
    assert correct / matched >= 0.995
