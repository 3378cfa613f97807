"""Fixtures of the sem integration tests (their helpers live in sem_harness.py)."""

from sem_harness import loaded, runner, sem_world, start_emulator  # noqa: F401
