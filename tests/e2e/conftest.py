"""Fixtures of the end-to-end tests (their helpers live in e2e_harness.py)."""

from e2e_harness import demo_home  # noqa: F401
