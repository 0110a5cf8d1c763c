"""Customer lifecycle and customer lifetime value engine (pure Python on numpy / scipy).

Public API (no ``odoo`` import):

* :func:`summarize`, :func:`calibration_holdout_split` - transactions to BTYD statistics
* :class:`BetaGeoModel` (BG/NBD), :class:`GammaGammaModel`, :func:`simulate_bgnbd`
* :func:`customer_lifetime_value`, :func:`retention_clv`, :func:`historical_clv`
* :data:`STAGES`, :class:`StageThresholds`, :func:`classify_stages`, :func:`revenue_trend`,
  :func:`stage_transitions`
* :func:`pyramid_tiers`, :func:`value_matrix`
* :func:`cohort_table`
"""

from .bgnbd import BetaGeoModel, simulate_bgnbd
from .clv import customer_lifetime_value, historical_clv, monthly_rate, retention_clv
from .cohorts import CohortTable, cohort_table
from .gamma_gamma import GammaGammaModel
from .stages import STAGES, StageThresholds, classify_stages, revenue_trend, stage_transitions
from .summary import CalibrationHoldout, Summary, calibration_holdout_split, summarize
from .tiers import QUADRANTS, TIERS, pyramid_tiers, value_matrix

__all__ = [
    "QUADRANTS",
    "STAGES",
    "TIERS",
    "BetaGeoModel",
    "CalibrationHoldout",
    "CohortTable",
    "GammaGammaModel",
    "StageThresholds",
    "Summary",
    "calibration_holdout_split",
    "classify_stages",
    "cohort_table",
    "customer_lifetime_value",
    "historical_clv",
    "monthly_rate",
    "pyramid_tiers",
    "retention_clv",
    "revenue_trend",
    "simulate_bgnbd",
    "stage_transitions",
    "summarize",
    "value_matrix",
]
