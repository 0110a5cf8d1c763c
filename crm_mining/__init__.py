"""Data-mining engine: RFM, segmentation with stable identities, segment transitions (pure Python on
numpy / scipy / scikit-learn).

Public API (no ``odoo`` import):

* :func:`summarize_rfm` - transaction facts to recency, frequency, monetary value and margin
* :func:`rfm_scores` - quantile RFM scores, codes and named segments (:data:`RFM_SEGMENTS`,
  :data:`DEFAULT_SEGMENT_GRID`)
* :func:`segment_customers` - k-means with k by silhouette and identities matched to the previous run
* :func:`segment_transitions` - transition matrix between two labellings
* :func:`score_segments` - the whole segmentation of a company in one call
  (:class:`SegmentationConfig`, :class:`PreviousSegmentation`, :class:`SegmentScores`,
  :data:`FIGURE_KINDS`)
* :func:`customer_features` - features of each customer at a cut-off date, without leakage
  (:class:`Transactions`, :class:`Events`, :class:`FeatureConfig`)
* :func:`score_churn` - churn probabilities with time-split validation, baselines and feature
  importance (:class:`ChurnConfig`, :class:`ChurnScores`, :data:`CHURN_FIGURE_KINDS`)
* :func:`fit_response_tree` - the pruned campaign-response tree and its rules
  (:func:`contact_examples`, :class:`ResponseConfig`, :class:`ResponseTree`)
* :func:`association_rules` and :func:`recommend` - market-basket rules and cross-sell offers
* :func:`ranking_metrics` - AUC, Brier, precision at k, gains and lift
"""

from .association import AssociationRules, Recommendations, association_rules, recommend
from .churn import CHURN_FIGURE_KINDS, RISK_BANDS, ChurnConfig, ChurnScores, score_churn
from .clustering import LEVELS, SegmentationResult, mean_silhouette, segment_customers, silhouette_scores
from .evaluation import RankingMetrics, gains_by_decile, ranking_metrics
from .features import (
    BASE_FEATURES,
    Events,
    FeatureConfig,
    FeatureMatrix,
    Transactions,
    customer_features,
    feature_names,
    purchased_within,
    top_categories,
)
from .response import ResponseConfig, ResponseRule, ResponseTree, contact_examples, fit_response_tree
from .rfm import DEFAULT_SEGMENT_GRID, RFM_SEGMENTS, RfmResult, quantile_scores, rfm_scores
from .scoring import (
    FIGURE_KINDS,
    PreviousSegmentation,
    SegmentationConfig,
    SegmentScores,
    cap_clusters,
    library_versions,
    score_segments,
)
from .summary import RfmSummary, summarize_rfm
from .transitions import TransitionMatrix, segment_transitions

__all__ = [
    "BASE_FEATURES",
    "CHURN_FIGURE_KINDS",
    "DEFAULT_SEGMENT_GRID",
    "FIGURE_KINDS",
    "LEVELS",
    "RFM_SEGMENTS",
    "RISK_BANDS",
    "AssociationRules",
    "ChurnConfig",
    "ChurnScores",
    "Events",
    "FeatureConfig",
    "FeatureMatrix",
    "PreviousSegmentation",
    "RankingMetrics",
    "Recommendations",
    "ResponseConfig",
    "ResponseRule",
    "ResponseTree",
    "RfmResult",
    "RfmSummary",
    "SegmentScores",
    "SegmentationConfig",
    "SegmentationResult",
    "Transactions",
    "TransitionMatrix",
    "association_rules",
    "cap_clusters",
    "contact_examples",
    "customer_features",
    "feature_names",
    "fit_response_tree",
    "gains_by_decile",
    "library_versions",
    "mean_silhouette",
    "purchased_within",
    "quantile_scores",
    "ranking_metrics",
    "recommend",
    "rfm_scores",
    "score_churn",
    "score_segments",
    "segment_customers",
    "segment_transitions",
    "silhouette_scores",
    "summarize_rfm",
    "top_categories",
]
