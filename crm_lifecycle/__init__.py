"""Customer lifecycle and customer lifetime value engine (pure Python on numpy / scipy).

Public API (no ``odoo`` import):

* :func:`summarize`, :func:`calibration_holdout_split` - transactions to BTYD statistics
* :class:`BetaGeoModel` (BG/NBD), :class:`ModifiedBetaGeoModel` (MBG/NBD), :class:`ParetoNBDModel`,
  :class:`GammaGammaModel`, :func:`simulate_bgnbd`
* :func:`customer_lifetime_value`, :func:`retention_clv`, :func:`historical_clv`
* :data:`STAGES`, :class:`StageThresholds`, :func:`classify_stages`, :func:`revenue_trend`,
  :func:`stage_transitions`
* :func:`pyramid_tiers`, :func:`value_matrix`
* :func:`cohort_table` (Kaplan-Meier group survival), :class:`ShiftedBetaGeometricModel` (sBG retention)
"""

from .bgnbd import BetaGeoModel, ModifiedBetaGeoModel, simulate_bgnbd
from .clv import customer_lifetime_value, historical_clv, monthly_rate, retention_clv
from .cohorts import CohortTable, cohort_table
from .gamma_gamma import GammaGammaModel
from .metrics import annualized, holdout_errors, mean_purchase_gap
from .pareto_nbd import ParetoNBDModel
from .sbg import ShiftedBetaGeometricModel
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
    "ModifiedBetaGeoModel",
    "ParetoNBDModel",
    "ShiftedBetaGeometricModel",
    "StageThresholds",
    "Summary",
    "annualized",
    "calibration_holdout_split",
    "classify_stages",
    "cohort_table",
    "customer_lifetime_value",
    "historical_clv",
    "holdout_errors",
    "mean_purchase_gap",
    "monthly_rate",
    "pyramid_tiers",
    "retention_clv",
    "revenue_trend",
    "simulate_bgnbd",
    "stage_transitions",
    "summarize",
    "value_matrix",
]
