"""sources.yaml: variables from the environment or its env_file, paths beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunshine.errors import SunshineError
from sunshine.sources.registry import load_sources


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_variables_relative_paths_and_env_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SUNSHINE_WAREHOUSE_URL", "postgresql://u:p@h:1/d")
    monkeypatch.delenv("TEST_POVERTY_TOKEN", raising=False)
    monkeypatch.setenv("TEST_ALREADY_SET", "from-environment")
    write(
        tmp_path / "credentials.env",
        "# generated\nTEST_POVERTY_TOKEN=abc=1\nTEST_ALREADY_SET=file\n",
    )
    sources = load_sources(
        write(
            tmp_path / "sources.yaml",
            "env_file: credentials.env\n"
            "systems:\n"
            "  budget: {url: '${SUNSHINE_WAREHOUSE_URL}', database: src_budget}\n"
            "  onecard: {folder: drops/onecard}\n"
            "  poverty: {token: '${TEST_POVERTY_TOKEN}', api_key: '${TEST_ALREADY_SET}',"
            " store: api/poverty.sqlite}\n",
        )
    )
    assert sources["budget"].require("url") == "postgresql://u:p@h:1/d"
    assert sources["onecard"].get("folder") == str(tmp_path / "drops" / "onecard")
    assert sources["poverty"].get("token") == "abc=1"
    assert sources["poverty"].get("api_key") == "from-environment"
    assert sources["poverty"].get("store") == str(tmp_path / "api" / "poverty.sqlite")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("systems:\n  budget: {url: '${NOT_SET_ANYWHERE_42}'}\n", "NOT_SET_ANYWHERE_42"),
        ("{}\n", "no 'systems:'"),
        ("env_file: x.env\n", "no 'systems:'"),
        # A misspelt name used to be skipped: pension not extracted, rc 0.
        (
            "systems:\n  pensoin: {folder: x}\n",
            r"unknown system 'pensoin' \(did you mean 'pension'\?\)",
        ),
        (
            "systems:\n  onecard: {foldr: x}\n",
            r"unknown setting 'foldr' \(did you mean 'folder'\?\)",
        ),
        (
            "systems:\n  budget: {url: x, shema: b}\n",
            r"systems.budget: unknown setting 'shema' \(did you mean 'schema'\?\)",
        ),
        ("systems:\n  poverty: {base_url: x, tokn: y}\n", r"did you mean 'token'\?"),
        ("sytems:\n  onecard: {folder: x}\n", r"unknown key 'sytems' \(did you mean 'systems'\?\)"),
        ("systems:\n  xyzzy: {}\n", r"unknown system 'xyzzy' \(known: .*onecard"),
        # These were AttributeError tracebacks.
        (
            "systems:\n  onecard: [drops/onecard]\n",
            "systems.onecard must be a mapping of settings, got a list",
        ),
        ("- systems\n", "must be a mapping with 'systems:', got a list"),
        ("systems: [onecard]\n", "'systems' must be a mapping, got a list"),
        (
            "systems:\n  onecard: drops/onecard\n",
            "systems.onecard must be a mapping of settings, got a string",
        ),
        ("systems:\n  budget: {url: x, lookback_days: soon}\n", "systems.budget.lookback_days"),
        ("systems: [\n", "not valid YAML"),
        ("env_file: missing.env\nsystems: {}\n", "missing.env"),
    ],
)
def test_bad_sources_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SunshineError, match=message):
        load_sources(write(tmp_path / "sources.yaml", text))


def test_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(SunshineError, match="sunshine demo"):
        load_sources(tmp_path / "nope.yaml")


def test_contract_systems_absent_from_the_file_are_named(tmp_path: Path) -> None:
    from sunshine.contracts import SYSTEMS
    from sunshine.sources.registry import absent_systems

    sources = load_sources(
        write(tmp_path / "sources.yaml", "systems:\n  onecard: {folder: x}\n  pension: {}\n")
    )
    absent = absent_systems(sources)
    assert "onecard" not in absent and "pension" not in absent
    assert set(absent) == set(SYSTEMS) - {"onecard", "pension"}


def test_a_bad_sources_file_fails_the_task_at_once(tmp_path: Path, monkeypatch) -> None:
    # A retry in five minutes reads the same file: not worth waiting for.
    from airflow.sdk.exceptions import AirflowFailException

    from sunshine.orchestrate import tasks

    path = write(tmp_path / "sources.yaml", "systems:\n  pensoin: {}\n")
    monkeypatch.setenv("SUNSHINE_SOURCES_FILE", str(path))
    with pytest.raises(AirflowFailException, match="did you mean 'pension'"):
        tasks.extract("pension", "benefit_payment", {"params": {"night": "2026-10-05"}})
