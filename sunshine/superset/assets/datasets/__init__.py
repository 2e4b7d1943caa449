"""The datasets the dashboards read, on two warehouse connections (see common.py)."""

from sunshine.superset.assets.datasets.common import DATABASES, PERSONAL, WAREHOUSE
from sunshine.superset.assets.datasets.operations import (
    BUILD_WARNINGS,
    NIGHT_RECONCILIATION,
    QUALITY_RESULTS,
    TOWN_ACTIVITY,
)
from sunshine.superset.assets.datasets.personal import (
    ALERTS,
    HOUSEHOLD_LEDGER,
    RESUPERVISION_QUEUE,
)
from sunshine.superset.assets.datasets.trace import (
    DISBURSEMENT_DELAYS,
    FUND_FLOW,
    FUND_LINE_BUDGETS,
    FUND_TRACE,
)

DATASETS = (
    FUND_LINE_BUDGETS,
    DISBURSEMENT_DELAYS,
    FUND_TRACE,
    FUND_FLOW,
    TOWN_ACTIVITY,
    QUALITY_RESULTS,
    NIGHT_RECONCILIATION,
    BUILD_WARNINGS,
    HOUSEHOLD_LEDGER,
    ALERTS,
    RESUPERVISION_QUEUE,
)


__all__ = [
    "ALERTS",
    "BUILD_WARNINGS",
    "DATABASES",
    "DATASETS",
    "DISBURSEMENT_DELAYS",
    "FUND_FLOW",
    "FUND_LINE_BUDGETS",
    "FUND_TRACE",
    "HOUSEHOLD_LEDGER",
    "NIGHT_RECONCILIATION",
    "PERSONAL",
    "QUALITY_RESULTS",
    "RESUPERVISION_QUEUE",
    "TOWN_ACTIVITY",
    "WAREHOUSE",
]
