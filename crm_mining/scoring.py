"""Every segmentation figure of every customer, in one call.

:func:`score_segments` turns the RFM inputs of one company's customers (:func:`summarize_rfm`
gives them from the transaction facts) and the previously published segmentation into the figures
the Odoo addon stores per customer: the RFM scores, code and named segment (:func:`rfm_scores`)
and the k-means cluster with its stable identity (:func:`segment_customers` on the features
``[recency_days, frequency, monetary]``), plus the transition matrices from the previous run.
The customers are returned sorted by partner id, so that the result does not depend on the order
of the input.
"""

import dataclasses

import numpy as np
import scipy
import sklearn
from numpy.typing import ArrayLike

from ._validation import as_1d_float, as_ids, as_non_negative, check_same_length, check_unique
from .clustering import SegmentationResult, segment_customers
from .rfm import RfmResult, check_bins, check_segment_grid, rfm_scores
from .transitions import TransitionMatrix, segment_transitions

#: figure names and kinds, in storage order: every per-customer value :func:`score_segments` returns
FIGURE_KINDS = {
    "recency_days": "int",
    "frequency": "int",
    "monetary": "float",
    "margin": "float",
    "r_score": "int",
    "f_score": "int",
    "m_score": "int",
    "rfm_code": "text",
    "rfm_segment": "text",
    "cluster": "int",
}
_DTYPES = {"int": np.int64, "float": np.float64, "text": object}


@dataclasses.dataclass(frozen=True)
class SegmentationConfig:
    """The settings of a segmentation run (see :func:`rfm_scores` and :func:`segment_customers`)."""

    bins: int = 5
    k: int | None = None
    k_range: tuple = (2, 8)
    random_state: int = 0
    segment_grid: object = None
    sample_size: int = 10000
    silhouette_sample: int = 3000

    def __post_init__(self):
        check_bins(self.bins)
        if self.segment_grid is not None:
            check_segment_grid(self.segment_grid, self.bins)
        if self.k is not None and (isinstance(self.k, bool) or not float(self.k).is_integer() or self.k < 1):
            raise ValueError(f"k must be a whole number of at least 1 (or None to choose it), got {self.k!r}")
        if len(self.k_range) != 2 or not 2 <= self.k_range[0] <= self.k_range[1]:
            raise ValueError(f"k_range must be (smallest, largest) with 2 <= smallest <= largest, "
                             f"got {self.k_range!r}")


@dataclasses.dataclass(frozen=True)
class PreviousSegmentation:
    """The published segmentation a run compares with (every part optional).

    :ivar centroids: (k0 x 3) standardised centroids of the previous clustering
    :ivar identities: their identities (default ``0..k0-1``)
    :ivar partner_ids: customers of the previous run, with aligned ``clusters`` (identity) and
        ``rfm_segments`` (segment code); None entries count as not segmented
    :ivar next_identity: the smallest identity a new cluster may get (identities used by any earlier
        run, vanished ones included, are never given to another cluster)
    """

    centroids: object = None
    identities: object = None
    partner_ids: object = None
    clusters: object = None
    rfm_segments: object = None
    next_identity: int = 0


@dataclasses.dataclass(frozen=True)
class SegmentScores:
    """What :func:`score_segments` returns.

    ``figures`` maps every name of :data:`FIGURE_KINDS` to an array aligned on ``partner_ids``
    (sorted). ``clustering`` is None without customers; the transition matrices are None without a
    previous labelling to compare with.
    """

    partner_ids: np.ndarray
    figures: dict
    rfm: RfmResult
    clustering: SegmentationResult | None
    rfm_transitions: TransitionMatrix | None
    cluster_transitions: TransitionMatrix | None
    versions: dict

    def __len__(self):
        return len(self.partner_ids)


def library_versions() -> dict:
    """Versions of the numerical libraries (reproducibility data of a run)."""
    return {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}


def _transitions(previous, field, ids, labels, weights):
    """Transitions from the previous run's ``field`` labelling (None when there is none)."""
    before = getattr(previous, field, None)
    if previous is None or previous.partner_ids is None or before is None:
        return None
    return segment_transitions(previous.partner_ids, before, ids, labels, to_weights=weights)


def cap_clusters(config: SegmentationConfig, recency_days: ArrayLike, frequency: ArrayLike,
                 monetary: ArrayLike) -> SegmentationConfig:
    """``config`` with a fixed number of clusters lowered to the number of distinct customers
    (recency, frequency, monetary) when it exceeds it: :func:`score_segments` refuses such a k, a
    caller that must always score (a nightly refresh of a small company) caps it first. A config
    choosing k by silhouette (``k`` None) is returned as it is.
    """
    if not config.k or not len(recency_days):
        return config
    rows = np.column_stack([np.asarray(recency_days), np.asarray(frequency), np.asarray(monetary)])
    distinct = len(np.unique(rows, axis=0))
    return dataclasses.replace(config, k=distinct) if config.k > distinct else config


def score_segments(
    partner_ids: ArrayLike,
    recency_days: ArrayLike,
    frequency: ArrayLike,
    monetary: ArrayLike,
    margin: ArrayLike,
    config: SegmentationConfig = SegmentationConfig(),  # frozen, hence safe as a default
    previous: PreviousSegmentation | None = None,
) -> SegmentScores:
    """Score every customer of a company: RFM, segment, cluster, transitions from the previous run.

    :param partner_ids: customer ids (unique)
    :param recency_days, frequency, monetary, margin: aligned RFM inputs (:func:`summarize_rfm`);
        recency, frequency and money non-negative, margin any finite value
    :param config: run settings
    :param previous: the published segmentation: its centroids keep the cluster identities, its
        labels give the transition matrices (weighted by the customers' current monetary value)
    :rtype: SegmentScores
    """
    ids = as_ids("partner_ids", partner_ids)
    recency = as_non_negative("recency_days", recency_days, "negative recency")
    freq = as_non_negative("frequency", frequency, "negative frequency")
    money = as_non_negative("monetary", monetary, "negative money")
    mar = as_1d_float("margin", margin)
    check_same_length(partner_ids=ids, recency_days=recency, frequency=freq, monetary=money, margin=mar)
    check_unique("partner_ids", ids)
    order = np.argsort(ids, kind="stable")
    ids, recency, freq, money, mar = ids[order], recency[order], freq[order], money[order], mar[order]

    rfm = rfm_scores(recency, freq, money, bins=config.bins, segment_grid=config.segment_grid)
    clustering = None
    cluster = np.empty(0, dtype=np.int64)
    if len(ids):
        clustering = segment_customers(
            np.column_stack([recency, freq, money]),
            k=config.k,
            random_state=config.random_state,
            previous_centroids=None if previous is None else previous.centroids,
            previous_identities=None if previous is None else previous.identities,
            next_identity=0 if previous is None else previous.next_identity,
            k_range=config.k_range,
            sample_size=config.sample_size,
            silhouette_sample=config.silhouette_sample,
        )
        cluster = clustering.labels
    figures = {
        "recency_days": np.rint(recency),
        "frequency": np.rint(freq),
        "monetary": money,
        "margin": mar,
        "r_score": rfm.r,
        "f_score": rfm.f,
        "m_score": rfm.m,
        "rfm_code": rfm.code,
        "rfm_segment": rfm.segment,
        "cluster": cluster,
    }
    figures = {name: np.asarray(figures[name], dtype=_DTYPES[kind]) for name, kind in FIGURE_KINDS.items()}
    return SegmentScores(
        partner_ids=ids,
        figures=figures,
        rfm=rfm,
        clustering=clustering,
        rfm_transitions=_transitions(previous, "rfm_segments", ids, rfm.segment, money),
        cluster_transitions=_transitions(previous, "clusters", ids, cluster, money),
        versions=library_versions(),
    )
