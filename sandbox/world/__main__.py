"""CLI: ``python -m sandbox.world --scale S --seed N --out DIR``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import resource
import time
from pathlib import Path

from sandbox.world.generate import DEFAULT_AS_OF, generate_world


def main(argv: list[str] | None = None) -> int:
    """Generate a world and print the row counts, wall time and peak memory."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.world", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = ~50k leads, ~1M events")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="sandbox directory to write")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(message)s"
    )
    started = time.perf_counter()
    counts = generate_world(args.out, scale=args.scale, seed=args.seed, as_of=args.as_of)
    wall = time.perf_counter() - started
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"{key:<{width}}  {value:>12,}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generated {sum(counts.values()):,} rows in {wall:.1f} s, peak memory {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
