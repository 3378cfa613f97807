"""Serve the WeChat Work emulator: ``python -m sandbox.emulators.wechat_work --sandbox-dir D``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import threading
from pathlib import Path

from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.wechat_work import DEMO_CORPID, DEMO_CORPSECRET, create_app


def main() -> None:
    """Parse the arguments, start the server and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sandbox-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    app = create_app(args.sandbox_dir, Faults(), today=args.today)
    emulator = RunningEmulator(app, port=args.port).start()
    print(
        f"WeChat Work emulator on {emulator.url} (corpid {DEMO_CORPID}, "
        f"corpsecret {DEMO_CORPSECRET}, today {app.today})",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
