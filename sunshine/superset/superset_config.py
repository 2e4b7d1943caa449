"""Superset's configuration for Sunshine: a local, single-user deployment.

Superset loads this file itself (SUPERSET_CONFIG_PATH points here), inside its own
environment (envs/superset), where the `sunshine` package is not installed: the one
module of it this file imports is sunshine.settings (pydantic-settings is in that
environment too), found through the project folder put on sys.path below, so its
variables are read and typed as everywhere else. Everything that differs between
machines or is secret comes from the environment; `sunshine superset ...` sets these
variables for the processes it starts (docs/settings.md lists them all):

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
import sys
from pathlib import Path

# The project folder (two above this file's), last on sys.path so nothing of
# Superset's is shadowed by it: for `sunshine.settings` only.
_PROJECT = str(Path(__file__).resolve().parents[2])
if _PROJECT not in sys.path:
    sys.path.append(_PROJECT)

from sunshine.settings import current_settings, secret  # noqa: E402

_SETTINGS = current_settings()
_HOME = Path(os.environ.get("SUPERSET_HOME") or Path.home() / ".superset")


def _secret_key() -> str:
    key = secret(_SETTINGS.superset_secret_key)
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

SQLALCHEMY_DATABASE_URI = secret(_SETTINGS.superset_metadata_url) or (
    f"sqlite:///{_HOME / 'superset.db'}?check_same_thread=false"
)

APP_NAME = "Sunshine 阳光惠民"

# Served over plain http on localhost: no HTTPS redirects or strict CSP from Talisman,
# and session cookies that work without TLS.
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
SESSION_COOKIE_SECURE = False
ENABLE_PROXY_FIX = False

# Password guessing at the login form is slowed down per client (Flask-Limiter, in
# memory per worker); the API itself is not limited. SUNSHINE_SUPERSET_AUTH_RATE_LIMIT
# takes Flask-Limiter's notation ("20 per minute").
RATELIMIT_ENABLED = True
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = _SETTINGS.superset_auth_rate_limit

# Matches gunicorn's --timeout in sunshine/superset/server.py.
SUPERSET_WEBSERVER_TIMEOUT = 120

LOG_LEVEL = _SETTINGS.superset_log_level

FEATURE_FLAGS = {"ENABLE_TEMPLATE_PROCESSING": True}

# Same names as sunshine/superset/access.py and logins.py (they import psycopg and
# more of sunshine, which this environment does not have).
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
    # Read at each connection, as the environment has it then.
    password = secret(current_settings().superset_auditor_db_password)
    if not password:
        raise RuntimeError(
            "SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD is not set: start Superset through "
            "`sunshine superset serve`"
        )
    return uri.set(username=AUDITOR_LOGIN, password=password), params


# SQL of the user's own (custom SQL columns, metrics and filters, `where`/`having`
# extras) would run on the warehouse connections as they log in, outside the masking
# and the district filters: only Admin and the commission may send it (the commission's
# runs as its own read-only login on the personal connection, as the reader on the
# other). Everyone else sends names of the dataset's columns and metrics, and simple
# filters on columns.
_FORM_SQL_KEYS = ("where", "having")
_FORM_LIST_KEYS = ("metrics", "metric", "groupby", "columns", "all_columns", "x_axis",
                   "percent_metrics", "timeseries_limit_metric", "secondary_metric",
                   "size", "x", "y", "entity", "series")  # fmt: skip


def _own_sql(item, columns: set[str], metrics: set[str]) -> str | None:
    """The piece of `item` that is SQL of the user's own, or None."""
    if item is None or item == "":
        return None
    if isinstance(item, str):
        return None if item in columns or item in metrics else item
    if isinstance(item, (list, tuple)):
        return next((own for own in (_own_sql(i, columns, metrics) for i in item) if own), None)
    if isinstance(item, dict):
        if item.get("expressionType") == "SQL" or "sqlExpression" in item:
            expression = (item.get("sqlExpression") or "").strip()
            # Superset's explore view sends a chart's x-axis as a column whose
            # expression is the bare column name: that is no SQL of the user's own.
            return None if expression in columns else expression or "custom SQL"
        column = item.get("column")
        if isinstance(column, dict):
            name = column.get("column_name")
            return None if name in columns else str(name)
        return None
    return str(item)


def _query_sql(query, columns: set[str], metrics: set[str]) -> str | None:
    for extra in _FORM_SQL_KEYS:
        if (query.extras or {}).get(extra):
            return query.extras[extra]
    pieces = [query.columns, query.metrics or [], [o[0] for o in query.orderby or []]]
    pieces += [getattr(query, "series_columns", None) or []]
    pieces += [
        flt.get("col") for flt in query.filter or [] if not str(flt.get("col")).startswith("__")
    ]
    return _own_sql(pieces, columns, metrics)


def _form_sql(form_data: dict, columns: set[str], metrics: set[str]) -> str | None:
    for extra in _FORM_SQL_KEYS:
        if form_data.get(extra):
            return form_data[extra]
    for flt in form_data.get("adhoc_filters") or []:
        if flt.get("expressionType") == "SQL":
            return flt.get("sqlExpression") or "custom SQL"
        if flt.get("subject") is not None:
            own = _own_sql(flt.get("subject"), columns, metrics)
            if own:
                return own
    return _own_sql([form_data.get(key) for key in _FORM_LIST_KEYS], columns, metrics)


def _names(datasource) -> tuple[set[str], set[str]]:
    columns = {c.column_name for c in getattr(datasource, "columns", None) or []}
    metrics = {m.metric_name for m in getattr(datasource, "metrics", None) or []}
    return columns, metrics


from superset.security import SupersetSecurityManager  # noqa: E402


class SunshineSecurityManager(SupersetSecurityManager):
    """Superset's security manager: SQL of the user's own for Admin and the commission only."""

    def raise_for_access(self, *args, **kwargs) -> None:
        super().raise_for_access(*args, **kwargs)
        query_context, viz = kwargs.get("query_context"), kwargs.get("viz")
        if (query_context is None and viz is None) or self.is_admin():
            return
        if COMMISSION_ROLE in (role.name for role in self.get_user_roles()):
            return
        if query_context is not None:
            names = _names(query_context.datasource)
            own = next(
                (o for o in (_query_sql(q, *names) for q in query_context.queries) if o), None
            )
        else:
            own = _form_sql(viz.form_data or {}, *_names(viz.datasource))
        if own:
            from superset.errors import ErrorLevel, SupersetError, SupersetErrorType
            from superset.exceptions import SupersetSecurityException

            raise SupersetSecurityException(
                SupersetError(
                    error_type=SupersetErrorType.QUERY_SECURITY_ACCESS_ERROR,
                    message=(
                        f"custom SQL ({str(own)[:60]}) is for the commission's staff only: "
                        "use the dataset's columns, metrics and simple filters"
                    ),
                    level=ErrorLevel.ERROR,
                )
            )


CUSTOM_SECURITY_MANAGER = SunshineSecurityManager
