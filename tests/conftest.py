"""Shared fixtures: the test run owns its warehouse and state, apart from any demo."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sunshine.paths import PROJECT_ROOT

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
