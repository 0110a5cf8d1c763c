"""Customer features at a cut-off date, from the transactions before it (no leakage).

The predictive models (churn, campaign response) describe each customer by what was known on a
cut-off day ``c``: only the rows dated on or before ``c`` and after ``c - history_days`` are read, so
the features at an earlier cut-off never see the later purchases that its label is made of (the
leakage that inflates back-tests, Kaufman et al. 2012, "Leakage in data mining").

Rows (:class:`Transactions`) are invoice lines aggregated per customer, day and product category:
net revenue (credit notes negative, on their own date) and margin. A *purchase day* is a day with
a positive net revenue (as in :func:`crm_mining.summarize_rfm`). Per customer buying in the
history window (features named in :data:`BASE_FEATURES`):

* ``recency_days``: days from the last purchase day to ``c``;
* ``frequency``: purchase days; ``monetary``: net revenue; ``avg_order_value``: gross revenue per
  purchase day; ``tenure_days``: days since the first purchase day of the history window (at most
  ``history_days``: a customer of many years and one of two years look alike);
* ``spend_trend``: (R1 - R0) / (R1 + R0) of the revenue of the last ``trend_days`` (R1) and the
  ``trend_days`` before (R0): -1 stopped buying, +1 new spend, 0 steady or nothing;
* ``mean_gap_days`` and ``gap_cv`` (standard deviation / mean) of the days between purchase days
  (NaN with fewer than 2, resp. 3, purchase days), ``overdue_ratio`` = recency / mean gap;
* ``margin_rate`` = margin / net revenue (NaN without revenue), ``refund_share`` = credit notes /
  gross revenue;
* ``category:<id>``: share of the gross revenue in each category of ``categories`` (the category
  mix);
* ``event:<name>``: sum (or mean) of a dated extra series in the ``events_days`` before ``c``
  (service cases, calls, satisfaction ratings when the service addons exist).
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, as_ids, check_same_length

BASE_FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "avg_order_value",
    "tenure_days",
    "spend_trend",
    "mean_gap_days",
    "gap_cv",
    "overdue_ratio",
    "margin_rate",
    "refund_share",
)
EVENT_AGGREGATES = ("sum", "mean", "count")


@dataclasses.dataclass(frozen=True)
class Transactions:
    """Aligned rows: customer, day, net revenue (negative for credit notes), margin and, optionally,
    a product category id (-1 or any id outside ``categories`` for none)."""

    partner_ids: np.ndarray
    dates: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    categories: np.ndarray

    def __len__(self):
        return len(self.partner_ids)

    @classmethod
    def from_arrays(
        cls,
        partner_ids: ArrayLike,
        dates: ArrayLike,
        revenue: ArrayLike,
        margin: ArrayLike | None = None,
        categories: ArrayLike | None = None,
    ) -> "Transactions":
        """Checked, sorted by customer then day."""
        ids = as_ids("partner_ids", partner_ids)
        days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
        rev = as_1d_float("revenue", revenue)
        mar = np.zeros_like(rev) if margin is None else as_1d_float("margin", margin)
        cat = (
            np.full(len(ids), -1, dtype=np.int64) if categories is None else as_ids("categories", categories)
        )
        check_same_length(partner_ids=ids, dates=days, revenue=rev, margin=mar, categories=cat)
        if np.any(np.isnat(days)):
            raise ValueError("dates contains missing dates")
        order = np.lexsort((days.astype(np.int64), ids))
        return cls(ids[order], days[order], rev[order], mar[order], cat[order])


@dataclasses.dataclass(frozen=True)
class Events:
    """A dated extra series: ``value`` of ``partner_ids`` on ``dates``, aggregated by ``how``
    (sum, mean or count) over the ``events_days`` before the cut-off."""

    partner_ids: np.ndarray
    dates: np.ndarray
    values: np.ndarray
    how: str = "sum"

    @classmethod
    def from_arrays(cls, partner_ids, dates, values=None, how="sum") -> "Events":
        if how not in EVENT_AGGREGATES:
            raise ValueError(f"how must be one of {EVENT_AGGREGATES}, got {how!r}")
        ids = as_ids("event partner_ids", partner_ids)
        days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
        vals = np.ones(len(ids)) if values is None else as_1d_float("event values", values)
        check_same_length(partner_ids=ids, dates=days, values=vals)
        if np.any(np.isnat(days)):
            raise ValueError("event dates contains missing dates")
        return cls(ids, days, vals, how)


@dataclasses.dataclass(frozen=True)
class FeatureConfig:
    """Windows of :func:`customer_features` (days)."""

    history_days: int = 730
    trend_days: int = 180
    events_days: int = 90

    def __post_init__(self):
        for name in ("history_days", "trend_days", "events_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not float(value).is_integer() or value < 1:
                raise ValueError(f"{name} must be a whole number of days of at least 1, got {value!r}")


@dataclasses.dataclass(frozen=True)
class FeatureMatrix:
    """Features of the customers buying in the history window before ``cutoff``, sorted by id."""

    cutoff: np.datetime64
    partner_ids: np.ndarray
    names: tuple
    X: np.ndarray

    def __len__(self):
        return len(self.partner_ids)

    def column(self, name):
        return self.X[:, self.names.index(name)]


def feature_names(categories=(), events=None):
    """The column names of :func:`customer_features` for these categories and events."""
    return (
        *BASE_FEATURES,
        *(f"category:{int(c)}" for c in categories),
        *(f"event:{name}" for name in sorted(events or {})),
    )


def _group_index(ids):
    """Index of each row's group among the sorted, distinct ``ids`` and the distinct ids."""
    new = np.ones(len(ids), dtype=bool)
    new[1:] = ids[1:] != ids[:-1]
    return np.cumsum(new) - 1, ids[new]


def _ratio(num, den):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def _gap_statistics(group, day, n):
    """Mean and coefficient of variation of the days between consecutive purchase days of each of
    the ``n`` customers (``group``: the customer of each purchase day, sorted)."""
    same = group[1:] == group[:-1]
    gaps = (day[1:] - day[:-1])[same].astype(np.float64)
    gap_group = group[1:][same]
    gap_n = np.bincount(gap_group, minlength=n).astype(np.float64)
    mean_gap = _ratio(np.bincount(gap_group, weights=gaps, minlength=n), gap_n)
    gap_sq = np.bincount(gap_group, weights=(gaps - mean_gap[gap_group]) ** 2, minlength=n)
    gap_std = np.sqrt(_ratio(gap_sq, gap_n - 1))
    return mean_gap, np.where(gap_n >= 2, _ratio(gap_std, mean_gap), np.nan)


def _event_columns(events, cutoff, window_days, customers):
    columns = []
    for name in sorted(events or {}):
        series = events[name]
        days = series.dates.astype("datetime64[D]")
        keep = (days <= cutoff) & (days > cutoff - np.timedelta64(window_days, "D"))
        ids, vals = series.partner_ids[keep], series.values[keep]
        pos = np.searchsorted(customers, ids)
        pos_ok = pos < len(customers)
        match = np.zeros(len(ids), dtype=bool)
        match[pos_ok] = customers[pos[pos_ok]] == ids[pos_ok]
        pos, vals = pos[match], vals[match]
        total = np.bincount(pos, weights=vals, minlength=len(customers))
        count = np.bincount(pos, minlength=len(customers)).astype(np.float64)
        if series.how == "sum":
            columns.append(total)
        elif series.how == "count":
            columns.append(count)
        else:
            columns.append(_ratio(total, count))
    return columns


def customer_features(
    transactions: Transactions,
    cutoff,
    categories: ArrayLike = (),
    events: dict | None = None,
    config: FeatureConfig = FeatureConfig(),  # frozen, hence safe as a default
) -> FeatureMatrix:
    """The features of every customer with a purchase day in ``(cutoff - history_days, cutoff]``.

    :param transactions: the rows (:meth:`Transactions.from_arrays`); rows after ``cutoff`` are
        never read
    :param cutoff: the cut-off day
    :param categories: category ids whose revenue shares are features (chosen by the caller without
        looking past the earliest cut-off, see :func:`top_categories`)
    :param events: ``{name: Events}`` extra dated series
    :rtype: FeatureMatrix
    """
    cutoff = np.datetime64(cutoff, "D")
    if np.isnat(cutoff):
        raise ValueError("cutoff is missing")
    categories = np.asarray(categories, dtype=np.int64).reshape(-1)
    names = feature_names(categories, events)
    start = cutoff - np.timedelta64(config.history_days, "D")
    tx = transactions
    keep = (tx.dates <= cutoff) & (tx.dates > start)
    ids, days, rev, mar, cat = (
        tx.partner_ids[keep],
        tx.dates[keep].astype(np.int64),
        tx.revenue[keep],
        tx.margin[keep],
        tx.categories[keep],
    )
    if not len(ids):
        return FeatureMatrix(cutoff, np.empty(0, dtype=np.int64), names, np.empty((0, len(names))))
    # purchase days: one net amount per (customer, day), rows already sorted by customer and day
    new_day = np.ones(len(ids), dtype=bool)
    new_day[1:] = (ids[1:] != ids[:-1]) | (days[1:] != days[:-1])
    day_rows = np.flatnonzero(new_day)
    day_ids, day_of = ids[day_rows], days[day_rows]
    day_net = np.add.reduceat(rev, day_rows)
    buying = day_net > 0
    p_ids, p_day = day_ids[buying], day_of[buying]
    p_group, customers = _group_index(p_ids)
    n = len(customers)
    if not n:
        return FeatureMatrix(cutoff, np.empty(0, dtype=np.int64), names, np.empty((0, len(names))))
    c = cutoff.astype(np.int64)
    frequency = np.bincount(p_group, minlength=n).astype(np.float64)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, p_group, p_day)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, p_group, p_day)
    mean_gap, gap_cv = _gap_statistics(p_group, p_day, n)
    recency = (c - last).astype(np.float64)

    # row-level sums of the buying customers (rows of other customers are refunds only: dropped)
    pos = np.searchsorted(customers, ids)
    pos = np.minimum(pos, n - 1)
    known = customers[pos] == ids
    pos, r_rev, r_mar, r_days, r_cat = pos[known], rev[known], mar[known], days[known], cat[known]
    net = np.bincount(pos, weights=r_rev, minlength=n)
    gross = np.bincount(pos, weights=np.maximum(r_rev, 0.0), minlength=n)
    refunds = np.bincount(pos, weights=np.maximum(-r_rev, 0.0), minlength=n)
    margin = np.bincount(pos, weights=r_mar, minlength=n)
    recent = r_days > c - config.trend_days
    before = ~recent & (r_days > c - 2 * config.trend_days)
    r1 = np.bincount(pos[recent], weights=r_rev[recent], minlength=n)
    r0 = np.bincount(pos[before], weights=r_rev[before], minlength=n)
    r1, r0 = np.maximum(r1, 0.0), np.maximum(r0, 0.0)
    trend = np.nan_to_num(_ratio(r1 - r0, r1 + r0), nan=0.0)
    columns = [
        recency,
        frequency,
        np.maximum(net, 0.0),
        gross / frequency,
        (c - first).astype(np.float64),
        trend,
        mean_gap,
        gap_cv,
        _ratio(recency, mean_gap),
        _ratio(margin, np.where(net > 0, net, 0.0)),
        np.nan_to_num(_ratio(refunds, gross), nan=0.0),
    ]
    for category in categories:
        in_cat = r_cat == category
        share = np.bincount(pos[in_cat], weights=np.maximum(r_rev[in_cat], 0.0), minlength=n)
        columns.append(np.nan_to_num(_ratio(share, gross), nan=0.0))
    columns += _event_columns(events, cutoff, config.events_days, customers)
    return FeatureMatrix(cutoff, customers, names, np.column_stack(columns))


def top_categories(transactions: Transactions, until, count: int) -> np.ndarray:
    """The ``count`` categories with the most gross revenue on or before ``until`` (ids >= 0)."""
    until = np.datetime64(until, "D")
    keep = (transactions.dates <= until) & (transactions.categories >= 0) & (transactions.revenue > 0)
    if not count or not keep.any():
        return np.empty(0, dtype=np.int64)
    cats, inverse = np.unique(transactions.categories[keep], return_inverse=True)
    totals = np.bincount(inverse, weights=transactions.revenue[keep])
    order = np.lexsort((cats, -totals))[:count]
    return np.sort(cats[order])


def purchased_within(transactions: Transactions, partner_ids: ArrayLike, starts, days: int) -> np.ndarray:
    """Whether each customer had a purchase day in ``(start, start + days]`` (aligned, bool).

    ``starts``: one day for all customers, or one per customer (the date each was contacted).
    """
    ids = as_ids("partner_ids", partner_ids)
    start = np.broadcast_to(np.asarray(starts, dtype="datetime64[D]"), ids.shape).astype(np.int64)
    tx = transactions
    new_day = np.ones(len(tx), dtype=bool)
    new_day[1:] = (tx.partner_ids[1:] != tx.partner_ids[:-1]) | (tx.dates[1:] != tx.dates[:-1])
    rows = np.flatnonzero(new_day)
    net = np.add.reduceat(tx.revenue, rows) if len(rows) else np.empty(0)
    buy = net > 0
    b_ids, b_day = tx.partner_ids[rows][buy], tx.dates[rows][buy].astype(np.int64)
    # first purchase day after each start: rows sorted by (id, day), search (id, start)
    key_rows = b_ids.astype(np.float64) * 1e6 + b_day  # ids < 9e9, days < 1e6: exact in float64
    key = ids.astype(np.float64) * 1e6 + start
    pos = np.searchsorted(key_rows, key, side="right")
    found = pos < len(b_ids)
    out = np.zeros(len(ids), dtype=bool)
    hit = pos[found]
    out[found] = (b_ids[hit] == ids[found]) & (b_day[hit] <= start[found] + days)
    return out
