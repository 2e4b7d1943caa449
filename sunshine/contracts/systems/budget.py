"""budget: 预算指标管理系统, the budget indicators every fund line's money starts from."""

from sunshine.contracts.model import DatabaseTransport, Field, SourceObject, System

SYSTEM = System(
    code="budget",
    name_zh="预算指标管理系统",
    name_en="budget indicator management",
    owner="Finance Bureau 财政局",
    transport=DatabaseTransport(),
    objects=(
        SourceObject(
            name="department",
            kind="table",
            key=("department_code",),
            change="small, read whole every night",
            incremental_column=None,
            fields=(
                Field("department_code", "varchar(8)", "e.g. D0107"),
                Field("department_name", "varchar(64)", "Chinese name, e.g. 民政局"),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="fund_line",
            kind="table",
            key=("fund_line_code",),
            change="small, read whole every night",
            incremental_column=None,
            fields=(
                Field("fund_line_code", "varchar(12)", "e.g. FL2026-0042; stable across years"),
                Field("fund_line_name", "varchar(128)", "Chinese name"),
                Field("department_code", "varchar(8)", "the department that disburses it"),
                Field("category", "varchar(32)", "a key of fund_lines.yaml categories"),
                Field(
                    "standard_amount",
                    "numeric(12,2) null",
                    "overrides the category standard when set",
                    nullable=True,
                ),
                Field(
                    "disburse_within_days",
                    "integer null",
                    "overrides the category deadline when set",
                    nullable=True,
                ),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="budget_indicator",
            kind="table",
            key=("indicator_id",),
            change=(
                "incremental on updated_at; rows are adjusted (amount changes) "
                "and withdrawn in place"
            ),
            incremental_column="updated_at",
            fields=(
                Field("indicator_id", "varchar(20)", "e.g. ZB2026000123"),
                Field(
                    "parent_indicator_id",
                    "varchar(20) null",
                    "the higher-level indicator this one was split from "
                    "(central -> provincial -> municipal -> district)",
                    nullable=True,
                ),
                Field("fund_line_code", "varchar(12)"),
                Field("fiscal_year", "integer"),
                Field("level", "varchar(12)", "central | provincial | municipal | district"),
                Field("document_no", "varchar(64)", "文号, e.g. 宁财社〔2026〕123号"),
                Field(
                    "issued_date",
                    "date",
                    "the day the indicator reached the disbursing department; "
                    "disbursement deadlines count from here",
                ),
                Field("district_code", "char(6)", "county-level division code"),
                Field("amount", "numeric(14,2)", "current amount after adjustments"),
                Field("status", "varchar(12)", "active | adjusted | withdrawn"),
                Field("updated_at", "timestamp"),
            ),
        ),
    ),
)
