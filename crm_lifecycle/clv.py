"""Customer lifetime value: model-based, retention-based (textbook) and historical."""

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, check_rfm

DAYS_PER_MONTH = 30.0


def monthly_rate(annual_rate: float) -> float:
    """Monthly rate equivalent to an annual one: (1 + annual)^(1/12) - 1."""
    return (1.0 + annual_rate) ** (1.0 / 12.0) - 1.0


def customer_lifetime_value(
    transaction_model,
    value_model,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    *,
    horizon_months: int = 12,
    period_days: float = 1,
    annual_discount_rate: float = 0.10,
    monthly_discount_rate: float | None = None,
    margin_rate: ArrayLike = 1.0,
) -> np.ndarray:
    """Discounted expected margin over the horizon (Fader, Hardie & Lee 2005, "RFM and CLV").

    CLV = sum_{k=1..H} (E[Y(k months)] - E[Y((k-1) months)]) * E[M] * margin / (1 + d)^k

    with E[Y] from the transaction model (BG/NBD), E[M] from the value model (Gamma-Gamma), months of
    30 days as in ``lifetimes.GammaGammaFitter.customer_lifetime_value``, and d the monthly discount
    rate (given, or derived from the annual one).

    :param margin_rate: scalar or per-customer array of margin / revenue
    """
    x, tx, T = check_rfm(frequency, recency, T)
    m = as_1d_float("monetary_value", monetary_value)
    if horizon_months <= 0:
        raise ValueError("horizon_months must be positive")
    d = monthly_rate(annual_discount_rate) if monthly_discount_rate is None else monthly_discount_rate
    if d <= -1:
        raise ValueError("the discount rate must be greater than -100%")
    value = value_model.expected_average_value(x, m) * np.asarray(margin_rate, dtype=np.float64)
    month = DAYS_PER_MONTH / period_days
    clv = np.zeros(len(x))
    previous = np.zeros(len(x))
    for k in range(1, int(horizon_months) + 1):
        current = transaction_model.expected_purchases(k * month, x, tx, T)
        clv += (current - previous) * value / (1.0 + d) ** k
        previous = current
    return clv


def retention_clv(
    margin_per_period: ArrayLike,
    retention_rate: ArrayLike,
    discount_rate: ArrayLike,
    periods: int | None = None,
    acquisition_cost: ArrayLike = 0.0,
) -> np.ndarray:
    """Textbook retention-based CLV (Gupta & Lehmann 2003, "Customers as assets"; Kumar 2008).

    CLV = sum_{t=0}^{periods-1} m r^t / (1 + d)^t - AC

    The margin of the current period (t = 0) is counted undiscounted; with ``periods=None`` the
    infinite-horizon closed form m (1 + d) / (1 + d - r) - AC is returned. Vectorised: every
    argument may be an array (broadcast).
    """
    m = np.asarray(margin_per_period, dtype=np.float64)
    r = np.asarray(retention_rate, dtype=np.float64)
    d = np.asarray(discount_rate, dtype=np.float64)
    if np.any((r < 0) | (r > 1)):
        raise ValueError("retention_rate must lie in [0, 1]")
    if np.any(d <= -1):
        raise ValueError("discount_rate must be greater than -100%")
    q = r / (1.0 + d)
    if periods is None:
        if np.any(q >= 1):
            raise ValueError("the infinite-horizon CLV diverges when retention >= 1 + discount rate")
        return m / (1.0 - q) - acquisition_cost
    if periods < 0:
        raise ValueError("periods must be non-negative")
    with np.errstate(invalid="ignore", divide="ignore"):
        geometric = np.where(np.isclose(q, 1.0), float(periods), (1.0 - q**periods) / (1.0 - q))
    return m * geometric - acquisition_cost


def expected_retention_clv(
    margin_per_period: ArrayLike,
    retention_rate: ArrayLike,
    discount_rate: ArrayLike,
    periods: int,
    p_alive: ArrayLike = 1.0,
) -> np.ndarray:
    """Retention-based CLV of a customer who is still a customer with probability ``p_alive``.

    CLV = m p sum_{t=1..N} r^(t-1) / (1 + d)^t = m p / (1 + d) (1 - q^N) / (1 - q), q = r / (1 + d)

    The margin of each future year is earned at the end of the year, so the first one is discounted
    too (Gupta, Lehmann & Stuart 2004, "Valuing customers", JMR 41(1), eq. 1); the customer is there
    in year 1 with probability p (P(alive), or 0 once churned) and stays each further year with the
    retention rate r. With p = 1 this is :func:`retention_clv` of the next N years, discounted once
    more.
    """
    m = np.asarray(margin_per_period, dtype=np.float64)
    p = np.asarray(p_alive, dtype=np.float64)
    d = np.asarray(discount_rate, dtype=np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p_alive must lie in [0, 1]")
    if periods < 1:
        raise ValueError("periods must be at least 1")
    return retention_clv(m * p, retention_rate, discount_rate, periods) / (1.0 + d)


def historical_clv(customer_ids: ArrayLike, margins: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Sum of past margins per customer: ``(unique ids, totals)``."""
    ids = np.asarray(customer_ids, dtype=np.int64)
    values = as_1d_float("margins", margins)
    unique, inverse = np.unique(ids, return_inverse=True)
    return unique, np.bincount(inverse, weights=values, minlength=len(unique)).astype(np.float64)
