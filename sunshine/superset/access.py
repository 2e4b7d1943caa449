"""Who sees what in Superset: roles, their datasets, the dashboard users, district RLS.

- `Sunshine Auditor`: read access to every dataset the dashboards use. Personal data
  reaches an auditor masked, enforced by the warehouse: the personal-data connection
  logs an auditor in as a member of `sunshine_auditor`, which reads only the masked
  views (see logins.py, superset_config.py).
- `Sunshine Commission`: the same datasets; the personal-data connection logs its
  members in as a member of `sunshine_commission` and reads the marts whole.
- `Sunshine Auditor <district>`: one role per district an auditor is limited to, each
  with a row-level security filter `district_code = '<district>'` on every dataset that
  has a district (filters of one group_key are OR-ed: two districts show both).

Users (admin aside) come from the environment (credentials.py); each also gets
Superset's `Gamma` role, which lets a user read dashboards and charts but grants no
data and no SQL Lab. `apply_access()` makes Superset match this description exactly:
roles get exactly these datasets, users exactly these roles, and district roles and
filters no longer configured are removed.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sunshine.settings import env_name
from sunshine.superset.assets import DASHBOARDS
from sunshine.superset.assets.model import Dataset
from sunshine.superset.credentials import (
    Credentials,
    auditor_credentials,
    auditor_districts,
    commission_credentials,
)

AUDITOR_ROLE = "Sunshine Auditor"
# superset_config.py repeats this name (it cannot import sunshine): keep them equal.
COMMISSION_ROLE = "Sunshine Commission"
DISTRICT_ROLE_PREFIX = "Sunshine Auditor "
RLS_PREFIX = "Sunshine district "
ACCESS_ENV = env_name("superset_access")


def dashboard_datasets() -> list[Dataset]:
    seen: dict[str, Dataset] = {}
    for dashboard in DASHBOARDS:
        for chart in dashboard.charts:
            seen.setdefault(chart.dataset.uid, chart.dataset)
        for native_filter in dashboard.filters:
            seen.setdefault(native_filter.dataset.uid, native_filter.dataset)
    return list(seen.values())


def district_filters(districts: tuple[str, ...]) -> list[dict]:
    """One RLS filter per district and district column, with the datasets it covers."""
    by_column: dict[str, list[str]] = defaultdict(list)
    for dataset in dashboard_datasets():
        if dataset.district_column:
            by_column[dataset.district_column].append(dataset.uid)
    return [
        {
            "name": f"{RLS_PREFIX}{code}" + ("" if column == "district_code" else f" {column}"),
            "role": f"{DISTRICT_ROLE_PREFIX}{code}",
            "clause": f"{column} = '{code}'",
            "datasets": uuids,
        }
        for code in districts
        for column, uuids in sorted(by_column.items())
    ]


def _user(credentials: Credentials, first: str, last: str, roles: list[str]) -> dict:
    return {
        "username": credentials.user,
        "password": credentials.password,
        "first_name": first,
        "last_name": last,
        "email": f"{credentials.user}@sunshine.invalid",
        "roles": ["Gamma", *roles],
    }


def access_spec() -> dict:
    """What apply_access() sets up, as the JSON in_superset.py reads."""
    uuids = [dataset.uid for dataset in dashboard_datasets()]
    districts = auditor_districts()
    return {
        "roles": {AUDITOR_ROLE: uuids, COMMISSION_ROLE: uuids},
        "district_role_prefix": DISTRICT_ROLE_PREFIX,
        "rls_prefix": RLS_PREFIX,
        "district_filters": district_filters(districts),
        "users": [
            _user(
                auditor_credentials(),
                "Sunshine",
                "Auditor",
                [AUDITOR_ROLE, *(f"{DISTRICT_ROLE_PREFIX}{code}" for code in districts)],
            ),
            _user(commission_credentials(), "Sunshine", "Commission", [COMMISSION_ROLE]),
        ],
    }


def apply_access() -> str:
    """Bring Superset's roles, users and RLS filters in line with access_spec()."""
    from sunshine.superset.bootstrap import run_in_superset

    return run_in_superset(
        "access",
        what="setting up Superset's roles, users and row-level security",
        extra_env={ACCESS_ENV: json.dumps(access_spec())},
        hint="import the dashboards first (`sunshine superset import`), then try again",
    )
