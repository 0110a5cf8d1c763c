"""The service recovery paradox check (crm_callcenter.recovery_loyalty) on hand-computed cases."""

import datetime

import numpy as np
import pytest

from crm_callcenter import recovery_loyalty

D = datetime.date


def _row(result, group, band=-1):
    [i] = np.flatnonzero((result.groups == group) & (result.bands == band))
    return result.customers[i], result.repurchase_rate[i], result.revenue_per_customer[i]


# complaints: 1 (recovered, 1 Mar), 2 (not recovered, 1 Apr), 3 (recovered, 1 May; a second one later);
# median complaint date: 1 Apr, the reference of customers 4 and 5 (no complaint)
FACTS = [
    (1, "2025-01-10", 100.0),
    (1, "2025-03-20", 50.0),  # 1 bought before and 19 days after
    (2, "2025-02-01", 100.0),  # 2 never again
    (3, "2025-04-01", 300.0),
    (3, "2025-06-01", -20.0),
    (3, "2025-07-01", 80.0),  # refund then a purchase
    (4, "2025-03-01", 100.0),
    (4, "2025-04-15", 40.0),  # 4 bought after the reference
    (5, "2025-03-15", 300.0),  # 5 did not
    (6, "2025-12-20", 10.0),  # 6 only after: no complaint, counted (no revenue before)
]
COMPLAINTS = [
    (1, "2025-03-01", True),
    (2, "2025-04-01", False),
    (3, "2025-05-01", True),
    (3, "2025-06-15", False),
]


def _result(**kwargs):
    ids, days, rev = zip(*FACTS, strict=True)
    c_ids, c_days, rec = zip(*COMPLAINTS, strict=True)
    return recovery_loyalty(
        ids,
        days,
        rev,
        c_ids,
        c_days,
        rec,
        observation_end=D(2026, 1, 31),
        horizon_days=90,
        value_bands=1,
        **kwargs,
    )


def test_groups_hand_computed():
    result = _result()
    assert result.reference_date == D(2025, 4, 1)
    # recovered: customer 1 (bought 50 after) and 3 (first complaint 1 May: -20 + 80 within 90 days)
    assert _row(result, "recovered") == (2, 1.0, pytest.approx((50.0 + 60.0) / 2))
    assert _row(result, "not_recovered") == (1, 0.0, 0.0)
    # no complaint: 4 bought 40 after 1 Apr, 5 nothing, 6 nothing in the 90 days
    customers, rate, revenue = _row(result, "no_complaint")
    assert (customers, rate) == (3, pytest.approx(1 / 3))
    assert revenue == pytest.approx(40.0 / 3)
    assert result.paradox
    assert result.censored == 0


def test_censored_and_value_bands():
    ids, days, rev = zip(*FACTS, strict=True)
    c_ids, c_days, rec = zip(*COMPLAINTS, strict=True)
    result = recovery_loyalty(
        ids, days, rev, c_ids, c_days, rec, observation_end=D(2025, 6, 15), horizon_days=60, value_bands=2
    )
    # 3's horizon (1 May + 60 days) ends after 15 June: censored, not lost
    assert result.censored == 1
    assert _row(result, "recovered")[0] == 1
    assert len(result.band_edges) == 1
    assert (
        sum(_row(result, g, b)[0] for g in ("recovered", "not_recovered", "no_complaint") for b in (0, 1))
        == 5
    )  # 1, 2 and the controls 4, 5, 6


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        recovery_loyalty([1], [], [1.0], [], [], [], D(2025, 1, 1))
    with pytest.raises(ValueError, match="positive"):
        recovery_loyalty([1], ["2025-01-01"], [1.0], [], [], [], D(2025, 1, 1), horizon_days=0)
    with pytest.raises(ValueError, match="NaN"):
        recovery_loyalty([1], ["2025-01-01"], [np.nan], [], [], [], D(2025, 1, 1))
