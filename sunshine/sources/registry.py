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

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sunshine.errors import SunshineError

SOURCES_FILE_ENV = "SUNSHINE_SOURCES_FILE"
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


def default_sources_file() -> Path:
    from sunshine.paths import sources_dir

    return Path(os.environ.get(SOURCES_FILE_ENV, sources_dir() / "sources.yaml"))


def _resolve(value: Any, where: str) -> Any:
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
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
    systems = document.get("systems")
    if not isinstance(systems, dict):
        raise SunshineError(f"{path} has no 'systems:' mapping")
    if document.get("env_file"):
        load_env_file(path.parent / document["env_file"])
    return {
        name: SourceConfig(
            name,
            _absolute_paths(_resolve(settings or {}, f"{path.name}: systems.{name}"), path.parent),
        )
        for name, settings in systems.items()
    }
