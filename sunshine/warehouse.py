"""The embedded warehouse: a real PostgreSQL 16 owned by the project.

The server binaries come from the `pgserver` wheel; we drive `initdb` and `pg_ctl`
ourselves because pgserver listens only on a Unix socket, and Superset, dbt and
Airflow all want a TCP URL. Data lives under `.sunshine/warehouse/` (see paths.py);
the superuser's password is generated once and kept beside it, readable by its
owner only. A production deployment ignores all of this and sets
`SUNSHINE_WAREHOUSE_URL` to its own server.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from sunshine.errors import SunshineError
from sunshine.paths import warehouse_dir
from sunshine.ports import free_port, port_in_use

DATABASE = "sunshine"
LOCALHOST = "127.0.0.1"
SUPERUSER = "sunshine"
# PostgreSQL refuses to run as root; as root we run it as this unprivileged account.
SERVICE_ACCOUNT = "pgserver"

# Settings for a single-machine analytical warehouse. fsync stays on: the demo's data
# should survive a crash; commits are asynchronous because a lost last second of a
# nightly load is re-run by the idempotent loader anyway.
SERVER_SETTINGS = {
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "synchronous_commit": "off",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "max_connections": "100",
    "timezone": "Asia/Shanghai",
    "log_timezone": "Asia/Shanghai",
    "unix_socket_directories": "''",
}


@dataclass(frozen=True)
class WarehouseStatus:
    running: bool
    port: int | None
    pid: int | None
    data_dir: Path


def _pgserver_utils():
    try:
        with warnings.catch_warnings():
            # pgserver's package import probes XDG_RUNTIME_DIR, which we do not use.
            warnings.simplefilter("ignore")
            from pgserver import utils
    except ImportError as exc:  # pragma: no cover - the lock installs it
        raise SunshineError(
            "the embedded PostgreSQL is missing: run `uv sync` to install pgserver"
        ) from exc
    return utils


def _bin_dir() -> Path:
    _pgserver_utils()
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _run_as() -> str | None:
    """The OS account that runs postgres: ourselves, or a service account when root."""
    if os.geteuid() != 0:
        return None
    _pgserver_utils().ensure_user_exists(SERVICE_ACCOUNT)
    return SERVICE_ACCOUNT


class EmbeddedWarehouse:
    """One project-owned PostgreSQL server under `root` (default `.sunshine/warehouse`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or warehouse_dir()).resolve()
        self.data_dir = self.root / "pgdata"
        self.log_file = self.root / "server.log"
        self.state_file = self.root / "state.json"

    # -- state ---------------------------------------------------------------
    def _state(self) -> dict:
        if self.state_file.exists():
            return json.loads(self.state_file.read_text())
        return {}

    def _save_state(self, state: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(state, indent=2))
        self.state_file.chmod(0o600)

    def url(self, database: str = DATABASE) -> str:
        state = self._state()
        if not state or not self.status().running:
            raise SunshineError(
                "the embedded warehouse is not running: start it with `sunshine warehouse start`"
            )
        return f"postgresql://{SUPERUSER}:{state['password']}@127.0.0.1:{state['port']}/{database}"

    def status(self) -> WarehouseStatus:
        pid_file = self.data_dir / "postmaster.pid"
        port = self._state().get("port")
        if not pid_file.exists():
            return WarehouseStatus(False, port, None, self.data_dir)
        try:
            lines = pid_file.read_text().splitlines()
            pid = int(lines[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return WarehouseStatus(False, port, None, self.data_dir)
        return WarehouseStatus(True, port, pid, self.data_dir)

    # -- lifecycle -----------------------------------------------------------
    def _prepare_permissions(self, account: str | None) -> None:
        if account is None:
            return
        utils = _pgserver_utils()
        ensure_prefix_permissions = utils.ensure_prefix_permissions
        ensure_folder_permissions = utils.ensure_folder_permissions
        bin_dir = _bin_dir()
        ensure_prefix_permissions(bin_dir)
        readable = 0o044
        ensure_folder_permissions(bin_dir, 0o011 | readable)
        ensure_folder_permissions(bin_dir.parent / "lib", readable)
        ensure_folder_permissions(bin_dir.parent / "share", readable)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        ensure_prefix_permissions(self.data_dir)
        shutil.chown(self.data_dir, account, account)

    def _initdb(self, account: str | None, password: str) -> None:
        self._prepare_permissions(account)
        pwfile = self.root / ".pwfile"
        pwfile.write_text(password + "\n")
        if account:
            shutil.chown(pwfile, account, account)
        pwfile.chmod(0o600)
        try:
            self._pg(
                account,
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a") as handle:
            handle.write("\n# sunshine embedded warehouse\n")
            for key, value in SERVER_SETTINGS.items():
                handle.write(f"{key} = {value}\n")

    def _pg(self, account: str | None, program: str, *args: str, timeout: int = 120) -> str:
        result = subprocess.run(
            [str(_bin_dir() / program), *args],
            user=account,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
        )
        if result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, program, result.stdout, result.stderr
            )
        return result.stdout

    def start(self, port: int | None = None) -> str:
        """Start the server (initialising it on first use) and return its URL."""
        self.root.mkdir(parents=True, exist_ok=True)
        status = self.status()
        state = self._state()
        if status.running:
            if port is not None and port != status.port:
                raise SunshineError(
                    f"the warehouse already runs on port {status.port}: "
                    "stop it with `sunshine warehouse stop` to change the port"
                )
            return self.url()

        account = _run_as()
        if not (self.data_dir / "PG_VERSION").exists():
            state = {"password": secrets.token_urlsafe(18)}
            try:
                self._initdb(account, state["password"])
            except subprocess.CalledProcessError as exc:
                raise SunshineError(
                    f"could not initialise the warehouse in {self.data_dir}: "
                    f"{_last_line(exc.stderr)}"
                ) from exc

        if port is None:
            port = (
                state.get("port")
                if state.get("port") and not port_in_use("127.0.0.1", state["port"])
                else None
            )
            port = port or free_port()
        elif port_in_use(LOCALHOST, port):
            raise SunshineError(
                f"port {port} is in use: choose another with --port, or stop what listens there"
            )
        state["port"] = port
        self._save_state(state)

        if account:
            self.log_file.touch()
            shutil.chown(self.log_file, account, account)
        try:
            self._pg(
                account,
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                f"-h 127.0.0.1 -p {port}",
                "-w",
                "-t",
                "60",
                "start",
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise SunshineError(
                f"the warehouse did not start on port {port}: {self._log_tail()} "
                f"(full log: {self.log_file})"
            ) from exc
        self._wait_ready(port)
        self._ensure_database()
        return self.url()

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        if not self.status().running:
            return False
        try:
            self._pg(_run_as(), "pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError as exc:
            if not self.status().running:
                return False  # it went away on its own while we asked
            raise SunshineError(
                f"could not stop the warehouse in {self.data_dir}: {_last_line(exc.stderr)}"
            ) from exc
        return True

    def _wait_ready(self, port: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise SunshineError(f"the warehouse started but does not answer on port {port}")

    def _ensure_database(self) -> None:
        import psycopg

        admin_url = self.url(database="postgres")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (DATABASE,)
            ).fetchone()
            if not exists:
                conn.execute(f'create database "{DATABASE}"')

    def _log_tail(self) -> str:
        if not self.log_file.exists():
            return "no server log was written"
        lines = [line for line in self.log_file.read_text(errors="replace").splitlines() if line]
        errors = [line for line in lines if "FATAL" in line or "ERROR" in line]
        return (errors or lines or ["the server log is empty"])[-1]


def _last_line(text: str | None) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
