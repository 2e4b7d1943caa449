# syntax=docker/dockerfile:1
# Sunshine's Superset image. Superset needs SQLAlchemy < 2 and Airflow >= 2, so it has
# its own environment, installed from envs/superset/uv.lock exactly as
# `uv sync --project envs/superset --frozen` does on a laptop. Build context: the repo root.
FROM python:3.11-slim

ARG UV_VERSION=0.13.8
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1

WORKDIR /opt/sunshine

# The venv lands in envs/superset/.venv, where sunshine/superset/environment.py expects it.
COPY envs/superset/pyproject.toml envs/superset/uv.lock envs/superset/
RUN uv sync --frozen --project envs/superset

# The package is here for superset_config.py and in_superset.py (sunshine.settings:
# the variables, typed) and bundle.py's render_bundle (the warehouse URL written into
# the bundle), run by the entrypoint.
COPY sunshine/ sunshine/
COPY superset_assets/ superset_assets/
COPY docker/superset-entrypoint.sh /usr/local/bin/sunshine-superset
COPY docker/secrets-from-files.sh /usr/local/lib/sunshine-secrets-from-files.sh
RUN chmod 0755 /usr/local/bin/sunshine-superset

# What sunshine/superset/environment.py's superset_env() sets for every Superset
# process; the secret key, admin login and warehouse URL come from docker-compose.yml.
ENV PATH=/opt/sunshine/envs/superset/.venv/bin:$PATH \
    SUPERSET_CONFIG_PATH=/opt/sunshine/sunshine/superset/superset_config.py \
    SUPERSET_HOME=/var/lib/superset \
    FLASK_APP=superset

# SUPERSET_HOME holds the SQLite metadata (stored database passwords, encrypted with
# the secret key): owner-only, as credentials.private_home() makes it.
RUN useradd --uid 50000 --gid 0 --home-dir /var/lib/superset --create-home --shell /bin/bash superset \
    && chmod 700 /var/lib/superset

USER 50000
WORKDIR /var/lib/superset
EXPOSE 8088
ENTRYPOINT ["/usr/local/bin/sunshine-superset"]
