"""Small jobs that run INSIDE Superset's environment (envs/superset/.venv/bin/python).

Run as `python -P in_superset.py admin` or `... import BUNDLE.zip`, with the
environment set by sunshine.superset.environment.superset_env(). It imports nothing
from `sunshine` (that package is not installed there); it prints one line on failure
and exits with status 1.

- `admin`: create the admin user named by SUNSHINE_SUPERSET_ADMIN_USER with the
  password in SUNSHINE_SUPERSET_ADMIN_PASSWORD if missing, or reset its password when
  it differs. Same as `superset fab create-admin`, but the password never appears on
  a command line and an existing user is brought in line.
- `import`: import an export bundle, overwriting what exists. `superset
  import-dashboards` overwrites only the dashboard: ImportDashboardsCommand imports
  its databases, datasets and charts with overwrite=False, so a new warehouse URL or
  an edited chart would never reach Superset. So we run Superset's own v1 import
  commands for each asset type in turn, each with overwrite=True.
"""

from __future__ import annotations

import os
import sys
from zipfile import ZipFile

import yaml

# Marks the one line the caller shows when a job fails.
ERROR_MARK = "SUNSHINE-ERROR: "
# (v1 import command, the `type` its metadata.yaml must declare)
IMPORT_STEPS = (
    ("superset.commands.database.importers.v1:ImportDatabasesCommand", "Database"),
    ("superset.commands.dataset.importers.v1:ImportDatasetsCommand", "SqlaTable"),
    ("superset.commands.chart.importers.v1:ImportChartsCommand", "Slice"),
    ("superset.commands.dashboard.importers.v1:ImportDashboardsCommand", "Dashboard"),
)


def _load(target: str):
    module_name, name = target.split(":")
    module = __import__(module_name, fromlist=[name])
    return getattr(module, name)


def ensure_admin() -> str:
    from superset import security_manager as sm
    from werkzeug.security import check_password_hash

    username = os.environ["SUNSHINE_SUPERSET_ADMIN_USER"]
    password = os.environ["SUNSHINE_SUPERSET_ADMIN_PASSWORD"]
    user = sm.find_user(username=username)
    if user is None:
        role = sm.find_role(sm.auth_role_admin)
        created = sm.add_user(
            username, "Sunshine", "Admin", f"{username}@localhost", role, password=password
        )
        if not created:
            raise RuntimeError(f"could not create the Superset user {username!r}")
        return f"created admin user {username}"
    if not check_password_hash(user.password, password):
        sm.reset_password(user.id, password)
        return f"reset the password of {username}"
    return f"admin user {username} exists"


def import_bundle(path: str) -> str:
    from superset import security_manager
    from superset.commands.exceptions import CommandInvalidError
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.utils.core import override_user

    username = os.environ["SUNSHINE_SUPERSET_ADMIN_USER"]
    user = security_manager.find_user(username=username)
    if user is None:
        raise RuntimeError(f"no Superset user {username!r}: run `sunshine superset setup`")
    with ZipFile(path) as bundle:
        contents = get_contents_from_bundle(bundle)
    metadata = yaml.safe_load(contents["metadata.yaml"])

    def step_contents(type_: str) -> dict[str, str]:
        return {**contents, "metadata.yaml": yaml.safe_dump({**metadata, "type": type_})}

    with override_user(user):
        # Validate every file first (the dashboard command reads all four kinds), so a
        # broken bundle changes nothing rather than half of what is in Superset.
        dashboards_target, dashboards_type = IMPORT_STEPS[-1]
        try:
            _load(dashboards_target)(step_contents(dashboards_type), overwrite=True).validate()
        except CommandInvalidError as exc:
            raise RuntimeError(f"invalid bundle: {exc.normalized_messages()}") from exc
        for target, type_ in IMPORT_STEPS:
            command = _load(target)
            try:
                command(step_contents(type_), overwrite=True).run()
            except CommandInvalidError as exc:
                raise RuntimeError(f"{command.__name__}: {exc.normalized_messages()}") from exc
            except Exception as exc:
                cause = exc.__cause__ or exc
                raise RuntimeError(
                    f"{command.__name__}: {type(cause).__name__}: {cause}".replace("\n", " ")
                ) from exc
    names = sorted(name.split("/")[0] for name in contents if "/" in name)
    counts = {kind: names.count(kind) for kind in dict.fromkeys(names)}
    return "imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"admin", "import"} or (argv[0] == "import") != (len(argv) == 2):
        print("usage: in_superset.py admin | import BUNDLE.zip", file=sys.stderr)
        return 2
    from superset.app import create_app

    app = create_app()
    try:
        with app.app_context():
            message = ensure_admin() if argv[0] == "admin" else import_bundle(argv[1])
    except Exception as exc:  # one line for the caller to show
        print(f"{ERROR_MARK}{exc}".replace("\n", " "), file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
