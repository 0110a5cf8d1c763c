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
* :func:`score_customers` - the whole per-customer scoring of a company in one call
  (:class:`ScoringConfig`, :class:`Baseline`, :class:`CustomerScores`, :data:`FIGURE_KINDS`)
"""

from .bgnbd import BetaGeoModel, ModifiedBetaGeoModel, simulate_bgnbd
from .clv import customer_lifetime_value, expected_retention_clv, historical_clv, monthly_rate, retention_clv
from .cohorts import CohortTable, cohort_table, project_retention
from .gamma_gamma import GammaGammaModel
from .metrics import annualized, holdout_errors, mean_purchase_gap
from .pareto_nbd import ParetoNBDModel
from .sbg import ShiftedBetaGeometricModel
from .scoring import (
    FIGURE_KINDS,
    MODEL_FIGURES,
    PURCHASE_MODELS,
    Baseline,
    CustomerScores,
    ModelFit,
    ScoringConfig,
    compare_models,
    fit_purchase_model,
    score_customers,
)
from .stages import STAGES, StageThresholds, classify_stages, revenue_trend, stage_transitions
from .summary import CalibrationHoldout, Summary, calibration_holdout_split, summarize
from .tiers import QUADRANTS, TIERS, pyramid_tiers, value_matrix

__all__ = [
    "FIGURE_KINDS",
    "MODEL_FIGURES",
    "PURCHASE_MODELS",
    "QUADRANTS",
    "STAGES",
    "TIERS",
    "Baseline",
    "BetaGeoModel",
    "CalibrationHoldout",
    "CohortTable",
    "CustomerScores",
    "GammaGammaModel",
    "ModelFit",
    "ModifiedBetaGeoModel",
    "ParetoNBDModel",
    "ScoringConfig",
    "ShiftedBetaGeometricModel",
    "StageThresholds",
    "Summary",
    "annualized",
    "calibration_holdout_split",
    "classify_stages",
    "cohort_table",
    "compare_models",
    "customer_lifetime_value",
    "expected_retention_clv",
    "fit_purchase_model",
    "historical_clv",
    "holdout_errors",
    "mean_purchase_gap",
    "monthly_rate",
    "project_retention",
    "pyramid_tiers",
    "retention_clv",
    "revenue_trend",
    "score_customers",
    "simulate_bgnbd",
    "stage_transitions",
    "summarize",
    "value_matrix",
]
