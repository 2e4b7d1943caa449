"""`sunshine superset logins`: compose's one-shot job makes Superset's warehouse logins,
on a warehouse no night has run on yet, and a second run finds them in place."""

from __future__ import annotations

import psycopg
import pytest

from sunshine.superset.logins import LOGINS
from support import run_cli

pytestmark = pytest.mark.slow


def test_the_logins_job_makes_least_privileged_logins_and_repairs_nothing_twice(
    warehouse_url: str,
) -> None:
    first = run_cli("superset", "logins")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("warehouse logins: ")
    with psycopg.connect(warehouse_url) as conn:
        for login in LOGINS:
            row = conn.execute(
                """select rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
                          pg_has_role(rolname, %s, 'member')
                   from pg_roles where rolname = %s""",
                (login.group, login.name),
            ).fetchone()
            assert row == (True, False, False, False, False, True), login.name
    again = run_cli("superset", "logins")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "warehouse logins: all in place"
