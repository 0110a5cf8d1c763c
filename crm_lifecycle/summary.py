"""From transactions to the BTYD summary (frequency, recency, T, monetary value).

Conventions of Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to
the Pareto/NBD model", Marketing Science 24(2), and of the ``lifetimes`` package: time is counted in
periods of ``period_days`` days; all purchases of a customer in one period are one purchase; the
first purchase starts the customer's clock and is not a repeat purchase; frequency is the number of
repeat purchase periods, recency the age (in periods) at the last purchase, T the age at the end of
observation, monetary value the mean value of the repeat purchase periods. Periods are counted from
Monday 1970-01-05, so that 7-day periods are the Monday-to-Sunday weeks of ``lifetimes``' ``freq="W"``.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, check_same_length


@dataclasses.dataclass(frozen=True)
class Summary:
    """Per-customer summary arrays, aligned and sorted by customer id."""

    customer_ids: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary_value: np.ndarray
    first_date: np.ndarray
    last_date: np.ndarray
    total_amount: np.ndarray
    n_purchases: np.ndarray

    def __len__(self):
        return len(self.customer_ids)


@dataclasses.dataclass(frozen=True)
class CalibrationHoldout:
    """Calibration summary plus what the same customers did in the holdout period."""

    calibration: Summary
    holdout_frequency: np.ndarray
    holdout_monetary_value: np.ndarray
    duration_holdout: float


def _prepare(customer_ids, dates, amounts):
    ids = np.asarray(customer_ids, dtype=np.int64).reshape(-1)
    days = np.asarray(dates, dtype="datetime64[D]").reshape(-1)
    amounts = as_1d_float("amounts", amounts)
    check_same_length(customer_ids=ids, dates=days, amounts=amounts)
    return ids, days, amounts


#: days from 1970-01-01 (a Thursday) back to the Monday before it
_MONDAY_OFFSET = 3


def _check_period_days(period_days):
    if not float(period_days).is_integer() or period_days <= 0:
        raise ValueError("period_days must be a positive whole number of days")
    return int(period_days)


def _period_of(days, period_days):
    """Index of the period holding each day (periods of ``period_days`` days from a Monday)."""
    return (np.asarray(days, dtype="datetime64[D]").astype(np.int64) + _MONDAY_OFFSET) // period_days


def _purchase_periods(ids, days, amounts, period_days):
    """Net amount per (customer, period); keeps the periods whose net amount is positive."""
    period = _period_of(days, period_days)
    order = np.lexsort((days, period, ids))
    ids, period, days, amounts = ids[order], period[order], days[order], amounts[order]
    if len(ids) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype="datetime64[D]"), np.empty(0)
    new = np.empty(len(ids), dtype=bool)
    new[0] = True
    new[1:] = (ids[1:] != ids[:-1]) | (period[1:] != period[:-1])
    starts = np.flatnonzero(new)
    net = np.add.reduceat(amounts, starts)
    keep = net > 0
    return ids[starts][keep], period[starts][keep], days[starts][keep], net[keep]


def summarize(
    customer_ids: ArrayLike, dates: ArrayLike, amounts: ArrayLike, observation_end, period_days: int = 1
) -> Summary:
    """Summarize transactions into BTYD statistics.

    :param customer_ids: customer of each transaction (int)
    :param dates: date of each transaction (anything numpy turns into ``datetime64[D]``)
    :param amounts: value of each transaction; refunds negative. A period counts as a purchase when
        the net amount of its transactions is positive, so a refund-only customer is absent.
    :param observation_end: last day observed; later transactions are ignored
    :param period_days: length of a period in days (1 = days, 7 = weeks)
    :rtype: Summary
    """
    ids, days, amounts = _prepare(customer_ids, dates, amounts)
    period_days = _check_period_days(period_days)
    end = np.datetime64(observation_end, "D")
    keep = days <= end
    ids, periods, first_days, values = _purchase_periods(ids[keep], days[keep], amounts[keep], period_days)
    end_period = _period_of(end, period_days)
    if len(ids) == 0:
        f = np.empty(0)
        d = np.empty(0, dtype="datetime64[D]")
        return Summary(np.empty(0, dtype=np.int64), f, f, f, f, d, d, f, np.empty(0, dtype=np.int64))
    new = np.empty(len(ids), dtype=bool)
    new[0] = True
    new[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(new)
    ends = np.r_[starts[1:], len(ids)] - 1
    n_purchases = (ends - starts + 1).astype(np.int64)
    frequency = (n_purchases - 1).astype(np.float64)
    first_period, last_period = periods[starts], periods[ends]
    total = np.add.reduceat(values, starts)
    repeat_total = total - values[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
    return Summary(
        customer_ids=ids[starts],
        frequency=frequency,
        recency=(last_period - first_period).astype(np.float64),
        T=(end_period - first_period).astype(np.float64),
        monetary_value=monetary,
        first_date=first_days[starts],
        last_date=first_days[ends],
        total_amount=total,
        n_purchases=n_purchases,
    )


def calibration_holdout_split(
    customer_ids: ArrayLike,
    dates: ArrayLike,
    amounts: ArrayLike,
    calibration_end,
    observation_end,
    period_days: int = 1,
) -> CalibrationHoldout:
    """Split transactions at ``calibration_end`` for out-of-sample validation.

    The calibration summary covers the transactions up to ``calibration_end``; for each of its
    customers, ``holdout_frequency`` counts the purchase periods in (calibration_end, observation_end]
    and ``holdout_monetary_value`` is their mean value (0 without holdout purchase), as
    ``lifetimes.utils.calibration_and_holdout_data`` does.
    """
    ids, days, amounts = _prepare(customer_ids, dates, amounts)
    period_days = _check_period_days(period_days)
    cal_end = np.datetime64(calibration_end, "D")
    obs_end = np.datetime64(observation_end, "D")
    if obs_end <= cal_end:
        raise ValueError("observation_end must come after calibration_end")
    calibration = summarize(ids, days, amounts, cal_end, period_days)
    hold = (days > cal_end) & (days <= obs_end)
    h_ids, _periods, _days, h_values = _purchase_periods(ids[hold], days[hold], amounts[hold], period_days)
    pos = np.searchsorted(calibration.customer_ids, h_ids)
    pos_ok = pos < len(calibration.customer_ids)
    known = np.zeros(len(h_ids), dtype=bool)
    known[pos_ok] = calibration.customer_ids[pos[pos_ok]] == h_ids[pos_ok]
    n = len(calibration)
    counts = np.bincount(pos[known], minlength=n).astype(np.float64)
    sums = np.bincount(pos[known], weights=h_values[known], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    duration = _period_of(obs_end, period_days) - _period_of(cal_end, period_days)
    return CalibrationHoldout(calibration, counts, mean, float(duration))
