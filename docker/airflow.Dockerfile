# syntax=docker/dockerfile:1
# Sunshine's Airflow image: one image for every Airflow component in docker-compose.yml
# (api-server, scheduler, dag-processor, triggerer, init). Build context: the repo root.
FROM python:3.11-slim

# uv only installs from uv.lock; pinned so a rebuild resolves the same way.
ARG UV_VERSION=0.13.8
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

# The image's Python 3.11 is the one pyproject.toml allows: never let uv fetch another.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1 \
    DBT_SEND_ANONYMOUS_USAGE_STATS=False

WORKDIR /opt/sunshine

# Dependencies first, in their own layer: editing the code does not reinstall Airflow.
COPY pyproject.toml uv.lock README.md ./
# The `production` extra: the FAB auth manager (users and roles) docker-compose.yml uses.
RUN uv sync --frozen --no-dev --extra production --no-install-project

COPY sunshine/ sunshine/
COPY dags/ dags/
COPY dbt_project/ dbt_project/
COPY expectations/ expectations/
# Installed editable (uv's default), on purpose: sunshine/paths.py finds dags/,
# dbt_project/ and expectations/ next to the package, so it must stay in /opt/sunshine
# rather than be copied into site-packages.
RUN uv sync --frozen --no-dev --extra production

ENV PATH=/opt/sunshine/.venv/bin:$PATH

# cosmos renders the dbt task graph from target/manifest.json when the DAG is parsed
# (LoadMode.DBT_MANIFEST), so the manifest is built into the image. dbt parse opens no
# connection: profiles.yml's env_var defaults are enough here.
RUN dbt parse --quiet --project-dir dbt_project --profiles-dir dbt_project

# Not root at run time. dbt (logs, target) and GX (Data Docs under
# expectations/gx/uncommitted) write into the project; AIRFLOW_HOME holds the logs
# volume; /var/lib/sunshine is SUNSHINE_HOME
# (quarantined drops). Created here so their volumes start owned by this user. The
# venv and the code stay read-only.
RUN useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home --shell /bin/bash sunshine \
    && mkdir -p /opt/airflow/logs /var/lib/sunshine expectations/gx/uncommitted \
    && chown -R 50000:0 /opt/airflow /var/lib/sunshine dbt_project expectations \
    && chmod -R g=u /opt/airflow /var/lib/sunshine dbt_project expectations

COPY docker/airflow-entrypoint.sh /usr/local/bin/sunshine-airflow-entrypoint
COPY docker/secrets-from-files.sh /usr/local/lib/sunshine-secrets-from-files.sh
RUN chmod 0755 /usr/local/bin/sunshine-airflow-entrypoint

ENV AIRFLOW_HOME=/opt/airflow
USER 50000
ENTRYPOINT ["/usr/local/bin/sunshine-airflow-entrypoint"]
CMD ["airflow", "version"]
