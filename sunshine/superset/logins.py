"""The warehouse logins Superset's personal-data connection uses, one per audience.

The warehouse's roles `sunshine_auditor` (the masked views only) and
`sunshine_commission` (the marts whole) are group roles without a login, created by
dbt's on-run-start hook (macro ensure_warehouse_roles). Superset logs in as a member
of each: `sunshine_superset_auditor` and `sunshine_superset_commission`, whose
passwords come from the environment or are generated once into Superset's home (mode
600), like the admin's. `ensure_logins()` creates or updates them at import time when
the warehouse URL it is given may manage roles (the embedded warehouse's owner can);
otherwise an administrator creates them with those passwords (docs/dashboards.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sunshine.config import sqlalchemy_url
from sunshine.errors import SunshineError
from sunshine.settings import PREFIX, current_settings, env_name, secret
from sunshine.superset.credentials import stored_secret

if TYPE_CHECKING:
    import psycopg

AUDITOR_LOGIN = "sunshine_superset_auditor"
COMMISSION_LOGIN = "sunshine_superset_commission"
READER_LOGIN = "sunshine_superset_reader"
READER_DB_PASSWORD_ENV = env_name("superset_reader_db_password")
AUDITOR_DB_PASSWORD_ENV = env_name("superset_auditor_db_password")
COMMISSION_DB_PASSWORD_ENV = env_name("superset_commission_db_password")


@dataclass(frozen=True)
class Login:
    name: str
    group: str  # the warehouse role whose privileges it inherits
    password_env: str
    password_file: str

    @property
    def password(self) -> str:
        field = self.password_env.removeprefix(PREFIX).lower()
        value = secret(getattr(current_settings(), field))
        return value or stored_secret(self.password_file, 24)


AUDITOR = Login(AUDITOR_LOGIN, "sunshine_auditor", AUDITOR_DB_PASSWORD_ENV, "auditor_db_password")
COMMISSION = Login(
    COMMISSION_LOGIN, "sunshine_commission", COMMISSION_DB_PASSWORD_ENV, "commission_db_password"
)
# The non-personal connection: the marts without personal data (granted by dbt), the
# masked views, and the night's quality results and reconciliation (granted below).
READER = Login(READER_LOGIN, "sunshine_reader", READER_DB_PASSWORD_ENV, "reader_db_password")
LOGINS = (AUDITOR, COMMISSION, READER)
# What the reader gets in ops, which dbt does not build: the quality results without
# observed values and samples (they can quote a failing identity number), and what a
# build set aside (counts and names, not the rows).
# (a relation that must exist first, the grant)
OPS_GRANTS = (
    ("ops.night_reconciliation", "grant usage on schema ops to sunshine_reader"),
    ("ops.night_reconciliation", "grant select on ops.night_reconciliation to sunshine_reader"),
    (
        "ops.quality_results",
        "grant select (night, suite, object, data_asset, expectation, column_name, severity,"
        " success, unexpected_count, description) on ops.quality_results to sunshine_reader",
    ),
    # dbt's on-run-end hook grants it too, as it creates it; the rows themselves stay in
    # schema audit, which no login reads.
    (
        "ops.build_warnings",
        "grant select (night, model, test, status, failing_rows, kept_in, message)"
        " on ops.build_warnings to sunshine_reader",
    ),
)


def login_url(warehouse_url: str, login: Login) -> str:
    """The warehouse URL (psycopg2 driver) with `login`'s name and password."""
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url(warehouse_url, "psycopg2"))
    return url.set(username=login.name, password=login.password).render_as_string(
        hide_password=False
    )


def _can_log_in(warehouse_url: str, login: Login) -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(warehouse_url)
    try:
        psycopg.connect(
            host=url.host,
            port=url.port,
            dbname=url.database,
            user=login.name,
            password=login.password,
            connect_timeout=10,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


def ensure_logins(warehouse_url: str) -> list[str]:
    """Make the logins exist, members of their group, with the expected passwords.

    The group roles come from dbt's on-run-start hook; a login that may manage roles
    creates the missing ones bare (the hook grants them). Returns what was changed.
    """
    # psycopg here, not at import: Superset's own environment (docker/superset-entrypoint.sh)
    # imports this module for login_url() and has only psycopg2.
    import psycopg
    from psycopg import sql

    changed = []
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        groups = {
            name
            for (name,) in conn.execute(
                "select rolname from pg_roles where rolname = any(%s)",
                ([login.group for login in LOGINS],),
            )
        }
        missing = [login.group for login in LOGINS if login.group not in groups]
        (may_manage,) = conn.execute(
            "select rolsuper or rolcreaterole from pg_roles where rolname = current_user"
        ).fetchone()
        if missing and not may_manage:
            raise SunshineError(
                f"the warehouse has no role {', '.join(missing)}: run a night "
                "(`sunshine nightly`) or `dbt build` first; its on-run-start hook creates them"
            )
        for group in missing:
            # A fresh warehouse (compose's warehouse-logins job runs before the first
            # night): the group without privileges; dbt's on-run-start hook grants them.
            conn.execute(sql.SQL("create role {} nologin").format(sql.Identifier(group)))
            changed.append(group)
        for login in LOGINS:
            if _can_log_in(warehouse_url, login) and _is_member(conn, login):
                continue
            if not may_manage:
                raise SunshineError(
                    f"Superset cannot log into the warehouse as {login.name}: ask its "
                    f"administrator to create that role (LOGIN, IN ROLE {login.group}) with "
                    f"the password in ${login.password_env}"
                )
            _create_or_update(conn, login)
            changed.append(login.name)
        if may_manage:
            # Before the first night the ops tables may not exist yet: the next
            # import grants them.
            for relation, grant in OPS_GRANTS:
                if conn.execute("select to_regclass(%s)", (relation,)).fetchone()[0]:
                    conn.execute(grant)
    return changed


def _is_member(conn: psycopg.Connection, login: Login) -> bool:
    row = conn.execute("select pg_has_role(%s, %s, 'member')", (login.name, login.group))
    return bool(row.fetchone()[0])


def _create_or_update(conn: psycopg.Connection, login: Login) -> None:
    from psycopg import sql

    exists = conn.execute("select 1 from pg_roles where rolname = %s", (login.name,)).fetchone()
    verb = "alter" if exists else "create"
    conn.execute(
        # No superuser, no role or database making, no replication, no row-level
        # security bypass: a login of Superset's can only read what its group may.
        sql.SQL(
            "{} role {} login inherit nosuperuser nocreatedb nocreaterole noreplication"
            " nobypassrls password {}"
        ).format(sql.SQL(verb), sql.Identifier(login.name), sql.Literal(login.password))
    )
    conn.execute(
        sql.SQL("grant {} to {}").format(sql.Identifier(login.group), sql.Identifier(login.name))
    )
