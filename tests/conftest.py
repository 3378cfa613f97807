"""Shared fixtures: one small sandbox company per test session, generated once."""

from __future__ import annotations

from pathlib import Path

import pytest

SMALL_SCALE = 0.01
SMALL_SEED = 7


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sandbox directory holding a scale-0.01 world (world/ and truth/)."""
    from sandbox.world.generate import generate_world

    sandbox_dir = tmp_path_factory.mktemp("sandbox")
    generate_world(sandbox_dir, scale=SMALL_SCALE, seed=SMALL_SEED)
    return sandbox_dir
