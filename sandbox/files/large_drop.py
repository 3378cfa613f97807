"""A large file drop for benchmarks: many badge scans and bank lines, written by the real writers.

The world at scale 1 drops 15 badge-scan files and a few thousand bank lines, so a
benchmark of the file sources there measures fixed costs. Generating the world at
the scale that gives a million scans would take many minutes and gigabytes, so this
module resamples the world's own rows instead (their messy phones, full-width
characters, defects and texts stay as the generator made them) into a larger
synthetic world, then lets :func:`~sandbox.files.exhibition.write_exhibition_files`
and :func:`~sandbox.files.bank.write_bank_files` write it as organisers and banks do.

Exhibitions: ``badge_rows`` scans over files of about ``rows_per_file`` (CSV only,
UTF-8 BOM and GB18030 alternating, every header variant). Each row copies a world scan,
moved to its new exhibition's dates (a wrong scanner clock stays wrong), with a new
badge id and new last four digits of the mobile.

Bank: ``bank_lines`` lines over a year on accounts of every format and style
(3 MT940 dialects, 2 camt.053 versions, 5 Chinese layouts); amounts, texts and
counterparties are copied from world lines. The writers' plans add the overlapping
re-sent statements, so the files hold more lines than the world.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.files.bank import BankFileFaults, write_bank_files
from sandbox.files.exhibition import ExhibitionFileFaults, write_exhibition_files
from sandbox.schema import BANK_TABLES, EXHIBITION_TABLES
from sandbox.world.tables import read_system_table, world_dir, write_table

EXHIBITION_FAULTS = ExhibitionFileFaults(
    truncate_files=1, malformed_rows_per_file=3, unreadable_files=2
)
BANK_FAULTS = BankFileFaults(
    truncate_files=3, unbalanced_statements=3, malformed_rows=3, unreadable_files=3
)
_YEAR_START = dt.date(2025, 1, 1)
# (file_format, bank name) per account, in rotation: the writer picks the MT940 dialect and
# camt version by account order and the Chinese layout by the bank's name.
_ACCOUNT_KINDS = (
    ("mt940", "Deutsche Bank AG"),
    ("camt053", "中国银行上海市分行"),
    ("cn_csv", "招商银行上海分行"),
    ("mt940", "PKO Bank Polski"),
    ("camt053", "HSBC Bank (China)"),
    ("cn_csv", "中国工商银行上海市分行"),
    ("mt940", "ABN AMRO Bank"),
    ("cn_csv", "中国建设银行上海分行"),
    ("cn_csv", "中国银行上海市分行"),
    ("cn_csv", "上海农商银行"),
)


@dataclass
class LargeDrop:
    """What was written: the landing folders and the synthetic world's row counts."""

    exhibition_files: list[Path]
    bank_files: list[Path]
    badge_rows: int
    bank_lines: int


def _exhibitions_and_scans(
    world: Path, badge_rows: int, rows_per_file: int, rng: np.random.Generator
) -> tuple[pa.Table, pa.Table]:
    exhibitions = read_system_table(world, "exhibition", "exhibitions")
    scans = read_system_table(world, "exhibition", "badge_scans")
    files = max(1, round(badge_rows / rows_per_file))
    # Shows differ in size: from half to one and a half times the average.
    weights = rng.uniform(0.5, 1.5, files)
    sizes = np.floor(weights / weights.sum() * badge_rows).astype(np.int64)
    sizes[: badge_rows - int(sizes.sum())] += 1
    templates = exhibitions.to_pylist()
    start_of = {e["exhibition_id"]: e["start_date"] for e in templates}
    rows_out: list[pa.Table] = []
    new_exhibitions = []
    for index, size in enumerate(sizes.tolist()):
        template = templates[index % len(templates)]
        shift = dt.timedelta(days=7 * (index // len(templates)))
        exhibition_id = f"{template['exhibition_id']}L{index:03d}"
        new_exhibitions.append(
            template
            | {
                "exhibition_id": exhibition_id,
                "name": f"{template['name']} 第{index // len(templates) + 1}场",
                "start_date": template["start_date"] + shift,
                "end_date": template["end_date"] + shift,
                "file_format": "csv_utf8_bom" if index % 2 == 0 else "csv_gbk",
                "header_variant": index % 3,
            }
        )
        picked = scans.take(pa.array(rng.integers(0, scans.num_rows, size)))
        rows_out.append(_moved_scans(picked, exhibition_id, template, start_of, shift, index, rng))
    table = pa.concat_tables(rows_out)
    return pa.Table.from_pylist(new_exhibitions, EXHIBITION_TABLES["exhibitions"]), table


def _moved_scans(
    picked: pa.Table,
    exhibition_id: str,
    template: dict,
    start_of: dict[str, dt.date],
    shift: dt.timedelta,
    index: int,
    rng: np.random.Generator,
) -> pa.Table:
    """World scans as scans of another exhibition: its dates, new badges, new mobiles."""
    size = picked.num_rows
    new_start = dt.datetime.combine(template["start_date"] + shift, dt.time(), dt.UTC)
    old_start = [
        dt.datetime.combine(start_of[e], dt.time(), dt.UTC)
        for e in picked["exhibition_id"].to_pylist()
    ]
    times = [
        None if t is None else new_start + (t - s)
        for t, s in zip(picked["scanned_at"].to_pylist(), old_start, strict=True)
    ]
    digits = rng.integers(0, 10_000, size)
    mobiles = [
        m if not m or not (m[-4:].isascii() and m[-4:].isdigit()) else f"{m[:-4]}{d:04d}"
        for m, d in zip(picked["mobile"].to_pylist(), digits.tolist(), strict=True)
    ]
    serial = pa.array([f"-{index:03d}{n:06d}" for n in range(size)])
    columns = {
        "scan_id": pc.binary_join_element_wise(picked["scan_id"], serial, ""),
        "exhibition_id": pa.array([exhibition_id] * size),
        "badge_id": pc.binary_join_element_wise(picked["badge_id"], serial, ""),
        "mobile": pa.array(mobiles, pa.string()),
        "scanned_at": pa.array(times, EXHIBITION_TABLES["badge_scans"].field("scanned_at").type),
    }
    out = picked
    for name, values in columns.items():
        out = out.set_column(out.schema.get_field_index(name), name, values)
    return out.cast(EXHIBITION_TABLES["badge_scans"])


def _bank_world(
    world: Path, bank_lines: int, accounts: int, seed: int
) -> tuple[pa.Table, pa.Table]:
    templates = read_system_table(world, "bank", "bank_lines").to_pylist()
    rng = random.Random(seed)
    account_rows, lines = [], []
    per_account = bank_lines // accounts
    for number in range(accounts):
        kind, bank = _ACCOUNT_KINDS[number % len(_ACCOUNT_KINDS)]
        chinese = kind == "cn_csv"
        account_no = (
            f"62148300{number:04d}5678{number:03d}"
            if chinese
            else (f"DE{10 + number:02d}370400440532{number:06d}")
        )
        currency = "CNY" if chinese or number % 3 else "EUR"
        account_rows.append({
            "account_no": account_no, "bank_name": bank, "bic": "BANKCNBJ", "currency": currency,
            "file_format": kind, "opening_balance": rng.randrange(10**5, 10**7),
        })  # fmt: skip
        count = per_account + (1 if number < bank_lines % accounts else 0)
        days = sorted(rng.randrange(365) for _ in range(count))
        for serial, day in enumerate(days, 1):
            template = templates[rng.randrange(len(templates))]
            booked = _YEAR_START + dt.timedelta(days=day)
            lag = template["booking_date"] - (template["value_date"] or template["booking_date"])
            lines.append(template | {
                "line_id": f"{number:03d}{booked:%Y%m%d}{serial:07d}", "account_no": account_no,
                "booking_date": booked, "value_date": booked - lag, "currency": currency,
                "bank_reference": f"{rng.randrange(10**10):010d}",
            })  # fmt: skip
    return (
        pa.Table.from_pylist(account_rows, BANK_TABLES["bank_accounts"]),
        pa.Table.from_pylist(lines, BANK_TABLES["bank_lines"]),
    )


def write_large_drop(
    sandbox_dir: Path,
    landing_root: Path,
    *,
    badge_rows: int = 1_000_000,
    bank_lines: int = 500_000,
    rows_per_file: int = 25_000,
    bank_accounts: int = 20,
    seed: int = 42,
    faults: bool = True,
) -> LargeDrop:
    """Write a large drop of badge-scan and bank files resampled from a generated world.

    Args:
        sandbox_dir: A sandbox holding a generated world (any scale).
        landing_root: Files go to ``<landing_root>/exhibition`` and ``<landing_root>/bank``.
        badge_rows: Badge scans in the synthetic world (each written once).
        bank_lines: Bank lines in the synthetic world (overlapping exports repeat some).
        rows_per_file: Average scans per exhibition file.
        bank_accounts: Accounts the bank lines spread over.
        seed: Makes the drop reproducible.
        faults: Add the writers' fault files and rows (a few, as in a real drop).

    Returns:
        The files written and the synthetic world's sizes.
    """
    synthetic = landing_root / "_large_world"
    shutil.rmtree(synthetic, ignore_errors=True)
    exhibitions, scans = _exhibitions_and_scans(
        sandbox_dir, badge_rows, rows_per_file, np.random.default_rng(seed)
    )
    write_table(world_dir(synthetic) / "exhibition" / "exhibitions.parquet", exhibitions)
    write_table(world_dir(synthetic) / "exhibition" / "badge_scans.parquet", scans)
    accounts, lines = _bank_world(sandbox_dir, bank_lines, bank_accounts, seed)
    write_table(world_dir(synthetic) / "bank" / "bank_accounts.parquet", accounts)
    write_table(world_dir(synthetic) / "bank" / "bank_lines.parquet", lines)
    exhibition_files = write_exhibition_files(
        synthetic,
        landing_root / "exhibition",
        faults=EXHIBITION_FAULTS if faults else None,
    )
    bank_files = write_bank_files(
        synthetic, landing_root / "bank", faults=BANK_FAULTS if faults else None
    )
    shutil.rmtree(synthetic, ignore_errors=True)
    return LargeDrop(exhibition_files, bank_files, scans.num_rows, lines.num_rows)
