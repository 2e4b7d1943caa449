"""treasury: 国库集中支付系统, the payment vouchers that draw money from indicators."""

from sunshine.contracts.model import DatabaseTransport, Field, SourceObject, System

SYSTEM = System(
    code="treasury",
    name_zh="国库集中支付系统",
    name_en="treasury centralized payments",
    owner="Finance Bureau 财政局",
    transport=DatabaseTransport(),
    objects=(
        SourceObject(
            name="payment_voucher",
            kind="table",
            key=("voucher_no",),
            change=(
                "incremental on updated_at; status moves pending -> paid, "
                "and a paid voucher can later be returned or voided"
            ),
            incremental_column="updated_at",
            fields=(
                Field("voucher_no", "varchar(24)", "支付凭证号, e.g. PV202611030001"),
                Field("indicator_id", "varchar(20)", "the budget indicator it draws on"),
                Field("payer_department_code", "varchar(8)"),
                Field(
                    "payee_type",
                    "varchar(24)",
                    "agency | town_finance | onecard_account | enterprise "
                    "| village_collective | individual",
                ),
                Field("payee_name", "varchar(128)"),
                Field("payee_account", "varchar(32)", "bank account number"),
                Field(
                    "payee_code",
                    "varchar(18) null",
                    "credit code for enterprises and collectives, 12-digit village code "
                    "for a village collective, null otherwise",
                    nullable=True,
                ),
                Field("amount", "numeric(14,2)"),
                Field("voucher_date", "date"),
                Field("paid_date", "date null", nullable=True),
                Field("status", "varchar(12)", "pending | paid | returned | voided"),
                Field("updated_at", "timestamp"),
            ),
        ),
    ),
)
