"""RFM scores (recency, frequency, monetary value) and the named RFM segments.

Scoring follows the quantile ("quintile" for five bins) RFM coding of Hughes (1994), *Strategic
Database Marketing*, ch. 5, as used by Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value
curves for customer base analysis", Journal of Marketing Research 42(4): each customer is ranked on
each dimension and the ranks are cut into ``bins`` groups of equal size, score ``bins`` being the
best (most recent, most frequent, most money). Unlike a plain ``pandas.qcut``, ties are never
split: the score of a customer depends on the number of customers strictly worse than him,

    score = 1 + floor(bins * (rank_min - 1) / n),   rank_min = scipy.stats.rankdata(goodness, "min")

with goodness = -recency_days, frequency, monetary. Equal inputs always get equal scores and
without ties (n a multiple of ``bins``) every score holds n / bins customers. A dimension whose
values are all equal (in particular a single customer) carries no ranking information: every
customer gets the middle score ``(bins + 1) // 2`` on it.

The named segments are the usual recency x frequency grid of eleven segments of marketing practice
(champions, loyal customers, ... lost; e.g. the RFM segment table of Putler's "RFM analysis"
guide), :data:`DEFAULT_SEGMENT_GRID`, read at the R and F scores.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_non_negative, check_same_length

#: the eleven segment codes, in display order (best first)
RFM_SEGMENTS = (
    "champions",
    "loyal_customers",
    "potential_loyalists",
    "new_customers",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cannot_lose",
    "hibernating",
    "lost",
)


#: segment code of each (R, F) score pair on the 5-scale, indexed ``[r - 1, f - 1]`` (rows R1 .. R5)
DEFAULT_SEGMENT_GRID = np.array((
    # F1               F2                     F3                     F4                 F5
    ("lost",           "lost",                "at_risk",             "at_risk",         "cannot_lose"),
    ("hibernating",    "hibernating",         "at_risk",             "at_risk",         "cannot_lose"),
    ("about_to_sleep", "about_to_sleep",      "need_attention",      "loyal_customers", "loyal_customers"),
    ("promising",      "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"),
    ("new_customers",  "potential_loyalists", "potential_loyalists", "champions",       "champions"),
), dtype=object)
DEFAULT_SEGMENT_GRID.setflags(write=False)

MIN_BINS, MAX_BINS = 2, 9


@dataclasses.dataclass(frozen=True)
class RfmResult:
    """RFM scores of each customer (aligned on the input).

    :ivar r, f, m: int64 scores in 1..bins, higher is better
    :ivar code: object array of strings, one digit per score (``"545"``)
    :ivar segment: object array of segment codes from the grid
    """

    r: np.ndarray
    f: np.ndarray
    m: np.ndarray
    code: np.ndarray
    segment: np.ndarray
    bins: int = 5

    def __len__(self):
        return len(self.r)


def quantile_scores(goodness: ArrayLike, bins: int = 5) -> np.ndarray:
    """Scores 1..bins by rank, ties never split (the module's formula); the middle score when all equal.

    ``rank_min - 1`` is the number of values strictly below a value: it comes from the counts of
    the distinct values (one sort), the same as ``scipy.stats.rankdata(goodness, "min") - 1``.
    """
    goodness = np.asarray(goodness, dtype=np.float64)
    n = len(goodness)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    distinct, inverse, counts = np.unique(goodness, return_inverse=True, return_counts=True)
    if len(distinct) == 1:
        return np.full(n, (bins + 1) // 2, dtype=np.int64)
    below = np.cumsum(counts) - counts
    return (1 + (bins * below) // n).astype(np.int64)[inverse.reshape(-1)]


def check_bins(bins):
    if isinstance(bins, bool) or not float(bins).is_integer() or not MIN_BINS <= bins <= MAX_BINS:
        raise ValueError(f"bins must be a whole number from {MIN_BINS} to {MAX_BINS} (one digit per score), "
                         f"got {bins!r}")
    return int(bins)


def check_segment_grid(segment_grid, bins: int) -> np.ndarray:
    """``segment_grid`` as a read-only (bins x bins) object array of codes of :data:`RFM_SEGMENTS`."""
    grid = np.array(segment_grid, dtype=object)
    if grid.shape != (bins, bins):
        raise ValueError(f"the segment grid must be {bins} x {bins} (one row per R score, one column per "
                         f"F score), got shape {grid.shape}")
    unknown = sorted({str(code) for code in grid.ravel() if code not in RFM_SEGMENTS})
    if unknown:
        raise ValueError(f"unknown segment codes in the grid: {', '.join(unknown)} "
                         f"(allowed: {', '.join(RFM_SEGMENTS)})")
    grid.setflags(write=False)
    return grid


def _code_table(bins):
    digits = np.arange(1, bins + 1).astype(str).astype(object)
    return (digits[:, None, None] + digits[None, :, None] + digits[None, None, :]).ravel()


def rfm_scores(
    recency_days: ArrayLike,
    frequency: ArrayLike,
    monetary: ArrayLike,
    bins: int = 5,
    segment_grid=None,
) -> RfmResult:
    """Quantile RFM scores, RFM codes and named segments of each customer.

    :param recency_days: days since the last purchase (smaller is better), >= 0
    :param frequency: number of purchases, >= 0
    :param monetary: money spent, >= 0
    :param bins: number of scores per dimension, 2..9 (5: quintiles)
    :param segment_grid: ``bins x bins`` segment codes indexed ``[r - 1][f - 1]``; None: the
        :data:`DEFAULT_SEGMENT_GRID` read at the scores mapped to the 5-scale,
        ``s5 = ceil(s * 5 / bins)``
    :rtype: RfmResult
    """
    bins = check_bins(bins)
    recency = as_non_negative("recency_days", recency_days, "negative recency")
    freq = as_non_negative("frequency", frequency, "negative frequency")
    money = as_non_negative("monetary", monetary, "negative money")
    check_same_length(recency_days=recency, frequency=freq, monetary=money)
    if segment_grid is None:
        grid = DEFAULT_SEGMENT_GRID
        to_grid = np.arange(1, bins + 1) * 5
        to_grid = (to_grid + bins - 1) // bins  # ceil(s * 5 / bins): index s - 1 -> 5-scale score
    else:
        grid = check_segment_grid(segment_grid, bins)
        to_grid = np.arange(1, bins + 1)
    r = quantile_scores(-recency, bins)
    f = quantile_scores(freq, bins)
    m = quantile_scores(money, bins)
    code = _code_table(bins)[((r - 1) * bins + (f - 1)) * bins + (m - 1)]
    segment = grid[to_grid[r - 1] - 1, to_grid[f - 1] - 1]
    return RfmResult(r=r, f=f, m=m, code=np.asarray(code, dtype=object),
                     segment=np.asarray(segment, dtype=object), bins=bins)
