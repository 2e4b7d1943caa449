"""The one settings object (sunshine/settings.py): its table, .env.example, and that
no other module of the product reads a SUNSHINE_ variable from os.environ."""

from __future__ import annotations

import ast
import re
import sys
import warnings

import pytest

from sunshine import settings as settings_module
from sunshine.paths import PROJECT_ROOT
from sunshine.settings import (
    SettingsError,
    current_settings,
    env_name,
    known_names,
    settings_table,
    unknown_names,
    variable_names,
)

DOCS_TABLE = PROJECT_ROOT / "docs" / "settings.md"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
COMPOSE = PROJECT_ROOT / "docker-compose.yml"
SUNSHINE_NAME = re.compile(r"\bSUNSHINE_[A-Z0-9_]*[A-Z0-9]\b")


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    # Each test sees its own unknown names warned about, whatever ran before.
    monkeypatch.setattr(settings_module, "_warned", set())
    monkeypatch.setattr(settings_module, "_external", set())
    monkeypatch.setattr(settings_module, "_last_checked", None)


def test_committed_table_is_what_the_settings_generate():
    assert DOCS_TABLE.read_text(encoding="utf-8") == settings_table(), (
        "docs/settings.md is stale: run `sunshine settings table`"
    )


def test_the_table_has_a_row_per_variable_with_its_secrecy():
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[4].strip()
        for line in settings_table().splitlines()
        if line.startswith("| `SUNSHINE_")
    }
    assert list(rows) == list(variable_names())
    assert rows["SUNSHINE_WAREHOUSE_URL"] == "yes"
    assert rows["SUNSHINE_SUPERSET_ADMIN_PASSWORD"] == "yes"
    assert rows["SUNSHINE_DBT_THREADS"] == "no"


def _example_lines() -> tuple[dict[str, str], set[str]]:
    """.env.example's set variables (name: value) and its commented `# NAME=` ones."""
    set_, commented = {}, set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^(SUNSHINE_[A-Z0-9_]+)=(.*)$", line):
            set_[match.group(1)] = match.group(2)
        elif match := re.match(r"^# (SUNSHINE_[A-Z0-9_]+)=", line):
            commented.add(match.group(1))
    return set_, commented


def test_env_example_names_every_variable_once():
    set_, commented = _example_lines()
    assert not set(set_) & commented, "a variable both set and commented"
    missing = set(variable_names()) - set(set_) - commented
    assert not missing, f".env.example does not name {sorted(missing)}"
    unknown = (set(set_) | commented) - set(variable_names())
    assert not unknown, f".env.example names variables no part reads: {sorted(unknown)}"


def test_env_example_sets_what_compose_requires_with_placeholders():
    required = set(re.findall(r"\$\{(SUNSHINE_[A-Z0-9_]+):\?", COMPOSE.read_text()))
    assert "SUNSHINE_WAREHOUSE_PASSWORD" in required  # the pattern still finds them
    set_, _ = _example_lines()
    assert required <= set(set_), f"compose requires {sorted(required - set(set_))}"
    fields = settings_module.Settings.model_fields
    for name in required:
        field = fields[name.removeprefix("SUNSHINE_").lower()]
        if "SecretStr" in str(field.annotation):
            assert set_[name].startswith("replace-me"), f"{name} must be a placeholder"


@pytest.mark.parametrize(
    "path",
    [
        "docker-compose.yml",
        "docker/airflow-entrypoint.sh",
        "docker/superset-entrypoint.sh",
        "docker/secrets-from-files.sh",
        "dbt_project/profiles.yml",
        "expectations/gx/great_expectations.yml",
    ],
)
def test_every_name_outside_python_is_a_setting(path):
    names = set(SUNSHINE_NAME.findall((PROJECT_ROOT / path).read_text(encoding="utf-8")))
    assert not names - known_names(), f"{path}: {sorted(names - known_names())} not in settings"


def test_settings_follow_the_environment_without_caching(monkeypatch):
    monkeypatch.setenv("SUNSHINE_DBT_THREADS", "7")
    assert current_settings().dbt_threads == 7
    monkeypatch.setenv("SUNSHINE_DBT_THREADS", "2")
    assert current_settings().dbt_threads == 2
    monkeypatch.setenv("SUNSHINE_SUPERSET_ADMIN_USER", "")  # empty counts as unset
    assert current_settings().superset_admin_user == "admin"


def test_secrets_are_masked(monkeypatch):
    monkeypatch.setenv("SUNSHINE_WAREHOUSE_URL", "postgresql://u:hunter2@h/db")
    loaded = current_settings()
    assert "hunter2" not in repr(loaded)
    assert loaded.warehouse_url.get_secret_value() == "postgresql://u:hunter2@h/db"


def test_a_bad_value_is_one_line_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SUNSHINE_RETRY_DELAY_SECONDS", "soon")
    with pytest.raises(SettingsError, match=r"\$SUNSHINE_RETRY_DELAY_SECONDS: .*'soon'"):
        current_settings()


def test_an_unknown_name_warns_once_with_the_nearest(monkeypatch, tmp_path):
    monkeypatch.setenv("SUNSHINE_HOME", str(tmp_path))
    monkeypatch.setenv("SUNSHINE_WAREHOUSE_ULR", "postgresql://x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        current_settings()  # an ordinary read does not look (a refusal stays one line)
    with pytest.warns(UserWarning, match="SUNSHINE_WAREHOUSE_ULR.*SUNSHINE_WAREHOUSE_URL"):
        current_settings(warn_unknown=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        current_settings(warn_unknown=True)  # said once per process


def test_known_names_do_not_warn(monkeypatch, tmp_path):
    monkeypatch.setenv("SUNSHINE_HOME", str(tmp_path))
    # A secret from a file (docker/secrets-from-files.sh reads it before Python runs).
    monkeypatch.setenv("SUNSHINE_SUPERSET_ADMIN_PASSWORD_FILE", "/run/secrets/x")
    monkeypatch.setenv("SUNSHINE_DBT_THREADS", "3")
    assert "SUNSHINE_SUPERSET_ADMIN_PASSWORD_FILE" not in unknown_names()
    assert "SUNSHINE_DBT_THREADS" not in unknown_names()
    # A path variable ending in _FILE is not a secret's file variant.
    assert "SUNSHINE_SOURCES_FILE_FILE" not in known_names()


def test_the_credentials_sources_yaml_names_are_not_unknown(monkeypatch, tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "env_file: credentials.env\nsystems:\n  poverty: {token: '${SUNSHINE_POVERTY_TOKEN}'}\n"
    )
    (tmp_path / "credentials.env").write_text("SUNSHINE_EMPLOYMENT_API_KEY=k\n")
    monkeypatch.setenv("SUNSHINE_SOURCES_FILE", str(tmp_path / "sources.yaml"))
    for name in ("SUNSHINE_POVERTY_TOKEN", "SUNSHINE_EMPLOYMENT_API_KEY", "SUNSHINE_TYPO"):
        monkeypatch.setenv(name, "x")
    assert unknown_names() == ["SUNSHINE_TYPO"]


def test_a_module_names_its_variable_through_the_settings():
    assert env_name("warehouse_url") == "SUNSHINE_WAREHOUSE_URL"
    with pytest.raises(KeyError):
        env_name("warehouse_ulr")


# --- No module of the product reads a SUNSHINE_ variable but settings.py.

PRODUCT = [PROJECT_ROOT / "sunshine", PROJECT_ROOT / "dags"]
ALLOWED = {PROJECT_ROOT / "sunshine" / "settings.py"}
EXCLUDED = PROJECT_ROOT / "sunshine" / "simulate"  # the simulator: a producer, not the product


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def sunshine_constants(source: str) -> set[str]:
    """Names assigned a SUNSHINE_ name (a literal or `env_name(...)`)."""
    return {
        target.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and _names_sunshine(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def sunshine_environment_reads(source: str, imported: frozenset[str] = frozenset()) -> list[int]:
    """Lines reading os.environ[...] / .get / os.getenv / `in os.environ` of a SUNSHINE_
    name: a literal, an f-string starting with it, a constant holding one (this module's
    or `imported`, those of the other modules), or a `.password_env`."""
    tree = ast.parse(source)
    constants = sunshine_constants(source) | imported
    lines = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            if isinstance(node.ctx, ast.Load):
                key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if func.attr in ("get", "setdefault", "pop") and _is_environ(func.value):
                key = node.args[0] if node.args else None
            elif func.attr == "getenv":
                key = node.args[0] if node.args else None
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            if any(_is_environ(c) for c in node.comparators):
                key = node.left
        if key is not None and _names_sunshine(key, constants):
            lines.append(node.lineno)
    return sorted(lines)


def _names_sunshine(node: ast.AST, constants: set[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.startswith("SUNSHINE_")
    if isinstance(node, ast.JoinedStr) and node.values:
        return _names_sunshine(node.values[0], constants)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "env_name":
        return True
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.Attribute):
        return node.attr in constants or node.attr.endswith("_env")
    return False


def test_the_checker_finds_each_kind_of_read():
    source = (
        "import os\n"
        'A = "SUNSHINE_X"\n'
        'B = env_name("home")\n'
        'os.environ.get("SUNSHINE_HOME")\n'
        "os.environ[A]\n"
        "os.getenv(B)\n"
        "A in os.environ\n"
        "os.environ.get(self.password_env)\n"
        "os.environ.get(IMPORTED_ENV)\n"
        'os.environ[f"SUNSHINE_{x}"]\n'
        'os.environ["SUNSHINE_Y"] = "written for a child"\n'
        'os.environ.get("PATH")\n'
    )
    assert sunshine_environment_reads(source, frozenset({"IMPORTED_ENV"})) == [4, 5, 6, 7, 8, 9, 10]


def test_no_module_of_the_product_reads_a_sunshine_variable():
    paths = [
        path
        for root in PRODUCT
        for path in sorted(root.rglob("*.py"))
        if path not in ALLOWED and EXCLUDED not in path.parents
    ]
    sources = {path: path.read_text(encoding="utf-8") for path in paths}
    # `from sunshine.config import WAREHOUSE_URL_ENV` then os.environ.get(WAREHOUSE_URL_ENV).
    imported = frozenset().union(*(sunshine_constants(text) for text in sources.values()))
    assert "WAREHOUSE_URL_ENV" in imported
    offenders = []
    for path, text in sources.items():
        for line in sunshine_environment_reads(text, imported):
            offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{line}")
    assert not offenders, "read these through sunshine.settings.current_settings(): " + ", ".join(
        offenders
    )


def test_the_product_reads_every_setting_somewhere():
    # A field nothing reads is a variable documented for nothing.
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for root in [*PRODUCT, PROJECT_ROOT / "docker", PROJECT_ROOT / "dbt_project"]
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".sh", ".yml")
        and path not in ALLOWED
        and EXCLUDED not in path.parents
    )
    text += (
        COMPOSE.read_text() + (PROJECT_ROOT / "expectations/gx/great_expectations.yml").read_text()
    )
    unread = [
        name
        for name in settings_module.Settings.model_fields
        if f".{name}" not in text and f'"{name}"' not in text and env_name(name) not in text
    ]
    assert not unread, f"no part reads {unread}"


def test_settings_imports_only_what_superset_has():
    # superset_config.py and in_superset.py import sunshine.settings inside Superset's
    # environment (envs/superset), which has pydantic-settings but not the rest of
    # sunshine's dependencies (SQLAlchemy 2, psycopg, typer...).
    tree = ast.parse((PROJECT_ROOT / "sunshine" / "settings.py").read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and (not isinstance(node, ast.ImportFrom) or node.level == 0)
        for alias in node.names
    }
    sunshine_modules = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sunshine")
    }
    allowed = {"__future__", "pydantic", "pydantic_settings", "sunshine"}
    assert imported - allowed <= set(sys.stdlib_module_names)
    assert sunshine_modules == {"sunshine.errors"}


def test_cli_writes_the_table_and_shows_settings_masked(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from sunshine.cli import app

    runner = CliRunner()
    out = tmp_path / "settings.md"
    result = runner.invoke(app, ["settings", "table", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == settings_table()
    monkeypatch.setenv("SUNSHINE_SUPERSET_ADMIN_PASSWORD", "hunter2")
    monkeypatch.setenv("SUNSHINE_DBT_THREADS", "3")
    result = runner.invoke(app, ["settings", "show"])
    assert result.exit_code == 0, result.output
    assert "SUNSHINE_DBT_THREADS=3" in result.output
    assert "SUNSHINE_SUPERSET_ADMIN_PASSWORD=**********" in result.output
    assert "hunter2" not in result.output
    monkeypatch.setenv("SUNSHINE_DBT_THREADS", "many")
    result = runner.invoke(app, ["settings", "show"])
    assert result.exit_code == 1
    assert "SUNSHINE_DBT_THREADS" in result.output


def test_parse_time_reads_do_not_look_for_unknown_names(monkeypatch, tmp_path):
    # A DAG file's module scope reads no file (STYLE.md), and the check may read
    # sources.yaml: the DAGs' settings skip it, the tasks warn when they run.
    monkeypatch.setenv("SUNSHINE_SOURCES_FILE", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("SUNSHINE_TYPO", "x")
    monkeypatch.setattr(
        settings_module, "_sources_file_names", lambda environ: pytest.fail("read a file")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        current_settings(warn_unknown=False)
    from sunshine.orchestrate.schedule import retry_args

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        retry_args(retries=1, default_delay_seconds=120)
