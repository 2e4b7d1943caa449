#!/bin/sh
# Entrypoint of Sunshine's Airflow image: runs the given command ("airflow scheduler",
# "airflow api-server", ...). Secrets may come from files (secrets-from-files.sh).
#
# `sunshine-airflow-init` (docker-compose.yml's airflow-init) migrates the metadata
# database and creates the admin of the FAB auth manager from
# SUNSHINE_AIRFLOW_ADMIN_USER/PASSWORD. The password goes to `airflow users create` on
# its standard input (it asks for it twice when --password is not given), never on a
# command line that `ps` would show. An existing admin is left as it is: change its
# password in the UI or with `airflow users reset-password`.
set -eu
. "${SUNSHINE_SECRETS_FROM_FILES:-/usr/local/lib/sunshine-secrets-from-files.sh}"

if [ "${1:-}" = "sunshine-airflow-init" ]; then
    : "${SUNSHINE_AIRFLOW_ADMIN_PASSWORD:?set SUNSHINE_AIRFLOW_ADMIN_PASSWORD (or _FILE)}"
    airflow db migrate
    printf '%s\n%s\n' "$SUNSHINE_AIRFLOW_ADMIN_PASSWORD" "$SUNSHINE_AIRFLOW_ADMIN_PASSWORD" |
        airflow users create \
            --username "${SUNSHINE_AIRFLOW_ADMIN_USER:-admin}" \
            --firstname Sunshine --lastname Admin --role Admin \
            --email "${SUNSHINE_AIRFLOW_ADMIN_USER:-admin}@sunshine.invalid"
    exit 0
fi

exec "$@"
