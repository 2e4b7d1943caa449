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
            "  poverty: {token: '${TEST_POVERTY_TOKEN}', other: '${TEST_ALREADY_SET}',"
            " store: api/poverty.sqlite}\n",
        )
    )
    assert sources["budget"].require("url") == "postgresql://u:p@h:1/d"
    assert sources["onecard"].get("folder") == str(tmp_path / "drops" / "onecard")
    assert sources["poverty"].get("token") == "abc=1"
    assert sources["poverty"].get("other") == "from-environment"
    assert sources["poverty"].get("store") == str(tmp_path / "api" / "poverty.sqlite")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("systems:\n  budget: {url: '${NOT_SET_ANYWHERE_42}'}\n", "NOT_SET_ANYWHERE_42"),
        ("nothing: here\n", "no 'systems:'"),
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
