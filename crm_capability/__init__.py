"""CRM capability assessment engine: indicator trees weighted by AHP, fuzzy comprehensive evaluation,
investment appraisal (pure Python on numpy / scipy).

Public API (no ``odoo`` import):

* :func:`ahp_priorities` - AHP priorities, lambda_max, CI, CR, Harker completion of missing
  judgments and the judgment that hurts consistency most (:class:`AHPResult`, :data:`SAATY_SCALE`,
  :data:`RANDOM_INDEX`, :data:`CR_THRESHOLD`, :func:`saaty_round`, :func:`check_judgments`)
* :func:`aggregate_judgments` - weighted geometric mean of several assessors' judgment matrices
* :func:`membership_from_ratings`, :func:`membership_from_value` - grade membership vectors from
  assessors' ratings or from measured values (triangular / trapezoidal functions)
* :func:`fuzzy_evaluate` - bottom-up fuzzy comprehensive evaluation of an indicator tree
  (:class:`FuzzyResult`, :data:`OPERATORS`), :func:`score` and :func:`grade_index` of the vectors
  (:data:`DEFAULT_GRADE_VALUES`)
* :func:`npv`, :func:`irr`, :func:`payback_period`, :func:`discounted_payback_period` and
  :func:`evaluate_project` - TCO, NPV, IRR, ROI and payback of a project (:class:`ProjectEvaluation`,
  :data:`COST_CATEGORIES`)
* :func:`evaluate_capability` - the whole assessment of a tree in one call (:class:`CapabilityEvaluation`,
  :data:`WEIGHT_SOURCES`)
* :func:`period_kpis` - revenue growth, margin rate, retention and repeat-revenue share of a period
  (:class:`PeriodKpis`)
"""

from .ahp import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    SAATY_SCALE,
    AHPResult,
    aggregate_judgments,
    ahp_priorities,
    check_judgments,
    random_index,
    saaty_round,
)
from .evaluation import WEIGHT_SOURCES, CapabilityEvaluation, evaluate_capability
from .finance import (
    COST_CATEGORIES,
    ProjectEvaluation,
    discounted_payback_period,
    evaluate_project,
    irr,
    npv,
    payback_period,
)
from .fuzzy import (
    DEFAULT_GRADE_VALUES,
    OPERATORS,
    FuzzyResult,
    fuzzy_evaluate,
    grade_index,
    membership_from_ratings,
    membership_from_value,
    score,
)
from .kpis import PeriodKpis, period_kpis

__all__ = [
    "COST_CATEGORIES",
    "CR_THRESHOLD",
    "DEFAULT_GRADE_VALUES",
    "OPERATORS",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "WEIGHT_SOURCES",
    "AHPResult",
    "CapabilityEvaluation",
    "FuzzyResult",
    "PeriodKpis",
    "ProjectEvaluation",
    "aggregate_judgments",
    "ahp_priorities",
    "check_judgments",
    "discounted_payback_period",
    "evaluate_capability",
    "evaluate_project",
    "fuzzy_evaluate",
    "grade_index",
    "irr",
    "membership_from_ratings",
    "membership_from_value",
    "npv",
    "payback_period",
    "period_kpis",
    "random_index",
    "saaty_round",
    "score",
]
