"""Serving the local Superset: a gunicorn process of Superset's environment.

`serve()` starts it in its own process group, waits until /health answers and hands
back a SupersetServer; `stop()` (or leaving its `with` block) ends that process group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sunshine.errors import SunshineError
from sunshine.paths import superset_home
from sunshine.ports import free_port, port_in_use  # noqa: F401 - free_port is re-exported
from sunshine.superset.environment import GUNICORN_BIN, ensure_environment, superset_env

DEFAULT_PORT = 8088
LOG_FILE = "superset-server.log"
# One worker with threads: a single user on a 2-core machine, and one process keeps
# Superset's memory at about 0.5 GB.
WORKERS = 1
THREADS = 8


@dataclass
class SupersetServer:
    """A running Superset web server started by serve()."""

    process: subprocess.Popen
    host: str
    port: int
    log_path: Path
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20) -> None:
        stop(self, timeout)

    def __enter__(self) -> SupersetServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _log_tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "no log"
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in kept if "error" in line.lower() or "exception" in line.lower()]
    return " | ".join((errors or kept)[-lines:]) or "empty log"


def serve(
    host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout: float = 120
) -> SupersetServer:
    """Start Superset on host:port and return once /health answers OK.

    Needs setup() to have run. The server keeps running until stop() is called.
    """
    from sunshine.superset.bootstrap import is_set_up

    ensure_environment()
    if not is_set_up():
        raise SunshineError("Superset is not set up yet: run `sunshine superset setup` first")
    if port_in_use(host, port):
        raise SunshineError(
            f"port {port} is in use: choose another with --port, or stop what listens there"
        )
    home = superset_home()
    log_path = home / LOG_FILE
    log = open(log_path, "ab")  # kept open while the server runs; stop() closes it
    command = [
        str(GUNICORN_BIN),
        "--bind", f"{host}:{port}",
        "--workers", str(WORKERS),
        "--worker-class", "gthread",
        "--threads", str(THREADS),
        "--timeout", "120",
        "--graceful-timeout", "5",
        # No ~/.gunicorn/gunicorn.ctl: a test server beside a demo one would share it.
        "--no-control-socket",
        "--limit-request-line", "0",
        "--limit-request-field_size", "0",
        "superset.app:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=superset_env(),
        cwd=home,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: Ctrl-C reaches us, we stop it
    )
    server = SupersetServer(process, host, port, log_path, log)
    try:
        _wait_healthy(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_healthy(server: SupersetServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            raise SunshineError(
                f"Superset exited at start: {_log_tail(server.log_path)} "
                f"(full log: {server.log_path})"
            )
        try:
            response = requests.get(f"{server.url}/health", timeout=2)
            if response.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SunshineError(
        f"Superset did not answer on {server.url}/health within {timeout:.0f} s: "
        f"see {server.log_path}"
    )


def stop(server: SupersetServer, timeout: float = 20) -> None:
    """Stop a server started by serve(): SIGTERM its process group, SIGKILL if it lingers."""
    process = server.process
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=5)
    if server._log is not None:
        server._log.close()  # type: ignore[attr-defined]
        server._log = None


def run_in_foreground(server: SupersetServer) -> None:
    """Wait on the server until Ctrl-C (or SIGTERM/SIGHUP), then stop it.

    Stopped any other way than Ctrl-C (kill, a closed terminal), the server still
    stops: it runs in its own process group and would otherwise outlive us.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a process started in the background inherits SIGINT ignored, and
    # Ctrl-C must still stop the demo.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    try:
        code = server.process.wait()
        raise SunshineError(f"Superset stopped by itself (status {code}): see {server.log_path}")
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
