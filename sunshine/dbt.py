"""Running dbt against the warehouse outside Airflow (tests, docs, set-up).

dbt's profile wants host, port and user apart; everything else in Sunshine reads one
URL, so the URL is split here into the variables `dbt_project/profiles.yml` reads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from sunshine.errors import SunshineError
from sunshine.paths import DBT_PROJECT_DIR
from sunshine.settings import env_name


def dbt_environment(url: str) -> dict[str, str]:
    parsed = make_url(url)
    return {
        env_name("db_host"): parsed.host or "127.0.0.1",
        env_name("db_port"): str(parsed.port or 5432),
        env_name("db_user"): parsed.username or "",
        env_name("db_password"): parsed.password or "",
        env_name("db_name"): parsed.database or "",
    }


def dbt_executable() -> Path:
    return Path(sys.executable).parent / "dbt"


def run_dbt(args: list[str], url: str | None = None, quiet: bool = False) -> str:
    """Run a dbt command in the project; a failure raises with dbt's last lines."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    if url:
        env.update(dbt_environment(url))
    result = subprocess.run(
        [str(dbt_executable()), *args, "--project-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-15:])
        raise SunshineError(f"dbt {' '.join(args)} failed:\n{tail}")
    if not quiet:
        print(result.stdout)
    return result.stdout
