#!/bin/sh
# Entrypoint of Sunshine's Airflow image: runs the given command ("airflow scheduler",
# "airflow api-server", ...), after one preparation for the api-server.
#
# SimpleAuthManager (the auth manager in uv.lock: no FAB provider) keeps its users'
# passwords in a JSON file and, when a user is missing there, generates a random
# password it only prints to the log. The api-server alone gets
# SUNSHINE_AIRFLOW_ADMIN_USER/PASSWORD, and we write that file from them, so the login
# is the one in .env and survives a restart.
set -eu

if [ -n "${SUNSHINE_AIRFLOW_ADMIN_PASSWORD:-}" ]; then
    python - <<'PY'
import json
import os

path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
user = os.environ["SUNSHINE_AIRFLOW_ADMIN_USER"]
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as handle:
    json.dump({user: os.environ["SUNSHINE_AIRFLOW_ADMIN_PASSWORD"]}, handle)
PY
fi

exec "$@"
