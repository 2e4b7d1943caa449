"""The dashboards on warehouse data, for each audience: chart data, masking, row-level
security, and every dashboard in a real browser as the auditor and the commission.

The small simulated city modelled by dbt (`modelled_city`) is imported into the session's
Superset; the auditor is limited to the district with the most households.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import requests
import yaml

from sunshine.paths import SUPERSET_ASSETS_DIR
from sunshine.superset.assets import DASHBOARDS, stale_files
from sunshine.superset.assets.model import Chart, Dataset

EXPOSURE_SLUGS = {
    "budget-overview",
    "disbursement-delays",
    "alerts",
    "fund-trace",
    "household-ledger",
    "data-quality",
    "town-heatmap",
}
MASKED_ID = re.compile(r"\d{6}\*{8}[\dX]{4}")
WHOLE_ID = re.compile(r"(?<![\dA-Za-z*])\d{17}[\dX](?![\dA-Za-z*])")
ROLES = ("auditor", "commission")
BY_SLUG = {dashboard.slug: dashboard for dashboard in DASHBOARDS}
CHARTS = {chart.title: chart for dashboard in DASHBOARDS for chart in dashboard.charts}


def _rows(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        # No parameters, no placeholders: the datasets' SQL may hold a literal '%'.
        return conn.execute(query, params or None).fetchall()


# ---------------------------------------------------------------- the bundle (fast)


def test_committed_bundle_is_what_the_descriptions_generate() -> None:
    assert stale_files() == [], "run `sunshine superset assets` and commit superset_assets/"


def test_dashboards_carry_the_slugs_the_exposures_name() -> None:
    assert set(BY_SLUG) == EXPOSURE_SLUGS
    exposures = SUPERSET_ASSETS_DIR.parent / "dbt_project" / "models" / "exposures.yml"
    if exposures.exists():
        urls = " ".join(
            e.get("url", "") for e in yaml.safe_load(exposures.read_text())["exposures"]
        )
        named = set(re.findall(r"/superset/dashboard/([a-z-]+)/", urls))
        assert named <= EXPOSURE_SLUGS, (
            f"exposures name unknown dashboards: {named - EXPOSURE_SLUGS}"
        )


def test_every_chart_has_a_saved_query_on_a_bundled_dataset() -> None:
    files = {
        p.relative_to(SUPERSET_ASSETS_DIR).as_posix(): p
        for p in SUPERSET_ASSETS_DIR.rglob("*.yaml")
    }
    datasets = {}
    for name, path in files.items():
        if name.startswith("datasets/"):
            config = yaml.safe_load(path.read_text())
            datasets[config["uuid"]] = {c["column_name"] for c in config["columns"]}
    charts = {}
    for name, path in files.items():
        if name.startswith("charts/"):
            config = yaml.safe_load(path.read_text())
            assert config["dataset_uuid"] in datasets, name
            queries = yaml.safe_load(config["query_context"])["queries"]
            assert len(queries) == 1 and "columns" in queries[0], name
            charts[config["uuid"]] = config
    for name, path in files.items():
        if name.startswith("dashboards/"):
            config = yaml.safe_load(path.read_text())
            placed = [
                item["meta"]["uuid"] for item in config["position"].values()
                if isinstance(item, dict) and item.get("type") == "CHART"
            ]  # fmt: skip
            assert placed and set(placed) <= set(charts), name
            for native in config["metadata"]["native_filter_configuration"]:
                (target,) = native["targets"]
                assert target["column"]["name"] in datasets[target["datasetUuid"]], native["name"]


def test_personal_data_is_read_through_its_own_connection_only() -> None:
    personal_columns = {"member_id_number", "member_name", "account_no", "evidence"}
    for chart in CHARTS.values():
        dataset = chart.dataset
        names = {column.name for column in dataset.columns}
        # An alert's subject may be a person's identity number or an account.
        if names & personal_columns or {"alert_id", "subject_key"} <= names:
            assert dataset.database.personal, dataset.key
            assert "personal_data_schema(current_user_roles())" in (dataset.sql or ""), dataset.key


def test_auditor_districts_become_row_level_security(monkeypatch) -> None:
    from sunshine.errors import SunshineError
    from sunshine.superset.access import access_spec

    monkeypatch.setenv("SUNSHINE_SUPERSET_AUDITOR_DISTRICTS", "320116, 320115")
    spec = access_spec()
    filters = {f["name"]: f for f in spec["district_filters"]}
    assert set(filters) == {"Sunshine district 320115", "Sunshine district 320116"}
    assert filters["Sunshine district 320115"]["clause"] == "district_code = '320115'"
    auditor = spec["users"][0]
    assert "Sunshine Auditor 320116" in auditor["roles"] and "Sunshine Auditor" in auditor["roles"]
    district_datasets = {ds.uid for c in CHARTS.values() if (ds := c.dataset).district_column}
    assert set(filters["Sunshine district 320115"]["datasets"]) == district_datasets

    monkeypatch.setenv("SUNSHINE_SUPERSET_AUDITOR_DISTRICTS", "3201")
    with pytest.raises(SunshineError, match="6-digit"):
        access_spec()


# ---------------------------------------------------------------- on the city (slow)


@pytest.fixture(scope="module")
def auditor_district(modelled_city) -> str:
    ((district,),) = _rows(
        modelled_city.url,
        "select household_district_code from marts.household_ledger "
        "group by 1 order by count(distinct household_no) desc, 1 limit 1",
    )
    return district


@pytest.fixture(scope="module")
def quality_checked(modelled_city) -> list[str]:
    """GX results of the city's night (the nightly DAG would write them; modelled_city
    runs dbt alone): every feed whose checkpoint is configured."""
    from sunshine.quality.run import check_feed
    from sunshine.quality.suites import FEEDS

    checked, problems = [], []
    for feed in FEEDS:
        try:
            check_feed(feed, modelled_city.night, modelled_city.url)
            checked.append(feed)
        except Exception as exc:  # reported below: the dashboard needs only some results
            problems.append(f"{feed}: {exc}")
    print(f"quality checked {checked}; not checked: {problems}")
    assert checked, f"no feed could be checked: {problems}"
    return checked


@pytest.fixture(scope="module")
def city_superset(modelled_city, auditor_district, quality_checked, sunshine_home) -> Iterator:
    from sunshine.superset import free_port, import_assets, serve
    from sunshine.superset.credentials import AUDITOR_DISTRICTS_ENV

    previous = os.environ.get(AUDITOR_DISTRICTS_ENV)
    os.environ[AUDITOR_DISTRICTS_ENV] = auditor_district
    try:
        summary = import_assets(modelled_city.url)
    finally:
        if previous is None:
            os.environ.pop(AUDITOR_DISTRICTS_ENV)
        else:
            os.environ[AUDITOR_DISTRICTS_ENV] = previous
    assert f"(districts {auditor_district})" in summary, summary
    server = serve(port=free_port())
    try:
        yield server
    finally:
        server.stop()


def _credentials(role: str):
    from sunshine.superset import credentials

    return {
        "admin": credentials.admin_credentials,
        "auditor": credentials.auditor_credentials,
        "commission": credentials.commission_credentials,
    }[role]()


@pytest.fixture(scope="module")
def api(city_superset):
    sessions = {}

    def session(role: str) -> requests.Session:
        if role not in sessions:
            credentials = _credentials(role)
            response = requests.post(
                f"{city_superset.url}/api/v1/security/login",
                json={"username": credentials.user, "password": credentials.password,
                      "provider": "db", "refresh": False},
                timeout=30,
            )  # fmt: skip
            assert response.status_code == 200, response.text
            sessions[role] = requests.Session()
            sessions[role].headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return sessions[role]

    return session


def _chart_data(base: str, session: requests.Session, slug: str) -> dict[str, list[dict]]:
    """Every chart of a dashboard: its rows from the data API, by title."""
    response = session.get(f"{base}/api/v1/dashboard/{slug}/charts", timeout=60)
    assert response.status_code == 200, f"{slug}: {response.text[:300]}"
    data = {}
    for chart in response.json()["result"]:
        answer = session.get(f"{base}/api/v1/chart/{chart['id']}/data/", timeout=120)
        assert answer.status_code == 200, f"{chart['slice_name']}: {answer.text[:500]}"
        result = answer.json()["result"][0]
        assert result["status"] == "success", f"{chart['slice_name']}: {result.get('error')}"
        data[chart["slice_name"]] = result["data"]
    return data


def _relation(dataset: Dataset) -> str:
    if dataset.sql is None:
        return f"{dataset.schema}.{dataset.key}"
    sql = dataset.sql.replace("{{ personal_data_schema(current_user_roles()) }}", "marts")
    return f"({sql})"


def _expected_rows(url: str, chart: Chart, district: str | None) -> bool:
    """Whether the chart's rows exist in the warehouse (a figure always has its one row)."""
    if not chart.query["columns"]:
        return True
    conditions = [f"({where})" for where in _where(chart)]
    if district and chart.dataset.district_column:
        assert district.isdigit()  # a code, safe to write into the SQL (which may hold '%')
        conditions.append(f"{chart.dataset.district_column} = '{district}'")
    where = " and ".join(conditions) or "true"
    query = f"select exists (select 1 from {_relation(chart.dataset)} as t where {where})"
    return bool(_rows(url, query)[0][0])


def _where(chart: Chart) -> list[str]:
    """The chart's simple filters as SQL (the charts carry no SQL of their own)."""
    sql = {"IS FALSE": "{} IS FALSE", "IS NOT NULL": "{} IS NOT NULL", "==": "{} = '{}'"}
    return [
        sql[f["operator"]].format(f["subject"], f["comparator"])
        for f in chart.params["adhoc_filters"]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("role", ["admin", *ROLES])
def test_every_chart_answers_with_the_warehouse_rows(
    city_superset, api, modelled_city, auditor_district, role
) -> None:
    district = auditor_district if role == "auditor" else None
    visible = api(role).get(f"{city_superset.url}/api/v1/dashboard/?q=(page_size:100)", timeout=60)
    assert {d["slug"] for d in visible.json()["result"]} == EXPOSURE_SLUGS
    for slug in sorted(EXPOSURE_SLUGS):
        data = _chart_data(city_superset.url, api(role), slug)
        assert set(data) == {chart.title for chart in BY_SLUG[slug].charts}, slug
        for title, rows in data.items():
            expected = _expected_rows(modelled_city.url, CHARTS[title], district)
            assert bool(rows) == expected, f"{slug} / {title} as {role}: {len(rows)} rows"


def _figure(data: dict[str, list[dict]], title: str) -> Decimal:
    ((value,),) = [list(row.values()) for row in data[title]]
    return Decimal(str(value or 0))


@pytest.mark.slow
def test_auditor_sees_its_district_masked_and_the_commission_everything_whole(
    city_superset, api, modelled_city, auditor_district
) -> None:
    url = modelled_city.url
    ledger = "select coalesce(sum(amount) filter (where status = 'success'), 0), count(*) " \
        "from marts.household_ledger where household_district_code = any(%s)"  # fmt: skip
    everywhere = [row[0] for row in _rows(url, "select distinct household_district_code "
                                               "from marts.household_ledger")]  # fmt: skip
    for role, districts in (("auditor", [auditor_district]), ("commission", everywhere)):
        data = _chart_data(city_superset.url, api(role), "household-ledger")
        ((received, payments),) = _rows(url, ledger, (districts,))
        assert _figure(data, "实发金额 Received") == received, role
        assert _figure(data, "发放笔数 Payments") == payments, role
        table = data["一户一档明细 Ledger"]
        assert {row["town_code"][:6] for row in table} <= set(districts), role
        numbers = [row["member_id_number"] for row in table if row["member_id_number"]]
        names = [row["member_name"] for row in table if row["member_name"]]
        if role == "auditor":
            assert all(MASKED_ID.fullmatch(n) for n in numbers), numbers[:3]
            assert all(name.endswith("*") for name in names), names[:3]
        else:
            assert all(WHOLE_ID.fullmatch(n) for n in numbers if len(n) == 18), numbers[:3]
            assert not any(MASKED_ID.search(n) for n in numbers), numbers[:3]

    (budgeted,) = _rows(url, "select sum(budgeted_amount) from marts.fund_trace "
                             "where district_code = %s", (auditor_district,))[0]  # fmt: skip
    trace = _chart_data(city_superset.url, api("auditor"), "fund-trace")
    assert _figure(trace, "预算 Budgeted") == budgeted

    # Budget alerts name an indicator, not a village: the district's auditor still gets them.
    (open_alerts, indicator_alerts) = _rows(
        url,
        "select count(*) filter (where status in ('open', 'escalated')), "
        "count(*) filter (where subject_type = 'indicator') "
        "from marts.alerts where district_code = %s",
        (auditor_district,),
    )[0]
    assert indicator_alerts > 0
    alerts = _chart_data(city_superset.url, api("auditor"), "alerts")
    assert _figure(alerts, "未办结预警 Open alerts") == open_alerts


@pytest.mark.slow
def test_the_warehouse_itself_refuses_the_auditor_the_whole_marts(city_superset, modelled_city):
    from sqlalchemy.engine import make_url

    from sunshine.superset.logins import AUDITOR, COMMISSION

    server = make_url(modelled_city.url)

    def connect(login):
        return psycopg.connect(
            host=server.host, port=server.port, dbname=server.database,
            user=login.name, password=login.password,
        )  # fmt: skip

    with connect(AUDITOR) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select member_id_number from marts.household_ledger limit 1")
        conn.rollback()
        masked = conn.execute(
            "select member_id_number from marts_masked.household_ledger "
            "where member_id_number is not null limit 50"
        ).fetchall()
        assert masked and all(MASKED_ID.fullmatch(n) for (n,) in masked)
    with connect(COMMISSION) as conn:
        whole = conn.execute(
            "select member_id_number from marts.household_ledger "
            "where length(member_id_number) = 18 limit 50"
        ).fetchall()
        assert whole and all(WHOLE_ID.fullmatch(n) for (n,) in whole)


# Where each dashboard's tables show a place by name: (slug, mart, name column). Bar
# charts draw on a canvas, so their town names are not page text: the tables are read.
PLACE_NAMES = [
    ("household-ledger", "marts.household_ledger", "household_village_name"),
    ("disbursement-delays", "marts.disbursement_delays", "district_name"),
    ("fund-trace", "marts.fund_trace", "district_name"),
    ("budget-overview", "marts.fund_line_budgets", "district_name"),
    ("alerts", "marts.alerts", "village_name"),
]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_renders_in_chromium(
    city_superset, modelled_city, artifacts_dir: Path, role
) -> None:
    from playwright.sync_api import sync_playwright

    from sunshine.superset.browser import launch, log_in, open_dashboard

    # Place names as the warehouse has them: a person reads the town, not only its code.
    towns = {
        name
        for (name,) in _rows(
            modelled_city.url,
            "select distinct town_name from marts.village_summary where town_name is not null",
        )
    }
    assert towns, "the warehouse names no town: nothing to look for on the dashboards"
    # and on the dashboards of the ledger, delays, trace, budget and alerts: the names their
    # marts carry beside the codes the tables and charts show
    named = {
        slug: {
            name
            for (name,) in _rows(modelled_city.url, f"select distinct {name} from {mart}")
            if name
        }
        for slug, mart, name in PLACE_NAMES
    }
    problems, timings = [], {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            log_in(page, city_superset.url, _credentials(role))
            for dashboard in DASHBOARDS:
                shot = artifacts_dir / f"{dashboard.slug}_{role}.png"
                view = open_dashboard(page, city_superset.url, dashboard.slug, shot)
                timings[dashboard.slug] = round(view.seconds_all_charts, 1)
                if view.charts != len(dashboard.charts):
                    problems.append(f"{dashboard.slug}: {view.charts} charts shown")
                if view.errors:
                    problems.append(f"{dashboard.slug}: errors {view.errors[:2]}")
                if dashboard.title not in view.text:
                    problems.append(f"{dashboard.slug}: no title")
                if dashboard.slug == "town-heatmap" and not any(
                    town in view.chart_text for town in towns
                ):
                    problems.append(f"town-heatmap as {role}: no town name shown")
                if dashboard.slug in named and not any(
                    name in view.chart_text for name in named[dashboard.slug]
                ):
                    problems.append(f"{dashboard.slug} as {role}: no place name shown")
                if role == "auditor" and (whole := WHOLE_ID.findall(view.text)):
                    problems.append(f"{dashboard.slug}: whole identity numbers {whole[:2]}")
                if dashboard.slug == "household-ledger":
                    whole = WHOLE_ID.findall(view.chart_text)
                    masked = MASKED_ID.findall(view.chart_text)
                    shown = masked if role == "auditor" else whole
                    hidden = whole if role == "auditor" else masked
                    if not shown or hidden:
                        problems.append(f"household-ledger as {role}: {masked[:2]} {whole[:2]}")
        finally:
            browser.close()
    print(f"seconds until every chart rendered, as {role}: {timings}")
    assert not problems, problems


# SQL of the user's own, in every place a chart request can carry it. Each would run on
# the connection's warehouse login, outside the masking and the district filters.
PROBES = {
    "pg_read_file": "pg_read_file('/etc/hostname')",
    "sub-query": "(select max(member_id_number) from marts.household_ledger)",
    "current_setting": "current_setting('data_directory')",
    "set role": "set_config('role', 'sunshine', false)",
    "function call": "version()",
}


def _probe_queries(expression: str, column: str, metric: str) -> dict[str, dict]:
    adhoc = {"label": "probe", "expressionType": "SQL", "sqlExpression": expression}
    plain = {"columns": [column], "metrics": [metric], "row_limit": 5}
    return {
        "column": {**plain, "columns": [adhoc]},
        "metric": {**plain, "metrics": [{**adhoc, "sqlExpression": f"max({expression})"}]},
        "where": {**plain, "extras": {"where": f"{expression} is not null"}},
        "filter column": {**plain, "filters": [{"col": adhoc, "op": "IS NOT NULL"}]},
    }


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_ad_hoc_sql_is_refused_to_auditors_and_harmless_for_the_commission(
    city_superset, api, modelled_city, role
) -> None:
    # What the commission's SQL, run as its own logins, must never reach.
    (data_directory,) = _rows(modelled_city.url, "show data_directory")[0]
    secrets = [data_directory, Path("/etc/hostname").read_text().strip()]
    session = api(role)
    listed = session.get(
        f"{city_superset.url}/api/v1/dashboard/household-ledger/charts", timeout=60
    )
    assert listed.status_code == 200, listed.text[:300]
    # One chart on each connection: the ledger's (personal data) and the budget's.
    charts = {CHARTS[c["slice_name"]].dataset.database.key: c for c in listed.json()["result"]}
    budget = session.get(f"{city_superset.url}/api/v1/dashboard/budget-overview/charts", timeout=60)
    for chart in budget.json()["result"]:
        charts.setdefault(CHARTS[chart["slice_name"]].dataset.database.key, chart)
    assert len(charts) == 2, sorted(charts)
    answered = []
    for database, chart in sorted(charts.items()):
        dataset = CHARTS[chart["slice_name"]].dataset
        datasource_id = int(str(chart["form_data"]["datasource"]).split("__")[0])
        column = next(
            c.name
            for c in dataset.columns
            if c.expression is None and c.name != dataset.district_column
        )
        metric = dataset.metrics[0].name

        def post(query: dict, datasource_id: int = datasource_id) -> requests.Response:
            body = {"datasource": {"id": datasource_id, "type": "table"}, "queries": [query],
                    "result_format": "json", "result_type": "full"}  # fmt: skip
            return session.post(f"{city_superset.url}/api/v1/chart/data", json=body, timeout=120)

        # The same request without SQL of its own answers: the refusal is not blanket.
        plain = post({"columns": [column], "metrics": [metric], "row_limit": 5})
        assert plain.status_code == 200, f"{database}: {plain.text[:300]}"
        x_axis = {"label": column, "sqlExpression": column, "columnType": "BASE_AXIS"}
        bare = post({"columns": [x_axis], "metrics": [metric], "row_limit": 5})
        assert bare.status_code == 200, f"{database}, bare x-axis: {bare.text[:300]}"
        for probe, expression in PROBES.items():
            for place, query in _probe_queries(expression, column, metric).items():
                response = post(query)
                leaked = [secret for secret in secrets if secret in response.text]
                assert not leaked, f"{database} {probe} as {place} ({role}): {leaked}"
                if role == "commission":
                    continue  # its SQL runs; its logins keep files and settings away
                if response.status_code != 403 or "custom SQL" not in response.text:
                    answered.append(f"{database} {probe} as {place}: "
                                    f"{response.status_code} {response.text[:150]}")  # fmt: skip
                assert not WHOLE_ID.search(response.text)
    assert not answered, answered
    if role == "commission":
        # Its SQL does run: the ledger's numbers come back whole, as on its dashboards.
        ledger = charts["Sunshine_Personal_Data"]
        dataset = CHARTS[ledger["slice_name"]].dataset
        datasource_id = int(str(ledger["form_data"]["datasource"]).split("__")[0])
        metric = {"label": "m", "expressionType": "SQL", "sqlExpression": "max(member_id_number)"}
        query = {"columns": [], "metrics": [metric], "row_limit": 5}
        body = {"datasource": {"id": datasource_id, "type": "table"}, "queries": [query],
                "result_format": "json", "result_type": "full"}  # fmt: skip
        answer = session.post(f"{city_superset.url}/api/v1/chart/data", json=body, timeout=120)
        assert answer.status_code == 200 and WHOLE_ID.search(answer.text), answer.text[:300]


@pytest.mark.slow
def test_sql_lab_is_closed_to_the_auditor(city_superset, api) -> None:
    session = api("auditor")
    csrf = session.get(f"{city_superset.url}/api/v1/security/csrf_token/", timeout=30)
    headers = {"X-CSRFToken": csrf.json().get("result", "")} if csrf.ok else {}
    # The auditor may list the two connections (its datasets are on them), not query them.
    databases = session.get(f"{city_superset.url}/api/v1/database/", timeout=30)
    assert databases.status_code == 200, databases.text[:300]
    ids = databases.json()["ids"]
    assert len(ids) == 2, ids
    for database_id in ids:
        response = session.post(
            f"{city_superset.url}/api/v1/sqllab/execute/",
            json={"database_id": database_id, "sql": PROBES["sub-query"], "runAsync": False},
            headers=headers,
            timeout=60,
        )
        assert response.status_code in (401, 403, 404), response.text[:300]
        assert not WHOLE_ID.search(response.text)


@pytest.mark.slow
def test_every_superset_login_is_least_privileged(city_superset, modelled_city) -> None:
    from sqlalchemy.engine import make_url

    from sunshine.superset.logins import LOGINS, READER

    server = make_url(modelled_city.url)
    flags = _rows(
        modelled_city.url,
        "select rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
        "from pg_roles where rolname = any(%s) order by 1",
        ([login.name for login in LOGINS],),
    )
    assert [row[0] for row in flags] == sorted(login.name for login in LOGINS)
    assert not [row for row in flags if any(row[1:])], flags
    refused = [
        "select pg_read_file('/etc/hostname')",
        "select current_setting('data_directory')",
        "set role " + server.username,
        "select observed_value from ops.quality_results limit 1",
    ]
    for login in LOGINS:
        with psycopg.connect(
            host=server.host, port=server.port, dbname=server.database,
            user=login.name, password=login.password, autocommit=True,
        ) as conn:  # fmt: skip
            owned = conn.execute(
                "select count(*) from pg_class where relowner = current_user::regrole"
            ).fetchone()[0]
            assert owned == 0, login.name
            for statement in refused + (
                ["select count(*) from marts.household_ledger"] if login is READER else []
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    # The reader still reads what the non-personal dashboards need, masked where personal.
    with psycopg.connect(
        host=server.host, port=server.port, dbname=server.database,
        user=READER.name, password=READER.password,
    ) as conn:  # fmt: skip
        for relation in ("marts.fund_trace", "marts.village_summary", "ops.night_reconciliation"):
            conn.execute(f"select count(*) from {relation}").fetchone()
        # What a build set aside: the names and counts, never the rows (schema audit).
        conn.execute("select model, test, failing_rows, message from ops.build_warnings").fetchall()
        kept = conn.execute("select kept_in from ops.build_warnings where kept_in is not null")
        for (relation,) in kept.fetchall()[:3]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select count(*) from {relation}")
            conn.rollback()
        masked = conn.execute(
            "select member_id_number from marts_masked.household_ledger "
            "where member_id_number is not null limit 20"
        ).fetchall()
        assert masked and all(MASKED_ID.fullmatch(n) for (n,) in masked)


@pytest.mark.slow
def test_the_data_quality_dashboard_says_what_the_build_set_aside(
    city_superset, api, modelled_city
) -> None:
    """The DEGRADED lines `sunshine nightly` prints are on the dashboard, word for word."""
    from sunshine.orchestrate.degraded import build_warnings, degraded_lines
    from sunshine.superset.assets.dashboards.quality import DEGRADED, SET_ASIDE

    data = _chart_data(city_superset.url, api("auditor"), "data-quality")
    printed = [
        line.split(": ", 1)[1] for line in degraded_lines(modelled_city.url, modelled_city.night)
    ]
    shown = [row["summary"] for row in data[DEGRADED.title] if row["night"] is not None]
    assert sorted(shown) == sorted(printed)
    recorded = build_warnings(modelled_city.url, modelled_city.night)
    (figure,) = data[SET_ASIDE.title]
    assert figure["rows_set_aside_last_night"] == sum(row[3] or 0 for row in recorded)
