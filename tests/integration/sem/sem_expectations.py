"""What the raw SEM tables must hold, computed from the world and truth tables only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sandbox.world.tables import read_system_table, truth_dir

# Raw column -> world column, per table (raw names that equal world names map to themselves).
COMPARED: dict[str, dict[str, str]] = {
    "baidu_keyword_daily": {
        c: c
        for c in (
            "date",
            "user_name",
            "campaign_id",
            "campaign_name",
            "adgroup_id",
            "adgroup_name",
            "keyword_id",
            "keyword",
            "impression",
            "click",
            "cost",
        )
    },
    "baidu_leads": {
        c: c
        for c in (
            "clue_id",
            "clue_phone_number",
            "commit_time",
            "flow_channel_name",
            "area",
            "form_detail",
            "campaign_id",
            "campaign_name",
            "adgroup_id",
            "adgroup_name",
            "keyword_id",
            "keyword",
            "search_word",
            "url",
            "bd_vid",
            "solution_type",
        )
    },
    "douyin_promotion_daily": {
        c: c
        for c in (
            "stat_date",
            "advertiser_id",
            "promotion_id",
            "promotion_name",
            "show_cnt",
            "click_cnt",
            "cost",
        )
    },
    "douyin_clues": {
        **{
            c: c
            for c in (
                "clue_id",
                "advertiser_id",
                "promotion_id",
                "promotion_name",
                "clue_type",
                "clue_source",
                "create_time",
                "name",
                "telephone",
                "gender",
                "email",
                "weixin",
                "province_name",
                "city_name",
                "app_name",
                "clue_state",
            )
        },
        "remark_dict": "remark_dict_json",
    },
}
KEYS = {
    "baidu_keyword_daily": ["date", "keyword_id"],
    "baidu_leads": ["clue_id"],
    "douyin_promotion_daily": ["stat_date", "promotion_id"],
    "douyin_clues": ["clue_id"],
}
# Ocean Engine ids are loaded as text.
TEXT_IDS = {
    "douyin_promotion_daily": ("advertiser_id", "promotion_id"),
    "douyin_clues": ("advertiser_id", "promotion_id"),
}


def defect_ids(sandbox_dir: Path, table: str) -> set[str]:
    """Ids of world rows that ``truth/defects`` lists as defects of ``sem.<table>``."""
    path = truth_dir(sandbox_dir) / "defects.parquet"
    if not path.exists():
        return set()
    return {
        str(row["record_id"])
        for row in pq.read_table(path).to_pylist()
        if row["system"] == "sem" and row["table"] == table
    }


def expected(sandbox_dir: Path, table: str) -> pa.Table:
    """The world rows that must load into raw ``table`` (defects removed), raw column names."""
    data = read_system_table(sandbox_dir, "sem", table)
    bad = defect_ids(sandbox_dir, table)
    if bad and "clue_id" in data.column_names:
        data = data.filter(pc.invert(pc.is_in(data["clue_id"], pa.array(sorted(bad)))))
    columns = {raw: data[world] for raw, world in COMPARED[table].items()}
    for name in TEXT_IDS.get(table, ()):
        columns[name] = pc.cast(columns[name], pa.string())
    for name in ("commit_time", "create_time"):
        if name in columns:  # the APIs send China-time strings to the second
            seconds = pc.floor_temporal(columns[name], unit="second")
            columns[name] = seconds
    return pa.table(columns)


def rows(table: pa.Table, key: list[str]) -> list[dict[str, Any]]:
    """Rows sorted by key, JSON text parsed (key order in JSON does not matter)."""
    out = table.sort_by([(k, "ascending") for k in key]).to_pylist()
    for row in out:
        for name in ("remark_dict",):
            if isinstance(row.get(name), str):
                row[name] = json.loads(row[name])
    return out


def mismatches(got: list[dict[str, Any]], want: list[dict[str, Any]], limit: int = 3) -> list:
    """The first differing rows (for a readable assertion message)."""
    diffs = [(g, w) for g, w in zip(got, want, strict=False) if g != w]
    return diffs[:limit]
