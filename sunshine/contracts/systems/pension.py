"""pension: 城乡居民基本养老保险系统, insured residents and the pensions paid to them."""

from sunshine.contracts.model import DatabaseTransport, Field, SourceObject, System

SYSTEM = System(
    code="pension",
    name_zh="城乡居民基本养老保险系统",
    name_en="urban and rural resident pensions",
    owner="Human Resources and Social Security Bureau 人社局",
    transport=DatabaseTransport(),
    objects=(
        SourceObject(
            name="insured_person",
            kind="table",
            key=("person_no",),
            change="incremental on updated_at",
            incremental_column="updated_at",
            fields=(
                Field("person_no", "varchar(16)"),
                Field("id_number", "varchar(18)"),
                Field("name", "varchar(32)"),
                Field("village_code", "char(12)"),
                Field("status", "varchar(12)", "contributing | receiving | suspended | terminated"),
                Field("benefit_start_period", "char(6) null", nullable=True),
                Field("suspended_date", "date null", nullable=True),
                Field(
                    "suspend_reason",
                    "varchar(16) null",
                    "death | migration | imprisonment | other",
                    nullable=True,
                ),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="benefit_payment",
            kind="table",
            key=("payment_id",),
            change="incremental on updated_at",
            incremental_column="updated_at",
            fields=(
                Field("payment_id", "bigint"),
                Field("person_no", "varchar(16)"),
                Field("period", "char(6)"),
                Field("amount", "numeric(10,2)", "basic plus personal-account pension"),
                Field("fund_line_code", "varchar(12)"),
                Field("paid_date", "date null", nullable=True),
                Field("account_no", "varchar(19)"),
                Field("updated_at", "timestamp"),
            ),
        ),
    ),
)
