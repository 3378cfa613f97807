"""Identity normalisers shared by every source (and mirrored in dbt).

Pure functions, one rule set: a phone, an e-mail, a company or a person name normalised
here gives the same value whichever source it came from, so their hashes and
keys join. Each module documents its rules; ``arrays`` holds vectorised variants
for Arrow columns that return exactly what the scalar functions return.
"""

from ingestion.common.normalize.arrays import (
    clean_text,
    clean_text_array,
    company_core_key_array,
    company_key_arrays,
    company_match_key_array,
    hash_identifier_array,
    hex_strings,
    map_unique,
    normalize_email_array,
    normalize_phone_array,
    sha256_hex_array,
    to_halfwidth_array,
)
from ingestion.common.normalize.company import (
    company_brand_key,
    company_brand_pinyin,
    company_core_key,
    company_match_key,
    company_sector,
)
from ingestion.common.normalize.email import normalize_email
from ingestion.common.normalize.hashing import email_hash, hash_identifier, phone_hash
from ingestion.common.normalize.person import PersonNameKeys, person_name_keys
from ingestion.common.normalize.phone import REGION_CODES, normalize_phone
from ingestion.common.normalize.text import to_fullwidth, to_halfwidth

__all__ = [
    "REGION_CODES",
    "PersonNameKeys",
    "clean_text",
    "clean_text_array",
    "company_brand_key",
    "company_brand_pinyin",
    "company_core_key",
    "company_core_key_array",
    "company_key_arrays",
    "company_match_key",
    "company_match_key_array",
    "company_sector",
    "email_hash",
    "hash_identifier",
    "hash_identifier_array",
    "hex_strings",
    "map_unique",
    "normalize_email",
    "normalize_email_array",
    "normalize_phone",
    "normalize_phone_array",
    "person_name_keys",
    "phone_hash",
    "sha256_hex_array",
    "to_fullwidth",
    "to_halfwidth",
    "to_halfwidth_array",
]
