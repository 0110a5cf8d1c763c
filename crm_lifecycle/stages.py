"""Customer lifecycle stages decided from data.

The stages follow the relationship lifecycle of the CRM textbooks (Dwyer, Schurr & Oh 1987,
"Developing buyer-seller relationships"; Buttle & Maklan, "Customer Relationship Management",
ch. 2: acquisition / exploration, formation / expansion, stability / commitment, decline /
dissolution), plus *prospect* (no purchase yet) and *churned* (the relationship has ended).
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, check_same_length

STAGES = ("prospect", "acquisition", "formation", "stability", "decline", "churned")


@dataclasses.dataclass(frozen=True)
class StageThresholds:
    """Thresholds of :func:`classify_stages` (all configurable)."""

    #: a customer younger than this (days since first purchase) is still being acquired
    acquisition_days: float = 90.0
    #: stability needs at least this many purchases ...
    stability_min_purchases: int = 4
    #: ... and this tenure in days
    stability_min_tenure_days: float = 365.0
    #: decline when P(alive) falls below this
    decline_alive: float = 0.5
    #: decline when the gap since the last purchase exceeds this multiple of the own rhythm
    decline_gap_factor: float = 2.0
    #: decline when the revenue trend falls below this (-1 .. 1)
    decline_trend: float = -0.5
    #: churned when P(alive) falls below this
    churn_alive: float = 0.15
    #: churned when the gap exceeds this multiple of the own rhythm
    churn_gap_factor: float = 4.0
    #: a one-time buyer silent for longer than this (days) has churned
    one_time_churn_days: float = 365.0
    #: the own rhythm is at least this many days (protects very frequent buyers from noise)
    min_rhythm_days: float = 14.0

    def __post_init__(self):
        if not 0 <= self.churn_alive <= self.decline_alive <= 1:
            raise ValueError("thresholds need 0 <= churn_alive <= decline_alive <= 1")
        if not 0 < self.decline_gap_factor <= self.churn_gap_factor:
            raise ValueError("thresholds need 0 < decline_gap_factor <= churn_gap_factor")
        if self.stability_min_purchases < 2:
            raise ValueError("stability needs at least two purchases")


def classify_stages(
    n_purchases: ArrayLike,
    tenure_days: ArrayLike,
    days_since_last: ArrayLike,
    mean_gap_days: ArrayLike,
    prob_alive: ArrayLike,
    revenue_trend: ArrayLike,
    thresholds: StageThresholds | None = None,
) -> np.ndarray:
    """Lifecycle stage of each customer (an object array of codes from :data:`STAGES`).

    Rules, first match wins:

    1. no purchase: ``prospect``;
    2. ``churned``: P(alive) < churn_alive; or, for repeat buyers, a gap since the last purchase
       above churn_gap_factor x own rhythm *and* P(alive) < decline_alive (the model must agree
       that the customer is more likely gone than not; without a model, NaN P(alive), the gap
       alone decides); or, for one-time buyers, a gap above one_time_churn_days (BG/NBD cannot
       measure their dropout: its P(alive) is 1 without a repeat purchase);
    3. ``acquisition``: a single purchase, or a tenure under acquisition_days;
    4. ``decline``: P(alive) < decline_alive, gap > decline_gap_factor x own rhythm, or revenue
       trend < decline_trend;
    5. ``formation``: fewer than stability_min_purchases purchases or a tenure under
       stability_min_tenure_days;
    6. ``stability`` otherwise.

    The own rhythm is the mean gap between purchases (tenure at last purchase / repeat purchases),
    at least min_rhythm_days; NaN entries of ``mean_gap_days`` (one-time buyers) are allowed, and
    NaN entries of ``prob_alive`` mean "no model": the rules on P(alive) do not apply.
    """
    n = np.asarray(n_purchases, dtype=np.float64)
    tenure = as_1d_float("tenure_days", tenure_days)
    gap = as_1d_float("days_since_last", days_since_last)
    rhythm = np.asarray(mean_gap_days, dtype=np.float64)
    alive = np.asarray(prob_alive, dtype=np.float64).reshape(-1)
    if np.any(np.isinf(alive)):
        raise ValueError("prob_alive contains infinite values")
    trend = as_1d_float("revenue_trend", revenue_trend)
    check_same_length(n_purchases=n, tenure_days=tenure, days_since_last=gap, mean_gap_days=rhythm,
                      prob_alive=alive, revenue_trend=trend)
    th = thresholds or StageThresholds()
    rhythm = np.maximum(np.nan_to_num(rhythm, nan=th.min_rhythm_days), th.min_rhythm_days)
    known = np.isfinite(alive)
    likely_gone = ~known | (alive < th.decline_alive)  # no model: the gap rules decide alone
    repeat = n >= 2
    churned = (n > 0) & (
        (known & (alive < th.churn_alive))
        | (repeat & (gap > th.churn_gap_factor * rhythm) & likely_gone)
        | (~repeat & (gap > th.one_time_churn_days))
    )
    acquisition = (n == 1) | (tenure < th.acquisition_days)
    decline = ((known & (alive < th.decline_alive)) | (gap > th.decline_gap_factor * rhythm)
               | (trend < th.decline_trend))
    formation = (n < th.stability_min_purchases) | (tenure < th.stability_min_tenure_days)
    return np.select(
        [n <= 0, churned, acquisition, decline, formation],
        ["prospect", "churned", "acquisition", "decline", "formation"],
        default="stability",
    ).astype(object)


def revenue_trend(
    customer_ids: ArrayLike, dates: ArrayLike, amounts: ArrayLike, observation_end, window_days: int = 365
) -> tuple[np.ndarray, np.ndarray]:
    """Purchase trend per customer: (R_recent - R_before) / (|R_recent| + |R_before|), in [-1, 1],
    where R_recent is the revenue of the last ``window_days`` up to ``observation_end`` and R_before
    that of the window before it; 0 without revenue in either window.

    :return: ``(unique customer ids, trend)``
    """
    ids = np.asarray(customer_ids, dtype=np.int64)
    days = np.asarray(dates, dtype="datetime64[D]")
    values = as_1d_float("amounts", amounts)
    check_same_length(customer_ids=ids, dates=days, amounts=values)
    end = np.datetime64(observation_end, "D")
    age = (end - days).astype(np.int64)
    unique, inverse = np.unique(ids, return_inverse=True)
    recent = np.bincount(inverse, weights=np.where((age >= 0) & (age < window_days), values, 0.0),
                         minlength=len(unique))
    earlier = (age >= window_days) & (age < 2 * window_days)
    before = np.bincount(inverse, weights=np.where(earlier, values, 0.0), minlength=len(unique))
    scale = np.abs(recent) + np.abs(before)
    with np.errstate(invalid="ignore", divide="ignore"):
        trend = np.where(scale > 0, (recent - before) / scale, 0.0)
    return unique, trend


def _stage_index(codes, stages):
    """Position of each code in ``stages``, -1 for empty (None / False / '') or unknown codes."""
    empty = (codes == None) | (codes == False) | (codes == "")  # noqa: E711, E712 - element-wise
    text = np.where(empty, "", codes).astype(str)
    names = np.asarray(stages, dtype=str)
    order = np.argsort(names)
    pos = np.clip(np.searchsorted(names[order], text), 0, len(names) - 1)
    found = (names[order][pos] == text) & ~empty
    return np.where(found, order[pos], -1)


def stage_transitions(
    previous: ArrayLike, current: ArrayLike, stages: tuple[str, ...] = STAGES
) -> tuple[np.ndarray, np.ndarray]:
    """Compare two stage assignments of the same customers.

    :param previous: stage codes before (``None`` / ``False`` / ``''`` for customers seen first)
    :return: ``(changed, matrix)``: a boolean mask of the customers whose stage changed, and the
        from x to count matrix over ``stages`` (rows: from, columns: to; new customers are not
        counted in the matrix).
    """
    prev = np.asarray(previous, dtype=object).reshape(-1)
    cur = np.asarray(current, dtype=object).reshape(-1)
    if prev.shape != cur.shape:
        raise ValueError("previous and current must have the same length")
    prev_idx = _stage_index(prev, stages)
    cur_idx = _stage_index(cur, stages)
    unknown = cur_idx < 0
    if np.any(unknown):
        raise ValueError(f"unknown stages {sorted(set(map(str, cur[unknown])))}")
    changed = prev_idx != cur_idx
    known = prev_idx >= 0
    k = len(stages)
    matrix = np.bincount(prev_idx[known] * k + cur_idx[known], minlength=k * k).reshape(k, k)
    return changed, matrix
