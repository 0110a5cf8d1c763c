"""Small per-customer and validation measures used around the models."""

import numpy as np

from ._validation import as_1d_float, check_same_length


def mean_purchase_gap(frequency, recency, period_days=1.0):
    """Mean time between purchases in days, recency / frequency x period_days: the customer's own
    buying rhythm (NaN for customers without a repeat purchase)."""
    f = as_1d_float("frequency", frequency)
    r = as_1d_float("recency", recency)
    check_same_length(frequency=f, recency=r)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(f > 0, r / np.maximum(f, 1.0) * period_days, np.nan)


def annualized(amount, observed_days, min_days=365.0):
    """Amount per year over the observed span, amount x 365 / max(observed_days, min_days); a span
    shorter than ``min_days`` is not extrapolated (a one-month customer's month is not x12)."""
    a = as_1d_float("amount", amount)
    d = as_1d_float("observed_days", observed_days)
    check_same_length(amount=a, observed_days=d)
    if min_days <= 0:
        raise ValueError("min_days must be positive")
    return a * 365.0 / np.maximum(d, min_days)


def holdout_errors(predicted, actual):
    """Out-of-sample check of a purchase model (Fader, Hardie & Lee 2005, section 4): totals,
    relative error of the total (%), and per-customer mean absolute and root mean square errors.
    Returns zeros for an empty holdout; the relative error is 0 when no purchase was made."""
    p = as_1d_float("predicted", predicted)
    a = as_1d_float("actual", actual)
    check_same_length(predicted=p, actual=a)
    if len(p) == 0:
        return {"actual": 0.0, "predicted": 0.0, "error_pct": 0.0, "mae": 0.0, "rmse": 0.0}
    total_a, total_p = float(a.sum()), float(p.sum())
    error = p - a
    return {
        "actual": total_a,
        "predicted": total_p,
        "error_pct": 100.0 * (total_p - total_a) / total_a if total_a else 0.0,
        "mae": float(np.abs(error).mean()),
        "rmse": float(np.sqrt(np.mean(error**2))),
    }
