"""The dashboards, one module per subject; DASHBOARDS lists them in menu order."""

from sunshine.superset.assets.dashboards.alerts import ALERTS
from sunshine.superset.assets.dashboards.budget import BUDGET_OVERVIEW
from sunshine.superset.assets.dashboards.delays import DISBURSEMENT_DELAYS
from sunshine.superset.assets.dashboards.households import HOUSEHOLD_LEDGER
from sunshine.superset.assets.dashboards.quality import DATA_QUALITY
from sunshine.superset.assets.dashboards.towns import TOWN_HEATMAP
from sunshine.superset.assets.dashboards.trace import FUND_TRACE

DASHBOARDS = (
    BUDGET_OVERVIEW,
    DISBURSEMENT_DELAYS,
    ALERTS,
    FUND_TRACE,
    HOUSEHOLD_LEDGER,
    DATA_QUALITY,
    TOWN_HEATMAP,
)

__all__ = ["DASHBOARDS"]
