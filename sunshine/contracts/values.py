"""The closed lists of values some contract fields take, exactly as the source writes them.

The contracts give these lists in a field's note ("active | adjusted | withdrawn",
"成功 success | 失败 failed | 退回 returned"); here they are data, keyed like the
contracts by system, object and delivered field name. Only lists the contract closes
are encoded: a note that says "e.g." gives examples, not a list. The quality checks
read them; `tests/test_quality_suites.py` compares them with the contract notes.
"""

from __future__ import annotations

from types import MappingProxyType

from sunshine.contracts.policy import CATEGORIES


def _values(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ALLOWED: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("budget", "fund_line", "category"): tuple(CATEGORIES),
    ("budget", "budget_indicator", "level"): _values("central provincial municipal district"),
    ("budget", "budget_indicator", "status"): _values("active adjusted withdrawn"),
    ("treasury", "payment_voucher", "payee_type"): _values(
        "agency town_finance onecard_account enterprise village_collective individual"
    ),
    ("treasury", "payment_voucher", "status"): _values("pending paid returned voided"),
    ("onecard", "disbursement", "发放状态"): _values("成功 失败 退回"),
    ("poverty", "households", "monitorStatus"): _values("monitoring risk_eliminated removed"),
    ("poverty", "assistance", "measure"): _values(
        "industry employment education health housing cash"
    ),
    ("dibao", "assistance_case", "category"): _values("dibao_urban dibao_rural tekun"),
    ("dibao", "assistance_case", "status"): _values("active suspended terminated"),
    ("dibao", "case_member", "relation"): _values("head spouse child parent other"),
    ("pension", "insured_person", "status"): _values("contributing receiving suspended terminated"),
    ("pension", "insured_person", "suspend_reason"): _values("death migration imprisonment other"),
    ("employment", "subsidies", "subsidyType"): _values(
        "training_subsidy startup_subsidy welfare_job"
    ),
    ("employment", "subsidies", "status"): _values("approved paid rejected revoked"),
    ("collective", "voucher_line", "收支类型"): _values("收入 支出"),
    ("collective", "voucher_line", "审批状态"): _values("已审批 待审批 驳回"),
    ("education", "aid_record", "学段"): _values("学前 小学 初中 高中 中职 高职"),
    ("education", "aid_record", "资助项目"): _values("雨露计划 国家助学金"),
    ("allowance", "allowance_payment", "allowance_type"): _values(
        "elderly_80 elderly_90 elderly_100 disability_living disability_care"
    ),
    ("allowance", "allowance_payment", "disability_grade"): _values("1 2 3 4"),
    ("reference", "resident", "gender"): _values("M F"),
    ("reference", "public_employee", "employer_type"): _values(
        "agency institution state_enterprise"
    ),
    ("reference", "cadre_relation", "post"): _values(
        "secretary director committee_member accountant supervisor"
    ),
    ("reference", "cadre_relation", "relation"): _values(
        "self spouse child parent sibling child_in_law parent_in_law"
    ),
    ("reference", "vehicle", "vehicle_type"): _values("car truck motorcycle tractor"),
    ("reference", "division", "level"): _values("district town village"),
}

# Read-only: a check must not widen a list for everyone else at run time.
ALLOWED_VALUES = MappingProxyType(_ALLOWED)


def allowed_values(system: str, obj: str, field_name: str) -> tuple[str, ...] | None:
    """The values the contract allows for a delivered field, None when it gives no list."""
    return ALLOWED_VALUES.get((system, obj, field_name))
