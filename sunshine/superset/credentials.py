"""Superset's secrets: the app's secret key and the logins (admin, auditor, commission).

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
from sunshine.settings import current_settings, env_name, secret

SECRET_KEY_ENV = env_name("superset_secret_key")
ADMIN_USER_ENV = env_name("superset_admin_user")
ADMIN_PASSWORD_ENV = env_name("superset_admin_password")
DEFAULT_ADMIN_USER = "admin"

SECRET_KEY_FILE = "secret_key"
ADMIN_PASSWORD_FILE = "admin_password"

# The dashboard users: an auditor (masked personal data, optionally limited to some
# districts) and a member of the commission (personal data whole).
AUDITOR_USER_ENV = env_name("superset_auditor_user")
AUDITOR_PASSWORD_ENV = env_name("superset_auditor_password")
AUDITOR_DISTRICTS_ENV = env_name("superset_auditor_districts")
COMMISSION_USER_ENV = env_name("superset_commission_user")
COMMISSION_PASSWORD_ENV = env_name("superset_commission_password")


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


def stored_secret(name: str, nbytes: int) -> str:
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
    return secret(current_settings().superset_secret_key) or stored_secret(SECRET_KEY_FILE, 42)


def admin_credentials() -> Credentials:
    """The admin login: from the environment, else `admin` and a stored password."""
    settings = current_settings()
    user = settings.superset_admin_user or DEFAULT_ADMIN_USER
    password = secret(settings.superset_admin_password) or stored_secret(ADMIN_PASSWORD_FILE, 18)
    return Credentials(user=user, password=password)


def auditor_credentials() -> Credentials:
    """The auditor's login: from the environment, else `auditor` and a stored password."""
    settings = current_settings()
    user = settings.superset_auditor_user
    password = secret(settings.superset_auditor_password) or stored_secret("auditor_password", 18)
    return Credentials(user=user, password=password)


def commission_credentials() -> Credentials:
    """The commission's login: from the environment, else `commission` and a stored one."""
    settings = current_settings()
    user = settings.superset_commission_user
    password = secret(settings.superset_commission_password) or stored_secret(
        "commission_password", 18
    )
    return Credentials(user=user, password=password)


def auditor_districts() -> tuple[str, ...]:
    """The districts the auditor may see ($SUNSHINE_SUPERSET_AUDITOR_DISTRICTS, codes
    separated by commas); empty: every district."""
    codes = tuple(
        code.strip()
        for code in current_settings().superset_auditor_districts.replace(" ", ",").split(",")
        if code.strip()
    )
    for code in codes:
        if not (len(code) == 6 and code.isdigit()):
            raise SunshineError(
                f"${AUDITOR_DISTRICTS_ENV}: {code!r} is not a 6-digit district code "
                "(e.g. 320115,320116)"
            )
    return tuple(sorted(set(codes)))
