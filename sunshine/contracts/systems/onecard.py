"""onecard: 一卡通, the bank files that show money reaching a household's account.

The agent banks write GBK CSV with Chinese headers; each day's file is vouched for by a
`.ok` control file, and a file without one (or disagreeing with it) is not good data.
"""

from sunshine.contracts.model import ControlFile, Field, FileDropTransport, SourceObject, System

SYSTEM = System(
    code="onecard",
    name_zh='惠民惠农财政补贴资金"一卡通"发放系统',
    name_en="one-card household disbursement",
    owner="Finance Bureau 财政局, files produced by the agent banks",
    transport=FileDropTransport(
        file_pattern=r"onecard_(?P<date>\d{8})(?:_v(?P<version>\d+))?\.csv",
        format="csv",
        # "one per banking day", the contract says.
        banking_day_file="onecard_{day:%Y%m%d}.csv",
        # The contract says GBK; GB18030 decodes every GBK file and also the rare
        # characters of personal names a bank's software may emit beyond GBK.
        encoding="gb18030",
        delimiter=",",
        quotechar='"',  # RFC 4180: names may contain commas
        header_row=1,
        data_start_row=2,
        control_file=ControlFile(
            pattern=r"onecard_(?P<date>\d{8})(?:_v(?P<version>\d+))?\.ok",
            # rows counts every data row, exact duplicates included; amount is the sum
            # of 发放金额 to 2 decimals (negative reversals included).
            line_pattern=r"rows=(?P<rows>\d+);amount=(?P<amount>-?\d+\.\d{2})",
            encoding="utf-8",
        ),
    ),
    objects=(
        SourceObject(
            name="disbursement",
            kind="file",
            key=("发放批次号", "身份证号码", "资金项目编码", "所属期间"),
            note=(
                "one row per payment attempt to one person's account for one fund line "
                "and period; a failed attempt may be retried in a later file with the "
                "same key, and the latest attempt is the one that counts"
            ),
            fields=(
                Field("发放批次号", "text", "e.g. YKT20261103-0007", alias="batch_no"),
                Field("资金项目编码", "text", alias="fund_line_code"),
                Field(
                    "支付凭证号",
                    "text",
                    "the treasury voucher that funded this batch; may be empty for "
                    "batches funded before the treasury system went live",
                    alias="voucher_no",
                    nullable=True,
                ),
                Field("身份证号码", "text", "dirty as described in README", alias="id_number"),
                Field(
                    "姓名",
                    "text",
                    "may contain full-width spaces or a middle dot for minority names",
                    alias="name",
                ),
                Field(
                    "银行账号",
                    "text",
                    "16-19 digits, may be written with spaces every 4 digits",
                    alias="account_no",
                ),
                Field("开户银行", "text", alias="bank_name"),
                Field(
                    "发放金额",
                    "text",
                    'yuan with thousands separators, e.g. "1,234.50"; negative for a reversal',
                    alias="amount",
                ),
                Field(
                    "所属期间",
                    "text",
                    "YYYYMM the payment is for; for yearly or one-off subsidies "
                    "the month of the decision",
                    alias="period",
                ),
                Field("发放日期", "text", "YYYY/MM/DD or YYYYMMDD", alias="pay_date"),
                Field(
                    "发放状态", "text", "成功 success | 失败 failed | 退回 returned", alias="status"
                ),
                Field(
                    "失败原因",
                    "text",
                    "empty on success; e.g. 账户已销户, 户名不符, 账户冻结",
                    alias="failure_reason",
                    nullable=True,
                ),
                Field("乡镇代码", "text", "9 digits", alias="town_code"),
                Field("村社区代码", "text", "12 digits", alias="village_code"),
            ),
        ),
    ),
)
