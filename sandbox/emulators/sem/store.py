"""The SEM world tables, sorted and indexed once so the emulator can serve pages fast.

Baidu marks deleted campaigns, ad groups and keywords with a "[已删除]" suffix on
their names. The world tables hold clean names, so the store decides which objects
are deleted: a keyword with no report row in the last ``DELETED_AFTER_DAYS`` days
before ``as_of`` is deleted, an ad group whose keywords are all deleted is deleted,
and likewise a campaign.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import SEM_TABLES
from sandbox.world.tables import read_system_table, truth_dir

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
DELETED_SUFFIX = "[已删除]"
DELETED_AFTER_DAYS = 30
EPOCH = dt.date(1970, 1, 1)


def read_as_of(sandbox_dir: Path) -> dt.datetime:
    """The world's "now" from ``truth/meta.json`` (a date means the end of that day, China time).

    Falls back to the latest timestamp in the SEM tables when there is no meta file.
    """
    meta_path = truth_dir(sandbox_dir) / "meta.json"
    if meta_path.exists():
        value = json.loads(meta_path.read_text()).get("as_of")
        if value:
            return parse_as_of(str(value))
    latest = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for table, column in (("baidu_leads", "commit_time"), ("douyin_clues", "create_time")):
        path = sandbox_dir / "world" / "sem" / f"{table}.parquet"
        if path.exists():
            top = pc.max(read_system_table(sandbox_dir, "sem", table)[column]).as_py()
            latest = max(latest, top or latest)
    return latest


def parse_as_of(value: str) -> dt.datetime:
    """Parse ``as_of``: ``YYYY-MM-DD`` (end of that China day) or an ISO datetime (UTC if naive)."""
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CHINA_TZ)
        return midnight.astimezone(dt.UTC)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def china_time_strings(timestamps: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Render UTC timestamps as China-time ``YYYY-MM-DD HH:MM:SS`` strings."""
    seconds = pc.cast(timestamps, pa.timestamp("s", tz="UTC"), safe=False)
    local = pc.cast(seconds, pa.timestamp("s", tz="Asia/Shanghai"))
    return pc.strftime(local, format="%Y-%m-%d %H:%M:%S")


def day_numbers(dates: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Dates as int32 days since 1970-01-01 (for binary search)."""
    return np.asarray(pc.cast(dates, pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int32)


def day_number(day: dt.date) -> int:
    """One date as days since 1970-01-01."""
    return (day - EPOCH).days


def micros(moment: dt.datetime) -> int:
    """A UTC datetime as microseconds since the epoch."""
    return int(moment.timestamp() * 1_000_000)


def _with_suffix(names: pa.ChunkedArray, ids: pa.ChunkedArray, deleted: pa.Array) -> pa.Array:
    mark = pc.and_(pc.is_in(ids, value_set=deleted), pc.invert(pc.ends_with(names, DELETED_SUFFIX)))
    marked = pc.binary_join_element_wise(names, pa.scalar(DELETED_SUFFIX), "")
    return pc.if_else(pc.fill_null(mark, False), marked, names)


def _load(sandbox_dir: Path, table: str) -> pa.Table:
    data = read_system_table(sandbox_dir, "sem", table)
    schema = SEM_TABLES[table]
    # The generator may add columns; the emulator only needs the contract's.
    return data.select([name for name in schema.names if name in data.column_names])


class SemStore:
    """Sorted SEM tables plus the indexes the handlers page through."""

    def __init__(self, sandbox_dir: Path, as_of: dt.datetime) -> None:
        self.as_of = as_of
        self._lock = threading.Lock()
        self._load_keywords(_load(sandbox_dir, "baidu_keyword_daily"))
        self.leads = self._index_leads(self._mark_lead_names(_load(sandbox_dir, "baidu_leads")))
        promotions = _load(sandbox_dir, "douyin_promotion_daily")
        self.promotions = promotions.sort_by(
            [
                ("advertiser_id", "ascending"),
                ("stat_date", "ascending"),
                ("promotion_id", "ascending"),
            ]
        )
        self.promotion_days = day_numbers(self.promotions["stat_date"])
        self.promotion_advertisers = self.promotions["advertiser_id"].to_numpy()
        self.clues = self._index_clues(_load(sandbox_dir, "douyin_clues"))

    # ------------------------------------------------------------------ Baidu keywords
    def _load_keywords(self, keywords: pa.Table) -> None:
        keywords = keywords.sort_by([("date", "ascending"), ("keyword_id", "ascending")])
        cutoff = day_number(self.as_of.astimezone(CHINA_TZ).date()) - DELETED_AFTER_DAYS
        last = keywords.group_by(["keyword_id", "adgroup_id", "campaign_id"]).aggregate(
            [("date", "max")]
        )
        gone = pc.less(pc.cast(last["date_max"], pa.int32()), cutoff)
        deleted_kw = pc.filter(last["keyword_id"], gone)
        self.deleted_keywords = pc.unique(deleted_kw)
        self.deleted_adgroups = self._all_deleted(last, "adgroup_id", gone)
        self.deleted_campaigns = self._all_deleted(last, "campaign_id", gone)
        served = {
            "campaign_name": _with_suffix(
                keywords["campaign_name"], keywords["campaign_id"], self.deleted_campaigns
            ),
            "adgroup_name": _with_suffix(
                keywords["adgroup_name"], keywords["adgroup_id"], self.deleted_adgroups
            ),
            "keyword": _with_suffix(
                keywords["keyword"], keywords["keyword_id"], self.deleted_keywords
            ),
        }
        for name, column in served.items():
            keywords = keywords.set_column(keywords.schema.get_field_index(name), name, column)
        self.keywords = keywords
        self.keyword_days = day_numbers(keywords["date"])
        campaigns = keywords.group_by(["date", "campaign_id", "campaign_name"]).aggregate(
            [("impression", "sum"), ("click", "sum"), ("cost", "sum")]
        )
        campaigns = campaigns.rename_columns(
            {"impression_sum": "impression", "click_sum": "click", "cost_sum": "cost"}
        )
        self.campaigns = campaigns.sort_by([("date", "ascending"), ("campaign_id", "ascending")])
        self.campaign_days = day_numbers(self.campaigns["date"])

    @staticmethod
    def _all_deleted(last: pa.Table, key: str, gone: pa.Array) -> pa.Array:
        """Ids of ``key`` whose keywords are all deleted."""
        flags = pa.table({key: last[key], "alive": pc.invert(gone)})
        alive = flags.group_by(key).aggregate([("alive", "any")])
        return pc.filter(alive[key], pc.invert(alive["alive_any"]))

    def _mark_lead_names(self, leads: pa.Table) -> pa.Table:
        for name, key, deleted in (
            ("campaign_name", "campaign_id", self.deleted_campaigns),
            ("adgroup_name", "adgroup_id", self.deleted_adgroups),
            ("keyword", "keyword_id", self.deleted_keywords),
        ):
            column = _with_suffix(leads[name], leads[key], deleted)
            leads = leads.set_column(leads.schema.get_field_index(name), name, column)
        return leads

    # ------------------------------------------------------------------ leads and clues
    @staticmethod
    def _index_leads(leads: pa.Table) -> dict[str, Any]:
        leads = leads.sort_by([("commit_time", "ascending"), ("clue_id", "ascending")])
        return {
            "table": leads,
            "micros": pc.cast(leads["commit_time"], pa.int64()).to_numpy(),
            "text_time": china_time_strings(leads["commit_time"]),
        }

    @staticmethod
    def _index_clues(clues: pa.Table) -> dict[str, Any]:
        clues = clues.sort_by([("create_time", "ascending"), ("clue_id", "ascending")])
        return {
            "table": clues,
            "micros": pc.cast(clues["create_time"], pa.int64()).to_numpy(),
            "text_time": china_time_strings(clues["create_time"]),
        }

    def append_leads(self, rows: pa.Table) -> None:
        """Add Baidu notices (rows shaped like the world's ``baidu_leads``)."""
        with self._lock:
            rows = self._mark_lead_names(rows.cast(self.leads["table"].schema))
            self.leads = self._index_leads(pa.concat_tables([self.leads["table"], rows]))

    def append_clues(self, rows: pa.Table) -> None:
        """Add Ocean Engine clues (rows shaped like the world's ``douyin_clues``)."""
        with self._lock:
            rows = rows.cast(self.clues["table"].schema)
            self.clues = self._index_clues(pa.concat_tables([self.clues["table"], rows]))


def time_range(index: dict[str, Any], start_us: int, end_us: int) -> tuple[int, int]:
    """Row positions ``[lo, hi)`` of an index whose times fall in ``[start_us, end_us)``."""
    times = index["micros"]
    return int(np.searchsorted(times, start_us, "left")), int(
        np.searchsorted(times, end_us, "left")
    )


def day_range(days: np.ndarray, first: dt.date, last: dt.date) -> tuple[int, int]:
    """Row positions ``[lo, hi)`` of a day-sorted array with days in ``[first, last]``."""
    lo = int(np.searchsorted(days, day_number(first), "left"))
    hi = int(np.searchsorted(days, day_number(last), "right"))
    return lo, hi


def columns_as_lists(table: pa.Table, lo: int, hi: int, names: list[str]) -> list[list[Any]]:
    """Python lists of some columns of rows ``[lo, hi)``."""
    part = table.slice(lo, hi - lo)
    return [part[name].to_pylist() for name in names]
