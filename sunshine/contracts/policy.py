"""Policy categories of the welfare funds, their statutory parameters, and supervision deadlines.

These are the defaults a budget fund line inherits unless its own row overrides them;
they drive the alert rules, so a changed standard is changed here, not in SQL.
"""

from decimal import Decimal
from types import MappingProxyType

from sunshine.contracts.model import FundCategory, SupervisionPolicy

_CATEGORIES = (
    FundCategory(
        code="dibao_urban",
        name_zh="城市最低生活保障",
        unit="household_month",
        standard_per_person_month=Decimal("1200.00"),
        disburse_within_days=30,
        source_system="dibao",
    ),
    FundCategory(
        code="dibao_rural",
        name_zh="农村最低生活保障",
        unit="household_month",
        standard_per_person_month=Decimal("1200.00"),
        disburse_within_days=30,
        source_system="dibao",
    ),
    FundCategory(
        code="tekun",
        name_zh="特困人员救助供养",
        unit="person_month",
        standard_per_person_month=Decimal("1560.00"),
        disburse_within_days=30,
        source_system="dibao",
    ),
    FundCategory(
        code="pension_basic",
        name_zh="城乡居民基础养老金",
        unit="person_month",
        standard_per_person_month=Decimal("300.00"),
        min_age=60,
        disburse_within_days=30,
        source_system="pension",
    ),
    FundCategory(
        code="elderly_80",
        name_zh="高龄津贴(80-89岁)",
        unit="person_month",
        standard_per_person_month=Decimal("100.00"),
        min_age=80,
        max_age=89,
        disburse_within_days=30,
        source_system="allowance",
    ),
    FundCategory(
        code="elderly_90",
        name_zh="高龄津贴(90-99岁)",
        unit="person_month",
        standard_per_person_month=Decimal("300.00"),
        min_age=90,
        max_age=99,
        disburse_within_days=30,
        source_system="allowance",
    ),
    FundCategory(
        code="elderly_100",
        name_zh="百岁老人长寿补贴",
        unit="person_month",
        standard_per_person_month=Decimal("600.00"),
        min_age=100,
        disburse_within_days=30,
        source_system="allowance",
    ),
    FundCategory(
        code="disability_living",
        name_zh="困难残疾人生活补贴",
        unit="person_month",
        standard_per_person_month=Decimal("150.00"),
        disburse_within_days=30,
        source_system="allowance",
    ),
    FundCategory(
        code="disability_care",
        name_zh="重度残疾人护理补贴",
        unit="person_month",
        standard_per_person_month=Decimal("150.00"),
        max_disability_grade=2,
        disburse_within_days=30,
        source_system="allowance",
    ),
    FundCategory(
        code="poverty_relief",
        name_zh="防返贫帮扶资金",
        unit="household_year",
        cap_per_household_year=Decimal("10000.00"),
        disburse_within_days=60,
        source_system="poverty",
    ),
    FundCategory(
        code="yulu_plan",
        name_zh="雨露计划职业教育补助",
        unit="person_term",
        standard_per_person_term=Decimal("1500.00"),
        disburse_within_days=60,
        source_system="education",
    ),
    FundCategory(
        code="student_grant",
        name_zh="国家助学金",
        unit="person_term",
        standard_per_person_term=Decimal("1000.00"),
        disburse_within_days=60,
        source_system="education",
    ),
    FundCategory(
        code="training_subsidy",
        name_zh="职业培训补贴",
        unit="person_once",
        cap_per_person_year=Decimal("3000.00"),
        disburse_within_days=60,
        source_system="employment",
    ),
    FundCategory(
        code="startup_subsidy",
        name_zh="一次性创业补贴",
        unit="enterprise_once",
        standard_once=Decimal("10000.00"),
        once_per_lifetime=True,
        disburse_within_days=60,
        source_system="employment",
    ),
    FundCategory(
        code="welfare_job",
        name_zh="公益性岗位补贴",
        unit="person_month",
        standard_per_person_month=Decimal("2500.00"),
        disburse_within_days=30,
        source_system="employment",
    ),
    FundCategory(
        code="collective_aid",
        name_zh="村级集体经济扶持资金",
        unit="project",
        disburse_within_days=90,
        source_system="collective",
    ),
    FundCategory(
        code="market_award",
        name_zh="星级农贸市场奖励资金",
        unit="enterprise_once",
        disburse_within_days=90,
        source_system="treasury",
    ),
    FundCategory(
        code="farmland_subsidy",
        name_zh="耕地地力保护补贴",
        unit="household_year",
        standard_per_mu_year=Decimal("100.00"),
        disburse_within_days=60,
        source_system="onecard",
    ),
)

CATEGORIES: dict[str, FundCategory] = {c.code: c for c in _CATEGORIES}

SUPERVISION = SupervisionPolicy(
    department_response_days=15,
    escalate_after_overdue_days=10,
    # Read-only so no caller can shift a threshold for everyone else at run time.
    severity_by_delay_days=MappingProxyType({"yellow": 1, "orange": 30, "red": 60}),
)
