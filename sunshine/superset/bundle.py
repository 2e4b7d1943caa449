"""The dashboards-as-code bundle (superset_assets/) and its import into Superset.

The committed bundle names no real warehouse: its database YAMLs hold placeholder
URIs. At import time we copy the bundle into a private temporary folder, write the
current warehouse URL (driver psycopg2) into that copy, zip it and import the zip
with overwrite, then delete the copy. The personal-data connection gets the same
warehouse with the commission's login (logins.py); the warehouse connection, the URL
as given. Ids need no rendering: charts, datasets and the
dashboard refer to each other by uuid, and Superset's importer writes the ids it
assigns into params.datasource, query_context.datasource and the dashboard position.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import yaml

from sunshine.config import sqlalchemy_url
from sunshine.errors import SunshineError
from sunshine.paths import SUPERSET_ASSETS_DIR, superset_home

DATABASE_FILE = Path("databases") / "Sunshine_Warehouse.yaml"
PLACEHOLDER_PASSWORD = "XXXXXXXXXX"  # Superset's own mask for a hidden password
BUNDLE_ROOT = "sunshine_superset_assets"  # Superset expects one top folder in the zip


def bundle_files(assets_dir: Path = SUPERSET_ASSETS_DIR) -> list[Path]:
    """The YAML files of the bundle, relative to its folder."""
    files = sorted(p.relative_to(assets_dir) for p in assets_dir.rglob("*.yaml"))
    if Path("metadata.yaml") not in files or DATABASE_FILE not in files:
        raise SunshineError(
            f"{assets_dir} is not a Superset bundle (no metadata.yaml or {DATABASE_FILE}): "
            "restore it from git"
        )
    return files


def warehouse_sqlalchemy_uri(warehouse_url: str) -> str:
    """The URI Superset connects with: the warehouse URL with the psycopg2 driver."""
    if not warehouse_url.split("://", 1)[0].startswith(("postgres", "postgresql")):
        raise SunshineError(
            f"the warehouse URL must be a postgresql:// URL, not {warehouse_url.split(':')[0]}:"
            " fix SUNSHINE_WAREHOUSE_URL"
        )
    return sqlalchemy_url(warehouse_url, "psycopg2")


def render_bundle(
    warehouse_url: str,
    zip_path: Path,
    assets_dir: Path = SUPERSET_ASSETS_DIR,
    database_urls: dict[str, str] | None = None,
) -> Path:
    """Write the bundle, with real URIs, to `zip_path`.

    Each database gets `database_urls[<its file name without .yaml>]`, else the
    warehouse URL.
    """
    uri = warehouse_sqlalchemy_uri(warehouse_url)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for relative in bundle_files(assets_dir):
            text = (assets_dir / relative).read_text(encoding="utf-8")
            if relative.parent == DATABASE_FILE.parent:
                config = yaml.safe_load(text)
                config["sqlalchemy_uri"] = (database_urls or {}).get(relative.stem, uri)
                text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
            bundle.writestr(f"{BUNDLE_ROOT}/{relative.as_posix()}", text)
    return zip_path


def import_bundle(
    warehouse_url: str,
    database_urls: dict[str, str] | None = None,
    assets_dir: Path = SUPERSET_ASSETS_DIR,
) -> str:
    """Render the bundle with these URLs and import it into the set-up Superset (assets
    only: no logins, roles or users). Superset's one-line summary."""
    from sunshine.superset.bootstrap import run_in_superset
    from sunshine.superset.credentials import ADMIN_USER_ENV, admin_credentials

    # The rendered copy holds the warehouse password: keep it in a private folder
    # (mode 700) that is removed right after the import.
    with tempfile.TemporaryDirectory(prefix="import-", dir=superset_home()) as tmp:
        zip_path = render_bundle(warehouse_url, Path(tmp) / "bundle.zip", assets_dir, database_urls)
        return run_in_superset(
            "import",
            str(zip_path),
            what=f"importing {assets_dir.name}/ into Superset",
            extra_env={ADMIN_USER_ENV: admin_credentials().user},
            hint=f"fix {assets_dir} (files and fields named above) and import again",
        )


def import_assets(warehouse_url: str, assets_dir: Path = SUPERSET_ASSETS_DIR) -> str:
    """Import the bundle into the local Superset, pointed at `warehouse_url`, then set up
    its roles, users and row-level security (access.py).

    Runs setup() first (quick when already done) and makes sure the warehouse logins of
    the personal-data connection exist (logins.py). Idempotent: assets are matched by
    uuid and overwritten. Returns Superset's one-line summary.
    """
    from sunshine.superset.access import apply_access
    from sunshine.superset.bootstrap import setup
    from sunshine.superset.logins import ensure_logins

    setup()
    ensure_logins(warehouse_url)
    imported = import_bundle(warehouse_url, connection_urls(warehouse_url), assets_dir)
    return f"{imported}; {apply_access()}"


def connection_urls(server_url: str) -> dict[str, str]:
    """Each Superset connection's URL: the server's, with the login of that connection.

    Neither connection logs in as the warehouse's owner: SQL sent through Superset can
    never do more than a reader of marts may. `server_url` needs no user or password of
    its own (compose gives Superset none: docker/superset-entrypoint.sh)."""
    from sunshine.superset.assets.datasets import PERSONAL, WAREHOUSE
    from sunshine.superset.logins import COMMISSION, READER, login_url

    return {
        PERSONAL.key: login_url(server_url, COMMISSION),
        WAREHOUSE.key: login_url(server_url, READER),
    }


def render_bundle_as_logins(server_url: str, zip_path: Path) -> Path:
    """The bundle with each connection's own login (compose's Superset entrypoint)."""
    urls = connection_urls(server_url)
    return render_bundle(urls[next(iter(urls))], zip_path, database_urls=urls)
