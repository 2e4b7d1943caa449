"""The two warehouse connections and what the datasets share (columns, helpers).

Personal data (identity numbers, names, accounts) lives in three marts: the household
ledger, the alerts and the re-supervision queue. Their datasets sit on the "personal
data" connection and read `marts.<mart>` for the commission and `marts_masked.<mart>`
for everyone else (the Jinja macro `personal_data_schema`, superset_config.py), while
the connection itself logs in as the matching PostgreSQL role: an auditor's query runs
as a member of `sunshine_auditor`, which can read the masked views and nothing else.
Every other dataset holds no personal data and reads the marts through the warehouse
connection.

Each dataset names the column its row-level security filters by district on; filters
on dashboards go by column name, so the place columns are called the same everywhere
(district_code, town_code).
"""

from __future__ import annotations

from sunshine.superset.assets.model import Column, Database, Metric, stable_uuid

WAREHOUSE = Database(
    key="Sunshine_Warehouse",
    name="Sunshine Warehouse",
    comment=(
        "The warehouse for the datasets without personal data, as the login\n"
        "sunshine_superset_reader (a member of sunshine_reader: the non-personal marts,\n"
        "the masked views). The URI is a placeholder filled in at import time."
    ),
    uuid="6f4b2b7e-5c1d-4c57-9a0e-2f1f6c3b8d10",
)
PERSONAL = Database(
    key="Sunshine_Personal_Data",
    name="Sunshine Personal Data 个人信息",
    comment=(
        "The warehouse for the datasets with personal data, as the commission's login role\n"
        "(a member of sunshine_commission). Superset's connection mutator connects every\n"
        "user without the Sunshine Commission role as the auditor's login instead, which\n"
        "reads only marts_masked. The URI is a placeholder filled in at import time."
    ),
    uuid=stable_uuid("database", "personal"),
    personal=True,
)
DATABASES = (WAREHOUSE, PERSONAL)


def masked_sql(mart: str, select: str) -> str:
    schema = "{{ personal_data_schema(current_user_roles()) }}"
    return f"select\n{select}\nfrom {schema}.{mart}"


# ------------------------------------------------------------------ shared columns

DISTRICT = Column("district_code", "区县 District", description="GB/T 2260 code, e.g. 320115.")
TOWN = Column("town_code", "镇街 Town", description="9-digit town (乡镇街道) code.")
# What a person reads: the name beside the code (codes alone when the reference base has no
# division table). Charts group by these; filters stay on the codes above.
TOWN_LABEL = Column(
    "town_label", "镇街 Town", description="Town name and code, e.g. 东山街道 320115001."
)
DISTRICT_LABEL = Column("district_label", "区县 District", description="District name and code.")


def label(place: str, name: str = "district_label") -> Column:
    """The name beside the code of a physical dataset's `<place>_code` (its `<place>_name`)."""
    base = TOWN_LABEL if place == "town" else DISTRICT_LABEL
    expression = f"coalesce({place}_name || ' ' || {place}_code, {place}_code)"
    return Column(name, base.label, description=base.description, expression=expression)


FUND_LINE_CODE = Column("fund_line_code", "资金代码 Fund line code")
FUND_LINE = Column("fund_line_name", "资金名称 Fund line")
DEPARTMENT_CODE = Column("department_code", "部门代码 Department code")
DEPARTMENT = Column("department_name", "主管部门 Department")
CATEGORY = Column("category", "类别 Category")
PERIOD = Column("period", "期间 Period", description="The month the money is for (YYYYMM).")
SEVERITY = Column("severity", "预警级别 Severity")


def money(name: str, label: str) -> Column:
    return Column(name, label, "NUMERIC(16, 2)", groupby=False)


def date(name: str, label: str) -> Column:
    return Column(name, label, "DATE", is_dttm=True)


def count(label: str, where: str | None = None, name: str = "count") -> Metric:
    expression = f"COUNT(*) FILTER (WHERE {where})" if where else "COUNT(*)"
    return Metric(name, label, expression, ",d")
