"""Retention CLV, stages, pyramid tiers, value matrix and cohorts on hand-computed cases."""

import numpy as np
import pytest

from crm_lifecycle import (
    StageThresholds,
    classify_stages,
    cohort_table,
    historical_clv,
    pyramid_tiers,
    retention_clv,
    revenue_trend,
    stage_transitions,
    value_matrix,
)


def test_retention_clv_textbook():
    # m=100, r=0.8, d=0.1, 3 periods: 100 + 80/1.1 + 64/1.21 = 225.619...
    assert retention_clv(100.0, 0.8, 0.1, periods=3) == pytest.approx(100 + 80 / 1.1 + 64 / 1.21)
    # infinite horizon m (1+d) / (1+d-r) (Gupta & Lehmann 2003)
    assert retention_clv(100.0, 0.8, 0.1) == pytest.approx(100 * 1.1 / 0.3)
    assert retention_clv(100.0, 0.8, 0.1, periods=2000) == pytest.approx(retention_clv(100.0, 0.8, 0.1))
    assert retention_clv(100.0, 1.0, 0.0, periods=5) == pytest.approx(500.0)
    assert retention_clv(100.0, 0.8, 0.1, periods=3, acquisition_cost=25.0) == pytest.approx(
        100 + 80 / 1.1 + 64 / 1.21 - 25)
    np.testing.assert_allclose(retention_clv([100.0, 50.0], [0.5, 0.0], 0.0, periods=2), [150.0, 50.0])
    with pytest.raises(ValueError, match="retention_rate"):
        retention_clv(1.0, 1.5, 0.1, 3)
    with pytest.raises(ValueError, match="diverges"):
        retention_clv(1.0, 1.0, 0.0)


def test_historical_clv():
    ids, totals = historical_clv([3, 1, 3], [10.0, 5.0, -2.0])
    assert ids.tolist() == [1, 3]
    assert totals.tolist() == [5.0, 8.0]


def test_stages_rules():
    stages = classify_stages(
        n_purchases=[0, 1, 1, 3, 6, 6, 6, 6, 6, 6, 8],
        tenure_days=[0, 30, 500, 200, 700, 700, 700, 700, 700, 700, 700],
        days_since_last=[0, 30, 400, 20, 30, 130, 300, 300, 300, 30, 10],
        mean_gap_days=[np.nan, np.nan, np.nan, 60, 60, 60, 60, 60, 60, 60, 60],
        prob_alive=[1, 1, 0.9, 0.95, 0.95, 0.9, 0.9, 0.4, np.nan, 0.3, 0.05],
        revenue_trend=[0, 0, 0, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    )
    assert stages.tolist() == [
        "prospect",     # no purchase
        "acquisition",  # first purchase a month ago
        "churned",      # one-time buyer silent for 400 days
        "formation",    # 3 purchases, 200 days
        "stability",    # regular buyer
        "decline",      # 130 days > 2 x 60-day rhythm
        "decline",      # 300 days > 4 x rhythm, but the model still sees 90% alive: not churned
        "churned",      # 300 days > 4 x rhythm and P(alive) 0.4 < 0.5
        "churned",      # 300 days > 4 x rhythm, no model (NaN P(alive)): the gap alone decides
        "decline",      # P(alive) 0.3 < 0.5
        "churned",      # P(alive) 0.05 < 0.15
    ]


def test_two_purchases_six_days_apart_is_not_churned_while_likely_alive():
    """The case seen on the demo: bought twice, six days apart in August, 100 days ago; P(alive)
    82%. The silence is long against the 14-day minimum rhythm (decline), but a manager would not
    call the customer churned while the model says 82% alive."""
    stage = classify_stages([2], [106], [100], [6], [0.82], [0.0])
    assert stage.tolist() == ["decline"]
    assert classify_stages([2], [106], [100], [6], [0.10], [0.0]).tolist() == ["churned"]


def test_stage_thresholds_are_configurable_and_checked():
    args = dict(n_purchases=[6], tenure_days=[700], days_since_last=[130], mean_gap_days=[60],
                prob_alive=[0.9], revenue_trend=[0.0])
    assert classify_stages(**args).tolist() == ["decline"]
    relaxed = StageThresholds(decline_gap_factor=3.0)
    assert classify_stages(**args, thresholds=relaxed).tolist() == ["stability"]
    with pytest.raises(ValueError):
        StageThresholds(churn_alive=0.6, decline_alive=0.5)
    with pytest.raises(ValueError, match="same length"):
        classify_stages([1, 2], [1], [1], [1], [1], [1])


def test_declining_trend():
    ids, trend = revenue_trend([1, 1, 2, 2, 3], ["2023-03-01", "2024-03-01", "2023-03-01", "2024-03-01",
                                                 "2020-01-01"], [100.0, 20.0, 10.0, 30.0, 5.0],
                               "2024-06-30", window_days=365)
    assert ids.tolist() == [1, 2, 3]
    np.testing.assert_allclose(trend, [(20 - 100) / 120, (30 - 10) / 40, 0.0])
    stage = classify_stages([6], [700], [30], [60], [0.9], [trend[0]])
    assert stage.tolist() == ["decline"]


def test_stage_transitions():
    changed, matrix = stage_transitions(
        [None, "formation", "stability", "stability"], ["acquisition", "stability", "stability", "decline"])
    assert changed.tolist() == [True, True, False, True]
    assert matrix[2, 3] == 1 and matrix[3, 3] == 1 and matrix[3, 4] == 1
    assert matrix.sum() == 3
    with pytest.raises(ValueError, match="unknown stages"):
        stage_transitions(["formation"], ["gone"])


def test_pyramid_tiers():
    values = np.arange(100, 0, -1, dtype=float)  # customer 0 is the most valuable
    tiers = pyramid_tiers(values)
    assert tiers[0] == "platinum"
    assert (tiers == "platinum").sum() == 1
    assert (tiers == "gold").sum() == 4
    assert (tiers == "iron").sum() == 15
    assert (tiers == "lead").sum() == 80
    # ties: earlier position wins, deterministically
    assert pyramid_tiers([5.0, 5.0, 5.0], cut_points=(0.3, 0.5, 0.9)).tolist() == ["platinum", "gold", "iron"]
    assert pyramid_tiers([1.0, 9.0], cut_points=(0.5, 0.6, 0.7)).tolist() == ["gold", "platinum"]
    with pytest.raises(ValueError, match="cut_points"):
        pyramid_tiers([1.0], cut_points=(0.5, 0.2, 0.9))


def test_value_matrix():
    q = value_matrix([10, 10, 1, 1], [10, 1, 10, 1], current_split=5, potential_split=5)
    assert q.tolist() == ["core", "harvest", "develop", "minimal"]
    assert value_matrix([1, 2, 3, 4], [4, 3, 2, 1]).tolist() == ["develop", "develop", "harvest", "harvest"]
    assert len(value_matrix([], [])) == 0


def test_cohort_table():
    ids = [1, 1, 1, 2, 2, 3, 3]
    dates = ["2024-01-05", "2024-02-10", "2024-04-01", "2024-01-20", "2024-01-25", "2024-02-03", "2024-03-03"]
    amounts = [10.0, 20.0, 5.0, 7.0, 3.0, 50.0, -50.0]
    table = cohort_table(ids, dates, amounts, observation_end="2024-04-30", lapse_periods=2)
    assert table.cohorts.astype(str).tolist() == ["2024-01", "2024-02"]
    assert table.cohort_size.tolist() == [2, 1]
    # January cohort: both active in month 0, customer 1 in months 1 and 3
    np.testing.assert_array_equal(table.customers[0], [2, 1, 0, 1])
    np.testing.assert_array_equal(table.retention[0], [1.0, 0.5, 0.0, 0.5])
    np.testing.assert_array_equal(table.revenue[0], [20.0, 20.0, 0.0, 5.0])
    # February cohort: the March refund makes a negative revenue, no activity; month 3 not reached
    np.testing.assert_array_equal(table.customers[1][:3], [1, 0, 0])
    np.testing.assert_array_equal(table.revenue[1][:3], [50.0, -50.0, 0.0])
    assert np.isnan(table.customers[1][3])
    # survival: customer 2 lapsed after January (event at 1); customer 1 censored at its last
    # purchase (April). A lapse shows 2 months after the last purchase, so the survival of April
    # (offset 3) cannot be known yet: NaN, not the flat 0.5 of a customer counted alive
    np.testing.assert_allclose(table.survival[0], [1.0, 0.5, 0.5, np.nan])
    # customer 3 lapsed after February (2 months without a purchase): event at offset 1; offset 2
    # (April) is not observable yet
    np.testing.assert_allclose(table.survival[1][:3], [1.0, 0.0, np.nan])
    empty = cohort_table([], np.array([], dtype="datetime64[D]"), [])
    assert empty.customers.shape == (0, 0)
    with pytest.raises(ValueError, match="period"):
        cohort_table([1], ["2024-01-01"], [1.0], period="week")


def test_stage_transitions_many_customers():
    from crm_lifecycle import STAGES

    rng = np.random.default_rng(5)
    prev = rng.choice(np.array([*STAGES, None, False, ""], dtype=object), 5000)
    cur = rng.choice(np.array(STAGES, dtype=object), 5000)
    changed, matrix = stage_transitions(prev, cur)
    index = {s: i for i, s in enumerate(STAGES)}
    expected = np.zeros((6, 6), dtype=np.int64)
    for p, c in zip(prev, cur, strict=True):  # reference by hand, one customer at a time
        if p:
            expected[index[p], index[c]] += 1
    np.testing.assert_array_equal(matrix, expected)
    np.testing.assert_array_equal(changed, [p != c for p, c in zip(prev, cur, strict=True)])
    empty_changed, empty_matrix = stage_transitions([], [])
    assert empty_changed.shape == (0,) and empty_matrix.sum() == 0
    with pytest.raises(ValueError, match="same length"):
        stage_transitions(["formation"], [])
