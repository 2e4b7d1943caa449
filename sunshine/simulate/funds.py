"""Departments and fund lines: who disburses what, with the policy each line inherits.

A fund line belongs to one district and one category of `fund_lines.yaml` (through
`sunshine.contracts.CATEGORIES`); a few lines override the category's standard or
deadline, as the budget contract allows. Every amount check and deadline of the
simulator reads `FundLine.standard` and `FundLine.deadline_days`, never a literal.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sunshine.contracts import CATEGORIES, FundCategory
from sunshine.simulate.clock import DAY, Timeline
from sunshine.simulate.geography import City, District

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("D0101", "财政局"),
    ("D0102", "发展和改革委员会"),
    ("D0103", "教育局"),
    ("D0104", "科学技术局"),
    ("D0105", "工业和信息化局"),
    ("D0106", "公安局"),
    ("D0107", "民政局"),
    ("D0108", "人力资源和社会保障局"),
    ("D0109", "自然资源和规划局"),
    ("D0110", "生态环境局"),
    ("D0111", "住房和城乡建设局"),
    ("D0112", "农业农村局"),
    ("D0113", "交通运输局"),
    ("D0114", "水务局"),
    ("D0115", "商务局"),
    ("D0116", "文化和旅游局"),
    ("D0117", "卫生健康委员会"),
    ("D0118", "退役军人事务局"),
    ("D0119", "应急管理局"),
    ("D0120", "市场监督管理局"),
    ("D0121", "残疾人联合会"),
    ("D0122", "医疗保障局"),
    ("D0123", "乡村振兴局"),
)

DEPARTMENT_OF = {
    "dibao_urban": "D0107",
    "dibao_rural": "D0107",
    "tekun": "D0107",
    "elderly_80": "D0107",
    "elderly_90": "D0107",
    "elderly_100": "D0107",
    "pension_basic": "D0108",
    "training_subsidy": "D0108",
    "startup_subsidy": "D0108",
    "welfare_job": "D0108",
    "disability_living": "D0121",
    "disability_care": "D0121",
    "poverty_relief": "D0123",
    "yulu_plan": "D0103",
    "student_grant": "D0103",
    "farmland_subsidy": "D0112",
    "collective_aid": "D0112",
    "market_award": "D0115",
}
RURAL_ONLY = {"dibao_rural", "farmland_subsidy", "collective_aid", "poverty_relief", "yulu_plan"}
# Categories whose money the centre co-finances: their indicators start at central level.
CENTRAL = {
    "dibao_urban",
    "dibao_rural",
    "tekun",
    "pension_basic",
    "farmland_subsidy",
    "poverty_relief",
    "student_grant",
    "yulu_plan",
    "training_subsidy",
    "disability_living",
    "disability_care",
}


@dataclass(frozen=True, slots=True)
class FundLine:
    code: str
    name: str
    department: str
    category: FundCategory
    district: District
    standard_override: int | None  # fen
    days_override: int | None
    changed: dt.datetime
    traced_by_voucher: bool = True  # payments cite treasury vouchers (else FIFO tracing)

    @property
    def kind(self) -> str:
        return self.category.code

    @property
    def standard(self) -> int | None:
        """The line's standard in fen: its own when set, else the category's."""
        if self.standard_override is not None:
            return self.standard_override
        c = self.category
        value = (
            c.standard_per_person_month
            or c.standard_per_person_term
            or c.standard_once
            or c.standard_per_mu_year
        )
        return int(value * 100) if value is not None else None

    @property
    def deadline_days(self) -> int:
        return self.days_override or self.category.disburse_within_days


@dataclass
class Funds:
    departments: list[tuple[str, str, dt.datetime]]
    lines: list[FundLine]

    def line(self, district: District, category: str, by_voucher: bool | None = None) -> FundLine:
        for fl in self.lines:
            if fl.district is district and fl.kind == category:
                if by_voucher is None or fl.traced_by_voucher == by_voucher:
                    return fl
        raise KeyError(f"no {category} line in {district.name}")

    def has(self, district: District, category: str) -> bool:
        return any(fl.district is district and fl.kind == category for fl in self.lines)


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def build_funds(city: City, timeline: Timeline, rng: random.Random) -> Funds:
    first = timeline.first_day
    departments = [
        (code, name, dt.datetime.combine(first - rng.randint(400, 3000) * DAY, dt.time(9, 0)))
        for code, name in DEPARTMENTS
    ]
    lines: list[FundLine] = []
    serial = 0
    for district in city.districts:
        for category in CATEGORIES.values():
            if district.urban and category.code in RURAL_ONLY:
                continue
            variants = [("", True)]
            if category.code == "poverty_relief":
                variants = [("(衔接资金)", True), ("(县级统筹)", False)]
            elif category.source_system not in ("dibao", "onecard", "treasury"):
                variants = [("", False)]
            for suffix, by_voucher in variants:
                serial += 1
                standard = days = None
                r = rng.random()
                if category.code in ("dibao_rural", "dibao_urban") and r < 0.4:
                    standard = _cents(rng.choice(("1100.00", "1150.00")))
                elif category.code == "elderly_80" and district.urban and r < 0.4:
                    standard = _cents("120.00")
                elif category.code == "student_grant" and r < 0.3:
                    standard = _cents("1000.00")
                if category.code == "farmland_subsidy" and rng.random() < 0.5:
                    days = 45
                elif category.code in ("collective_aid", "market_award") and rng.random() < 0.5:
                    days = 120
                elif category.code == "poverty_relief" and rng.random() < 0.5:
                    days = 90
                lines.append(
                    FundLine(
                        code=f"FL{first.year}-{serial:04d}",
                        name=f"{district.name}{category.name_zh}{suffix}",
                        department=DEPARTMENT_OF[category.code],
                        category=category,
                        district=district,
                        standard_override=standard,
                        days_override=days,
                        changed=dt.datetime.combine(
                            first - rng.randint(30, 700) * DAY, dt.time(10, rng.randint(0, 59))
                        ),
                        traced_by_voucher=by_voucher,
                    )
                )
    return Funds(departments, lines)
