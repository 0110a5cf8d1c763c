"""Data-mining engine: RFM, segmentation with stable identities, segment transitions (pure Python on
numpy / scipy / scikit-learn; churn/response models and association rules planned).

Public API (no ``odoo`` import):

* :func:`summarize_rfm` - transaction facts to recency, frequency, monetary value and margin
* :func:`rfm_scores` - quantile RFM scores, codes and named segments (:data:`RFM_SEGMENTS`,
  :data:`DEFAULT_SEGMENT_GRID`)
* :func:`segment_customers` - k-means with k by silhouette and identities matched to the previous run
* :func:`segment_transitions` - transition matrix between two labellings
* :func:`score_segments` - the whole segmentation of a company in one call
  (:class:`SegmentationConfig`, :class:`PreviousSegmentation`, :class:`SegmentScores`,
  :data:`FIGURE_KINDS`)
"""

from .clustering import LEVELS, SegmentationResult, mean_silhouette, segment_customers, silhouette_scores
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
    "DEFAULT_SEGMENT_GRID",
    "FIGURE_KINDS",
    "LEVELS",
    "RFM_SEGMENTS",
    "PreviousSegmentation",
    "RfmResult",
    "RfmSummary",
    "SegmentScores",
    "SegmentationConfig",
    "SegmentationResult",
    "TransitionMatrix",
    "cap_clusters",
    "library_versions",
    "mean_silhouette",
    "quantile_scores",
    "rfm_scores",
    "score_segments",
    "segment_customers",
    "segment_transitions",
    "silhouette_scores",
    "summarize_rfm",
]
