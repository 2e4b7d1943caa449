"""Where the project's code and its local state live.

State (the embedded warehouse, Airflow's SQLite metadata, Superset's home, simulated
sources) goes under one folder, `.sunshine/` in the project unless `SUNSHINE_HOME`
points elsewhere, so tests can run beside a demo without touching it.
"""

from __future__ import annotations

from pathlib import Path

from sunshine.settings import current_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DAGS_DIR = PROJECT_ROOT / "dags"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SUPERSET_ASSETS_DIR = PROJECT_ROOT / "superset_assets"
SUPERSET_ENV_DIR = PROJECT_ROOT / "envs" / "superset"


def state_dir() -> Path:
    """The folder for everything the project creates at run time (git ignores it)."""
    return (current_settings().home or PROJECT_ROOT / ".sunshine").resolve()


def warehouse_dir() -> Path:
    return state_dir() / "warehouse"


def airflow_home() -> Path:
    return state_dir() / "airflow"


def superset_home() -> Path:
    return state_dir() / "superset"


def sources_dir() -> Path:
    return state_dir() / "sources"
