"""From the customer transaction facts to the RFM inputs of each customer.

The facts service of ``crm_suite_base`` gives one row per customer and day: the net revenue
(invoices minus refunds, company currency) and the margin of that day. A *purchase day* is a day
with a positive net revenue, so a refund-only day is no purchase and a customer who only has
refunds is no buyer. Per buying customer:

* ``recency_days``: days from the last purchase day to ``observation_end``;
* ``frequency``: number of purchase days;
* ``monetary``: total net revenue of all the customer's rows, at least 0 (refunds of purchases made
  before the window can exceed the window's purchases);
* ``margin``: total margin of all rows (may be negative).
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, as_ids, check_same_length


@dataclasses.dataclass(frozen=True)
class RfmSummary:
    """Per-customer RFM inputs, aligned and sorted by partner id."""

    partner_ids: np.ndarray
    recency_days: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray
    margin: np.ndarray
    last_purchase: np.ndarray

    def __len__(self):
        return len(self.partner_ids)


def _empty():
    ints = np.empty(0, dtype=np.int64)
    return RfmSummary(ints, ints.copy(), ints.copy(), np.empty(0), np.empty(0), np.empty(0, "datetime64[D]"))


def _starts(*keys):
    """Indices where any of the (sorted) ``keys`` changes: the first row of each group."""
    new = np.zeros(len(keys[0]), dtype=bool)
    new[0] = True
    for key in keys:
        new[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(new)


def summarize_rfm(
    partner_ids: ArrayLike, dates: ArrayLike, revenue: ArrayLike, margin: ArrayLike, observation_end
) -> RfmSummary:
    """Recency, frequency, monetary value and margin of each buying customer.

    :param partner_ids, dates, revenue, margin: aligned fact rows (any order; several rows of one
        customer and day are added up into one day)
    :param observation_end: last day observed (a date or ``np.datetime64``); later rows are ignored
    :rtype: RfmSummary
    """
    ids = as_ids("partner_ids", partner_ids)
    days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
    rev = as_1d_float("revenue", revenue)
    mar = as_1d_float("margin", margin)
    check_same_length(partner_ids=ids, dates=days, revenue=rev, margin=mar)
    if np.any(np.isnat(days)):
        raise ValueError("dates contains missing dates")
    end = np.datetime64(observation_end, "D")
    if np.isnat(end):
        raise ValueError("observation_end is missing")
    keep = days <= end
    ids, days, rev, mar = ids[keep], days[keep], rev[keep], mar[keep]
    if len(ids) == 0:
        return _empty()
    day_numbers = days.astype(np.int64)
    same_id = ids[1:] == ids[:-1]
    if not np.all((ids[1:] > ids[:-1]) | (same_id & (day_numbers[1:] >= day_numbers[:-1]))):
        order = np.lexsort((day_numbers, ids))
        ids, day_numbers, rev, mar = ids[order], day_numbers[order], rev[order], mar[order]
    # one net amount per (customer, day)
    day_starts = _starts(ids, day_numbers)
    day_ids, day_of, day_revenue = ids[day_starts], day_numbers[day_starts], np.add.reduceat(rev, day_starts)
    purchase = day_revenue > 0
    customer_starts = _starts(day_ids)
    frequency = np.add.reduceat(purchase.astype(np.int64), customer_starts)
    last_day = np.maximum.reduceat(np.where(purchase, day_of, np.iinfo(np.int64).min), customer_starts)
    row_starts = _starts(ids)  # the same customers as customer_starts, in the same order
    total_revenue = np.add.reduceat(rev, row_starts)
    total_margin = np.add.reduceat(mar, row_starts)
    buyers = frequency > 0
    end_number = end.astype(np.int64)
    return RfmSummary(
        partner_ids=day_ids[customer_starts][buyers],
        recency_days=(end_number - last_day[buyers]).astype(np.int64),
        frequency=frequency[buyers].astype(np.int64),
        monetary=np.maximum(total_revenue[buyers], 0.0),
        margin=total_margin[buyers],
        last_purchase=last_day[buyers].astype("datetime64[D]"),
    )
