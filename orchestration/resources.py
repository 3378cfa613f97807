"""Dagster resources: where the data directory is and how sources find their endpoints."""

from __future__ import annotations

import json
import os

from dagster import ConfigurableResource

from ingestion.settings import Home, resolve_home

ENDPOINTS_FILE = "endpoints.json"


class SalesdwHome(ConfigurableResource):
    """The salesdw data directory (empty: SALESDW_HOME or ./.salesdw) and run-wide limits."""

    root: str = ""
    max_rejected_share: float = 0.05

    def home(self) -> Home:
        """The resolved data directory."""
        return resolve_home(self.root or None)

    def apply_sandbox_endpoints(self) -> dict[str, str]:
        """Point sources at a running sandbox unless they are configured already.

        ``salesdw sandbox serve`` writes ``<home>/sandbox/endpoints.json`` (dlt env-var
        names to values). Settings the user has set in the environment win.
        """
        path = self.home().sandbox_dir / ENDPOINTS_FILE
        if not path.exists():
            return {}
        applied = {}
        for key, value in json.loads(path.read_text()).items():
            if key not in os.environ:
                os.environ[key] = value
                applied[key] = value
        return applied
