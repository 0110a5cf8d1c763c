"""Acquisition cohorts: the customer group lifecycle.

Customers are grouped by the month (or quarter) of their first purchase; for each cohort and each
period since acquisition the table holds the customers who bought (activity), their share of the
cohort (retention) and the revenue. Group survival is the Kaplan-Meier estimate (Kaplan & Meier
1958, "Nonparametric estimation from incomplete observations", JASA 53) of the time to lapse: a
customer lapses after the last purchase when no purchase follows within ``lapse_periods``; customers
whose last purchase is more recent are censored at their observed age. For a parametric projection
beyond the observed periods, ``ShiftedBetaGeometricModel().fit(table.survival * table.cohort_size[:,
None])`` fits the shifted-beta-geometric model (Fader & Hardie 2007) to these survival curves.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, check_same_length
from .sbg import ShiftedBetaGeometricModel

_UNITS = {"month": "M", "quarter": "M"}


@dataclasses.dataclass(frozen=True)
class CohortTable:
    """Matrices are (cohorts x offsets); offsets the cohort cannot have reached yet are NaN."""

    cohorts: np.ndarray  # datetime64[M] first month of each cohort
    offsets: np.ndarray  # 0 .. max offset, in periods
    cohort_size: np.ndarray  # customers acquired
    customers: np.ndarray  # active customers
    retention: np.ndarray  # active / cohort size
    revenue: np.ndarray  # revenue (refunds included)
    survival: np.ndarray  # Kaplan-Meier S(offset); NaN where a lapse could not be seen yet
    period: str


def _period_index(days, period):
    months = days.astype("datetime64[M]").astype(np.int64)
    return months // 3 if period == "quarter" else months


def cohort_table(
    customer_ids: ArrayLike,
    dates: ArrayLike,
    amounts: ArrayLike,
    observation_end=None,
    period: str = "month",
    lapse_periods: int = 6,
) -> CohortTable:
    """Cohort retention / revenue / survival table from transactions.

    A customer is acquired in the period of the first transaction with a positive amount and is
    active in a period with a positive net amount.
    """
    if period not in _UNITS:
        raise ValueError("period must be 'month' or 'quarter'")
    if lapse_periods < 1:
        raise ValueError("lapse_periods must be at least 1")
    ids = np.asarray(customer_ids, dtype=np.int64).reshape(-1)
    days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
    values = as_1d_float("amounts", amounts)
    check_same_length(customer_ids=ids, dates=days, amounts=values)
    end = np.datetime64(observation_end, "D") if observation_end is not None else (
        days.max() if len(days) else None)
    if end is not None:
        keep = days <= end
        ids, days, values = ids[keep], days[keep], values[keep]
    if len(ids) == 0:
        empty = np.empty((0, 0))
        return CohortTable(np.empty(0, dtype="datetime64[M]"), np.empty(0, dtype=np.int64),
                           np.empty(0, dtype=np.int64), empty, empty, empty, empty, period)
    pidx = _period_index(days, period)
    end_idx = _period_index(np.asarray([end]), period)[0]
    cust, cinv = np.unique(ids, return_inverse=True)
    # net amount per (customer, period)
    key = cinv.astype(np.int64) * (end_idx + 1) + pidx
    ukey, kinv = np.unique(key, return_inverse=True)
    net = np.bincount(kinv, weights=values)
    k_cust, k_period = ukey // (end_idx + 1), ukey % (end_idx + 1)
    active = net > 0
    first = np.full(len(cust), np.iinfo(np.int64).max)
    np.minimum.at(first, k_cust[active], k_period[active])
    last = np.full(len(cust), np.iinfo(np.int64).min)
    np.maximum.at(last, k_cust[active], k_period[active])
    acquired = first != np.iinfo(np.int64).max
    cohort_ids = np.unique(first[acquired])
    n_cohorts = len(cohort_ids)
    n_offsets = int(end_idx - cohort_ids.min()) + 1
    cohort_of = np.searchsorted(cohort_ids, first)
    # activity and revenue per (cohort, offset), acquired customers only
    mask = acquired[k_cust]
    c = cohort_of[k_cust[mask]]
    off = k_period[mask] - first[k_cust[mask]]
    valid = off >= 0  # refunds before the first purchase belong to no offset
    flat = c[valid] * n_offsets + off[valid]
    customers = np.bincount(flat, weights=active[mask][valid].astype(np.float64),
                            minlength=n_cohorts * n_offsets).reshape(n_cohorts, n_offsets)
    revenue = np.bincount(flat, weights=net[mask][valid], minlength=n_cohorts * n_offsets).reshape(
        n_cohorts, n_offsets)
    size = np.bincount(cohort_of[acquired], minlength=n_cohorts)
    reachable = (end_idx - cohort_ids)[:, None] >= np.arange(n_offsets)[None, :]
    customers = np.where(reachable, customers, np.nan)
    revenue = np.where(reachable, revenue, np.nan)
    retention = customers / size[:, None]
    # a lapse shows only lapse_periods after the last purchase: beyond the last offset where it can
    # be seen, the survival of a cohort is unknown (NaN), not flat
    observable = (end_idx - cohort_ids)[:, None] - lapse_periods + 1 >= np.arange(n_offsets)[None, :]
    survival = _kaplan_meier(cohort_of[acquired], (last - first)[acquired],
                             (end_idx - last)[acquired] >= lapse_periods,
                             (end_idx - first)[acquired], n_cohorts, n_offsets, reachable & observable)
    months = cohort_ids * 3 if period == "quarter" else cohort_ids
    return CohortTable(
        cohorts=months.astype("datetime64[M]"),
        offsets=np.arange(n_offsets),
        cohort_size=size.astype(np.int64),
        customers=customers,
        retention=retention,
        revenue=revenue,
        survival=survival,
        period=period,
    )


def _kaplan_meier(cohort, duration_to_last, lapsed, observed_age, n_cohorts, n_offsets, reachable):
    """S(k) per cohort: probability of still being a customer k periods after acquisition.

    A lapsed customer's event time is one period after the last purchase. A customer not (yet)
    known to have lapsed was last seen active at its last purchase: it is censored there, at the
    age of its last purchase, not at the observed age (it may have stopped right after the last
    purchase; counting it alive until the end of observation would bias S upwards while the
    lapses of the others are dated back to their last purchase). S(k) = prod_{j <= k} (1 - d_j / n_j).
    ``observed_age`` only bounds the result (``reachable``).
    """
    del observed_age
    event_time = np.where(lapsed, duration_to_last + 1, duration_to_last)
    k = n_offsets + 1
    events = np.bincount(cohort[lapsed] * k + np.minimum(event_time[lapsed], n_offsets),
                         minlength=n_cohorts * k).reshape(n_cohorts, k)
    exits = np.bincount(cohort * k + np.minimum(event_time, n_offsets),
                        minlength=n_cohorts * k).reshape(n_cohorts, k)
    # at risk at time j: customers whose exit (event or censoring) time is >= j
    at_risk = exits[:, ::-1].cumsum(axis=1)[:, ::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / np.maximum(at_risk, 1), 0.0)
    survival = np.cumprod(1.0 - hazard, axis=1)[:, :n_offsets]
    return np.where(reachable, survival, np.nan)


def project_retention(table: CohortTable, min_customers: int = 10) -> np.ndarray:
    """Shifted-beta-geometric projection (Fader & Hardie 2007) of each cohort's survival, for every
    offset of the table (the reachable ones and the periods it has not reached yet).

    Each cohort with at least ``min_customers`` customers and two observed periods gets its own
    fit on its Kaplan-Meier survivors (S(k) x cohort size); the other cohorts, and those whose own
    fit fails (no customer lost yet), get the fit pooled over all cohorts. NaN where no fit is
    possible at all.
    """
    n_cohorts, n_offsets = table.survival.shape if table.survival.size else (0, 0)
    projection = np.full((n_cohorts, n_offsets), np.nan)
    if n_cohorts == 0 or n_offsets < 2:
        return projection
    survivors = table.survival * table.cohort_size[:, None]
    offsets = np.arange(n_offsets, dtype=np.float64)
    pooled, start = None, None
    try:
        usable = np.sum(~np.isnan(survivors), axis=1) >= 2
        if usable.any():
            pooled_model = ShiftedBetaGeometricModel().fit(survivors[usable])
            pooled, start = pooled_model.survival(offsets), pooled_model.params_
    except ValueError:
        pooled = None
    for row in range(n_cohorts):
        curve = survivors[row]
        observed = int(np.sum(~np.isnan(curve)))
        fitted = None
        if table.cohort_size[row] >= min_customers and observed >= 2:
            try:
                # started from the pooled optimum: a cohort is usually close to the average one
                model = ShiftedBetaGeometricModel().fit(curve[:observed], initial_params=start)
                fitted = model.survival(offsets)
            except ValueError:
                fitted = None
        if fitted is None:
            fitted = pooled
        if fitted is not None:
            projection[row] = fitted
    return projection
