"""Superset's secrets: the app's secret key and the admin login.

Each comes from the environment when set; otherwise it is generated once and kept in
superset_home(), readable by its owner only (mode 600), so a local deployment needs
no configuration and no secret is ever committed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sunshine.errors import SunshineError
from sunshine.paths import superset_home

SECRET_KEY_ENV = "SUNSHINE_SUPERSET_SECRET_KEY"
ADMIN_USER_ENV = "SUNSHINE_SUPERSET_ADMIN_USER"
ADMIN_PASSWORD_ENV = "SUNSHINE_SUPERSET_ADMIN_PASSWORD"
DEFAULT_ADMIN_USER = "admin"

SECRET_KEY_FILE = "secret_key"
ADMIN_PASSWORD_FILE = "admin_password"


@dataclass(frozen=True)
class Credentials:
    """Who logs into the local Superset."""

    user: str
    password: str


def private_home() -> Path:
    """superset_home(), created readable by its owner only (it holds secrets)."""
    home = superset_home()
    if not home.is_dir():
        home.mkdir(parents=True, exist_ok=True)
        home.chmod(0o700)
    return home


def _stored_secret(name: str, nbytes: int) -> str:
    """The secret kept in superset_home()/name, created (mode 600) on first use."""
    path = private_home() / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # created meanwhile by another process: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes) + "\n")
    return _read_private(path)


def _read_private(path: Path) -> str:
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise SunshineError(f"cannot read {path}: {exc.strerror}; fix its permissions") from exc
    if not value:
        raise SunshineError(f"{path} is empty: delete it and run `sunshine superset setup`")
    return value


def secret_key() -> str:
    """Superset's SECRET_KEY: $SUNSHINE_SUPERSET_SECRET_KEY, else the stored one."""
    return os.environ.get(SECRET_KEY_ENV) or _stored_secret(SECRET_KEY_FILE, 42)


def admin_credentials() -> Credentials:
    """The admin login: from the environment, else `admin` and a stored password."""
    user = os.environ.get(ADMIN_USER_ENV) or DEFAULT_ADMIN_USER
    password = os.environ.get(ADMIN_PASSWORD_ENV) or _stored_secret(ADMIN_PASSWORD_FILE, 18)
    return Credentials(user=user, password=password)
