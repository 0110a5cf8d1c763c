"""Customer features at a cut-off: hand-computed values and the absence of leakage."""

import numpy as np
import pytest
from mining_synthetic import simulate

from crm_mining import (
    Events,
    FeatureConfig,
    Transactions,
    customer_features,
    purchased_within,
    top_categories,
)

D = np.datetime64


def _tx():
    # customer 1: buys on day 0, 10, 30 (cat 7), a refund on day 31; customer 2: a refund only;
    # customer 3: one purchase on day 5 (cat 9)
    ids = [1, 1, 1, 1, 2, 3]
    dates = ["2026-01-01", "2026-01-11", "2026-01-31", "2026-02-01", "2026-01-20", "2026-01-06"]
    revenue = [100.0, 50.0, 150.0, -30.0, -10.0, 80.0]
    margin = [30.0, 10.0, 45.0, -9.0, -3.0, 8.0]
    cats = [7, 7, 7, 7, 7, 9]
    return Transactions.from_arrays(ids, dates, revenue, margin, cats)


def test_hand_computed_features():
    config = FeatureConfig(history_days=365, trend_days=20, events_days=30)
    events = {"cases": Events.from_arrays([1, 1, 3], ["2026-01-15", "2025-11-01", "2026-02-09"])}
    m = customer_features(_tx(), D("2026-02-10"), categories=[7, 9], events=events, config=config)
    assert list(m.partner_ids) == [1, 3]  # 2 never bought
    f = {name: m.X[0, i] for i, name in enumerate(m.names)}
    assert f["recency_days"] == 10  # last purchase 2026-01-31
    assert f["frequency"] == 3
    assert f["monetary"] == pytest.approx(270.0)  # 300 - 30
    assert f["avg_order_value"] == pytest.approx(100.0)  # gross 300 / 3
    assert f["tenure_days"] == 40
    # last 20 days (after 2026-01-21): 150 - 30 = 120; the 20 before (2026-01-01 excluded): 50
    assert f["spend_trend"] == pytest.approx((120 - 50) / (120 + 50))
    assert f["mean_gap_days"] == pytest.approx(15.0)  # gaps 10 and 20
    assert f["gap_cv"] == pytest.approx(np.std([10, 20], ddof=1) / 15.0)
    assert f["overdue_ratio"] == pytest.approx(10 / 15)
    assert f["margin_rate"] == pytest.approx((30 + 10 + 45 - 9) / 270.0)
    assert f["refund_share"] == pytest.approx(30 / 300)
    assert f["category:7"] == pytest.approx(1.0)
    assert f["category:9"] == 0.0
    assert f["event:cases"] == 1.0  # the November case is older than 30 days
    g = {name: m.X[1, i] for i, name in enumerate(m.names)}
    assert np.isnan(g["mean_gap_days"]) and np.isnan(g["gap_cv"]) and np.isnan(g["overdue_ratio"])
    assert g["category:9"] == 1.0
    assert g["event:cases"] == 1.0


def test_mean_events_and_empty():
    events = {"csat": Events.from_arrays([1, 1], ["2026-01-02", "2026-01-03"], [4.0, 2.0], how="mean")}
    m = customer_features(_tx(), D("2026-02-10"), events=events)
    assert m.column("event:csat")[0] == 3.0
    assert np.isnan(m.column("event:csat")[1])
    empty = customer_features(_tx(), D("2025-01-01"))
    assert len(empty) == 0 and empty.X.shape == (0, len(empty.names))


def _features_are_leak_free(build, transactions, cutoff):
    """The features at ``cutoff`` must not change when every row after it is removed."""
    keep = transactions.dates <= cutoff
    truncated = Transactions.from_arrays(
        transactions.partner_ids[keep],
        transactions.dates[keep],
        transactions.revenue[keep],
        transactions.margin[keep],
        transactions.categories[keep],
    )
    full, cut = build(transactions, cutoff), build(truncated, cutoff)
    np.testing.assert_array_equal(full.partner_ids, cut.partner_ids)
    np.testing.assert_array_equal(full.X, cut.X)


def test_no_leakage_and_the_check_catches_a_leaky_feature():
    tx = Transactions.from_arrays(*simulate(300, seed=3))
    cutoff = D("2025-06-30")
    categories = top_categories(tx, cutoff, 4)

    def build(t, c):
        return customer_features(t, c, categories)

    _features_are_leak_free(build, tx, cutoff)

    def leaky(t, c):  # a feature that counts the purchases after the cut-off
        m = build(t, c)
        later = np.bincount(
            np.searchsorted(
                m.partner_ids, t.partner_ids[(t.dates > c) & np.isin(t.partner_ids, m.partner_ids)]
            ),
            minlength=len(m),
        )
        return type(m)(m.cutoff, m.partner_ids, (*m.names, "later"), np.column_stack([m.X, later]))

    with pytest.raises(AssertionError):
        _features_are_leak_free(leaky, tx, cutoff)


def test_top_categories_before_the_cutoff_only():
    tx = Transactions.from_arrays(
        [1, 1, 2], ["2026-01-01", "2026-03-01", "2026-01-05"], [10.0, 500.0, 20.0], categories=[1, 2, 3]
    )
    assert list(top_categories(tx, D("2026-02-01"), 1)) == [3]
    assert list(top_categories(tx, D("2026-04-01"), 1)) == [2]


def test_purchased_within():
    tx = _tx()
    got = purchased_within(tx, [1, 1, 3, 2], ["2026-01-01", "2026-01-31", "2026-01-01", "2026-01-01"], 10)
    # 1 buys on 01-11 (within 10 days of 01-01); nothing after 01-31 but a refund; 3 buys on 01-06;
    # 2 only has a refund
    assert list(got) == [True, False, True, False]


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        Transactions.from_arrays([1, 2], ["2026-01-01"], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        Transactions.from_arrays([1], ["2026-01-01"], [np.nan])
    with pytest.raises(ValueError, match="history_days"):
        FeatureConfig(history_days=0)
    with pytest.raises(ValueError, match="how"):
        Events.from_arrays([1], ["2026-01-01"], how="median")
