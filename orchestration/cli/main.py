"""The ``salesdw`` command: demo, sandbox, ingest and inspect."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from ingestion.settings import resolve_home
from ingestion.sources import SOURCE_NAMES
from ml.attribution.models import MODELS
from orchestration.cli import commands

DEMO_SCALE = 1.0
DEMO_SEED = 42


def _add_home(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--home",
        help="data directory (default: $SALESDW_HOME or ./.salesdw)",
    )


def _add_faults(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--faults",
        help='make the sandbox misbehave, e.g. \'{"crm": {"rate_limit_every": 7}}\' '
        "(knobs: rate_limit_every, server_error_every, token_ttl_calls, malformed_every, "
        "drop_connection_after, drop_connection_every)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="salesdw",
        description="ELT data warehouse for B2B sales management (dlt, DuckDB, dbt, Dagster).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log library details")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="generate a sandbox company and run the whole pipeline")
    demo.add_argument(
        "--scale",
        type=float,
        default=DEMO_SCALE,
        help=f"company size (default {DEMO_SCALE}; 1 ≈ 50,000 leads)",
    )
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help=f"default {DEMO_SEED}")
    _add_home(demo)

    sandbox = sub.add_parser("sandbox", help="the emulated source systems of a demo company")
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command", required=True)
    generate = sandbox_sub.add_parser("generate", help="generate the company and drop its files")
    generate.add_argument("--scale", type=float, default=DEMO_SCALE)
    generate.add_argument("--seed", type=int, default=DEMO_SEED)
    _add_home(generate)
    serve = sandbox_sub.add_parser("serve", help="serve the CRM, WeChat Work and SEM APIs")
    serve.add_argument("--host", default="127.0.0.1")
    _add_faults(serve)
    _add_home(serve)

    ingest = sub.add_parser("ingest", help="load sources into the warehouse under Dagster")
    ingest.add_argument(
        "sources",
        nargs="*",
        choices=[*SOURCE_NAMES, []],
        metavar="SOURCE",
        help=f"any of {', '.join(SOURCE_NAMES)} (default: all)",
    )
    ingest.add_argument(
        "--sandbox", action="store_true", help="start the sandbox emulators for this run"
    )
    _add_faults(ingest)
    _add_home(ingest)

    build = sub.add_parser("build", help="build the warehouse's dbt models under Dagster")
    _add_home(build)

    inspect = sub.add_parser("inspect", help="show what salesdw reads from one source file")
    inspect.add_argument("file")

    attribution = sub.add_parser(
        "attribution", help="credit marketing channels with the conversions of a paths CSV"
    )
    attribution.add_argument(
        "paths",
        metavar="PATHS.csv",
        help="columns path (channels joined by ' > '), total_conversions, optionally "
        "total_conversion_value and total_null",
    )
    attribution.add_argument(
        "--models",
        metavar="MODEL,…",
        default=",".join(MODELS),
        help=f"comma-separated, any of {', '.join(MODELS)} (default: all)",
    )
    attribution.add_argument(
        "--markov-order",
        metavar="N",
        type=int,
        default=1,
        help="order of the Markov chain (default 1)",
    )
    attribution.add_argument(
        "--output", metavar="FILE", help="write the CSV here instead of to stdout"
    )

    bench = sub.add_parser("bench", help="measure every stage at named scale factors")
    bench.add_argument(
        "--scale",
        type=float,
        action="append",
        dest="scales",
        help="a scale factor to measure (repeatable; default 1)",
    )
    bench.add_argument("--seed", type=int, default=DEMO_SEED)
    bench.add_argument("--work-dir", help="where bench data goes (default: a temp folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        # dlt logs hints meant for source authors (cursor resolution, schema merges);
        # a person running a command reads the summary and the errors instead.
        os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
        # dagster-dbt reports each dbt command at INFO; the CLI prints its own progress.
        logging.getLogger("dagster").setLevel(logging.WARNING)
    try:
        if args.command == "inspect":
            return commands.inspect(args.file)
        if args.command == "attribution":
            return commands.attribution(
                args.paths, args.models.split(","), args.markov_order, args.output
            )
        if args.command == "bench":
            return commands.bench(args.scales or [1.0], args.seed, args.work_dir)
        home = resolve_home(args.home)
        if args.command == "demo":
            return commands.demo(home, scale=args.scale, seed=args.seed)
        if args.command == "sandbox" and args.sandbox_command == "generate":
            return commands.sandbox_generate(home, scale=args.scale, seed=args.seed)
        if args.command == "sandbox" and args.sandbox_command == "serve":
            return commands.sandbox_serve(home, host=args.host, faults=args.faults)
        if args.command == "build":
            return commands.build(home)
        if args.command == "ingest":
            sources = args.sources or list(SOURCE_NAMES)
            return commands.ingest(home, sources, args.sandbox, args.faults)
    except commands.CommandError as error:
        print(f"salesdw: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("salesdw: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug or an unforeseen failure: one line, details on -v
        if args.verbose:
            raise
        first_line = (str(error).strip().splitlines() or [""])[0]
        print(
            f"salesdw: {type(error).__name__}: {first_line}; rerun with -v for the traceback",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
