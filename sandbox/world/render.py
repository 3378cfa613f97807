"""How a person shows up in one source record: name, company, phone and email as typed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.world.common import join, null_where, weighted_index
from sandbox.world.firms import Accounts, Persons
from sandbox.world.messy import (
    email_variants,
    landline_variants,
    mobile_variants,
    person_name_variants,
    random_phone_variant,
)

# Variant weights per source style (see messy.py for the codes).
_NAME_W = {
    "form": (80, 5, 3, 2, 1, 2, 7),
    "scan": (85, 6, 4, 0, 0, 3, 2),
    "rep": (70, 2, 2, 12, 8, 2, 4),
    "wechat": (45, 10, 0, 0, 0, 45, 0),
}
_COMPANY_W = {
    "form": (40, 12, 14, 16, 8, 3, 1, 4, 0, 2),
    "scan": (45, 15, 15, 12, 3, 6, 1, 3, 0, 0),
    "rep": (60, 12, 10, 8, 2, 4, 0, 2, 0, 2),
    "wechat": (20, 10, 25, 35, 10, 0, 0, 0, 0, 0),
}
_EMAIL_W = (70, 8, 4, 8, 5, 5)
_EMAIL_MISSING = {"form": 0.15, "scan": 0.25, "rep": 0.35, "wechat": 1.0}


@dataclass
class Rendered:
    """Strings of one batch of source records (all Arrow string arrays)."""

    name: pa.Array
    company: pa.Array
    mobile: pa.Array
    email: pa.Array


def render(
    rng: np.random.Generator, persons: Persons, accounts: Accounts, person: np.ndarray, style: str
) -> Rendered:
    """Render ``person`` rows the way a source of ``style`` (form, scan, rep, wechat) holds them.

    People who use the company switchboard or a generic mailbox show those instead of
    their own: the identity traps of the world (truth keeps the real person).
    """
    n = len(person)
    idx = pa.array(np.asarray(person, dtype=np.int64))
    account = persons.account[person]
    name = person_name_variants(
        persons.name.take(idx),
        persons.surname.take(idx),
        persons.given.take(idx),
        persons.pinyin.take(idx),
        persons.english.take(idx),
        weighted_index(rng, np.array(_NAME_W[style], dtype=float), n),
    )
    company = accounts.parts.take(account).variants(
        weighted_index(rng, np.array(_COMPANY_W[style], dtype=float), n)
    )
    phone_style = {"form": "form", "scan": "scan", "rep": "rep", "wechat": "plain"}[style]
    mobile = mobile_variants(persons.mobile.take(idx), random_phone_variant(rng, n, phone_style))
    acc = pa.array(account)
    switch = landline_variants(
        accounts.area_code.take(acc), accounts.switchboard.take(acc), rng.integers(0, 4, n)
    )
    board = persons.uses_switchboard[person] & (rng.random(n) < 0.8)
    mobile = pc.if_else(pa.array(board), switch, mobile)
    own = persons.email.take(idx)
    generic = join("info@", accounts.domain.take(acc))
    email = pc.if_else(pa.array(persons.uses_generic_email[person]), generic, own)
    email = email_variants(email, weighted_index(rng, np.array(_EMAIL_W, dtype=float), n))
    email = null_where(email, rng.random(n) < _EMAIL_MISSING[style])
    return Rendered(name=name, company=company, mobile=mobile, email=email)
