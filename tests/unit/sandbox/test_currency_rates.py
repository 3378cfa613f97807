"""The CRM's dated exchange rates quote the truth the way Salesforce quotes rates."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa

from sandbox.schema import TRUTH_TABLES
from sandbox.world.currency import currency_rates_table


def _truth(rows: list[tuple[dt.date, str, str]]) -> pa.Table:
    return pa.table(
        {
            "date": pa.array([r[0] for r in rows], pa.date32()),
            "currency": pa.array([r[1] for r in rows]),
            "rate_to_cny": pa.array([Decimal(r[2]) for r in rows], pa.decimal128(18, 6)),
        },
        schema=TRUTH_TABLES["fx_rates"],
    )


def test_rates_are_foreign_units_per_cny_and_chain_their_validity():
    truth = _truth(
        [
            (dt.date(2025, 1, 2), "USD", "7.180000"),
            (dt.date(2025, 1, 1), "USD", "7.200000"),
        ]
    )
    rates = currency_rates_table(truth).sort_by("start_date").to_pylist()
    assert [r["conversion_rate"] for r in rates] == [Decimal("0.138888889"), Decimal("0.139275766")]
    assert rates[0]["next_start_date"] == dt.date(2025, 1, 2)
    assert rates[1]["next_start_date"] == dt.date(9999, 12, 31)
    # inverted back to CNY per unit, six decimals are exact
    for rate, cny in zip(rates, ("7.200000", "7.180000"), strict=True):
        assert (1 / rate["conversion_rate"]).quantize(Decimal("0.000001")) == Decimal(cny)
