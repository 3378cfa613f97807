"""Start every emulated API of the sandbox company and tell sources where they are."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from sandbox.emulators import crm, sem, wechat_work
from sandbox.emulators.base import EmulatorApp, Faults, RunningEmulator
from sandbox.emulators.crm import app as crm_app
from sandbox.emulators.sem import app as sem_app
from sandbox.emulators.wechat_work import app as wechat_app
from sandbox.emulators.wechat_work.app import read_as_of
from sandbox.world.tables import read_system_table


def _crm_settings(url: str, sandbox_dir: Path) -> dict[str, str]:
    return {
        "SOURCES__CRM__BASE_URL": url,
        "SOURCES__CRM__CLIENT_ID": crm_app.CLIENT_ID,
        "SOURCES__CRM__CLIENT_SECRET": crm_app.CLIENT_SECRET,
    }


def _wechat_settings(url: str, sandbox_dir: Path) -> dict[str, str]:
    return {
        "SOURCES__WECHAT_WORK__BASE_URL": url,
        "SOURCES__WECHAT_WORK__CORPID": wechat_app.DEMO_CORPID,
        "SOURCES__WECHAT_WORK__CORPSECRET": wechat_app.DEMO_CORPSECRET,
        # The statistics API counts its 180 days back from the world's as-of date.
        "SOURCES__WECHAT_WORK__TODAY": read_as_of(sandbox_dir).isoformat(),
    }


def _sem_settings(url: str, sandbox_dir: Path) -> dict[str, str]:
    promotions = read_system_table(sandbox_dir, "sem", "douyin_promotion_daily")
    advertisers = sorted(pc.unique(promotions["advertiser_id"]).to_pylist())
    return {
        "SOURCES__SEM__BAIDU_BASE_URL": url,
        "SOURCES__SEM__BAIDU_USER_NAME": sem_app.BAIDU_USER_NAME,
        "SOURCES__SEM__BAIDU_ACCESS_TOKEN": sem_app.BAIDU_ACCESS_TOKEN,
        "SOURCES__SEM__OCEAN_BASE_URL": url,
        "SOURCES__SEM__OCEAN_ACCESS_TOKEN": sem_app.OCEAN_ACCESS_TOKEN,
        "SOURCES__SEM__OCEAN_ADVERTISER_IDS": ",".join(str(a) for a in advertisers),
    }


AppFactory = Callable[[Path, Faults | None], EmulatorApp]
Settings = Callable[[str, Path], dict[str, str]]

# Per system: how to build its emulator, and the dlt settings that point a source at it.
_SYSTEMS: dict[str, tuple[AppFactory, Settings]] = {
    "crm": (crm.create_app, _crm_settings),
    "wechat_work": (wechat_work.create_app, _wechat_settings),
    "sem": (sem.create_app, _sem_settings),
}
API_SYSTEMS: tuple[str, ...] = tuple(_SYSTEMS)


@dataclass
class SandboxServers:
    """The running emulators and the dlt settings that point sources at them."""

    servers: dict[str, RunningEmulator] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)

    def app(self, system: str) -> EmulatorApp:
        """The emulator app of one system (to change its faults or add records)."""
        return self.servers[system].app

    def write_endpoints(self, path: Path) -> None:
        """Write the settings for sources in another process (``endpoints.json``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # Atomic, since another process polls for this file to learn the servers are up.
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.settings, indent=2))
        tmp.replace(path)

    def stop(self) -> None:
        """Stop every emulator."""
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> SandboxServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_emulators(
    sandbox_dir: Path,
    faults: dict[str, Faults] | None = None,
    host: str = "127.0.0.1",
) -> SandboxServers:
    """Start the CRM, WeChat Work and SEM emulators on free ports of ``host``."""
    running = SandboxServers()
    try:
        for system, (create_app, settings) in _SYSTEMS.items():
            app = create_app(sandbox_dir, (faults or {}).get(system))
            server = RunningEmulator(app, host=host).start()
            running.servers[system] = server
            running.settings.update(settings(server.url, sandbox_dir))
    except Exception:
        running.stop()
        raise
    return running


def parse_faults(spec: str | None) -> dict[str, Faults]:
    """Parse ``{"crm": {"rate_limit_every": 7}, ...}`` into Faults per system.

    Raises:
        ValueError: naming the unknown system or knob.
    """
    if not spec:
        return {}
    known = set(Faults.__dataclass_fields__)
    faults = {}
    for system, knobs in json.loads(spec).items():
        if system not in API_SYSTEMS:
            raise ValueError(f"unknown system {system!r} in faults: use {', '.join(API_SYSTEMS)}")
        unknown = set(knobs) - known
        if unknown:
            raise ValueError(f"unknown fault knobs {sorted(unknown)}: use {sorted(known)}")
        faults[system] = Faults(**{k: int(v) for k, v in knobs.items()})
    return faults


class EmulatorProcess:
    """The emulators served by a child process, so that they get a core of their own."""

    def __init__(
        self,
        sandbox_dir: Path,
        endpoints_file: Path,
        host: str = "127.0.0.1",
        faults: str | None = None,
    ) -> None:
        self.sandbox_dir = sandbox_dir
        self.endpoints_file = endpoints_file
        self.host = host
        self.faults = faults
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> dict[str, str]:
        """Start the child and wait until it has written its endpoints; return them."""
        self.endpoints_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox.emulators",
                "--sandbox-dir",
                str(self.sandbox_dir),
                "--endpoints",
                str(self.endpoints_file),
                "--host",
                self.host,
                *(["--faults", self.faults] if self.faults else []),
            ],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while not self.endpoints_file.exists():
            if self.process.poll() is not None:
                error = (self.process.stderr.read() if self.process.stderr else b"").decode()
                last = error.strip().splitlines()[-1] if error.strip() else "no output"
                raise RuntimeError(f"the sandbox emulators did not start: {last}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox emulators did not start within {timeout:.0f} s")
            time.sleep(0.05)
        return json.loads(self.endpoints_file.read_text())

    def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL if it lingers)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.endpoints_file.unlink(missing_ok=True)

    def __enter__(self) -> EmulatorProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
