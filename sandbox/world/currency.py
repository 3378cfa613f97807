"""crm.currency_rates: the dated exchange rates finance keys into the CRM."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import CRM_TABLES
from sandbox.world.common import CHINA_OFFSET_US, US_PER_DAY, ids, table, ts_array

# Salesforce stores the last rate as valid until this date.
OPEN_END = np.datetime64("9999-12-31")
_RATE_SCALE = Decimal("1E-9")


def currency_rates_table(fx_rates: pa.Table) -> pa.Table:
    """One CRM rate per day of ``truth.fx_rates``, quoted the way Salesforce quotes it.

    The truth holds CNY per unit of foreign currency (7.1800 CNY per USD); the CRM
    holds the inverse, foreign units per CNY, to nine decimals, so a connector that
    forgets to invert is off by a factor of fifty.
    """
    days = pc.cast(fx_rates.column("date"), pa.int32()).to_numpy(zero_copy_only=False)
    days = days.astype(np.int64)
    rates = fx_rates.column("rate_to_cny").to_pylist()
    n = len(days)
    order = np.lexsort((days, fx_rates.column("currency").to_numpy(zero_copy_only=False)))
    next_day = np.full(n, (OPEN_END - np.datetime64("1970-01-01")).astype(np.int64))
    same_currency = fx_rates.column("currency").to_numpy(zero_copy_only=False)
    for position in range(n - 1):
        here, after = order[position], order[position + 1]
        if same_currency[here] == same_currency[after]:
            next_day[here] = days[after]
    entered_us = days * US_PER_DAY - CHINA_OFFSET_US + 9 * 3600 * 1_000_000
    inverse = [(Decimal(1) / rate).quantize(_RATE_SCALE) for rate in rates]
    return table(
        CRM_TABLES["currency_rates"],
        {
            "id": ids("FX", np.arange(1, n + 1), 6),
            "iso_code": fx_rates.column("currency"),
            "start_date": pa.array(days.astype(np.int32), pa.date32()),
            "next_start_date": pa.array(next_day.astype(np.int32), pa.date32()),
            "conversion_rate": pa.array(inverse, pa.decimal128(18, 9)),
            "created_at": ts_array(entered_us),
            "updated_at": ts_array(entered_us),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
