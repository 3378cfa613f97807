"""Fixtures of the bank integration tests (their helpers live in bank_harness.py)."""

from bank_harness import bank_drop, bank_sandbox, loaded_bank  # noqa: F401
