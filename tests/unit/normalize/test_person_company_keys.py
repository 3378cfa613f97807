"""person_name_keys and the trade-name company keys (company_brand_key, _pinyin, sector)."""

from __future__ import annotations

import pytest

from ingestion.common.normalize import (
    company_brand_key,
    company_brand_pinyin,
    company_core_key,
    company_match_key,
    company_sector,
    person_name_keys,
)

NAMES = [
    # name, form, pinyin names, surnames, han surname
    ("张志华", "han", ("zhangzhihua",), ("zhang",), "张"),
    ("张 志华", "han", ("zhangzhihua",), ("zhang",), "张"),
    ("欧阳明", "han", ("ouyangming",), ("ouyang",), "欧阳"),
    ("曾军娜", "han", ("zengjunna",), ("zeng",), "曾"),
    ("吕波", "han", ("lubo",), ("lu",), "吕"),
    ("王总", "title", (), ("wang",), "王"),
    ("李经理", "title", (), ("li",), "李"),
    ("Mr. Wang", "title", (), ("wang",), None),
    ("Zhang Zhihua", "pinyin", ("zhangzhihua",), ("zhang",), None),
    ("Zhihua Zhang", "pinyin", ("zhangzhihua",), ("zhang",), None),
    ("ZHANG Zhi-hua", "pinyin", ("zhangzhihua",), ("zhang",), None),
    ("Lyu Bo", "pinyin", ("lubo", "bolu"), ("lu", "bo"), None),
    ("Wei Zhang", "pinyin", ("weizhang", "zhangwei"), ("wei", "zhang"), None),
    ("Tony Li", "latin_surname", (), ("li",), None),
    ("Tina Zheng", "latin_surname", (), ("zheng",), None),
    ("静待花开", None, (), (), None),
    ("老张", None, (), (), None),
    ("A顺其自然", None, (), (), None),
    ("Tony Smith", None, (), (), None),
    ("", None, (), (), None),
    (None, None, (), (), None),
]


@pytest.mark.parametrize(("name", "form", "pinyin_names", "surnames", "han_surname"), NAMES)
def test_person_name_keys(name, form, pinyin_names, surnames, han_surname) -> None:
    keys = person_name_keys(name)
    assert (keys.form, keys.pinyin_names, keys.surnames, keys.han_surname) == (
        form,
        pinyin_names,
        surnames,
        han_surname,
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("远和精密机械（郑州）有限公司", "远和机械"),
        ("杭州嘉巨供应链管理有限公司", "嘉巨物流"),
        ("祥锐医药（常州）有限公司", "祥锐医药"),
        ("东莞宇德电子科技有限公司", "宇德电子"),
    ],
)
def test_one_company_shares_brand_and_sector(left: str, right: str) -> None:
    assert company_brand_key(left) == company_brand_key(right) is not None
    assert company_sector(left) == company_sector(right) is not None


def test_brand_pinyin_is_found_in_the_english_name() -> None:
    assert company_brand_pinyin("普拓塑胶制品") in company_core_key(
        "Dongguan Putuo Plastic Products Co., Ltd."
    )
    assert company_sector("Dongguan Putuo Plastic Products Co., Ltd.") == "plastics"


def test_one_brand_two_trades() -> None:
    assert company_brand_key("和新纺织") == company_brand_key("和新精密机械")
    assert company_sector("和新纺织") != company_sector("和新精密机械")


@pytest.mark.parametrize("name", ["电子科技有限公司", "机械", None, ""])
def test_no_brand(name) -> None:
    assert company_brand_key(name) is None


def test_existing_keys_unchanged() -> None:
    assert company_core_key("祥锐医药（常州）有限公司") == "祥锐医药常州"
    assert company_match_key("上海云帆信息科技有限公司") == "上海云帆信息科技"
