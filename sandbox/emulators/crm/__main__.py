"""Serve the CRM emulator: ``python -m sandbox.emulators.crm <sandbox_dir> [--port N]``."""

from __future__ import annotations

import argparse
import json
import threading
from dataclasses import fields
from pathlib import Path

from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.crm import CLIENT_ID, CLIENT_SECRET, create_app


def main() -> None:
    """Start the emulator and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sandbox_dir", type=Path)
    parser.add_argument("--port", type=int, default=0)
    for field in fields(Faults):
        parser.add_argument(f"--{field.name.replace('_', '-')}", type=int, default=0)
    args = parser.parse_args()
    faults = Faults(**{f.name: getattr(args, f.name) for f in fields(Faults)})
    emulator = RunningEmulator(create_app(args.sandbox_dir, faults), port=args.port).start()
    print(
        json.dumps({"url": emulator.url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
