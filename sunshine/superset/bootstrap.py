"""`setup()`: bring Superset's metadata database, roles and admin user up to date.

The three steps (`superset db upgrade`, `superset init`, the admin user) take about
half a minute, so after they succeed we record what they were run for in
superset_home()/setup.json; a second call with the same Superset install, metadata
database and admin login returns at once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sunshine.paths import superset_home
from sunshine.settings import current_settings, env_name, secret
from sunshine.superset.credentials import (
    ADMIN_PASSWORD_ENV,
    ADMIN_USER_ENV,
    admin_credentials,
    private_home,
)
from sunshine.superset.environment import (
    PYTHON_BIN,
    ensure_environment,
    lock_digest,
    run_superset,
)

METADATA_URL_ENV = env_name("superset_metadata_url")
SETUP_STAMP = "setup.json"
IN_SUPERSET = Path(__file__).resolve().parent / "in_superset.py"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _wanted_stamp() -> dict[str, str]:
    credentials = admin_credentials()
    return {
        "superset_lock": lock_digest(),
        "metadata_url": _digest(secret(current_settings().superset_metadata_url) or ""),
        "admin_user": credentials.user,
        "admin_password": _digest(credentials.user + "\0" + credentials.password),
    }


def _metadata_present() -> bool:
    """Whether the metadata database still exists (checkable only for the SQLite file)."""
    if current_settings().superset_metadata_url is not None:
        return True
    return (superset_home() / "superset.db").exists()


def is_set_up() -> bool:
    stamp = superset_home() / SETUP_STAMP
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return recorded == _wanted_stamp() and _metadata_present()


def run_in_superset(
    *args: str, what: str, extra_env: dict[str, str] | None = None, hint: str = ""
) -> str:
    """Run one of in_superset.py's jobs in Superset's environment; its output line."""
    result = run_superset(
        ["-P", str(IN_SUPERSET), *args],
        what=what,
        program=PYTHON_BIN,
        extra_env=extra_env,
        hint=hint,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def setup(force: bool = False) -> bool:
    """Prepare the local Superset: metadata DB, roles, admin user. Idempotent.

    Returns True when work was done, False when everything was already in place.
    """
    ensure_environment()
    if not force and is_set_up():
        return False
    home = private_home()
    credentials = admin_credentials()
    run_superset(["db", "upgrade"], what="`superset db upgrade`")
    run_superset(["init"], what="`superset init`")
    run_in_superset(
        "admin",
        what="creating the Superset admin user",
        extra_env={ADMIN_USER_ENV: credentials.user, ADMIN_PASSWORD_ENV: credentials.password},
    )
    stamp = home / SETUP_STAMP
    stamp.write_text(json.dumps(_wanted_stamp(), indent=2) + "\n")
    stamp.chmod(0o600)
    return True
