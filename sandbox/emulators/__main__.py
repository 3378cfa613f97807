"""Serve the sandbox APIs in this process until SIGTERM or Ctrl-C.

``python -m sandbox.emulators --sandbox-dir DIR --endpoints FILE`` starts the CRM,
WeChat Work and SEM emulators and then writes FILE (the dlt settings pointing
sources at them): a parent process waits for FILE to know the servers are up.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from sandbox.emulators.serve import parse_faults, start_emulators


def main() -> None:
    """Parse arguments and serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.emulators")
    parser.add_argument("--sandbox-dir", required=True, type=Path)
    parser.add_argument("--endpoints", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--faults", help='JSON, e.g. {"crm": {"rate_limit_every": 7}}')
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    servers = start_emulators(args.sandbox_dir, faults=parse_faults(args.faults), host=args.host)
    servers.write_endpoints(args.endpoints)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
        args.endpoints.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
