"""Small jobs that run INSIDE Superset's environment (envs/superset/.venv/bin/python).

Run as `python -P in_superset.py admin`, `... import BUNDLE.zip` or `... access`, with the
environment set by sunshine.superset.environment.superset_env(). The `sunshine`
package is not installed there: of it, this imports sunshine.settings only (through the
project folder put on sys.path below; pydantic-settings is in that environment). It
prints one line on failure and exits with status 1.

- `admin`: create the admin user named by SUNSHINE_SUPERSET_ADMIN_USER with the
  password in SUNSHINE_SUPERSET_ADMIN_PASSWORD if missing, or reset its password when
  it differs. Same as `superset fab create-admin`, but the password never appears on
  a command line and an existing user is brought in line.
- `import`: import an export bundle, overwriting what exists. `superset
  import-dashboards` overwrites only the dashboard: ImportDashboardsCommand imports
  its databases, datasets and charts with overwrite=False, so a new warehouse URL or
  an edited chart would never reach Superset. So we run Superset's own v1 import
  commands for each asset type in turn, each with overwrite=True.
- `access`: roles, users and row-level security filters as described by the JSON in
  SUNSHINE_SUPERSET_ACCESS (built by sunshine/superset/access.py): each role gets
  exactly its datasets' `datasource_access`, each user exactly its roles and password,
  and district roles and filters no longer described are removed.
"""

from __future__ import annotations

import json
import os
import sys
from zipfile import ZipFile

import yaml

# The project folder (two above this file's), last on sys.path: for sunshine.settings.
_PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _PROJECT not in sys.path:
    sys.path.append(_PROJECT)

from sunshine.settings import current_settings, secret  # noqa: E402

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

    settings = current_settings()
    username = settings.superset_admin_user
    password = secret(settings.superset_admin_password)
    if not password:
        raise RuntimeError("SUNSHINE_SUPERSET_ADMIN_PASSWORD is not set")
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

    username = current_settings().superset_admin_user
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


def _dataset_permissions(sm, uuids: list[str]) -> list:
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    tables = {str(table.uuid): table for table in db.session.query(SqlaTable)}
    missing = [uuid for uuid in uuids if uuid not in tables]
    if missing:
        raise RuntimeError(f"datasets {', '.join(missing)} are not imported: import first")
    return [
        sm.find_permission_view_menu("datasource_access", tables[uuid].perm)
        or sm.add_permission_view_menu("datasource_access", tables[uuid].perm)
        for uuid in uuids
    ]


def _set_user(sm, spec: dict, roles: list) -> str:
    from werkzeug.security import check_password_hash

    user = sm.find_user(username=spec["username"])
    if user is None:
        user = sm.add_user(
            spec["username"],
            spec["first_name"],
            spec["last_name"],
            spec["email"],
            roles,
            password=spec["password"],
        )
        if not user:
            raise RuntimeError(f"could not create the Superset user {spec['username']!r}")
        return "created"
    user.roles = roles
    user.active = True
    if not check_password_hash(user.password, spec["password"]):
        sm.reset_password(user.id, spec["password"])
    return "updated"


def apply_access(spec: dict) -> str:
    from superset import db
    from superset import security_manager as sm
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.utils.core import RowLevelSecurityFilterType

    for name, uuids in spec["roles"].items():
        role = sm.find_role(name) or sm.add_role(name)
        role.permissions = _dataset_permissions(sm, uuids)

    # District roles and their RLS filters: drop every managed one, recreate the wanted.
    for old in db.session.query(RowLevelSecurityFilter).filter(
        RowLevelSecurityFilter.name.startswith(spec["rls_prefix"])
    ):
        db.session.delete(old)
    wanted_roles = {f["role"] for f in spec["district_filters"]}
    for role in db.session.query(sm.role_model).filter(
        sm.role_model.name.startswith(spec["district_role_prefix"])
    ):
        if role.name not in wanted_roles:
            db.session.delete(role)
    db.session.flush()
    tables = {str(table.uuid): table for table in db.session.query(SqlaTable)}
    for flt in spec["district_filters"]:
        role = sm.find_role(flt["role"]) or sm.add_role(flt["role"])
        db.session.add(
            RowLevelSecurityFilter(
                name=flt["name"],
                description="Managed by sunshine (SUNSHINE_SUPERSET_AUDITOR_DISTRICTS).",
                filter_type=RowLevelSecurityFilterType.REGULAR,
                group_key="district",
                clause=flt["clause"],
                roles=[role],
                tables=[tables[uuid] for uuid in flt["datasets"]],
            )
        )

    done = []
    for user in spec["users"]:
        roles = [sm.find_role(name) for name in user["roles"]]
        if None in roles:
            raise RuntimeError(f"user {user['username']}: a role of {user['roles']} is missing")
        done.append(f"{_set_user(sm, user, roles)} {user['username']}")
    db.session.commit()
    districts = sorted(
        f["role"].removeprefix(spec["district_role_prefix"]) for f in spec["district_filters"]
    )
    limited = f" (districts {', '.join(dict.fromkeys(districts))})" if districts else ""
    return f"users: {', '.join(done)}{limited}"


def main(argv: list[str]) -> int:
    jobs = {"admin": 1, "import": 2, "access": 1}
    if not argv or jobs.get(argv[0]) != len(argv):
        print("usage: in_superset.py admin | import BUNDLE.zip | access", file=sys.stderr)
        return 2
    from superset.app import create_app

    app = create_app()
    try:
        with app.app_context():
            if argv[0] == "admin":
                message = ensure_admin()
            elif argv[0] == "import":
                message = import_bundle(argv[1])
            else:
                access = current_settings().superset_access
                if access is None:
                    raise RuntimeError("SUNSHINE_SUPERSET_ACCESS is not set")
                message = apply_access(json.loads(access))
    except Exception as exc:  # one line for the caller to show
        print(f"{ERROR_MARK}{exc}".replace("\n", " "), file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
