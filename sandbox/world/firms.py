"""Companies, people and the seller's sales team (the true entities of the world)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.world import vocab
from sandbox.world.common import Ctx, join, pick, weighted_index
from sandbox.world.messy import CompanyParts

_MOBILE_PREFIXES = np.array(
    [
        130,
        131,
        132,
        133,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        155,
        156,
        157,
        158,
        159,
        166,
        173,
        177,
        180,
        181,
        182,
        183,
        185,
        186,
        187,
        188,
        189,
        199,
    ]
)


@dataclass
class Accounts:
    """True companies (truth.accounts), one row per account."""

    n: int
    key: pa.Array
    parts: CompanyParts
    legal_name: pa.Array
    industry: np.ndarray  # index into vocab.INDUSTRY_CODES
    employees: np.ndarray
    city: np.ndarray  # index into vocab.CITIES
    region: np.ndarray  # index into vocab.REGIONS
    tech_stack: pa.Array
    has_erp: np.ndarray
    excel_only: np.ndarray
    domain: pa.Array
    switchboard: pa.Array  # 8-digit local number
    area_code: pa.Array


@dataclass
class Persons:
    """True people (truth.persons), one row per person."""

    n: int
    key: pa.Array
    account: np.ndarray  # index into Accounts
    surname: pa.Array
    given: pa.Array
    name: pa.Array
    pinyin: pa.Array  # "Zhang Wei"
    english: pa.Array  # "Tony Zhang"
    gender: np.ndarray  # 1 male, 2 female
    mobile: pa.Array  # 11 digits
    email: pa.Array  # canonical lower case, nullable
    title: pa.Array
    department: pa.Array
    uses_switchboard: np.ndarray  # gives the company switchboard instead of the mobile
    uses_generic_email: np.ndarray  # gives info@domain instead of their own email


@dataclass
class Reps:
    """The seller's users: reps carry leads; managers, directors and a VP approve discounts."""

    n: int
    id: pa.Array
    name: pa.Array
    email: pa.Array
    wechat_userid: pa.Array
    team: pa.Array
    region: np.ndarray  # index into vocab.REGIONS
    role: np.ndarray  # str
    industries: list[set[int]]
    products: list[list[str]]
    capacity: np.ndarray
    is_active: np.ndarray
    response_prob: np.ndarray  # chance the rep ever responds to a lead
    response_hours: np.ndarray  # median hours to first response
    diligence: np.ndarray  # multiplies the rep's call/visit rate
    created_us: np.ndarray
    updated_us: np.ndarray

    @property
    def rep_index(self) -> np.ndarray:
        """Indexes of users who carry leads (role rep)."""
        return np.flatnonzero(self.role == "rep")


def occurrence(values: pa.Array) -> np.ndarray:
    """0 for the first occurrence of each value, 1 for the second, and so on (nulls count)."""
    codes = pc.dictionary_encode(values.fill_null("\x00")).indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    occ = np.empty(len(codes), dtype=np.int64)
    occ[order] = np.arange(len(codes)) - group_start
    return occ


def make_unique(head: pa.Array, tail: pa.Array | str = "") -> pa.Array:
    """``head + tail`` made unique by appending a number to ``head`` on repeats."""
    current = head
    for _ in range(20):
        full = join(current, tail)
        occ = occurrence(full)
        if not occ.any():
            return full
        suffix = pc.cast(pa.array(occ + 1), pa.string())
        current = pc.if_else(pa.array(occ > 0), join(current, suffix), current)
    raise ValueError("could not make values unique")


def make_accounts(ctx: Ctx) -> Accounts:
    """Generate the true companies with industries, sizes, places and tech stacks."""
    rng = ctx.rng("accounts")
    n = ctx.count(10_000, minimum=40)
    n_brand = len(vocab.BRAND_CHARS)
    city_w = np.array([c[5] for c in vocab.CITIES], dtype=float)
    # Draw (city, brand pair, industry) combos and keep the first occurrence of each.
    draws = int(n * 1.3) + 50
    city = weighted_index(rng, city_w, draws)
    b1 = rng.integers(0, n_brand, draws)
    b2 = (b1 + rng.integers(1, n_brand, draws)) % n_brand
    industry = weighted_index(rng, np.array(vocab.INDUSTRY_WEIGHTS, dtype=float), draws)
    combo = ((city * n_brand + b1) * n_brand + b2) * len(vocab.INDUSTRY_CODES) + industry
    _, first = np.unique(combo, return_index=True)
    keep = np.sort(first)[:n]
    while len(keep) < n:  # pragma: no cover - only at absurd scales
        raise ValueError("scale too large for the company-name space")
    city, b1, b2, industry = city[keep], b1[keep], b2[keep], industry[keep]

    brand_zh = [c for c, _ in vocab.BRAND_CHARS]
    brand_py = [p for _, p in vocab.BRAND_CHARS]
    brand = join(pick(brand_zh, b1), pick(brand_zh, b2))
    brand_en = join(pc.utf8_capitalize(pick(brand_py, b1)), pick(brand_py, b2))
    ind = [vocab.INDUSTRIES[c] for c in vocab.INDUSTRY_CODES]
    suffix_i = weighted_index(rng, np.array(vocab.LEGAL_SUFFIX_WEIGHTS), n)
    other_city = (city + rng.integers(1, len(vocab.CITIES), n)) % len(vocab.CITIES)
    parts = CompanyParts(
        city=pick([c[0] for c in vocab.CITIES], city),
        brand=brand,
        term=pick([i[0] for i in ind], industry),
        short_term=pick([i[1] for i in ind], industry),
        suffix=pick(vocab.LEGAL_SUFFIXES, suffix_i),
        city_en=pick([c[3] for c in vocab.CITIES], city),
        brand_en=brand_en,
        term_en=pick([i[2] for i in ind], industry),
        suffix_en=pick(vocab.ENGLISH_SUFFIXES, suffix_i),
        paren_layout=rng.random(n) < 0.15,
        other_city=pick([c[0] for c in vocab.CITIES], other_city),
    )
    employees = np.clip(np.round(np.exp(rng.normal(np.log(260), 1.25, n))), 8, 90_000)
    employees = employees.astype(np.int32)
    # Tech stack: an ERP more likely in larger firms; some run on Excel only.
    size_z = np.log10(employees)
    has_erp = rng.random(n) < np.clip(0.15 + 0.2 * (size_z - 1.5), 0.1, 0.92)
    erp = rng.integers(0, len(vocab.ERP_SYSTEMS), n)
    extra1 = rng.integers(len(vocab.ERP_SYSTEMS), len(vocab.TECH_STACK), n)
    extra2 = rng.integers(len(vocab.ERP_SYSTEMS), len(vocab.TECH_STACK), n)
    n_extra = rng.integers(0, 3, n)
    stack_names = np.array(vocab.TECH_STACK, dtype=object)
    stacks = []
    for i in range(n):  # small per-account loop building short comma lists
        items = [stack_names[erp[i]]] if has_erp[i] else []
        if n_extra[i] >= 1:
            items.append(stack_names[extra1[i]])
        if n_extra[i] >= 2 and extra2[i] != extra1[i]:
            items.append(stack_names[extra2[i]])
        if not items:
            items = ["Excel"]
        stacks.append(",".join(items))
    excel_only = np.array([s == "Excel" for s in stacks])
    tld = pick(["com", "com.cn", "cn", "net"], weighted_index(rng, np.array([6, 3, 2, 1.0]), n))
    domain = make_unique(pc.utf8_lower(brand_en), join(".", tld))
    switch = rng.integers(0, 10**7, n) + 6 * 10**7
    return Accounts(
        n=n,
        key=pc.binary_join_element_wise(
            "A", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 6, "0"), ""
        ),
        parts=parts,
        legal_name=parts.legal(),
        industry=industry,
        employees=employees,
        city=city,
        region=np.array(
            [vocab.REGIONS.index(vocab.CITIES[c][2]) for c in range(len(vocab.CITIES))]
        )[city],
        tech_stack=pa.array(stacks, pa.string()),
        has_erp=has_erp,
        excel_only=excel_only,
        domain=domain,
        switchboard=pc.cast(pa.array(switch), pa.string()),
        area_code=pick([c[4] for c in vocab.CITIES], city),
    )


def make_persons(ctx: Ctx, accounts: Accounts) -> Persons:
    """Generate the people who work at the accounts."""
    rng = ctx.rng("persons")
    n = ctx.count(52_000, minimum=60)
    account = weighted_index(rng, accounts.employees.astype(float) ** 0.45, n)
    sur_i = weighted_index(rng, np.array([s[2] for s in vocab.SURNAMES]), n)
    g1 = rng.integers(0, len(vocab.GIVEN_CHARS), n)
    g2 = rng.integers(0, len(vocab.GIVEN_CHARS), n)
    two = rng.random(n) < 0.62
    gz = [g for g, _ in vocab.GIVEN_CHARS]
    gp = [p for _, p in vocab.GIVEN_CHARS]
    empty = pa.array([""] * n)
    given = join(pick(gz, g1), pc.if_else(pa.array(two), pick(gz, g2), empty))
    given_py = join(pick(gp, g1), pc.if_else(pa.array(two), pick(gp, g2), empty))
    surname = pick([s[0] for s in vocab.SURNAMES], sur_i)
    sur_py = pick([s[1] for s in vocab.SURNAMES], sur_i)
    name = join(surname, given)
    pinyin = join(pc.utf8_capitalize(sur_py), " ", pc.utf8_capitalize(given_py))
    english = join(
        pick(vocab.ENGLISH_NAMES, rng.integers(0, len(vocab.ENGLISH_NAMES), n)),
        " ",
        pc.utf8_capitalize(sur_py),
    )

    prefix = _MOBILE_PREFIXES[rng.integers(0, len(_MOBILE_PREFIXES), n)]
    mobile_num = prefix.astype(np.int64) * 10**8 + rng.integers(0, 10**8, n)
    for _ in range(10):  # resample the rare duplicates
        _, first = np.unique(mobile_num, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        mobile_num[dup] = prefix[dup].astype(np.int64) * 10**8 + rng.integers(0, 10**8, dup.sum())
    mobile = pc.cast(pa.array(mobile_num), pa.string())

    style = rng.integers(0, 4, n)
    local = pc.utf8_lower(
        pc.choose(
            pa.array(style),
            join(sur_py, ".", given_py),
            join(sur_py, given_py),
            join(given_py, ".", sur_py),
            join(pc.utf8_slice_codeunits(given_py, 0, 1), sur_py),
        )
    )
    corp = make_unique(local, join("@", accounts.domain.take(pa.array(account))))
    qq = join(pc.cast(pa.array(rng.integers(10**7, 3 * 10**9, n)), pa.string()), "@qq.com")
    personal = join(
        local,
        pc.cast(pa.array(rng.integers(1, 99, n)), pa.string()),
        "@",
        pick(vocab.PERSONAL_EMAIL_DOMAINS[1:], rng.integers(0, 5, n)),
    )
    kind = weighted_index(rng, np.array([72, 9, 11, 8.0]), n)  # corp, qq, personal, none
    email = pc.choose(pa.array(kind), corp, qq, personal, pa.nulls(n, pa.string()))
    # The rare clash between personal addresses is resolved by dropping the later one.
    email = pc.if_else(pa.array(occurrence(email) > 0), pa.nulls(n, pa.string()), email)

    return Persons(
        n=n,
        key=pc.binary_join_element_wise(
            "P", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 7, "0"), ""
        ),
        account=account,
        surname=surname,
        given=given,
        name=name,
        pinyin=pinyin,
        english=english,
        gender=np.where(rng.random(n) < 0.68, 1, 2).astype(np.int32),
        mobile=mobile,
        email=email,
        title=pick(vocab.TITLES, rng.integers(0, len(vocab.TITLES), n)),
        department=pick(vocab.DEPARTMENTS, rng.integers(0, len(vocab.DEPARTMENTS), n)),
        uses_switchboard=rng.random(n) < 0.04,
        uses_generic_email=rng.random(n) < 0.03,
    )


def make_reps(ctx: Ctx) -> Reps:
    """Generate the sales team: reps per region, a manager per region, directors and a VP."""
    rng = ctx.rng("reps")
    n_reps = max(8, round(36 * ctx.scale**0.5))
    region = np.concatenate([np.arange(n_reps) % 5, np.arange(5), [0, 2], [0]])
    role = np.array(["rep"] * n_reps + ["manager"] * 5 + ["director"] * 2 + ["vp"], dtype=object)
    n = len(role)
    sur_i = rng.permutation(len(vocab.SURNAMES))[np.arange(n) % len(vocab.SURNAMES)]
    g_i = rng.integers(0, len(vocab.GIVEN_CHARS), n)
    g_j = rng.integers(0, len(vocab.GIVEN_CHARS), n)
    names, pinyins = [], []
    for i in range(n):  # small table: plain Python is clearer
        sz, sp, _ = vocab.SURNAMES[sur_i[i]]
        gz, gp = vocab.GIVEN_CHARS[g_i[i]]
        hz, hp = vocab.GIVEN_CHARS[g_j[i]]
        names.append(sz + gz + hz)
        pinyins.append(sp.capitalize() + gp.capitalize() + hp.capitalize())
    userids = make_unique(pa.array(pinyins))
    industries, products = [], []
    for _ in range(n):
        k = int(rng.integers(2, 4))
        industries.append(set(rng.choice(len(vocab.INDUSTRY_CODES), k, replace=False).tolist()))
        m = int(rng.integers(1, 4))
        products.append(sorted(rng.choice(vocab.PRODUCT_CODES, m, replace=False).tolist()))
    is_active = np.ones(n, dtype=bool)
    is_active[n_reps - 1] = False  # one rep has left; their leads stay with them
    created = ctx.start_us - rng.integers(30, 900, n) * 86_400_000_000
    updated = created + rng.integers(1, 20, n) * 86_400_000_000
    updated[~is_active] = ctx.end_us - 40 * 86_400_000_000
    team = [
        f"{vocab.REGION_LABELS[vocab.REGIONS[r]]}销售{'部' if ro != 'rep' else '组'}"
        for r, ro in zip(region, role, strict=True)
    ]
    return Reps(
        n=n,
        id=pc.binary_join_element_wise(
            "U", pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), 4, "0"), ""
        ),
        name=pa.array(names),
        email=join(pc.utf8_lower(userids), "@", vocab.SELLER_DOMAIN),
        wechat_userid=userids,
        team=pa.array(team),
        region=region,
        role=role,
        industries=industries,
        products=products,
        capacity=rng.integers(40, 160, n).astype(np.int32),
        is_active=is_active,
        response_prob=rng.uniform(0.80, 0.99, n),
        response_hours=np.exp(rng.normal(np.log(5.0), 0.9, n)),
        diligence=np.exp(rng.normal(0.0, 0.35, n)),
        created_us=created,
        updated_us=updated,
    )
