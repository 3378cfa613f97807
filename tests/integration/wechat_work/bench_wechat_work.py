"""Measure the WeChat Work connector against its emulator (not a test; run by hand).

    .venv/bin/python tests/integration/wechat_work/bench_wechat_work.py --scale 1
    .venv/bin/python tests/integration/wechat_work/bench_wechat_work.py --sandbox-dir DIR

The emulator runs in a child process (its own core, as in ``salesdw bench``); the
connector loads a fresh warehouse and the rows per second of the whole run are
reported, then those of each phase (contacts crawl, statistics).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import Home
from ingestion.wechat_work import wechat_work_source
from sandbox.emulators.wechat_work.app import read_as_of


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(sandbox_dir: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the emulator in a child process and return it with its URL."""
    child = subprocess.Popen(
        [sys.executable, "-m", "sandbox.emulators.wechat_work", "--sandbox-dir", str(sandbox_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline() if child.stdout else ""
    if " on " not in line:
        child.kill()
        raise RuntimeError(f"emulator did not start: {line!r}")
    return child, line.split(" on ")[1].split()[0]


def main() -> None:
    """Generate (or reuse) a world, serve it, load it twice and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sandbox-dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="wechat_bench_"))
    sandbox_dir = args.sandbox_dir
    if sandbox_dir is None:
        from sandbox.world.generate import generate_world

        sandbox_dir = work / "sandbox"
        started = time.perf_counter()
        generate_world(sandbox_dir, scale=args.scale, seed=args.seed)
        print(f"generated scale {args.scale} in {time.perf_counter() - started:.1f}s")
    child, url = serve(sandbox_dir)
    try:
        home = Home(work / "home")
        today = read_as_of(sandbox_dir).isoformat()
        for run in ("first", "second"):
            source = wechat_work_source(
                base_url=url,
                corpid="ww_sandbox_corp",
                corpsecret="sandbox-secret",
                today=today,
                max_workers=args.workers,
            )
            pipeline = make_pipeline("wechat_work", home)
            cpu_before, server_before = os.times(), cpu_seconds(child.pid)
            summary = run_pipeline(pipeline, source, source_name="wechat_work")
            cpu_after, server_after = os.times(), cpu_seconds(child.pid)
            rows = summary.rows + summary.rejected_rows
            steps = {
                step.step: round((step.finished_at - step.started_at).total_seconds(), 2)
                for step in pipeline.last_trace.steps
            }
            client_cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
            print(
                json.dumps(
                    {
                        "run": run,
                        "rows": rows,
                        "per_table": summary.rows_per_table,
                        "seconds": round(summary.seconds, 2),
                        "rows_per_s": round(rows / summary.seconds),
                        "steps_seconds": steps,
                        "client_cpu_s": round(client_cpu, 2),
                        "server_cpu_s": round(server_after - server_before, 2),
                        "load_average": os.getloadavg()[0],
                    }
                )
            )
    finally:
        child.terminate()
        child.wait(timeout=10)


if __name__ == "__main__":
    main()
