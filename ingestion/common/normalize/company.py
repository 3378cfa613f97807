"""Company-name keys for matching the same company across sources.

Two keys, for two confidence levels:

``company_match_key`` (high confidence), in order:
  1. Full-width → half-width, lower-case.
  2. ``(中国)``, ``(china)``, ``(prc)`` in brackets go, and so does a bracketed
     region after the legal form (``…有限公司(上海)``).
  3. Punctuation, brackets and whitespace separate words; trailing English
     legal-form words are dropped (co, ltd, limited, inc, incorporated, corp,
     corporation, company, llc, gmbh, group, plc, pte, pty, ag, sa).
  4. The words are joined without spaces, then Chinese legal-form suffixes are
     dropped repeatedly from the end: 集团股份有限公司, 股份有限公司,
     有限责任公司, 集团有限公司, 有限公司, 股份公司, 公司, 集团. A branch
     ``…有限公司北京分公司`` loses everything from the parent's ``公司`` on.
  5. Nothing left (the name was only a legal form) → None.

``company_core_key`` (lower confidence) also drops regions: a bracketed region
(``云帆(上海)信息科技`` → 云帆信息科技) and leading province/city prefixes with an
optional 省/市 (``上海``, ``广东省深圳市``, ``shanghai``), repeatedly, while at
least two characters remain. So ``上海云帆信息科技有限公司`` and ``云帆信息科技``
share a core key but not a match key.
"""

from __future__ import annotations

import re

from ingestion.common.normalize.text import to_halfwidth, to_pinyin

_REGIONS_ZH = (  # noqa: SIM905
    "北京 上海 天津 重庆 深圳 广州 杭州 南京 苏州 成都 武汉 西安 长沙 "
    "郑州 青岛 大连 宁波 厦门 济南 沈阳 哈尔滨 长春 合肥 福州 昆明 南昌 "
    "无锡 东莞 佛山 珠海 石家庄 太原 南宁 贵阳 兰州 海口 乌鲁木齐 呼和浩特 "
    "银川 西宁 拉萨 广东 江苏 浙江 山东 河南 河北 湖北 湖南 四川 福建 "
    "安徽 江西 辽宁 吉林 黑龙江 山西 陕西 云南 贵州 广西 海南 甘肃 青海 "
    "内蒙古 宁夏 新疆 西藏 香港 澳门 台湾"
).split()
_REGIONS_EN = (  # noqa: SIM905
    "beijing shanghai tianjin chongqing shenzhen guangzhou hangzhou nanjing "
    "suzhou chengdu wuhan xian xi'an hongkong"
).split()
_REGION_PATTERN = "|".join(sorted(_REGIONS_ZH, key=len, reverse=True))
_CHINA_IN_BRACKETS = re.compile(r"[(\[【〔]\s*(?:中国|china|prc)\s*[)\]】〕]")
_REGION_IN_BRACKETS = re.compile(
    rf"[(\[【〔]\s*(?:(?:{_REGION_PATTERN})[省市]?|{'|'.join(_REGIONS_EN)})\s*[)\]】〕]"
)
_TRAILING_REGION = re.compile(
    rf"(?<=公司)\s*[(\[【〔]\s*(?:{_REGION_PATTERN})[省市]?\s*[)\]】〕]\s*$"
)
_LEADING_REGION = re.compile(rf"^(?:{_REGION_PATTERN})[省市]?")
_SEPARATORS = re.compile(r"[\W_]+")
_EN_SUFFIXES = frozenset(
    "co ltd limited inc incorporated corp corporation company llc gmbh "  # noqa: SIM905
    "group plc pte pty ag sa".split()
)
_ZH_SUFFIXES = (
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "公司",
    "集团",
)
_BRANCH = re.compile(r"(?:有限责任|股份有限|有限)?公司.{1,10}?分公司$")


def _words(text: str) -> list[str]:
    words = [word for word in _SEPARATORS.split(text) if word]
    while len(words) > 1 and words[-1] in _EN_SUFFIXES:
        words.pop()
    return words


def _strip_zh_suffixes(key: str) -> str:
    key = _BRANCH.sub("", key) or key
    while True:
        # The longest suffix decides, so "有限公司" alone is not cut down to "有限".
        suffix = next((s for s in _ZH_SUFFIXES if key.endswith(s)), None)
        if suffix is None or len(key) == len(suffix):
            return key
        key = key[: -len(suffix)]


def _prepare(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    text = to_halfwidth(name).lower().strip()  # type: ignore[union-attr]
    text = text.translate(str.maketrans({"（": "(", "）": ")"}))
    if not text:
        return None
    text = _CHINA_IN_BRACKETS.sub(" ", text)
    # "…有限公司(上海)": a region after the legal form repeats the registered city.
    return _TRAILING_REGION.sub("", text) or text


def _finish(text: str) -> str | None:
    words = _words(text)
    if not words:
        return None
    key = _strip_zh_suffixes("".join(words))
    if key in _ZH_SUFFIXES or key in _EN_SUFFIXES:
        return None
    return key


def company_match_key(name: object) -> str | None:
    """The high-confidence matching key of a company name (see the module docstring).

    Args:
        name: The company name as a source holds it.

    Returns:
        The key (lower-case, no punctuation or legal form), or None for an empty name.

    Examples:
        >>> company_match_key("上海云帆信息科技有限公司")
        '上海云帆信息科技'
        >>> company_match_key("Yunfan Information Technology Co., Ltd.")
        'yunfaninformationtechnology'
    """
    text = _prepare(name)
    return _finish(text) if text else None


def company_core_key(name: object) -> str | None:
    """The lower-confidence key: the match key without region prefixes.

    Args:
        name: The company name as a source holds it.

    Returns:
        The key, or None for an empty name.

    Examples:
        >>> company_core_key("上海云帆信息科技有限公司") == company_core_key("云帆信息科技")
        True
    """
    text = _prepare(name)
    if not text:
        return None
    text = _REGION_IN_BRACKETS.sub(" ", text)
    words = _words(text)
    while len(words) > 1 and words[0] in _REGIONS_EN:
        words.pop(0)
    key = _finish(" ".join(words))
    if key is None:
        return None
    while (shorter := _LEADING_REGION.sub("", key, count=1)) != key and len(shorter) >= 2:
        key = shorter
    return key


# What a company does, written after its trade name (字号) and shortened at will by the
# people who type it: 远和精密机械 is 远和机械 to its reps, 嘉巨供应链管理 is 嘉巨物流.
_INDUSTRY_TERMS = tuple(
    sorted(
        (  # noqa: SIM905
            "精密机械 机械设备 机械制造 机械 设备 制造 精密 精工 电子科技 电子 电气 电器 光电 "
            "科技 技术 信息 网络 软件 智能 自动化 化工 化学 新材料 材料 物流 供应链管理 "
            "供应链 管理 国际贸易 贸易 进出口 商贸 工贸 食品 饮料 医药 医疗器械 医疗 生物 "
            "纺织 服饰 服装 汽车零部件 零部件 汽车配件 配件 汽车 金属制品 金属 塑胶制品 塑胶 "
            "塑料制品 塑料 制品 新能源 能源 环保 实业 工业 建材 包装 印刷 模具 五金 家具 "
            "仪器仪表 仪器 仪表 工程 建设 咨询 发展 投资 控股 股份 集团"
        ).split(),
        key=len,
        reverse=True,
    )
)
_HAN_KEY = re.compile(r"^[\u4e00-\u9fff]+$")
# A place in brackets, listed region or not: 祥锐医药（常州）, 联和供应链管理(西安)
_BRACKETED_PLACE = re.compile(r"[(（\[【〔][\u4e00-\u9fff]{2,4}[)）\]】〕]")


def _brand_core_key(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    return company_core_key(_BRACKETED_PLACE.sub(" ", name))


def company_brand_key(name: object) -> str | None:
    """The trade name (字号) of a Chinese company name: the core key without what it does.

    Industry terms (机械, 精密, 科技, 供应链管理, 汽车零部件…) are dropped from the end of the
    core key (without any place in brackets), repeatedly, while two characters remain.
    Reps abbreviate a company to its trade name and a short industry word, so two names
    of one company share this key where their core keys differ (远和精密机械, 远和机械).
    It is the weakest company key: different companies in different cities can share
    a trade name.

    Args:
        name: The company name as a source holds it.

    Returns:
        The trade name, or None when the core key is not Chinese or is only industry
        words.

    Examples:
        >>> company_brand_key("远和精密机械（郑州）有限公司") == company_brand_key("远和机械")
        True
        >>> company_brand_key("嘉巨供应链管理"), company_brand_key("杭州嘉巨物流有限公司")
        ('嘉巨', '嘉巨')
        >>> company_brand_key("电子科技有限公司") is None
        True
        >>> company_brand_key("祥锐医药（常州）有限公司")
        '祥锐'
    """
    key = _brand_core_key(name)
    if key is None or not _HAN_KEY.match(key):
        return None
    while True:
        term = next((t for t in _INDUSTRY_TERMS if key.endswith(t) and len(key) > len(t)), None)
        if term is None or len(key) - len(term) < 2:
            break
        key = key[: -len(term)]
    if any(key == term for term in _INDUSTRY_TERMS) or len(key) < 2:
        return None
    return key


def company_brand_pinyin(name: object) -> str | None:
    """The trade name of a Chinese company name in toneless pinyin, as its English name
    romanises it: 普拓塑胶制品 gives ``putuo``, found in the core key of "Dongguan Putuo
    Plastic Products Co., Ltd." (``dongguanputuoplasticproducts``).

    Args:
        name: The company name as a source holds it.

    Returns:
        The pinyin (at least four letters, so that it is not found inside an English
        word by chance), or None when the name has no trade name.

    Examples:
        >>> company_brand_pinyin("上海普拓塑胶制品有限公司")
        'putuo'
    """
    brand = company_brand_key(name)
    if brand is None:
        return None
    key = to_pinyin(brand)
    return key if len(key) >= 4 and key.isascii() and key.isalpha() else None


# What a company does, as sectors of keywords (Chinese and English), specific first:
# 汽车零部件 is automotive before it is machinery, 电子科技 electronics before technology.
_SECTORS = (
    ("logistics", "物流 供应链 运输 货运 仓储 快递 logistics supplychain shipping freight"),
    ("automotive", "汽车 零部件 汽配 auto automotive vehicle"),
    ("energy", "新能源 能源 光伏 储能 电池 energy solar battery"),
    ("electronics", "电子 电气 电器 光电 半导体 electronic electric semiconductor"),
    ("machinery", "机械 机床 设备 精工 模具 机电 装备 machinery machine equipment"),
    ("pharma", "医药 制药 药业 医疗 生物 pharmaceutical pharma medical biotech"),
    ("chemicals", "化工 化学 涂料 chemical coating"),
    ("metals", "金属 钢 铝 铜 五金 metal steel aluminium aluminum hardware"),
    ("plastics", "塑胶 塑料 橡胶 塑业 plastic rubber"),
    ("food", "食品 饮料 乳业 food beverage"),
    ("textiles", "纺织 服装 服饰 面料 textile garment apparel fabric"),
)


def company_sector(name: object) -> str | None:
    """The sector a company name says it is in, from what follows its trade name.

    Reps shorten an industry to a synonym (供应链管理 to 物流) as well as to a part of it
    (精密机械 to 机械), and a company's English name translates it (塑胶制品, Plastic
    Products): the sector is what those forms share.

    Args:
        name: The company name as a source holds it.

    Returns:
        One of logistics, automotive, energy, electronics, machinery, pharma, chemicals,
        metals, plastics, food, textiles; None when no keyword is found.

    Examples:
        >>> company_sector("嘉巨物流"), company_sector("杭州嘉巨供应链管理有限公司")
        ('logistics', 'logistics')
        >>> company_sector("Dongguan Putuo Plastic Products Co., Ltd.")
        'plastics'
    """
    key = _brand_core_key(name)
    if key is None:
        return None
    brand = company_brand_key(name)
    industry = key[len(brand) :] if brand and key.startswith(brand) else key
    return next(
        (sector for sector, words in _SECTORS if any(word in industry for word in words.split())),
        None,
    )
