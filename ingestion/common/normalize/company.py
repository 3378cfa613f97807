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

from ingestion.common.normalize.text import to_halfwidth

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
