"""Business figures of an assessment period from customer transaction facts: revenue and its
growth, margin rate, customer retention rate and the repeat-revenue share.

Definitions (the period is ``[start, end]``, both days included, of length ``L`` days; the
previous period is the ``L`` days before ``start``; a customer *bought* in a span of days when
its net revenue there, refunds deducted, is positive):

* retention rate = customers who bought in the previous period and again in the period /
  customers who bought in the previous period (Reichheld & Sasser 1990, "Zero defections";
  Buttle & Maklan, *Customer Relationship Management*, ch. 4: the customer retention rate of a
  period as the share of the customers at its start still buying at its end);
* repeat-revenue share = revenue of the period from customers who had bought before ``start`` /
  revenue of the period;
* revenue growth = revenue / revenue of the previous period - 1; margin rate = margin / revenue;
* annual margin per customer = margin of the period / customers of the period x 365 / L.
"""

import dataclasses
import datetime

import numpy as np

from ._validation import as_1d_float


@dataclasses.dataclass(frozen=True)
class PeriodKpis:
    """What :func:`period_kpis` returns (ratios are ``nan`` when their denominator is 0)."""

    period_start: datetime.date
    period_end: datetime.date
    previous_start: datetime.date
    revenue: float
    margin: float
    previous_revenue: float
    revenue_growth: float
    margin_rate: float
    customers: np.ndarray
    previous_customers: np.ndarray
    retained_customers: np.ndarray
    retention_rate: float
    repeat_customers: np.ndarray
    repeat_revenue: float
    repeat_revenue_share: float
    annual_margin_per_customer: float


def _ratio(num, den):
    return float(num) / float(den) if den else float("nan")


def _buyers(ids, amounts, mask):
    """Customers whose summed ``amounts`` over the rows of ``mask`` is positive (sorted ids)."""
    if not mask.any():
        return np.empty(0, dtype=np.int64)
    uniq, inverse = np.unique(ids[mask], return_inverse=True)
    sums = np.bincount(inverse, weights=amounts[mask], minlength=len(uniq))
    return uniq[sums > 0]


def period_kpis(partner_ids, dates, revenue, margin, period_start, period_end) -> PeriodKpis:
    """The period's business figures (see the module docstring) from facts rows
    ``(partner, day, revenue, margin)``; rows after ``period_end`` are ignored, rows before the
    previous period only count as earlier purchases (repeat revenue).

    :raises ValueError: misaligned or non-finite inputs, ``period_end`` before ``period_start``
    """
    ids = np.asarray(partner_ids, dtype=np.int64).reshape(-1)
    days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
    rev = as_1d_float("revenue", revenue)
    mar = as_1d_float("margin", margin)
    if not len(ids) == len(days) == len(rev) == len(mar):
        raise ValueError("partner_ids, dates, revenue and margin must have the same length")
    start = np.datetime64(period_start, "D")
    end = np.datetime64(period_end, "D")
    if end < start:
        raise ValueError(f"the period ends ({period_end}) before it starts ({period_start})")
    length = int((end - start).astype(int)) + 1
    prev_start = start - np.timedelta64(length, "D")
    in_period = (days >= start) & (days <= end)
    in_previous = (days >= prev_start) & (days < start)
    before = days < start

    customers = _buyers(ids, rev, in_period)
    previous = _buyers(ids, rev, in_previous)
    retained = np.intersect1d(customers, previous, assume_unique=True)
    earlier = _buyers(ids, rev, before)
    repeat = np.intersect1d(customers, earlier, assume_unique=True)

    revenue_total = float(rev[in_period].sum())
    margin_total = float(mar[in_period].sum())
    previous_revenue = float(rev[in_previous].sum())
    repeat_revenue = float(rev[in_period & np.isin(ids, repeat)].sum())
    return PeriodKpis(
        period_start=period_start,
        period_end=period_end,
        previous_start=prev_start.astype(datetime.date),
        revenue=revenue_total,
        margin=margin_total,
        previous_revenue=previous_revenue,
        revenue_growth=(revenue_total / previous_revenue - 1.0) if previous_revenue > 0 else float("nan"),
        margin_rate=_ratio(margin_total, revenue_total) if revenue_total > 0 else float("nan"),
        customers=customers,
        previous_customers=previous,
        retained_customers=retained,
        retention_rate=_ratio(len(retained), len(previous)),
        repeat_customers=repeat,
        repeat_revenue=repeat_revenue,
        repeat_revenue_share=_ratio(repeat_revenue, revenue_total) if revenue_total > 0 else float("nan"),
        annual_margin_per_customer=(
            margin_total / len(customers) * 365.0 / length if len(customers) else float("nan")),
    )
