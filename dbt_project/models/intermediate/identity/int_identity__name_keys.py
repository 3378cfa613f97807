"""Matching keys for every person name any source holds, one row per name and key.

A Python model on purpose, like ``int_identity__company_keys``: pinyin comes from
pypinyin through ``ingestion.common.normalize.person``, where the parsing rules are
documented and tested. Key types:

- ``name``: the name without spaces, lower-cased (``person_name_key`` in SQL);
- ``pinyin_name``: the full name in toneless pinyin, surname first, one row per reading;
- ``surname``: the surname in toneless pinyin, one row per reading.

``name_form`` says what the name is (han, title, pinyin, latin_surname, or null for a
nickname); ``han_surname`` is the surname in characters where the name has one.
"""

import pandas as pd

from ingestion.common.normalize import person_name_keys


def _keys(name: str) -> list[tuple[str, str | None, str | None, str, str]]:
    parsed = person_name_keys(name)
    rows = [("name", name.replace(" ", "").replace("\u3000", "").lower())]
    rows += [("pinyin_name", value) for value in parsed.pinyin_names]
    rows += [("surname", value) for value in parsed.surnames]
    return [
        (name, parsed.form, parsed.han_surname, key_type, value)
        for key_type, value in rows
        if value
    ]


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt finds a Python model's parents by reading literal ref() calls: one per source.
    named = [
        (dbt.ref("stg_crm__leads"), "lead_name"),
        (dbt.ref("stg_crm__contacts"), "contact_name"),
        (dbt.ref("stg_wechat_work__external_contacts"), "contact_name"),
        (dbt.ref("stg_wechat_work__contact_follows"), "remark_person_name"),
        (dbt.ref("stg_sem__baidu_leads"), "contact_name"),
        (dbt.ref("stg_sem__douyin_clues"), "contact_name"),
        (dbt.ref("stg_exhibition__badge_scans"), "contact_name"),
    ]
    names = pd.concat([relation.project(column).df().iloc[:, 0] for relation, column in named])
    names = names.dropna().drop_duplicates()
    rows = [row for name in names for row in _keys(str(name))]
    keys = pd.DataFrame(
        rows, columns=["person_name", "name_form", "han_surname", "key_type", "key_value"]
    )
    return keys.astype("string")
