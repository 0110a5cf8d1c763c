"""score_customers: the whole per-customer scoring of a company in one engine call."""

import datetime

import numpy as np
import pytest

from crm_lifecycle import (
    FIGURE_KINDS,
    MODEL_FIGURES,
    PURCHASE_MODELS,
    Baseline,
    ScoringConfig,
    expected_retention_clv,
    pyramid_tiers,
    retention_clv,
    score_customers,
)

END = datetime.date(2026, 6, 30)
START = datetime.date(2023, 7, 1)


def _simulate(n_customers=3000, seed=7, r=0.9, alpha=60.0, a=1.0, b=4.0, days=1095):
    """Transactions of a BG/NBD population: purchase rate ~ Gamma(r, alpha), dropout after each repeat
    purchase with probability ~ Beta(a, b); customers born along the first two thirds of the span.
    Order values ~ Gamma around 100, margin 30%."""
    rng = np.random.default_rng(seed)
    ids, offsets, values = [], [], []
    lam = rng.gamma(r, 1.0 / alpha, n_customers)
    p = rng.beta(a, b, n_customers)
    births = rng.integers(0, int(days * 0.66), n_customers)
    for cid in range(n_customers):
        t = births[cid]
        ids.append(cid + 1)
        offsets.append(t)
        while True:
            t += rng.exponential(1.0 / lam[cid])
            if t >= days:
                break
            ids.append(cid + 1)
            offsets.append(int(t))
            if rng.random() < p[cid]:
                break
    start = np.datetime64(START, "D")
    dates = start + np.asarray(offsets, dtype="timedelta64[D]")
    values = rng.gamma(4.0, 25.0, len(ids))
    return np.asarray(ids), dates, values, values * 0.3


@pytest.fixture(scope="module")
def population():
    ids, dates, revenue, margin = _simulate()
    config = ScoringConfig(observation_end=END, window_start=START, holdout_months=0)
    return ids, dates, revenue, margin, score_customers(ids, dates, revenue, margin, config)


def test_every_declared_figure_is_returned(population):
    scores = population[-1]
    assert list(scores.figures) == list(FIGURE_KINDS)
    n = len(scores)
    for name, values in scores.figures.items():
        assert values is not None and len(values) == n, name
    assert scores.fit.fitted and scores.fit.model == "mbgnbd"
    assert scores.transitions.shape == (6, 6)


def test_stage_and_p_alive_agree(population):
    """Nobody at risk is already churned; a churned repeat buyer is one the model thinks more likely
    gone than not; the retention CLV of a churned customer is 0."""
    f = population[-1].figures
    churned = f["stage"] == "churned"
    assert churned.any() and f["at_risk"].any()
    assert not (f["at_risk"] & churned).any(), "the At Risk list must not hold churned customers"
    repeat_churned = churned & (f["frequency"] > 0)
    assert (f["p_alive"][repeat_churned] < 0.5).all()
    assert (f["retention_clv"][churned] == 0).all()
    alive = ~churned & (f["purchase_count"] > 0)
    assert (f["retention_clv"][alive] > 0).all()


def test_first_ever_purchase_starts_the_clock():
    """A ten-year customer with one purchase in the window is neither acquired nor certainly alive."""
    ids = np.array([1, 2, 2, 3])
    dates = np.array(["2026-03-01", "2025-01-10", "2026-05-01", "2026-06-01"], dtype="datetime64[D]")
    revenue = np.array([100.0, 50.0, 70.0, 80.0])
    config = ScoringConfig(observation_end=END, window_start=START, holdout_months=0)
    first = (np.array([1, 2]), np.array(["2016-02-01", "2025-01-10"], dtype="datetime64[D]"))
    scores = score_customers(ids, dates, revenue, revenue * 0.25, config, first_purchase=first)
    f = scores.figures
    assert scores.partner_ids.tolist() == [1, 2, 3]
    assert f["first_purchase_date"].tolist() == [datetime.date(2016, 2, 1), datetime.date(2025, 1, 10),
                                                 datetime.date(2026, 6, 1)]
    assert f["tenure_days"].tolist() == [(END - datetime.date(2016, 2, 1)).days,
                                         (END - datetime.date(2025, 1, 10)).days, 29]
    # customer 1 was born before the window: its one window purchase is a repeat purchase
    assert f["frequency"].tolist() == [1, 1, 0]
    assert f["purchase_count"].tolist() == [1, 2, 1]
    assert f["stage"][0] != "acquisition" and f["stage"][2] == "acquisition"
    assert f["recency_days"].tolist() == [121, 60, 29]
    np.testing.assert_allclose(f["average_order_value"], [100.0, 60.0, 80.0])


def test_lapsed_and_prospects():
    ids = np.array([1, 1])
    dates = np.array(["2025-01-10", "2026-05-01"], dtype="datetime64[D]")
    revenue = np.array([50.0, 70.0])
    config = ScoringConfig(observation_end=END, window_start=START, holdout_months=0)
    scores = score_customers(
        ids, dates, revenue, revenue * 0.3, config,
        lapsed=(np.array([5]), np.array(["2021-03-03"], dtype="datetime64[D]")), prospects=[9])
    f = scores.figures
    assert scores.partner_ids.tolist() == [1, 5, 9]
    assert f["stage"].tolist()[1:] == ["churned", "prospect"]
    assert f["last_purchase_date"][1] == np.datetime64("2021-03-03")
    assert f["retention_clv"][1] == 0 and f["purchase_count"][1] == 0
    # a single repeat buyer cannot support a model: no predictions, and the stage rules still run
    assert not scores.fit.fitted and all(f[name] is None for name in MODEL_FIGURES)
    assert np.isnat(f["stage_since"][2])


def test_stage_since_from_history_and_baseline():
    ids = np.array([1, 2, 2, 2, 2, 2])
    dates = np.array(["2026-06-20", "2024-01-05", "2024-04-05", "2024-07-05", "2024-10-05", "2025-01-05"],
                     dtype="datetime64[D]")
    revenue = np.full(6, 100.0)
    config = ScoringConfig(observation_end=END, window_start=START, holdout_months=0)
    first = score_customers(ids, dates, revenue, revenue * 0.3, config)
    f = first.figures
    # first classification: acquisition dated at the first purchase; the other stage estimated from
    # the silence (never the run date for everyone)
    assert f["stage"][0] == "acquisition" and f["stage_since"][0] == np.datetime64("2026-06-20")
    assert f["stage"][1] in ("decline", "churned")
    assert np.datetime64("2025-01-05") < f["stage_since"][1] < np.datetime64(END)
    assert f["stage_changed"].all() and f["previous_stage"].tolist() == [None, None]
    # the next run compares with the published figures
    baseline = Baseline(np.array([1, 2]), np.array(["acquisition", "stability"], dtype=object),
                        np.array([None, "formation"], dtype=object),
                        np.array(["2026-06-20", "2025-01-01"], dtype="datetime64[D]"),
                        np.array([False, False]))
    again = score_customers(ids, dates, revenue, revenue * 0.3, config, baseline=baseline).figures
    assert again["stage_changed"].tolist() == [False, True]
    assert again["stage_since"][0] == np.datetime64("2026-06-20"), "an unchanged stage keeps its date"
    assert again["stage_since"][1] == np.datetime64(END), "a change is dated on the run's end"
    assert again["previous_stage"].tolist() == [None, "stability"]


def test_retention_targets_reach_valuable_customers_at_risk(population):
    """Ranking on historical value (the default) targets the customers whose predicted value fell:
    more valuable at-risk customers get an activity than with tiers on predicted CLV."""
    ids, dates, revenue, margin, scores = population
    f = scores.figures
    by_predicted = np.isin(f["tier"], ["platinum", "gold"]) & f["at_risk"]
    by_history = np.isin(pyramid_tiers(f["historical_clv"]), ["platinum", "gold"]) & f["at_risk"]
    assert by_history.sum() > by_predicted.sum()
    reasons = f["retention_reason"]
    assert all(reason in ("at_risk", "decline") for reason in reasons[by_history])
    assert not any(reasons[~np.isin(pyramid_tiers(f["historical_clv"]), ["platinum", "gold"])])
    quadrant = score_customers(ids, dates, revenue, margin, ScoringConfig(
        observation_end=END, window_start=START, holdout_months=0, activity_basis="quadrant")).figures
    flagged = quadrant["retention_reason"] != None  # noqa: E711 - element-wise
    assert flagged.any() and (quadrant["value_quadrant"][flagged] == "harvest").all()


def test_models_compared_on_holdout(population):
    ids, dates, revenue, margin, _scores = population
    scores = score_customers(ids, dates, revenue, margin, ScoringConfig(
        observation_end=END, window_start=START, model="pareto", holdout_months=6))
    assert scores.fit.model == "pareto" and set(scores.fit.params) == {"r", "alpha", "s", "beta"}
    assert set(scores.holdout) == set(PURCHASE_MODELS)
    for errors in scores.holdout.values():
        assert errors["actual"] > 0 and errors["mae"] >= 0 and errors["customers"] > 0


def test_resumed_run_scores_identically(population):
    ids, dates, revenue, margin, scores = population
    config = ScoringConfig(observation_end=END, window_start=START, holdout_months=0)
    params = {**scores.fit.params, **scores.fit.spend_params}
    again = score_customers(ids, dates, revenue, margin, config, params=params)
    for name in FIGURE_KINDS:
        a, b = scores.figures[name], again.figures[name]
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True, err_msg=name)
        else:
            assert a.tolist() == b.tolist(), name


def test_expected_retention_clv_formula():
    # m = 100, p = 0.5, r = 0.8, d = 10%, 3 years: 100 * 0.5 * (1/1.1 + 0.8/1.21 + 0.64/1.331)
    expected = 50.0 * (1 / 1.1 + 0.8 / 1.1**2 + 0.64 / 1.1**3)
    assert expected_retention_clv(100.0, 0.8, 0.1, 3, 0.5) == pytest.approx(expected)
    assert expected_retention_clv(100.0, 0.8, 0.1, 3, 0.0) == 0.0
    np.testing.assert_allclose(expected_retention_clv(100.0, 0.8, 0.1, 3, 1.0),
                               retention_clv(100.0, 0.8, 0.1, 3) / 1.1)
    with pytest.raises(ValueError):
        expected_retention_clv(100.0, 0.8, 0.1, 3, 1.5)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"model": "nope"}, "unknown purchase model"),
    ({"window_start": datetime.date(2027, 1, 1)}, "starts after it ends"),
    ({"alive_threshold": 1.5}, "probability"),
    ({"tier_cuts": (0.5, 0.2, 0.9)}, "cut_points"),
    ({"activity_basis": "x"}, "activity_basis"),
])
def test_bad_configuration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ScoringConfig(**{"observation_end": END, "window_start": START, **kwargs})


def test_empty_window():
    config = ScoringConfig(observation_end=END, window_start=START)
    scores = score_customers([], np.array([], dtype="datetime64[D]"), [], [], config, prospects=[4])
    assert scores.partner_ids.tolist() == [4]
    assert scores.figures["stage"].tolist() == ["prospect"]
    assert scores.buyer_count == 0 and not scores.fit.fitted
