"""Matching keys for every company name any source holds.

A Python model on purpose: the keys come from the same normaliser the dlt sources use
(``ingestion.common.normalize.company``), so a name keyed here and one keyed on load
never disagree, and the rules live in one place with their unit tests. Three keys, from
the most to the least confident: match key, core key (no region), brand key (the trade
name 字号 alone, which is what reps abbreviate a company to); the brand key in pinyin,
which a company's English name spells; and the sector its name says it is in.
"""

import pandas as pd

from ingestion.common.normalize import (
    company_brand_key,
    company_brand_pinyin,
    company_core_key,
    company_match_key,
    company_sector,
)


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt finds a Python model's parents by reading literal ref() calls: one per source.
    named = [
        (dbt.ref("stg_crm__accounts"), "account_name"),
        (dbt.ref("stg_crm__leads"), "company_name"),
        (dbt.ref("stg_wechat_work__external_contacts"), "company_name"),
        (dbt.ref("stg_sem__baidu_leads"), "company_name"),
        (dbt.ref("stg_sem__douyin_clues"), "company_name"),
        (dbt.ref("stg_exhibition__badge_scans"), "company_name"),
        (dbt.ref("stg_wechat_work__contact_follows"), "remark_company_part"),
        (dbt.ref("stg_wechat_work__contact_follows"), "remark_company_name"),
    ]
    names = pd.concat([relation.project(column).df().iloc[:, 0] for relation, column in named])
    names = names.dropna().drop_duplicates()
    keys = pd.DataFrame({"company_name": names.astype("string")})
    keys["company_match_key"] = keys["company_name"].map(company_match_key).astype("string")
    keys["company_core_key"] = keys["company_name"].map(company_core_key).astype("string")
    keys["company_brand_key"] = keys["company_name"].map(company_brand_key).astype("string")
    keys["company_brand_pinyin"] = keys["company_name"].map(company_brand_pinyin).astype("string")
    keys["company_sector"] = keys["company_name"].map(company_sector).astype("string")
    return keys.reset_index(drop=True)
