"""Period business figures (crm_capability.period_kpis) against hand-computed cases."""

import datetime

import numpy as np
import pytest

from crm_capability import period_kpis

D = datetime.date


def _facts(rows):
    ids, days, revenue, margin = zip(*rows, strict=True)
    dates = np.array(days, dtype="datetime64[D]")
    return np.array(ids), dates, np.array(revenue, float), np.array(margin, float)


# period: 2025-01-01 .. 2025-01-10 (10 days); previous period 2024-12-22 .. 2024-12-31
ROWS = [
    (1, "2024-06-01", 40.0, 10.0),  # customer 1 bought long before
    (1, "2025-01-05", 100.0, 30.0),  # ... and in the period: repeat
    (2, "2024-12-25", 50.0, 20.0),  # customer 2 in the previous period only: lost
    (3, "2024-12-30", 70.0, 10.0),  # customer 3 in the previous period and the period: retained
    (3, "2025-01-10", 30.0, 6.0),
    (4, "2025-01-02", 200.0, 50.0),  # customer 4 new in the period
    (5, "2024-12-28", 60.0, 15.0),  # customer 5: bought, then refunded all in the previous period
    (5, "2024-12-29", -60.0, -15.0),
    (6, "2025-01-11", 999.0, 999.0),  # after the period: ignored
]


def test_hand_computed_period():
    k = period_kpis(*_facts(ROWS), D(2025, 1, 1), D(2025, 1, 10))
    assert k.previous_start == D(2024, 12, 22)
    assert k.customers.tolist() == [1, 3, 4]
    assert k.previous_customers.tolist() == [2, 3]  # 5 refunded everything: no purchase
    assert k.retained_customers.tolist() == [3]
    assert k.retention_rate == pytest.approx(0.5)
    assert k.revenue == pytest.approx(330.0)
    assert k.margin == pytest.approx(86.0)
    assert k.margin_rate == pytest.approx(86.0 / 330.0)
    assert k.previous_revenue == pytest.approx(120.0)  # 50 + 70 + 60 - 60
    assert k.revenue_growth == pytest.approx(330.0 / 120.0 - 1)
    assert k.repeat_customers.tolist() == [1, 3]
    assert k.repeat_revenue == pytest.approx(130.0)
    assert k.repeat_revenue_share == pytest.approx(130.0 / 330.0)
    assert k.annual_margin_per_customer == pytest.approx(86.0 / 3 * 365 / 10)


def test_empty_period_gives_nan_not_zero():
    k = period_kpis(*_facts(ROWS), D(2030, 1, 1), D(2030, 1, 31))
    assert len(k.customers) == 0
    assert np.isnan(k.retention_rate)
    assert np.isnan(k.repeat_revenue_share)
    assert np.isnan(k.margin_rate)
    assert np.isnan(k.annual_margin_per_customer)


def test_bad_input():
    ids, days, revenue, margin = _facts(ROWS)
    with pytest.raises(ValueError, match="same length"):
        period_kpis(ids[:-1], days, revenue, margin, D(2025, 1, 1), D(2025, 1, 10))
    with pytest.raises(ValueError, match="before it starts"):
        period_kpis(ids, days, revenue, margin, D(2025, 1, 10), D(2025, 1, 1))
    revenue[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        period_kpis(ids, days, revenue, margin, D(2025, 1, 1), D(2025, 1, 10))
