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

No feature flags are needed: Superset's defaults (no examples, no async queries, no
thumbnails or reports) suit a local deployment.

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
