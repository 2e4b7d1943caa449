"""dibao: 社会救助管理系统 (低保/特困), approved cases, their members and the monthly roster."""

from sunshine.contracts.model import DatabaseTransport, Field, SourceObject, System

SYSTEM = System(
    code="dibao",
    name_zh="社会救助管理系统 低保/特困",
    name_en="minimum-living assistance",
    owner="Civil Affairs Bureau 民政局",
    transport=DatabaseTransport(),
    objects=(
        SourceObject(
            name="assistance_case",
            kind="table",
            key=("case_id",),
            change="incremental on updated_at",
            incremental_column="updated_at",
            fields=(
                Field("case_id", "varchar(20)"),
                Field("category", "varchar(16)", "dibao_urban | dibao_rural | tekun"),
                Field("head_id_number", "varchar(18)"),
                Field("village_code", "char(12)"),
                Field("member_count", "integer"),
                Field(
                    "monthly_amount",
                    "numeric(10,2)",
                    "approved monthly payment for the whole household",
                ),
                Field("approved_date", "date"),
                Field("terminated_date", "date null", nullable=True),
                Field("status", "varchar(12)", "active | suspended | terminated"),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="case_member",
            kind="table",
            key=("case_id", "id_number"),
            change="incremental on updated_at; a member who leaves the household gets left_date",
            incremental_column="updated_at",
            fields=(
                Field("case_id", "varchar(20)"),
                Field("id_number", "varchar(18)"),
                Field("name", "varchar(32)"),
                Field("relation", "varchar(12)", "head | spouse | child | parent | other"),
                Field("joined_date", "date"),
                Field("left_date", "date null", nullable=True),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="monthly_payment",
            kind="table",
            key=("case_id", "period"),
            change="incremental on updated_at",
            incremental_column="updated_at",
            note=(
                "the roster sent to the one-card system; what actually reached the account "
                "is in onecard"
            ),
            fields=(
                Field("case_id", "varchar(20)"),
                Field("period", "char(6)"),
                Field("amount", "numeric(10,2)"),
                Field("fund_line_code", "varchar(12)"),
                Field("payee_id_number", "varchar(18)", "usually the head of household"),
                Field("updated_at", "timestamp"),
            ),
        ),
    ),
)
