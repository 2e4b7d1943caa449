#!/bin/sh
# Superset in docker compose: what `sunshine superset setup`, `... import` and `... serve`
# do on a laptop, in one container start.
#
# 1. sunshine/superset/bootstrap.py's setup(): db upgrade, init (it creates the Admin
#    role), then the admin user from SUNSHINE_SUPERSET_ADMIN_USER/PASSWORD.
# 2. bundle.py's import_assets(): superset_assets/ rendered into a private temporary
#    folder, imported with overwrite by in_superset.py, deleted. Each connection gets its
#    own least-privilege login on SUNSHINE_WAREHOUSE_SERVER_URL (the reader's, the
#    commission's; superset_config.py switches to the auditor's for everyone else):
#    Superset is never given the warehouse owner's password. compose's warehouse-logins
#    job (`sunshine superset logins`) creates those logins first.
#    Every start re-imports, so a changed bundle or warehouse password is picked up.
#    The marts need not exist yet: Superset's importer tolerates a missing table.
# 3. server.py's serve(): the same gunicorn, listening on all interfaces of the
#    container (docker-compose.yml decides what the host exposes).
set -eu
. "${SUNSHINE_SECRETS_FROM_FILES:-/usr/local/lib/sunshine-secrets-from-files.sh}"

: "${SUNSHINE_WAREHOUSE_SERVER_URL:?the warehouse server (postgresql://host:port/db, no user) is needed to import the dashboards}"
: "${SUNSHINE_SUPERSET_READER_DB_PASSWORD:?the reader login's password is not set}"
: "${SUNSHINE_SUPERSET_COMMISSION_DB_PASSWORD:?the commission login's password is not set}"
: "${SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD:?the auditor login's password is not set}"
: "${SUNSHINE_SUPERSET_ADMIN_USER:?the Superset admin user is not set}"
: "${SUNSHINE_SUPERSET_ADMIN_PASSWORD:?the Superset admin password is not set}"

IN_SUPERSET=/opt/sunshine/sunshine/superset/in_superset.py
cd "$SUPERSET_HOME"

superset db upgrade
superset init
python -P "$IN_SUPERSET" admin

bundle_dir=$(mktemp -d "$SUPERSET_HOME/import-XXXXXX")
trap 'rm -rf "$bundle_dir"' EXIT
PYTHONPATH=/opt/sunshine python -c '
import sys
from pathlib import Path
from sunshine.settings import current_settings
from sunshine.superset.bundle import render_bundle_as_logins
render_bundle_as_logins(current_settings().warehouse_server_url, Path(sys.argv[1]))
' "$bundle_dir/bundle.zip"
python -P "$IN_SUPERSET" import "$bundle_dir/bundle.zip"
rm -rf "$bundle_dir"
trap - EXIT

exec gunicorn \
    --bind 0.0.0.0:8088 \
    --workers 1 \
    --worker-class gthread \
    --threads 8 \
    --timeout 120 \
    --graceful-timeout 5 \
    --no-control-socket \
    --limit-request-line 0 \
    --limit-request-field_size 0 \
    "superset.app:create_app()"
