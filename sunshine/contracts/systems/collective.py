"""collective: 农村集体"三资"监管平台, village bookkeeping entries, one workbook per town and month.

The sheet opens with a title row and may close with a total row; neither is data.
"""

from sunshine.contracts.model import Field, FileDropTransport, SourceObject, System

SYSTEM = System(
    code="collective",
    name_zh='农村集体"三资"监管平台',
    name_en="rural collective assets, funds and resources",
    owner="Agriculture and Rural Affairs Bureau 农业农村局",
    transport=FileDropTransport(
        file_pattern=(r"collective_(?P<town>\d{9})_(?P<period>\d{6})(?:_v(?P<version>\d+))?\.xlsx"),
        format="xlsx",
        sheet="记账凭证",  # the first sheet; the second, 说明, holds notes only
        header_row=2,  # row 1 is a title such as "XX镇2026年10月村级记账凭证"
        data_start_row=3,
        total_row_column="村代码",
        total_row_marker="合计",
        # The project's due day (the contract names none): a month's file by the end of
        # the following month, for a department that delivers late.
        due_months_after=1,
    ),
    objects=(
        SourceObject(
            name="voucher_line",
            kind="file",
            key=("村代码", "凭证号"),
            fields=(
                Field(
                    "村代码",
                    "text",
                    "12 digits, Excel may have stored it as a number",
                    alias="village_code",
                ),
                Field("凭证号", "text", alias="voucher_no"),
                Field("业务日期", "Excel date, or text YYYY-MM-DD", alias="entry_date"),
                Field("摘要", "text", alias="summary"),
                Field("收支类型", "text", "收入 income | 支出 expense", alias="direction"),
                Field(
                    "科目",
                    "text",
                    "e.g. 工程支出, 劳务费, 补助支出, 办公费, 发包收入, 上级补助收入",
                    alias="subject",
                ),
                Field("金额", "number", "yuan", alias="amount"),
                Field("收款方", "text", alias="payee_name"),
                Field(
                    "收款方证件号",
                    "text",
                    "a person's identity number (15 or 18 digits) or an enterprise's "
                    "credit code; may be empty",
                    alias="payee_id",
                    nullable=True,
                ),
                Field(
                    "资金项目编码",
                    "text",
                    "set when the entry spends a fund line (e.g. collective_aid); empty otherwise",
                    alias="fund_line_code",
                    nullable=True,
                ),
                Field("经办人", "text", alias="handler_name"),
                Field("经办人证件号", "text", alias="handler_id"),
                Field("审批人", "text", alias="approver_name"),
                Field(
                    "附件张数",
                    "integer",
                    "supporting documents scanned; 0 means none",
                    alias="attachments",
                ),
                Field(
                    "审批状态",
                    "text",
                    "已审批 approved | 待审批 pending | 驳回 rejected",
                    alias="approval_status",
                ),
            ),
        ),
    ),
)
