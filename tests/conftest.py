"""Shared fixtures: the test run owns its warehouse and state, apart from any demo."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from sunshine.config import with_database
from sunshine.dbt import run_dbt
from sunshine.paths import PROJECT_ROOT
from sunshine.simulate import SimulationSummary
from support import LAST_NIGHT, NIGHT, run_cli, run_small

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def sunshine_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private SUNSHINE_HOME for the whole test session."""
    home = tmp_path_factory.mktemp("sunshine_home")
    previous = os.environ.get("SUNSHINE_HOME")
    os.environ["SUNSHINE_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("SUNSHINE_HOME", None)
    else:
        os.environ["SUNSHINE_HOME"] = previous


@pytest.fixture(scope="session")
def warehouse_url(sunshine_home: Path) -> Iterator[str]:
    """A real embedded PostgreSQL started for this test session, stopped after it."""
    from sunshine.warehouse import EmbeddedWarehouse

    warehouse = EmbeddedWarehouse(sunshine_home / "warehouse")
    url = warehouse.start()
    previous = os.environ.get("SUNSHINE_WAREHOUSE_URL")
    os.environ["SUNSHINE_WAREHOUSE_URL"] = url
    yield url
    if previous is None:
        os.environ.pop("SUNSHINE_WAREHOUSE_URL", None)
    else:
        os.environ["SUNSHINE_WAREHOUSE_URL"] = previous
    warehouse.stop()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def budget_sources(warehouse_url: str, sunshine_home: Path) -> Path:
    """The tiny budget source system on the test warehouse, and its sources.yaml."""
    from sunshine.fixtures import create_budget_source, write_sources_file

    create_budget_source(warehouse_url, dt.date.fromisoformat(NIGHT))
    return write_sources_file(sunshine_home / "sources" / "sources.yaml")


@pytest.fixture(scope="session")
def night_run(budget_sources: Path, warehouse_url: str) -> subprocess.CompletedProcess[str]:
    """One night run through Airflow by `sunshine nightly`, as the demo does."""
    result = run_cli("nightly", "--date", NIGHT, "--sources", str(budget_sources))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


@pytest.fixture(scope="session")
def mart_ready(night_run: subprocess.CompletedProcess[str], warehouse_url: str) -> str:
    """The warehouse URL once a real night has filled marts.fund_line_budgets."""
    return warehouse_url


@dataclass(frozen=True)
class SmallCity:
    out: Path
    summary: SimulationSummary
    warehouse_url: str


@pytest.fixture(scope="session")
def small_city(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> SmallCity:
    """One small simulated city (sources on the test warehouse), built once per session."""
    out = tmp_path_factory.mktemp("small_city")
    return SmallCity(out, run_small(out, warehouse_url), warehouse_url)


@dataclass(frozen=True)
class ModelledCity:
    out: Path  # the simulator's folder: sources.yaml, truth.csv
    summary: SimulationSummary
    url: str  # a database of its own, holding raw, staging, intermediate and marts
    night: dt.date


@pytest.fixture(scope="session")
def modelled_city(small_city: SmallCity) -> ModelledCity:
    """The small city's last night extracted through Airflow and modelled by dbt, once.

    Its own database, so tests that run other nights on the same server do not move it.
    The dbt build is run directly (one process, its threads): the Airflow transform of
    many models is exercised by the demo and the thin slice, not repeated here.
    """
    with psycopg.connect(small_city.warehouse_url, autocommit=True) as conn:
        conn.execute("drop database if exists sunshine_modelled with (force)")
        conn.execute("create database sunshine_modelled")
    url = with_database(small_city.warehouse_url, "sunshine_modelled")
    result = run_cli(
        "nightly",
        "--extract-only",
        "--date",
        str(LAST_NIGHT),
        "--sources",
        str(small_city.out / "sources.yaml"),
        env={"SUNSHINE_WAREHOUSE_URL": url},
    )
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    run_dbt(["build", "--vars", json.dumps({"night": str(LAST_NIGHT)})], url, quiet=True)
    return ModelledCity(small_city.out, small_city.summary, url, LAST_NIGHT)
