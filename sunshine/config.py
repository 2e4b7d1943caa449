"""Settings read from the environment: one warehouse URL for every part."""

from __future__ import annotations

from sunshine.errors import SunshineError
from sunshine.settings import current_settings, env_name, secret

WAREHOUSE_URL_ENV = env_name("warehouse_url")


def warehouse_url() -> str:
    """The warehouse every part reads: `SUNSHINE_WAREHOUSE_URL`, else the embedded one."""
    url = configured_warehouse_url()
    if url:
        return url
    from sunshine.warehouse import EmbeddedWarehouse

    try:
        return EmbeddedWarehouse().url()
    except SunshineError as exc:
        raise SunshineError(
            f"no warehouse: set {WAREHOUSE_URL_ENV}, or start the embedded one with "
            "`sunshine warehouse start`"
        ) from exc


def configured_warehouse_url() -> str | None:
    """`SUNSHINE_WAREHOUSE_URL` when set, else None (no embedded fallback)."""
    return secret(current_settings().warehouse_url)


def sqlalchemy_url(url: str, driver: str = "psycopg") -> str:
    """The same URL with an explicit SQLAlchemy driver (`postgresql+<driver>://`)."""
    scheme, rest = url.split("://", 1)
    base = scheme.split("+", 1)[0]
    if base == "postgres":
        base = "postgresql"
    return f"{base}+{driver}://{rest}"


def with_database(url: str, database: str) -> str:
    """The same server URL pointed at another database on it."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)
