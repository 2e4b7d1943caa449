"""`sources.yaml`: the one file that says where each system's data is found.

The pipeline reads nothing else to find its sources, so pointing Sunshine at another
city is a change of this file. Values may name environment variables as `${VAR}`;
credentials belong there, never in the file. `env_file` (relative to this file)
names a KEY=value file whose variables are set when not already in the environment:
the simulator keeps its generated API credentials there. Relative `folder` and
`store` paths are relative to this file. Example:

    env_file: credentials.env
    systems:
      budget:
        url: ${SUNSHINE_WAREHOUSE_URL}   # any SQLAlchemy URL
        database: src_budget             # optional: another database on that server
        schema: budget
      onecard:
        folder: /data/drops/onecard
      poverty:
        base_url: http://127.0.0.1:8701
        token: ${POVERTY_API_TOKEN}
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sunshine.errors import SunshineError
from sunshine.settings import current_settings, declare_external, env_name

SOURCES_FILE_ENV = env_name("sources_file")
PATH_SETTINGS = ("folder", "store")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SourceConfig:
    """How to reach one system, with `${VAR}` references resolved."""

    system: str
    settings: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    def require(self, key: str) -> Any:
        if key not in self.settings or self.settings[key] in (None, ""):
            raise SunshineError(f"sources.yaml: system '{self.system}' needs '{key}'")
        return self.settings[key]


class _Settings(BaseModel):
    # A misspelt key must not be dropped: `foldr:` would leave a system without a
    # folder and the night would skip it without a word.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DatabaseSettings(_Settings):
    url: str | None = None
    database: str | None = None
    # `schema` is a name BaseModel already uses.
    schema_name: str | None = Field(default=None, alias="schema")
    lookback_days: int | None = Field(default=None, ge=0)


class FileDropSettings(_Settings):
    folder: str | None = None


class ApiSettings(_Settings):
    base_url: str | None = None
    token: str | None = None
    api_key: str | None = None
    store: str | None = None
    lookback_days: int | None = Field(default=None, ge=0)
    retry_attempts: int | None = Field(default=None, ge=1)
    retry_base_seconds: float | None = Field(default=None, ge=0)
    retry_max_wait_seconds: float | None = Field(default=None, ge=0)


SETTINGS_BY_TRANSPORT: dict[str, type[_Settings]] = {
    "database": DatabaseSettings,
    "file_drop": FileDropSettings,
    "http_json_api": ApiSettings,
}
TOP_LEVEL_KEYS = ("env_file", "systems")


def _nearest(name: str, known: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _validated(path: Path, system: str, settings: Any) -> dict[str, Any]:
    """The system's settings checked against its transport's model, as a plain dict."""
    from sunshine.contracts import SYSTEMS

    where = f"{path}: systems.{system}"
    if system not in SYSTEMS:
        raise SunshineError(f"{path}: unknown system '{system}'{_nearest(system, tuple(SYSTEMS))}")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise SunshineError(f"{where} must be a mapping of settings, got {_kind(settings)}")
    model = SETTINGS_BY_TRANSPORT[SYSTEMS[system].transport.kind]
    known = tuple(f.alias or name for name, f in model.model_fields.items())
    for key in settings:
        if key not in known:
            raise SunshineError(f"{where}: unknown setting '{key}'{_nearest(key, known)}")
    try:
        checked = model.model_validate(settings)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise SunshineError(f"{where}.{key}: {error['msg']}") from None
    return checked.model_dump(by_alias=True, exclude_unset=True)


def absent_systems(sources: dict[str, SourceConfig]) -> list[str]:
    """Contract systems sources.yaml does not list: the night skips them, and says so."""
    from sunshine.contracts import SYSTEMS

    return [code for code in SYSTEMS if code not in sources]


def default_sources_file() -> Path:
    from sunshine.paths import sources_dir

    return current_settings().sources_file or sources_dir() / "sources.yaml"


def _resolve(value: Any, where: str) -> Any:
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            # The deployment's own credential, whatever its name: not an unknown setting.
            declare_external(name)
            if name not in os.environ:
                raise SunshineError(f"{where} refers to ${{{name}}}, which is not set")
            return os.environ[name]

        return _VAR.sub(substitute, value)
    if isinstance(value, dict):
        return {k: _resolve(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, where) for v in value]
    return value


def load_env_file(path: Path) -> None:
    """Set the file's KEY=value variables that the environment does not already have."""
    if not path.exists():
        raise SunshineError(f"{path} (the env_file of sources.yaml) does not exist")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SunshineError(f"{path}, line {number}: expected KEY=value")
        declare_external(key.strip())
        os.environ.setdefault(key.strip(), value.strip())


def _absolute_paths(settings: dict[str, Any], base: Path) -> dict[str, Any]:
    return {
        key: str((base / value).resolve()) if key in PATH_SETTINGS and value else value
        for key, value in settings.items()
    }


def load_sources(path: Path | None = None) -> dict[str, SourceConfig]:
    """Read sources.yaml; a missing or malformed file is a one-line error."""
    path = path or default_sources_file()
    if not path.exists():
        raise SunshineError(
            f"no sources file at {path}: create the sources (e.g. `sunshine demo` or "
            f"`sunshine simulate`) or set {SOURCES_FILE_ENV}"
        )
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SunshineError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SunshineError(f"{path} must be a mapping with 'systems:', got {_kind(document)}")
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            raise SunshineError(f"{path}: unknown key '{key}'{_nearest(key, TOP_LEVEL_KEYS)}")
    systems = document.get("systems")
    if systems is None:
        raise SunshineError(f"{path} has no 'systems:' mapping")
    if not isinstance(systems, dict):
        raise SunshineError(f"{path}: 'systems' must be a mapping, got {_kind(systems)}")
    if document.get("env_file"):
        load_env_file(path.parent / str(document["env_file"]))
    return {
        name: SourceConfig(
            name,
            _absolute_paths(
                _validated(path, name, _resolve(settings, f"{path.name}: systems.{name}")),
                path.parent,
            ),
        )
        for name, settings in systems.items()
    }
