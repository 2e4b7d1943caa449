"""employment: 就业创业服务系统, training, start-up and public-welfare-job subsidies.

Amounts come in fen, not yuan, and records have no deleted flag: a withdrawn subsidy
shows as status `revoked`.
"""

from sunshine.contracts.model import Field, HttpApiTransport, SourceObject, System

SYSTEM = System(
    code="employment",
    name_zh="就业创业服务系统",
    name_en="employment and start-up subsidies",
    owner="Human Resources and Social Security Bureau 人社局",
    transport=HttpApiTransport(
        auth_header="X-Api-Key",
        auth_prefix="",
        unauthorized_status=403,
        paging="cursor",
        page_param="cursor",
        size_param="limit",
        page_size=500,
        max_page_size=None,  # the contract states none
        items_key="items",
        response_keys=("items", "next_cursor"),
        next_cursor_key="next_cursor",
        # Strictly after: a record updated at exactly the last instant seen is not
        # sent again, so the watermark must be the last updatedAt actually landed.
        incremental_param="modified_after",
        incremental_inclusive=False,
        retryable_statuses=(500,),  # a failed page is retried with the same cursor
        soft_delete_field=None,
    ),
    objects=(
        SourceObject(
            name="subsidies",
            kind="endpoint",
            path="/api/v2/subsidy-applications",
            key=("applicationId",),
            incremental_column="updatedAt",
            fields=(
                Field("applicationId", "string", alias="application_id"),
                Field(
                    "subsidyType",
                    "string",
                    "training_subsidy | startup_subsidy | welfare_job "
                    "(the fund_lines.yaml categories)",
                    alias="subsidy_type",
                ),
                Field("fundLineCode", "string", alias="fund_line_code"),
                Field("applicantIdNumber", "string", alias="applicant_id_number"),
                Field("applicantName", "string", alias="applicant_name"),
                Field(
                    "enterpriseCreditCode",
                    "string or null",
                    "for startup subsidies, the new enterprise",
                    alias="enterprise_credit_code",
                    nullable=True,
                ),
                Field("enterpriseName", "string or null", alias="enterprise_name", nullable=True),
                Field("amountFen", "integer", "fen (cents), not yuan", alias="amount_fen"),
                Field(
                    "period",
                    "string YYYYMM or null",
                    "for monthly welfare-job subsidies",
                    nullable=True,
                ),
                Field("approvedAt", "datetime with offset", alias="approved_at"),
                Field("paidAt", "datetime with offset or null", alias="paid_at", nullable=True),
                Field("status", "string", "approved | paid | rejected | revoked"),
                Field("updatedAt", "datetime with offset", alias="updated_at"),
            ),
        ),
    ),
)
