"""One lock for the warehouse's `create ... if not exists` statements.

Extraction tasks run in parallel under a scheduler, and two sessions creating the
same schema or table at once make one fail with a unique violation even with
`if not exists`. Each caller holds this transaction-scoped lock while it creates
what it needs; the lock goes with the commit.
"""

from __future__ import annotations

import psycopg

_KEY = 0x53554E53  # "SUNS"


def hold_schema_lock(conn: psycopg.Connection) -> None:
    conn.execute("select pg_advisory_xact_lock(%s)", (_KEY,))
