"""docker-compose.yml, docker/ and .env.example, checked without a Docker engine.

The compose file must stay true to the code: its Airflow services get the environment
`sunshine.orchestrate.runner.airflow_environment()` gives a laptop run, one warehouse URL
feeds every part, every secret is required from the environment, and the images copy
files that exist. `config -q` runs only where a compose binary is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from sqlalchemy.engine import make_url

from sunshine.paths import DAGS_DIR, PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
AIRFLOW_DOCKERFILE = PROJECT_ROOT / "docker" / "airflow.Dockerfile"
SUPERSET_DOCKERFILE = PROJECT_ROOT / "docker" / "superset.Dockerfile"
SUPERSET_ENTRYPOINT = PROJECT_ROOT / "docker" / "superset-entrypoint.sh"
# Where the images put the repository (WORKDIR of both Dockerfiles).
IMAGE_ROOT = "/opt/sunshine"

AIRFLOW_SERVICES = (
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
)
SERVICES = ("warehouse", "airflow-metadata", *AIRFLOW_SERVICES, "superset")

# Keys of airflow_environment() that docker-compose.yml leaves out, and why.
NOT_IN_COMPOSE = {
    "AIRFLOW_HOME": "a folder under the laptop's state dir; the image sets its own",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER": (
        "under that AIRFLOW_HOME; in the image Airflow's default, AIRFLOW_HOME/logs, "
        "is the logs volume the services share"
    ),
    "SUNSHINE_RETRY_DELAY_SECONDS": (
        "short on a laptop because a person waits for the run; a deployment keeps the "
        "delays the DAGs set"
    ),
}
# Keys compose sets to values of its own: checked apart, below.
OWN_VALUES = {
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "SQLite for `airflow dags test`; Postgres here",
    "AIRFLOW__CORE__DAGS_FOLDER": "the dags/ folder inside the image",
    "SUNSHINE_SOURCES_FILE": "a file in the mounted sources folder",
}
# Keys derived from the warehouse URL: checked for agreement with each other.
URL_KEYS = (
    "AIRFLOW_CONN_SUNSHINE_WAREHOUSE",
    "SUNSHINE_WAREHOUSE_URL",
    "SUNSHINE_DB_HOST",
    "SUNSHINE_DB_PORT",
    "SUNSHINE_DB_USER",
    "SUNSHINE_DB_PASSWORD",
    "SUNSHINE_DB_NAME",
)

_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)
_SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|_KEY$|TOKEN")
_REQUIRED_ONLY = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}")


# ---------------------------------------------------------------- helpers


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def compose() -> dict[str, Any]:
    """The compose file as parsed, anchors and merge keys resolved, not interpolated."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$ on parsed YAML."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = env.get(name)
        unset = current is None or (current == "" and op in (":-", ":?"))
        if op in ("?", ":?") and unset:
            raise LookupError(f"{name}: {arg}")
        if op in ("-", ":-") and unset:
            return arg
        return current or ""

    return _VARIABLE.sub(substitute, value)


def resolved() -> dict[str, Any]:
    return interpolate(compose(), env_example())


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def laptop_environment() -> dict[str, str]:
    """airflow_environment() for a sample URL, with nothing inherited from this process."""
    from sunshine.orchestrate.runner import airflow_environment

    with mock.patch.dict(os.environ, {}, clear=True):
        return airflow_environment(url="postgresql://u:p@h:5432/d", sources_file=Path("/x"))


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def dockerfile_copies(dockerfile: Path) -> list[str]:
    """The build-context paths a Dockerfile's COPY instructions read."""
    sources = []
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].upper() != "COPY":
            continue
        args = [word for word in words[1:] if not word.startswith("--")]
        assert not any(word.startswith("--from") for word in words), line
        sources += args[:-1]
    return sources


# ---------------------------------------------------------------- compose binary


def _run_compose(command: list[str], env_file: Path) -> subprocess.CompletedProcess[str]:
    # Only PATH and HOME from this process: the values come from env_file, as from .env.
    env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    return subprocess.run(
        [
            *command,
            "--project-directory",
            str(PROJECT_ROOT),
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            "config",
            "-q",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_accepts_the_file_with_env_example_and_refuses_a_missing_secret(
    tmp_path: Path,
) -> None:
    command = compose_command()
    if command is None:
        pytest.skip("neither docker-compose (v1) nor `docker compose` (v2) is installed")
    result = _run_compose(command, ENV_EXAMPLE)
    assert result.returncode == 0, result.stderr + result.stdout

    without = tmp_path / "env"
    without.write_text(
        "".join(
            line + "\n"
            for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
            if not line.startswith("SUNSHINE_WAREHOUSE_PASSWORD=")
        )
    )
    result = _run_compose(command, without)
    assert result.returncode != 0
    assert "SUNSHINE_WAREHOUSE_PASSWORD" in result.stderr + result.stdout


# ---------------------------------------------------------------- structure


def test_every_service_is_there() -> None:
    services = compose()["services"]
    assert "version" not in compose(), "the Compose spec has no version key"
    assert set(SERVICES) <= set(services), sorted(set(SERVICES) - set(services))


def test_airflow_services_share_one_image_and_environment() -> None:
    document = compose()
    common = document["x-airflow-common"]
    for name in AIRFLOW_SERVICES:
        service = document["services"][name]
        assert service["image"] == common["image"], name
        assert service["build"] == common["build"], name
        assert service["volumes"] == common["volumes"], name
        assert "entrypoint" not in service, f"{name} would skip docker/airflow-entrypoint.sh"
        env = environment(service)
        for key, value in environment(common).items():
            assert env.get(key) == value, f"{name}: {key}"
    assert common["build"] == {"context": ".", "dockerfile": "docker/airflow.Dockerfile"}


def test_airflow_services_get_what_airflow_environment_gives_a_laptop_run() -> None:
    laptop = laptop_environment()
    assert set(NOT_IN_COMPOSE) <= set(laptop), "an exclusion names a key the runner dropped"
    assert set(OWN_VALUES) <= set(laptop), "a key checked apart is no longer the runner's"
    expected = set(laptop) - set(NOT_IN_COMPOSE)
    services = resolved()["services"]
    for name in AIRFLOW_SERVICES:
        env = environment(services[name])
        assert expected <= set(env), f"{name} lacks {sorted(expected - set(env))}"
        assert not set(NOT_IN_COMPOSE) & set(env), name
        for key in expected - set(OWN_VALUES) - set(URL_KEYS):
            assert env[key] == laptop[key], f"{name}: {key}={env[key]!r}, runner: {laptop[key]!r}"
        dags = f"{IMAGE_ROOT}/{DAGS_DIR.relative_to(PROJECT_ROOT).as_posix()}"
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == dags, name
        assert make_url(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).host == "airflow-metadata"
        mounts = [volume.split(":")[1] for volume in services[name]["volumes"]]
        sources = Path(env["SUNSHINE_SOURCES_FILE"])
        assert any(sources.parent == Path(mount) for mount in mounts), (name, mounts)
        # sunshine.paths.state_dir(): writable (the code in the image is not) and kept.
        assert env["SUNSHINE_HOME"] in mounts, name


def test_airflow_runs_fewer_tasks_at_once_than_the_api_server_has_connections() -> None:
    # Each task start holds one of the api-server's metadata connections (pool 5 +
    # overflow 10, Airflow's defaults): past that, starts wait 30 s and fail.
    env = environment(resolved()["x-airflow-common"])
    pool = int(env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE", 5)) + int(
        env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_MAX_OVERFLOW", 10)
    )
    assert int(env.get("AIRFLOW__CORE__PARALLELISM", 32)) < pool


def test_one_warehouse_url_for_airflow_dbt_and_superset() -> None:
    from sunshine.dbt import dbt_environment

    # Values unlike the defaults, so a hard-coded user or database shows.
    env = {
        **env_example(),
        "SUNSHINE_WAREHOUSE_USER": "someone",
        "SUNSHINE_WAREHOUSE_DB": "elsewhere",
    }
    services = interpolate(compose(), env)["services"]
    warehouse = environment(services["warehouse"])
    superset = make_url(environment(services["superset"])["SUNSHINE_WAREHOUSE_SERVER_URL"])
    assert (superset.host, superset.port) == ("warehouse", 5432)
    assert superset.database == warehouse["POSTGRES_DB"]
    for name in AIRFLOW_SERVICES:
        env = environment(services[name])
        url = env["SUNSHINE_WAREHOUSE_URL"]
        parsed = make_url(url)
        assert (parsed.host, parsed.port) == ("warehouse", 5432), name
        assert parsed.username == warehouse["POSTGRES_USER"], name
        assert parsed.password == warehouse["POSTGRES_PASSWORD"], name
        assert parsed.database == warehouse["POSTGRES_DB"], name
        assert env["AIRFLOW_CONN_SUNSHINE_WAREHOUSE"] == url, name
        assert {key: env[key] for key in dbt_environment(url)} == dbt_environment(url), name
    metadata = environment(services["airflow-metadata"])
    for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"):
        parsed = make_url(environment(services["airflow-scheduler"])[key])
        assert parsed.username == metadata["POSTGRES_USER"], key
        assert parsed.password == metadata["POSTGRES_PASSWORD"], key
        assert parsed.database == metadata["POSTGRES_DB"], key


def strings(value: Any) -> list[str]:
    """Every string value of the parsed file: what compose interpolates (not comments)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def variables(document: dict[str, Any]) -> list[re.Match[str]]:
    return [
        match
        for text in strings(document)
        for match in _VARIABLE.finditer(text)
        if match.group("name")
    ]


def test_env_example_lists_exactly_the_variables_compose_reads() -> None:
    used = {match.group("name") for match in variables(compose())}
    listed = set(env_example())
    assert used <= listed, f"not in .env.example: {sorted(used - listed)}"
    assert listed <= used, f"in .env.example but unused: {sorted(listed - used)}"
    resolved()  # every required variable has a value there


def test_no_secret_is_written_in_compose_and_env_example_holds_placeholders() -> None:
    required = set()
    for match in variables(compose()):
        name, op = match.group("name", "op")
        if _SECRET_NAME.search(name):
            assert op == ":?", f"secret ${{{name}}} must be required, not {match.group(0)}"
        if op == ":?":
            required.add(name)
    # Each variable replaced by its own name: a URL's password must be a required one.
    named = interpolate(compose(), {name: f"var-{name}" for name in env_example()})
    for service_name, service in compose()["services"].items():
        for key, value in environment(service).items():
            where = f"{service_name}: {key}"
            if _SECRET_NAME.search(key) and not key.endswith("_FILE"):
                assert _REQUIRED_ONLY.fullmatch(value), f"{where} is not a ${{VAR:?...}}"
            value = environment(named["services"][service_name])[key]
            if "://" in value and "@" in value:
                password = make_url(value).password
                assert password in {f"var-{name}" for name in required}, f"{where}: {password}"
    for name, value in env_example().items():
        if name in required:
            assert value.startswith("replace-me"), f".env.example: {name} looks real"


def test_published_ports_are_on_loopback_only() -> None:
    for name, service in resolved()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to every host"


def test_dockerfiles_copy_files_that_exist_and_send_them_in_the_build_context() -> None:
    for dockerfile in (AIRFLOW_DOCKERFILE, SUPERSET_DOCKERFILE):
        ignore = dockerfile.with_name(dockerfile.name + ".dockerignore").read_text()
        included = [line[1:].rstrip("/") for line in ignore.splitlines() if line.startswith("!")]
        for source in dockerfile_copies(dockerfile):
            assert (PROJECT_ROOT / source).exists(), f"{dockerfile.name}: COPY {source}"
            path = source.rstrip("/")
            assert any(path == inc or path.startswith(inc + "/") for inc in included), (
                f"{dockerfile.name}: {source} is left out of the build context by its .dockerignore"
            )


def test_airflow_image_installs_the_locked_project_in_place_with_the_dbt_manifest() -> None:
    text = AIRFLOW_DOCKERFILE.read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in text
    assert "uv sync --frozen --no-dev" in text
    # sunshine/paths.py finds dags/ and dbt_project/ beside the package: editable only.
    assert "--no-editable" not in text
    assert re.search(r"^WORKDIR /opt/sunshine$", text, re.M)
    assert re.search(r"^RUN dbt parse .*--project-dir dbt_project", text, re.M)
    copied = set(dockerfile_copies(AIRFLOW_DOCKERFILE))
    for needed in ("sunshine/", "dags/", "dbt_project/", "expectations/", "uv.lock"):
        assert needed in copied, needed


def test_superset_runs_from_its_own_locked_environment() -> None:
    from sunshine.superset.environment import BIN_DIR, CONFIG_FILE

    superset = compose()["services"]["superset"]
    assert superset["build"] == {"context": ".", "dockerfile": "docker/superset.Dockerfile"}
    assert superset["image"] != compose()["x-airflow-common"]["image"]
    text = SUPERSET_DOCKERFILE.read_text(encoding="utf-8")
    assert "envs/superset/uv.lock" in dockerfile_copies(SUPERSET_DOCKERFILE)
    assert re.search(r"^RUN uv sync --frozen --project envs/superset$", text, re.M)
    in_image = f"{IMAGE_ROOT}/{BIN_DIR.relative_to(PROJECT_ROOT).as_posix()}"
    assert re.search(rf"PATH={re.escape(in_image)}:", text), in_image
    config = f"{IMAGE_ROOT}/{CONFIG_FILE.relative_to(PROJECT_ROOT).as_posix()}"
    assert f"SUPERSET_CONFIG_PATH={config}" in text
    env = environment(superset)
    for key in ("SUNSHINE_SUPERSET_SECRET_KEY", "SUNSHINE_SUPERSET_ADMIN_PASSWORD"):
        assert key in env, key


def test_superset_entrypoint_sets_up_imports_and_serves_like_the_cli() -> None:
    from sunshine.superset import bootstrap
    from sunshine.superset.server import THREADS, WORKERS

    text = SUPERSET_ENTRYPOINT.read_text(encoding="utf-8")
    in_superset = f"{IMAGE_ROOT}/{bootstrap.IN_SUPERSET.relative_to(PROJECT_ROOT).as_posix()}"
    assert f"IN_SUPERSET={in_superset}" in text
    # bootstrap.setup()'s order: the admin user needs the Admin role `superset init` makes.
    steps = [
        "superset db upgrade",
        "superset init",
        '"$IN_SUPERSET" admin',
        '"$IN_SUPERSET" import',
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions), steps
    assert "render_bundle_as_logins(" in text
    assert f"--workers {WORKERS} " in text and f"--threads {THREADS} " in text
    assert '"superset.app:create_app()"' in text
    assert "--bind 0.0.0.0:8088" in text


SECRETS_FROM_FILES = PROJECT_ROOT / "docker" / "secrets-from-files.sh"
AIRFLOW_ENTRYPOINT = PROJECT_ROOT / "docker" / "airflow-entrypoint.sh"
SHOW = (
    'echo "[$SUNSHINE_SUPERSET_ADMIN_PASSWORD] [${SUNSHINE_SUPERSET_ADMIN_PASSWORD_FILE:-}]'
    ' [$SUNSHINE_SOURCES_FILE]"'
)


def _entrypoint(script: Path, env: dict[str, str], *command: str):
    """Run an entrypoint with sh, the secrets script from the repository."""
    return subprocess.run(
        ["sh", str(script), *command],
        env={"PATH": os.environ["PATH"], "SUNSHINE_SECRETS_FROM_FILES": str(SECRETS_FROM_FILES),
             **env},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip


def test_production_posture_fab_auth_rate_limited_logins_secrets_from_files(tmp_path) -> None:
    import tomllib

    # Airflow: the FAB auth manager, installed from the lock, its admin made at init.
    document = compose()
    for name in AIRFLOW_SERVICES:
        manager = environment(document["services"][name])["AIRFLOW__CORE__AUTH_MANAGER"]
        assert manager.endswith("fab_auth_manager.FabAuthManager"), (name, manager)
    assert "SIMPLE_AUTH" not in COMPOSE_FILE.read_text(encoding="utf-8")
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["production"]
    assert any(spec.startswith("apache-airflow-providers-fab") for spec in extra), extra
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    assert "apache-airflow-providers-fab" in {p["name"] for p in lock["package"]}
    syncs = re.findall(r"^RUN uv sync .*$", AIRFLOW_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert syncs and all("--extra production" in line for line in syncs), syncs
    init = document["services"]["airflow-init"]
    assert init["command"] == ["sunshine-airflow-init"]
    assert "SUNSHINE_AIRFLOW_ADMIN_PASSWORD" in environment(init)

    # Superset: logins rate limited, as Superset itself reads its configuration.
    from sunshine.superset.environment import CONFIG_FILE, PYTHON_BIN

    probe = subprocess.run(
        [str(PYTHON_BIN), "-P", "-c",
         "import importlib.util as u, sys; s = u.spec_from_file_location('c', sys.argv[1]); "
         "m = u.module_from_spec(s); s.loader.exec_module(m); "
         "print(m.RATELIMIT_ENABLED, m.AUTH_RATE_LIMITED, m.AUTH_RATE_LIMIT)", str(CONFIG_FILE)],
        env={"PATH": os.environ["PATH"], "SUPERSET_HOME": str(tmp_path),
             "SUNSHINE_SUPERSET_SECRET_KEY": "test-only"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.split() == ["True", "True", "20", "per", "minute"], probe.stdout

    # Secrets from files: NAME_FILE becomes NAME, in both images' entrypoints.
    secret = tmp_path / "secret"
    secret.write_text("s3cret value\n")
    for script in (AIRFLOW_ENTRYPOINT, SUPERSET_ENTRYPOINT):
        assert '. "${SUNSHINE_SECRETS_FROM_FILES:-' in script.read_text(encoding="utf-8")
    read = _entrypoint(
        AIRFLOW_ENTRYPOINT,
        {"SUNSHINE_SUPERSET_ADMIN_PASSWORD_FILE": str(secret),
         "SUNSHINE_SOURCES_FILE": "/sources/sources.yaml"},
        "sh", "-c", SHOW,
    )  # fmt: skip
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "[s3cret value] [] [/sources/sources.yaml]"
    both = _entrypoint(
        SUPERSET_ENTRYPOINT,
        {"SUNSHINE_WAREHOUSE_URL_FILE": str(secret), "SUNSHINE_WAREHOUSE_URL": "x"},
    )
    assert both.returncode == 1
    assert both.stderr.strip() == (
        "error: both SUNSHINE_WAREHOUSE_URL and SUNSHINE_WAREHOUSE_URL_FILE are set: keep one"
    )
    missing = _entrypoint(AIRFLOW_ENTRYPOINT, {"X_KEY_FILE": str(tmp_path / "none")}, "true")
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"error: X_KEY_FILE={tmp_path / 'none'} is not a readable file"


def test_superset_never_holds_the_warehouse_owners_login() -> None:
    """Superset's container gets the server and its own logins' passwords, never the
    owner's; a one-shot job, as the owner, makes those logins before Superset starts."""
    services = interpolate(compose(), env_example())["services"]
    owner = environment(services["warehouse"])["POSTGRES_PASSWORD"]
    superset = environment(services["superset"])
    assert owner not in " ".join(superset.values())
    assert make_url(superset["SUNSHINE_WAREHOUSE_SERVER_URL"]).username is None
    logins = services["warehouse-logins"]
    assert logins["command"] == ["sunshine", "superset", "logins"]
    assert services["superset"]["depends_on"]["warehouse-logins"] == {
        "condition": "service_completed_successfully"
    }
    for key in (
        "SUNSHINE_SUPERSET_READER_DB_PASSWORD",
        "SUNSHINE_SUPERSET_COMMISSION_DB_PASSWORD",
        "SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD",
    ):
        assert environment(logins)[key] == superset[key], key


def test_superset_image_renders_each_connection_with_its_own_login(tmp_path) -> None:
    """The entrypoint's rendering step, run in Superset's own environment (as the image
    runs it): each connection with its login, no owner anywhere."""
    import zipfile

    snippet = SUPERSET_ENTRYPOINT.read_text(encoding="utf-8")
    code = re.search(r"python -c '\n(.*?)\n' \"\$bundle_dir", snippet, re.S).group(1)
    python = PROJECT_ROOT / "envs" / "superset" / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip("Superset's environment is not set up (make env)")
    zip_path = tmp_path / "bundle.zip"
    result = subprocess.run(
        [str(python), "-c", code, str(zip_path)],
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(PROJECT_ROOT),
            "SUPERSET_HOME": str(tmp_path),
            "SUNSHINE_HOME": str(tmp_path),
            "SUNSHINE_WAREHOUSE_SERVER_URL": "postgresql://warehouse:5432/sunshine",
            "SUNSHINE_SUPERSET_READER_DB_PASSWORD": "reader-pw",
            "SUNSHINE_SUPERSET_COMMISSION_DB_PASSWORD": "commission-pw",
            "SUNSHINE_SUPERSET_AUDITOR_DB_PASSWORD": "auditor-pw",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with zipfile.ZipFile(zip_path) as bundle:
        uris = {
            Path(name).stem: yaml.safe_load(bundle.read(name))["sqlalchemy_uri"]
            for name in bundle.namelist()
            if "/databases/" in name
        }
    assert uris == {
        "Sunshine_Personal_Data": (
            "postgresql+psycopg2://sunshine_superset_commission:commission-pw@warehouse:5432/sunshine"
        ),
        "Sunshine_Warehouse": (
            "postgresql+psycopg2://sunshine_superset_reader:reader-pw@warehouse:5432/sunshine"
        ),
    }
