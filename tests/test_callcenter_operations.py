"""Call-center KPIs, skill routing and the interval forecast: hand-computed cases and synthetic
histories with a known pattern."""

import numpy as np
import pytest

from crm_callcenter.forecast import forecast_intervals
from crm_callcenter.kpis import call_kpis, first_contact_resolved
from crm_callcenter.routing import Agents, eligible, route

T = np.datetime64("2026-11-02T09:00")  # a Monday


def _calls():
    # 09:00-09:30: four answered (waits 5, 15, 25, 40), one abandoned after 30 s, one short abandon
    # (2 s), one outbound; 09:30-10:00: one answered (wait 10), one missed
    offered = T + np.array([0, 60, 120, 180, 240, 300, 400, 1900, 2000], dtype="timedelta64[s]")
    wait = [5, 15, 25, 40, 30, 2, 0, 10, 50]
    outcome = [
        "answered",
        "answered",
        "transferred",
        "answered",
        "abandoned",
        "abandoned",
        "answered",
        "answered",
        "missed",
    ]
    talk = [100, 200, 300, 400, 0, 0, 60, 150, 0]
    hold = [0, 20, 0, 0, 0, 0, 0, 10, 0]
    wrap = [20, 20, 20, 20, 0, 0, 0, 40, 0]
    inbound = [True] * 6 + [False] + [True] * 2
    callers = [1, 2, 3, 4, 5, 6, 7, 1, 8]
    return offered, wait, outcome, talk, hold, wrap, inbound, callers


def test_kpis_hand_computed():
    offered, wait, outcome, talk, hold, wrap, inbound, callers = _calls()
    kpis = call_kpis(
        offered,
        wait,
        outcome,
        talk,
        hold,
        wrap,
        callers=callers,
        inbound=inbound,
        interval_minutes=30,
        target_seconds=20,
        short_abandon_seconds=5,
        fcr_days=1,
    )
    assert kpis.interval_start.tolist() == [
        T.astype("datetime64[m]"),
        (T + np.timedelta64(30, "m")).astype("datetime64[m]"),
    ]
    first = 0
    assert kpis.offered[first] == 5  # the short abandon and the outbound call left out
    assert kpis.answered[first] == 4 and kpis.abandoned[first] == 1 and kpis.short_abandoned[first] == 1
    assert kpis.answered_in_target[first] == 2  # waits 5 and 15
    assert kpis.service_level[first] == pytest.approx(2 / 5)
    assert kpis.asa[first] == pytest.approx((5 + 15 + 25 + 40) / 4)
    assert kpis.aht[first] == pytest.approx((120 + 240 + 320 + 420) / 4)
    assert kpis.abandonment_rate[first] == pytest.approx(1 / 5)
    # caller 1 calls again 31 minutes later: not resolved at the first contact; 2, 3, 4 are
    assert kpis.fcr[first] == pytest.approx(3 / 4)
    second = 1
    assert kpis.offered[second] == 2 and kpis.answered[second] == 1 and kpis.abandoned[second] == 0
    assert kpis.service_level[second] == pytest.approx(1 / 2)  # the missed call is offered, not answered
    assert kpis.aht[second] == pytest.approx(200)
    assert np.isnan(kpis.occupancy).all()


def test_kpis_by_group_and_occupancy():
    offered, wait, outcome, talk, hold, wrap, inbound, _callers = _calls()
    groups = [10, 10, 20, 20, 10, 10, 10, 20, 20]
    slot = T.astype("datetime64[m]")
    kpis = call_kpis(
        offered,
        wait,
        outcome,
        talk,
        hold,
        wrap,
        groups=groups,
        inbound=inbound,
        available_seconds={(slot, 10): 1800.0, (slot, 20): 3600.0},
    )
    rows = {
        (start, group): i
        for i, (start, group) in enumerate(zip(kpis.interval_start, kpis.group, strict=True))
    }
    team10, team20 = rows[(slot, 10)], rows[(slot, 20)]
    assert kpis.offered[team10] == 3 and kpis.answered[team10] == 2
    assert kpis.occupancy[team10] == pytest.approx((120 + 240) / 1800)
    assert kpis.occupancy[team20] == pytest.approx((320 + 420) / 3600)
    assert np.isnan(kpis.fcr).all()  # no callers given


def test_first_contact_resolution_window():
    """Caller 1 calls again 30 hours later: within 2 days the first call was not resolved, within 1 day
    it was; an unknown caller (-1) never counts as resolved."""
    at = T + np.array([0, 3600 * 30, 0], dtype="timedelta64[s]")
    one_day = first_contact_resolved([1, 1, -1], at, [True, True, True], fcr_days=1)
    assert one_day.tolist() == [True, True, False]
    two_days = first_contact_resolved([1, 1, 2], at, [True, True, True], fcr_days=2)
    assert two_days.tolist() == [False, True, True]
    assert first_contact_resolved([1], at[:1], [False]).tolist() == [False]  # unanswered


def test_kpis_bad_input():
    with pytest.raises(ValueError, match="outcomes"):
        call_kpis([T], [1], ["lost"])
    with pytest.raises(ValueError, match="negative"):
        call_kpis([T], [-1], ["answered"])
    with pytest.raises(ValueError, match="interval_minutes"):
        call_kpis([T], [1], ["answered"], interval_minutes=20)
    with pytest.raises(ValueError, match="one value per call"):
        call_kpis([T, T], [1, 2], ["answered"])


def _agents():
    # skills: (billing, technical); agent 7 is the expert of both
    return Agents.from_arrays(
        ids=[5, 6, 7, 8],
        levels=[[2, 0], [1, 2], [3, 3], [2, 1]],
        load=[0, 1, 0, 2],
        capacity=[2, 2, 2, 2],
        idle_seconds=[30, 500, 600, 10],
    )


def test_routing_rules():
    agents = _agents()
    assert eligible(agents, [2, 0]).tolist() == [True, False, True, False]  # 8 is full
    # billing level 2: 5 and 7 are free and equally loaded; 5 has the smaller surplus (keep the expert)
    assert route(agents, [2, 0]) == 5
    # technical level 2: 6 (load 1 of 2) and 7 (load 0): the least loaded first
    assert route(agents, [0, 2]) == 7
    # equal load and surplus: the longest idle
    tie = Agents.from_arrays([1, 2, 3], [[1], [1], [1]], [0, 0, 0], [1, 1, 1], [10, 90, 90])
    assert route(tie, [1]) == 2  # 2 and 3 idle as long: the smaller id
    assert route(agents, [4, 0]) is None


def test_routing_bad_input():
    with pytest.raises(ValueError, match="one value per skill"):
        route(_agents(), [1])
    with pytest.raises(ValueError, match="one row per agent"):
        Agents.from_arrays([1, 2], [[1]], [0, 0], [1, 1], [0, 0])


def _history(weeks=8, seed=0):
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-09-07T00:00")  # a Monday
    n = weeks * 7 * 48
    slot = np.arange(n)
    hour, day = (slot % 48) / 2, (slot // 48) % 7
    mean = 40 * np.exp(-((hour - 11) ** 2) / 6) * np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.4, 0.2])[day]
    return start + slot * np.timedelta64(30, "m"), rng.poisson(mean), mean


def test_forecast_recovers_the_weekly_and_daily_pattern():
    starts, counts, mean = _history()
    forecast = forecast_intervals(starts, counts, interval_minutes=30, horizon_days=7, backtest_weeks=2)
    truth = mean[: 7 * 48]  # the pattern repeats every week
    assert forecast.interval_starts[0] == np.datetime64("2026-11-02T00:00")
    assert len(forecast.contacts) == 7 * 48 and np.all(forecast.contacts >= 0)
    assert np.abs(forecast.contacts - truth).sum() / truth.sum() < 0.12
    # the Monday is the busiest day, the Sunday the quietest
    assert forecast.daily.argmax() == 0 and forecast.daily.argmin() == 6
    assert 0 < forecast.backtest_wape < 0.35 and forecast.backtest_mape > 0
    assert set(forecast.params) == {"alpha", "beta", "gamma"}


def test_backtest_of_an_exactly_repeating_week_is_near_zero():
    starts, _counts, mean = _history(weeks=6)
    forecast = forecast_intervals(starts, np.round(mean * 10), 30, 7, backtest_weeks=1)
    assert forecast.backtest_wape < 0.01


def test_missing_intervals_count_zero_and_bad_input():
    starts, counts, _mean = _history(weeks=4)
    busy = counts > 0
    full = forecast_intervals(starts, counts, 30, 7, backtest_weeks=1)
    sparse = forecast_intervals(starts[busy], counts[busy], 30, 7, backtest_weeks=1)
    np.testing.assert_allclose(full.contacts, sparse.contacts)
    with pytest.raises(ValueError, match="at least"):
        forecast_intervals(starts[: 48 * 10], counts[: 48 * 10], 30, 7, backtest_weeks=1)
    with pytest.raises(ValueError, match="boundaries"):
        forecast_intervals(starts + np.timedelta64(7, "m"), counts, 30)
    with pytest.raises(ValueError, match="non-negative"):
        forecast_intervals(starts, -counts - 1, 30)


def test_estimate_patience_is_the_censored_exponential_mle():
    from crm_callcenter import estimate_patience

    rng = np.random.default_rng(5)
    n = 200_000
    patience = rng.exponential(120.0, n)
    service_wait = rng.exponential(40.0, n)  # when an agent would have answered
    wait = np.minimum(patience, service_wait)
    abandoned = patience < service_wait
    assert abs(estimate_patience(wait, abandoned) - 120.0) < 2.0
    assert estimate_patience([10, 20], [True, False]) is None  # fewer than 10 abandons
    assert estimate_patience([10.0] * 10, [True] * 10) == 10.0
    with pytest.raises(ValueError):
        estimate_patience([1.0], [True, False])
    with pytest.raises(ValueError):
        estimate_patience([-1.0], [True], min_abandons=1)
