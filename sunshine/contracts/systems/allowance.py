"""allowance: 残疾人两项补贴与高龄津贴系统, disability and old-age allowances, one CSV a month.

These payments do not pass through onecard: `pay_date` here is the payment record.
"""

from sunshine.contracts.model import Field, FileDropTransport, SourceObject, System

SYSTEM = System(
    code="allowance",
    name_zh="残疾人两项补贴与高龄津贴系统",
    name_en="disability subsidies and old-age allowances",
    owner="Disabled Persons' Federation 残联 and Civil Affairs Bureau 民政局",
    transport=FileDropTransport(
        file_pattern=r"allowance_(?P<period>\d{6})(?:_v(?P<version>\d+))?\.csv",
        format="csv",
        encoding="utf-8-sig",  # UTF-8 with a byte-order mark; -sig strips it from the header
        delimiter=",",
        quotechar='"',
        header_row=1,
        data_start_row=2,
        # The project's due day (the contract names none): a month's file by the end of
        # the following month, for a department that delivers late.
        due_months_after=1,
    ),
    objects=(
        SourceObject(
            name="allowance_payment",
            kind="file",
            key=("recipient_id", "period", "allowance_type"),
            fields=(
                Field("recipient_id", "text"),
                Field("id_number", "text"),
                Field("name", "text"),
                Field(
                    "allowance_type",
                    "text",
                    "elderly_80 | elderly_90 | elderly_100 | disability_living | disability_care",
                ),
                Field(
                    "disability_cert_no",
                    "text",
                    "残疾人证号 (20 chars: ID number + class digit + grade digit); "
                    "empty for old-age allowances",
                    nullable=True,
                ),
                Field("disability_grade", "integer 1-4 or empty", nullable=True),
                Field("village_code", "text"),
                Field("fund_line_code", "text"),
                Field("period", "text", "YYYYMM"),
                Field("amount", "decimal"),
                Field("pay_date", "YYYY-MM-DD or empty when not yet paid", nullable=True),
            ),
        ),
    ),
)
