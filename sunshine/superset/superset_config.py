"""Superset's configuration for Sunshine: a local, single-user deployment.

Superset loads this file itself (SUPERSET_CONFIG_PATH points here), inside its own
environment (envs/superset), so it imports nothing from `sunshine`. Everything that
differs between machines or is secret comes from the environment; `sunshine superset
...` sets these variables for the processes it starts:

- SUPERSET_HOME: the folder for Superset's state (`.sunshine/superset`).
- SUNSHINE_SUPERSET_SECRET_KEY: signs sessions and encrypts stored database
  passwords. When absent, the key `sunshine superset setup` keeps in
  $SUPERSET_HOME/secret_key (mode 600) is used.
- SUNSHINE_SUPERSET_METADATA_URL: Superset's own metadata database; default a SQLite
  file in SUPERSET_HOME.
- SUNSHINE_SUPERSET_LOG_LEVEL: Superset's log level, default WARNING.
- SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD: the password of the warehouse login
  `sunshine_superset_auditor` (a member of sunshine_auditor, which reads the masked
  views only), used by the connection mutator below.

One feature flag: Jinja templating in datasets, for `personal_data_schema` below.
Otherwise Superset's defaults (no examples, no async queries, no thumbnails or
reports) suit a local deployment.

Personal data, enforced by the warehouse: the datasets of the "personal data"
connection read `{{ personal_data_schema(current_user_roles()) }}.<mart>`, which is
`marts` for members of the Sunshine Commission role and `marts_masked` for everyone
else, and DB_CONNECTION_MUTATOR logs everyone but the commission's members in as the
auditor's warehouse login. An auditor's query that named `marts` would be refused by
PostgreSQL, whatever Superset let through. (current_user_roles() also puts the roles
into the cache key, so a cached result never crosses from one audience to another.)

The warehouse connection itself is not configured here: it is a Superset "database"
imported from superset_assets/ with the real URL filled in at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

_HOME = Path(os.environ.get("SUPERSET_HOME") or Path.home() / ".superset")


def _secret_key() -> str:
    key = os.environ.get("SUNSHINE_SUPERSET_SECRET_KEY")
    if key:
        return key
    stored = _HOME / "secret_key"
    if stored.is_file():
        return stored.read_text().strip()
    raise RuntimeError(
        "no Superset secret key: set SUNSHINE_SUPERSET_SECRET_KEY, "
        "or run `sunshine superset setup` first"
    )


SECRET_KEY = _secret_key()

SQLALCHEMY_DATABASE_URI = os.environ.get("SUNSHINE_SUPERSET_METADATA_URL") or (
    f"sqlite:///{_HOME / 'superset.db'}?check_same_thread=false"
)

APP_NAME = "Sunshine 阳光惠民"

# Served over plain http on localhost: no HTTPS redirects or strict CSP from Talisman,
# and session cookies that work without TLS.
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
SESSION_COOKIE_SECURE = False
ENABLE_PROXY_FIX = False

# One user on one machine: no rate limiting of the API or of logins.
RATELIMIT_ENABLED = False
AUTH_RATE_LIMITED = False

# Matches gunicorn's --timeout in sunshine/superset/server.py.
SUPERSET_WEBSERVER_TIMEOUT = 120

LOG_LEVEL = os.environ.get("SUNSHINE_SUPERSET_LOG_LEVEL", "WARNING")

FEATURE_FLAGS = {"ENABLE_TEMPLATE_PROCESSING": True}

# Same names as sunshine/superset/access.py and logins.py (this file cannot import them).
COMMISSION_ROLE = "Sunshine Commission"
COMMISSION_LOGIN = "sunshine_superset_commission"
AUDITOR_LOGIN = "sunshine_superset_auditor"


def personal_data_schema(roles: list[str] | None) -> str:
    """Where a user reads personal data: the marts whole (commission) or masked."""
    return "marts" if COMMISSION_ROLE in (roles or []) else "marts_masked"


JINJA_CONTEXT_ADDONS = {"personal_data_schema": personal_data_schema}


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # noqa: N802
    """Connections as the commission's login are for the commission's members only."""
    if uri.username != COMMISSION_LOGIN:
        return uri, params
    user = security_manager.find_user(username=username) if username else None
    if user is not None and COMMISSION_ROLE in (role.name for role in user.roles):
        return uri, params
    password = os.environ.get("SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD")
    if not password:
        raise RuntimeError(
            "SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD is not set: start Superset through "
            "`sunshine superset serve`"
        )
    return uri.set(username=AUDITOR_LOGIN, password=password), params
