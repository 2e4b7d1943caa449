"""poverty: 防止返贫监测帮扶系统, monitored households and the assistance they received."""

from sunshine.contracts.model import Field, HttpApiTransport, SourceObject, System

SYSTEM = System(
    code="poverty",
    name_zh="防止返贫监测帮扶系统",
    name_en="poverty-relief monitoring and assistance",
    owner="Agriculture and Rural Affairs Bureau 农业农村局",
    transport=HttpApiTransport(
        auth_header="Authorization",
        auth_prefix="Bearer ",
        unauthorized_status=401,
        paging="page",
        page_param="page",
        size_param="page_size",
        page_size=500,
        max_page_size=1000,
        items_key="data",
        response_keys=("data", "page", "page_size", "total_pages", "total"),
        next_cursor_key=None,
        # Records ordered by updatedAt then id, compared with >=: the next run may
        # start from the last updatedAt seen and get its boundary rows again.
        incremental_param="updated_since",
        incremental_inclusive=True,
        # 429 under load (with Retry-After), 503 during the nightly maintenance.
        retryable_statuses=(429, 503),
        soft_delete_field="deleted",
    ),
    objects=(
        SourceObject(
            name="households",
            kind="endpoint",
            path="/api/v1/households",
            key=("householdId",),
            incremental_column="updatedAt",
            fields=(
                Field("householdId", "string", "e.g. H320113001002-0015", alias="household_id"),
                Field("headIdNumber", "string", alias="head_id_number"),
                Field("villageCode", "string", alias="village_code"),
                Field(
                    "monitorStatus",
                    "string",
                    "monitoring | risk_eliminated | removed",
                    alias="monitor_status",
                ),
                Field(
                    "riskTypes",
                    "array of string",
                    "e.g. [illness, disability, education, accident, unemployment]",
                    alias="risk_types",
                ),
                Field("identifiedAt", "date", alias="identified_at"),
                Field("eliminatedAt", "date or null", alias="eliminated_at", nullable=True),
                Field(
                    "members",
                    "array of {idNumber, name, relation}",
                    "relation: head | spouse | child | parent | grandchild | other",
                ),
                Field(
                    "updatedAt",
                    "datetime with offset, e.g. 2026-11-03T21:14:05+08:00",
                    alias="updated_at",
                ),
                Field("deleted", "boolean", "a deleted record stays in the feed with deleted=true"),
            ),
        ),
        SourceObject(
            name="assistance",
            kind="endpoint",
            path="/api/v1/assistance",
            key=("recordId",),
            incremental_column="updatedAt",
            fields=(
                Field("recordId", "string", alias="record_id"),
                Field("householdId", "string", alias="household_id"),
                Field("fundLineCode", "string", alias="fund_line_code"),
                Field(
                    "measure",
                    "string",
                    "industry | employment | education | health | housing | cash",
                ),
                Field("amount", "string", 'decimal as a string, yuan, e.g. "2500.00"'),
                Field("grantedAt", "date", alias="granted_at"),
                Field(
                    "voucherNo",
                    "string or null",
                    "treasury voucher that funded it",
                    alias="voucher_no",
                    nullable=True,
                ),
                Field("updatedAt", "datetime with offset", alias="updated_at"),
                Field("deleted", "boolean"),
            ),
        ),
    ),
)
