"""The messy forms real systems hold: phone, email, company-name and person-name variants.

Each function takes canonical values (Arrow string arrays) and a variant code per row and
returns the messy strings, vectorised. The variant codes are documented in each function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.world.common import choose, join, weighted_index

_FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
_FULL_WIDTH.update({"(": "（", ")": "）", "-": "－", "+": "＋", " ": "　"})


def full_width(arr: pa.Array) -> pa.Array:
    """Replace ASCII digits, parentheses, dashes, plus and spaces by full-width forms."""
    for ascii_char, wide in _FULL_WIDTH.items():
        arr = pc.replace_substring(arr, ascii_char, wide)
    return arr


def _cut(arr: pa.Array, start: int, stop: int) -> pa.Array:
    return pc.utf8_slice_codeunits(arr, start, stop)


PHONE_VARIANT_WEIGHTS = {
    # source -> weights of variants 0..9 (see mobile_variants)
    "plain": (70, 3, 5, 2, 6, 5, 1, 2, 5, 1),
    "form": (30, 20, 15, 5, 10, 8, 3, 3, 4, 2),
    "scan": (55, 5, 5, 3, 12, 8, 6, 2, 3, 1),
    "rep": (40, 10, 5, 5, 15, 15, 3, 2, 4, 1),
}


def mobile_variants(digits: pa.Array, code: np.ndarray) -> pa.Array:
    """Messy renderings of 11-digit mainland mobiles.

    Codes: 0 ``13800138000``, 1 ``+86 138-0013-8000``, 2 ``+8613800138000``,
    3 ``0086 13800138000``, 4 ``138 0013 8000``, 5 ``138-0013-8000``, 6 full-width digits,
    7 ``86-13800138000``, 8 padded with spaces, 9 ``(+86)13800138000``.
    """
    a, b, c = _cut(digits, 0, 3), _cut(digits, 3, 7), _cut(digits, 7, 11)
    variants = [
        digits,
        join("+86 ", a, "-", b, "-", c),
        join("+86", digits),
        join("0086 ", digits),
        join(a, " ", b, " ", c),
        join(a, "-", b, "-", c),
        full_width(digits),
        join("86-", digits),
        join(" ", digits, " "),
        join("(+86)", digits),
    ]
    return choose(variants, code)


def landline_variants(area: pa.Array, number: pa.Array, code: np.ndarray) -> pa.Array:
    """Messy renderings of a landline (a company switchboard).

    Codes: 0 ``021-61234567``, 1 ``+86 21 6123 4567``, 2 ``(021)61234567``, 3 ``02161234567``.
    """
    head, tail = _cut(number, 0, 4), _cut(number, 4, 8)
    variants = [
        join("0", area, "-", number),
        join("+86 ", area, " ", head, " ", tail),
        join("(0", area, ")", number),
        join("0", area, number),
    ]
    return choose(variants, np.minimum(code, 3))


def random_phone_variant(rng: np.random.Generator, n: int, style: str) -> np.ndarray:
    """Variant codes for ``n`` mobiles rendered by a source of the given style."""
    return weighted_index(rng, np.array(PHONE_VARIANT_WEIGHTS[style], dtype=float), n)


def email_variants(email: pa.Array, code: np.ndarray) -> pa.Array:
    """Messy renderings of a lower-case email.

    Codes: 0 as is, 1 title case, 2 upper case, 3 surrounded by spaces, 4 trailing space,
    5 capitalised first letter.
    """
    variants = [
        email,
        pc.utf8_title(email),
        pc.utf8_upper(email),
        join(" ", email, " "),
        join(email, " "),
        pc.utf8_capitalize(email),
    ]
    return choose(variants, code)


@dataclass
class CompanyParts:
    """The pieces a company's names are built from, one row per account."""

    city: pa.Array
    brand: pa.Array
    term: pa.Array
    short_term: pa.Array
    suffix: pa.Array
    city_en: pa.Array
    brand_en: pa.Array
    term_en: pa.Array
    suffix_en: pa.Array
    paren_layout: np.ndarray  # True: 云帆汽车零部件（上海）有限公司
    other_city: pa.Array  # a subsidiary's city

    def take(self, index: np.ndarray) -> CompanyParts:
        """Rows of these parts at ``index`` (one per output row)."""
        idx = pa.array(np.asarray(index, dtype=np.int64))
        return CompanyParts(
            *(
                getattr(self, f).take(idx)
                for f in (
                    "city",
                    "brand",
                    "term",
                    "short_term",
                    "suffix",
                    "city_en",
                    "brand_en",
                    "term_en",
                    "suffix_en",
                )
            ),
            paren_layout=self.paren_layout[np.asarray(index, dtype=np.int64)],
            other_city=self.other_city.take(idx),
        )

    def legal(self) -> pa.Array:
        """The registered name, e.g. 上海云帆汽车零部件有限公司."""
        city_first = join(self.city, self.brand, self.term, self.suffix)
        paren = join(self.brand, self.term, "（", self.city, "）", self.suffix)
        return pc.if_else(pa.array(self.paren_layout), paren, city_first)

    def english(self) -> pa.Array:
        """English name, e.g. Shanghai Yunfan Auto Parts Co., Ltd."""
        return join(self.city_en, " ", self.brand_en, " ", self.term_en, " ", self.suffix_en)

    def variants(self, code: np.ndarray) -> pa.Array:
        """Rep-typed or printed variants of the legal name.

        Codes: 0 legal, 1 suffix dropped, 2 brand+term, 3 abbreviation (brand+short term),
        4 city+brand, 5 other layout/width of the parentheses, 6 English name,
        7 spaced (ideographic or ASCII space, trailing blank), 8 a subsidiary's name,
        9 ``（` `）`` around the city written half-width.
        """
        legal = self.legal()
        flip_paren = pc.if_else(
            pa.array(self.paren_layout),
            join(self.brand, self.term, "(", self.city, ")", self.suffix),
            join(self.brand, self.term, "（", self.city, "）", self.suffix),
        )
        variants = [
            legal,
            pc.if_else(
                pa.array(self.paren_layout),
                join(self.brand, self.term, "（", self.city, "）"),
                join(self.city, self.brand, self.term),
            ),
            join(self.brand, self.term),
            join(self.brand, self.short_term),
            join(self.city, self.brand),
            flip_paren,
            self.english(),
            join(self.city, "　", self.brand, self.term, self.suffix, " "),
            join(self.brand, self.term, "（", self.other_city, "）有限公司"),
            join(self.city, self.brand, self.term, "有限公司(", self.city, ")"),
        ]
        return choose(variants, code)


def person_name_variants(
    name: pa.Array,
    surname: pa.Array,
    given: pa.Array,
    pinyin: pa.Array,
    english: pa.Array,
    code: np.ndarray,
) -> pa.Array:
    """How a person's name is typed or printed.

    Codes: 0 as is, 1 pinyin (``Zhang Wei``), 2 spaced (``张 伟``), 3 surname + 总,
    4 surname + 经理, 5 English first name + pinyin surname, 6 trailing space.
    """
    variants = [
        name,
        pinyin,
        join(surname, " ", given),
        join(surname, "总"),
        join(surname, "经理"),
        english,
        join(name, " "),
    ]
    return choose(variants, code)
