"""Superset's own Python environment (envs/superset) and how to run its CLI.

Superset needs SQLAlchemy < 2 while the rest of Sunshine uses 2.x, so it lives in a
separate virtual environment and we only ever talk to it through subprocesses.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from sunshine.errors import SunshineError
from sunshine.paths import SUPERSET_ENV_DIR, superset_home
from sunshine.superset.credentials import SECRET_KEY_ENV, private_home, secret_key
from sunshine.superset.logins import AUDITOR

CONFIG_FILE = Path(__file__).resolve().parent / "superset_config.py"
VENV_DIR = SUPERSET_ENV_DIR / ".venv"
BIN_DIR = VENV_DIR / "bin"
SUPERSET_BIN = BIN_DIR / "superset"
PYTHON_BIN = BIN_DIR / "python"
GUNICORN_BIN = BIN_DIR / "gunicorn"
# What must be installed for every command we run; a partial install lacks one of them.
_REQUIRED = (
    SUPERSET_BIN,
    PYTHON_BIN,
    GUNICORN_BIN,
    VENV_DIR / "lib" / "python3.11" / "site-packages" / "superset" / "__init__.py",
    VENV_DIR / "lib" / "python3.11" / "site-packages" / "psycopg2" / "__init__.py",
)
# Variables of the caller's Python that must not leak into Superset's interpreter.
_FOREIGN_VARS = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")

SYNC_COMMAND = "uv sync --project envs/superset --frozen"
LOCK_FILE = SUPERSET_ENV_DIR / "uv.lock"
# The hash of the uv.lock the venv was last synced from, so a changed lock re-syncs.
_SYNCED_STAMP = VENV_DIR / ".sunshine-synced-lock"


def lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest() if LOCK_FILE.exists() else ""


def _complete() -> bool:
    return all(path.exists() for path in _REQUIRED)


def _up_to_date() -> bool:
    try:
        return _complete() and _SYNCED_STAMP.read_text().strip() == lock_digest()
    except OSError:
        return False


def ensure_environment() -> Path:
    """Make sure envs/superset/.venv is installed from uv.lock (syncing it when not).

    Quick when nothing changed: it only compares the lock's hash with the one recorded
    at the last sync. Returns the venv's bin/ folder.
    """
    if _up_to_date():
        return BIN_DIR
    uv = shutil.which("uv")
    if uv is None and _complete():
        return BIN_DIR  # installed by other means; nothing we can check it against
    if uv is None:
        raise SunshineError(
            f"Superset's environment is missing and uv is not installed: install uv "
            f"(https://docs.astral.sh/uv/), then run `{SYNC_COMMAND}`"
        )
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS}
    result = subprocess.run(
        [uv, "sync", "--project", str(SUPERSET_ENV_DIR), "--frozen"],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not _complete():
        raise SunshineError(
            f"could not install Superset's environment ({last_line(result.stderr)}): "
            f"run `{SYNC_COMMAND}` and fix what it reports"
        )
    _SYNCED_STAMP.write_text(lock_digest() + "\n")
    return BIN_DIR


def superset_env() -> dict[str, str]:
    """The environment for every Superset process: our config, home and secret key."""
    home = private_home()
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS}
    env.update(
        {
            "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
            "SUPERSET_HOME": str(home),
            "FLASK_APP": "superset",
            SECRET_KEY_ENV: secret_key(),
            # For the connection mutator of superset_config.py.
            AUDITOR.password_env: AUDITOR.password,
            "PATH": f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run_superset(
    args: Sequence[str],
    *,
    what: str,
    timeout: float = 600,
    program: Path = SUPERSET_BIN,
    extra_env: dict[str, str] | None = None,
    hint: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run `superset ARGS` (or another program of the venv); SunshineError on failure.

    The error names `what` failed, the telling line of its output, and `hint` (what to
    do), defaulting to re-running set-up from scratch.
    """
    ensure_environment()
    try:
        result = subprocess.run(
            [str(program), *args],
            env={**superset_env(), **(extra_env or {})},
            stdin=subprocess.DEVNULL,
            cwd=superset_home(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise SunshineError(f"{what} took longer than {timeout:.0f} s: try again") from exc
    if result.returncode != 0:
        hint = hint or (
            f"fix that and run `sunshine superset setup --force` (Superset home: {superset_home()})"
        )
        raise SunshineError(f"{what} failed: {failure_line(result.stderr, result.stdout)}; {hint}")
    return result


def last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


ERROR_MARK = "SUNSHINE-ERROR: "  # how in_superset.py marks its one-line error


def failure_line(*outputs: str | None) -> str:
    """The most telling line of a failed command's output: its last error, if any."""
    for output in outputs:
        for line in reversed((output or "").splitlines()):
            if line.startswith(ERROR_MARK):
                return line.removeprefix(ERROR_MARK).strip()
    for output in outputs:
        lines = [line.strip() for line in (output or "").splitlines() if line.strip()]
        for line in reversed(lines):
            if "error" in line.lower() or "exception" in line.lower():
                return line
    for output in outputs:
        if output and output.strip():
            return last_line(output)
    return "no output"
