"""Every `SUNSHINE_*` variable of the product, typed, in one place.

`current_settings()` reads the environment afresh at each call: the CLI, the tests
(monkeypatch) and `sunshine nightly` (which sets SUNSHINE_WAREHOUSE_URL for the
processes it starts) change it while a process runs, and a cached copy would hide
that. Reading it costs a fraction of a millisecond.

No other module reads `os.environ` for a SUNSHINE_ name (tests/test_settings.py keeps
it so); they call this module, or the thin helpers built on it (sunshine.config,
sunshine.paths, sunshine.superset.credentials). Writing the environment of a child
process stays where it is done.

Some variables are not read by Python at all but by docker compose (from .env), the
containers' entrypoints or dbt's profiles.yml: they are fields too, so that
docs/settings.md lists every name a deployment may set and a name nobody reads is
reported. Each field says who reads it (`read_by`).

Secrets in files (Docker secrets): the containers' entrypoints read NAME_FILE into
NAME for names ending in _PASSWORD, _SECRET, _KEY or _URL before Python starts
(docker/secrets-from-files.sh); here those NAME_FILE names are known, not read.

Superset's environment (envs/superset) has pydantic-settings too: superset_config.py
and in_superset.py import this module, which therefore imports nothing of sunshine's
but the standard library and pydantic (and sunshine.errors, which imports nothing).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from sunshine.errors import SunshineError

PREFIX = "SUNSHINE_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Suffixes docker/secrets-from-files.sh reads from NAME_FILE.
FILE_SECRET_SUFFIXES = ("_PASSWORD", "_SECRET", "_KEY", "_URL")

# Who reads a variable; the docs table says it for each.
PYTHON = "sunshine"
COMPOSE = "docker compose"
ENTRYPOINT = "entrypoint"
DBT = "dbt profiles.yml"
INTERNAL = "sunshine (set by sunshine for its child processes)"


def _field(default: Any, description: str, read_by: str = PYTHON) -> Any:
    return Field(default, description=description, json_schema_extra={"read_by": read_by})


class Settings(BaseSettings):
    """The product's settings; field `x` is the variable `SUNSHINE_X`."""

    # An empty value counts as unset, as `os.environ.get(NAME) or default` did before.
    # Unknown names are not an error here: check_unknown() warns about them.
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, extra="ignore", case_sensitive=False
    )

    # --- Where things are
    home: Path | None = _field(
        None, "Folder of the project's run-time state; unset: `.sunshine/` in the project."
    )
    sources_file: Path | None = _field(
        None,
        "The deployment's sources.yaml; unset: `sources/sources.yaml` in the state folder.",
    )
    # --- The warehouse
    warehouse_url: SecretStr | None = _field(
        None,
        "The warehouse every part uses (postgresql://user:password@host:port/db); "
        "unset: the embedded PostgreSQL.",
    )
    warehouse_server_url: str | None = _field(
        None,
        "The warehouse server without a user (postgresql://host:port/db): Superset's "
        "import in docker compose logs in as its own logins on it.",
        ENTRYPOINT,
    )
    gx_warehouse_url: SecretStr | None = _field(
        None,
        "The warehouse URL with its driver, for Great Expectations' datasource; set by "
        "the night itself, not by a deployment.",
        INTERNAL,
    )
    db_host: str = _field("127.0.0.1", "dbt's warehouse host, split from the URL.", DBT)
    db_port: int = _field(5432, "dbt's warehouse port, split from the URL.", DBT)
    db_user: str = _field("sunshine", "dbt's warehouse login, split from the URL.", DBT)
    db_password: SecretStr | None = _field(
        None, "dbt's warehouse password, split from the URL.", DBT
    )
    db_name: str = _field("sunshine", "dbt's warehouse database, split from the URL.", DBT)
    # --- The nightly DAGs
    retry_delay_seconds: int | None = _field(
        None,
        "First retry delay of a failed task, doubling each time (capped at an hour); "
        "unset: each DAG's own (120 s), 5 s for `sunshine nightly` on a laptop.",
    )
    dbt_project: Path | None = _field(
        None, "The dbt project the transform DAG builds; unset: `dbt_project/` of the code."
    )
    dbt_executable: Path | None = _field(
        None, "The dbt program the transform DAG runs; unset: the one beside Python."
    )
    dbt_threads: int = _field(4, "dbt threads of the transform DAG's build.")
    # --- Superset
    superset_secret_key: SecretStr | None = _field(
        None,
        "Signs Superset's sessions and encrypts the passwords it stores; unset: one "
        "generated into Superset's home (mode 600).",
    )
    superset_admin_user: str = _field("admin", "Superset's admin login.")
    superset_admin_password: SecretStr | None = _field(
        None, "That login's password; unset: one generated into Superset's home."
    )
    superset_auditor_user: str = _field("auditor", "The auditor's Superset login (masked data).")
    superset_auditor_password: SecretStr | None = _field(
        None, "The auditor's password; unset: one generated into Superset's home."
    )
    superset_auditor_districts: str = _field(
        "",
        "District codes (6 digits, commas) the auditor may see; empty: every district.",
    )
    superset_commission_user: str = _field(
        "commission", "The commission member's Superset login (personal data whole)."
    )
    superset_commission_password: SecretStr | None = _field(
        None, "The commission member's password; unset: one generated into Superset's home."
    )
    superset_reader_db_password: SecretStr | None = _field(
        None,
        "Password of the warehouse login sunshine_superset_reader (non-personal marts); "
        "unset: one generated into Superset's home.",
    )
    superset_commission_db_password: SecretStr | None = _field(
        None,
        "Password of the warehouse login sunshine_superset_commission (the marts whole); "
        "unset: one generated into Superset's home.",
    )
    superset_auditor_db_password: SecretStr | None = _field(
        None,
        "Password of the warehouse login sunshine_superset_auditor (the masked views); "
        "unset: one generated into Superset's home.",
    )
    superset_metadata_url: SecretStr | None = _field(
        None, "Superset's own metadata database; unset: a SQLite file in Superset's home."
    )
    superset_auth_rate_limit: str = _field(
        "20 per minute", "Login attempts allowed per client (Flask-Limiter's notation)."
    )
    superset_log_level: str = _field("WARNING", "Superset's log level.")
    superset_access: str | None = _field(
        None,
        "Roles, users and filters for Superset (JSON, built by sunshine/superset/access.py); "
        "set by `sunshine superset import`, not by a deployment.",
        INTERNAL,
    )
    # --- docker compose (.env), not read by Python
    warehouse_user: str = _field("sunshine", "The warehouse's owner login.", COMPOSE)
    warehouse_db: str = _field("sunshine", "The warehouse's database.", COMPOSE)
    warehouse_password: SecretStr | None = _field(
        None,
        "The owner's password; goes into a URL as is (letters, digits, - _ . ~ only).",
        COMPOSE,
    )
    warehouse_port: int = _field(5432, "Host port of the warehouse (on 127.0.0.1 only).", COMPOSE)
    sources_dir: str = _field(
        "./sources",
        "Host folder with sources.yaml, its env_file and its drop folders.",
        COMPOSE,
    )
    airflow_metadata_password: SecretStr | None = _field(
        None, "Password of Airflow's metadata database.", COMPOSE
    )
    airflow_fernet_key: SecretStr | None = _field(
        None, "Airflow's Fernet key (encrypts connections and variables).", COMPOSE
    )
    airflow_jwt_secret: SecretStr | None = _field(
        None, "Signs the JWTs of Airflow's UI, API and task processes.", COMPOSE
    )
    airflow_api_secret_key: SecretStr | None = _field(
        None, "The Airflow api-server's secret key (also signs task-log requests).", COMPOSE
    )
    airflow_admin_user: str = _field("admin", "Airflow UI login (role Admin).", ENTRYPOINT)
    airflow_admin_password: SecretStr | None = _field(None, "That login's password.", ENTRYPOINT)
    airflow_port: int = _field(8080, "Host port of Airflow's UI/API (127.0.0.1 only).", COMPOSE)
    superset_port: int = _field(8088, "Host port of Superset (127.0.0.1 only).", COMPOSE)
    secrets_from_files: Path = _field(
        Path("/usr/local/lib/sunshine-secrets-from-files.sh"),
        "The script the containers' entrypoints source to read NAME_FILE into NAME.",
        ENTRYPOINT,
    )


class SettingsError(SunshineError):
    """A variable with a value of the wrong type (its name and what was wrong)."""


def env_name(field: str) -> str:
    """The variable of a field (`warehouse_url` -> SUNSHINE_WAREHOUSE_URL); modules name
    their variables through it, so a name without a field fails at import."""
    if field not in Settings.model_fields:
        raise KeyError(f"no setting {field!r} in sunshine/settings.py")
    return PREFIX + field.upper()


def variable_names() -> tuple[str, ...]:
    """Every SUNSHINE_ variable the product reads, in the fields' order."""
    return tuple(env_name(name) for name in Settings.model_fields)


def current_settings(warn_unknown: bool = False) -> Settings:
    """The settings as the environment has them now; a bad value is one line naming it.

    Unknown names are looked for where a configuration is put to work (`warn_unknown`,
    or `check_unknown()`): a night's run, each extraction task, `sunshine settings show`.
    Not at every read: a command refusing bad input says one line, and a DAG file's
    module scope reads no file (the check may read sources.yaml).
    """
    if warn_unknown:
        check_unknown()
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = env_name(str(error["loc"][0]))
        raise SettingsError(f"${name}: {error['msg']} (got {error.get('input')!r})") from None


def secret(value: SecretStr | None) -> str | None:
    """A secret's value, None when unset."""
    return value.get_secret_value() if value is not None else None


# --- Unknown names: a typo in a deployment's variable would otherwise be silent.
_warned: set[str] = set()
_external: set[str] = set()
_last_checked: frozenset[str] | None = None


def declare_external(*names: str) -> None:
    """Names that are someone else's (credentials sources.yaml refers to): not typos."""
    global _last_checked
    _external.update(names)
    _last_checked = None


def known_names() -> set[str]:
    names = set(variable_names())
    names |= {f"{name}_FILE" for name in variable_names() if name.endswith(FILE_SECRET_SUFFIXES)}
    return names


def unknown_names(environ: dict[str, str] | None = None) -> list[str]:
    """SUNSHINE_ names in the environment that no part of the product reads."""
    environ = os.environ if environ is None else environ
    candidates = {k for k in environ if k.upper().startswith(PREFIX)}
    candidates -= known_names() | _external
    if candidates:
        candidates -= _sources_file_names(environ)
    return sorted(candidates)


def check_unknown() -> None:
    """Warn once per process about each unknown SUNSHINE_ name (never fail: the night
    must still run), with the nearest known name when there is one."""
    global _last_checked
    # current_settings() runs often (every state_dir()): look again only when the
    # environment's SUNSHINE_ names changed.
    present = frozenset(k for k in os.environ if k.upper().startswith(PREFIX))
    if present == _last_checked:
        return
    _last_checked = present
    for name in unknown_names():
        if name in _warned:
            continue
        _warned.add(name)
        close = difflib.get_close_matches(name, variable_names(), n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]}?)" if close else ""
        message = (
            f"${name} is set but no part of Sunshine reads it{hint}; "
            "docs/settings.md lists the variables"
        )
        warnings.warn(message, UserWarning, stacklevel=3)


_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENV_FILE = re.compile(r"^\s*env_file:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)
_ENV_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)


def _sources_file_names(environ: Any) -> set[str]:
    """Names sources.yaml refers to as ${NAME} and those its env_file sets: the
    deployment's own credentials, whatever they are called. A process started by the
    night inherits them before it reads sources.yaml itself."""
    path = environ.get(env_name("sources_file")) or None
    if path is None:
        home = environ.get(env_name("home")) or PROJECT_ROOT / ".sunshine"
        path = Path(home) / "sources" / "sources.yaml"
    try:
        text = Path(path).read_text(encoding="utf-8")
        names = set(_REFERENCE.findall(text))
        match = _ENV_FILE.search(text)
        if match:
            env_file = Path(path).parent / match.group(1)
            names |= set(_ENV_LINE.findall(env_file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return set()
    return names


# --- The generated table of docs/settings.md


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    text = str(annotation) if "|" in str(annotation) else text
    for long, short in (("pydantic.types.", ""), ("pathlib.", ""), (" | None", "")):
        text = text.replace(long, short)
    return text


def settings_table() -> str:
    """docs/settings.md: one row per variable (`sunshine settings table` writes it)."""
    lines = [
        "# Settings",
        "",
        "<!-- Generated by `sunshine settings table` from sunshine/settings.py: edit the",
        "     fields there, then regenerate; tests/test_settings.py compares the two. -->",
        "",
        "Every `SUNSHINE_*` variable Sunshine reads, and who reads it: the Python code",
        "(`sunshine`, through `sunshine.settings.current_settings()`), docker compose",
        "(from `.env`), the containers' entrypoints, or dbt's `profiles.yml`. An empty",
        "value counts as unset. A secret can come from a file in the containers:",
        "`NAME_FILE=/run/secrets/x` for a name ending in `_PASSWORD`, `_SECRET`, `_KEY` or",
        "`_URL` (docker/secrets-from-files.sh). A `SUNSHINE_*` variable not listed here is",
        "reported as a warning (a typo would otherwise be silent) when a night or an",
        "extraction task starts and by `sunshine settings show`, except the credentials",
        "sources.yaml refers to. `.env.example` names every one of them.",
        "",
        "| Variable | Type | Default | Secret | Read by | Description |",
        "|---|---|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        is_secret = "SecretStr" in str(annotation)
        type_name = "str" if is_secret else _type_name(annotation)
        default = "(unset)" if field.default is None else f"`{field.default}`"
        if field.default == "":
            default = "(empty)"
        read_by = (field.json_schema_extra or {}).get("read_by", PYTHON)
        lines.append(
            f"| `{env_name(name)}` | {type_name} | {default} | {'yes' if is_secret else 'no'} "
            f"| {read_by} | {field.description} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - `python -m sunshine.settings` prints it
    sys.stdout.write(settings_table())
