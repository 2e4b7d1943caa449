"""Every .sql file of the dbt project passes sqlfluff with the project's configuration.

sqlfluff runs once over the whole project (dbt_project/.sqlfluff: postgres, Jinja with
dbt's builtins and the project's macros); each file is then its own test case, failing
with `file:line:rule description` for each finding. Two probes show the configuration
does hold the style it claims.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sunshine.paths import DBT_PROJECT_DIR

SQLFLUFF = Path(sys.executable).parent / "sqlfluff"
FOLDERS = [
    folder
    for folder in ("models", "macros", "tests", "snapshots", "analyses")
    if (DBT_PROJECT_DIR / folder).is_dir()
]
SQL_FILES = sorted(
    str(path.relative_to(DBT_PROJECT_DIR))
    for folder in FOLDERS
    for path in (DBT_PROJECT_DIR / folder).rglob("*.sql")
)


def sqlfluff(*args: str, stdin: str | None = None) -> list[dict]:
    """sqlfluff lint in the dbt project, its JSON report (a list of files)."""
    result = subprocess.run(
        [str(SQLFLUFF), "lint", "--format", "json", "--nocolor", *args],
        cwd=DBT_PROJECT_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    # Exit 1 means findings; anything else (or no report) means sqlfluff itself failed.
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def findings() -> dict[str, list[str]]:
    """Per file (relative to dbt_project), its findings as `file:line:rule description`."""
    report = sqlfluff("--processes", str(os.cpu_count() or 1), *FOLDERS)
    found: dict[str, list[str]] = {}
    for entry in report:
        name = str((DBT_PROJECT_DIR / entry["filepath"]).resolve().relative_to(DBT_PROJECT_DIR))
        found[name] = [
            f"{name}:{v['start_line_no']}:{v['code']} {v['description']}"
            for v in entry["violations"]
            if not v.get("warning")
        ]
    return found


def test_sqlfluff_linted_every_file(findings: dict[str, list[str]]) -> None:
    assert len(SQL_FILES) > 50
    # A file sqlfluff skipped (too large, ignored) would pass unseen.
    assert sorted(findings) == SQL_FILES


@pytest.mark.parametrize("name", SQL_FILES)
def test_sql_file_passes_sqlfluff(name: str, findings: dict[str, list[str]]) -> None:
    problems = findings.get(name)
    assert problems is not None, f"{name} was not linted"
    assert not problems, "\n".join(problems)


def probe(sql: str) -> set[str]:
    """The rule codes sqlfluff finds in `sql` as if it were a staging model here."""
    report = sqlfluff("--stdin-filename", "models/staging/probe.sql", "-", stdin=sql)
    return {v["code"] for entry in report for v in entry["violations"]}


def test_the_configuration_wants_the_project_style() -> None:
    clean = (
        "with\n\nsource as (\n    select * from {{ source('dibao', 'dibao__assistance_case') }}\n"
        "),\n\nrenamed as (\n    select\n        {{ normalize_code('case_id') }} as case_id,\n"
        "        {{ clean_text('status') }} as status\n    from source\n)\n\n"
        "select * from renamed\n"
    )
    assert probe(clean) == set()
    shouting = clean.replace("select", "SELECT").replace(" as status", " AS status")
    assert "CP01" in probe(shouting)  # lower-case keywords
    leading = clean.replace(" as case_id,\n        ", " as case_id\n        , ")
    assert "LT04" in probe(leading)  # trailing commas
    implicit = clean.replace(" as status", " status")
    assert "AL02" in probe(implicit)  # explicit column aliases
