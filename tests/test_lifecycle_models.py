"""BG/NBD and Gamma-Gamma against the published CDNOW results and the lifetimes package."""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import check_grad

from crm_lifecycle import (
    BetaGeoModel,
    GammaGammaModel,
    ModifiedBetaGeoModel,
    ShiftedBetaGeometricModel,
    customer_lifetime_value,
    simulate_bgnbd,
)
from crm_lifecycle._fit import group_by_value


@pytest.fixture(scope="module")
def bg(cdnow):
    return BetaGeoModel().fit(cdnow.frequency, cdnow.recency, cdnow["T"])


@pytest.fixture(scope="module")
def gg(cdnow_monetary):
    return GammaGammaModel().fit(cdnow_monetary.frequency, cdnow_monetary.monetary_value)


def test_bgnbd_matches_published_cdnow(bg):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 280: r=0.243, alpha=4.414, a=0.793,
    # b=2.426, LL=-9582.4
    p = bg.params_
    assert p["r"] == pytest.approx(0.243, abs=5e-4)
    assert p["alpha"] == pytest.approx(4.414, abs=5e-3)
    assert p["a"] == pytest.approx(0.793, abs=5e-4)
    assert p["b"] == pytest.approx(2.426, abs=5e-3)
    assert bg.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert bg.converged_


def test_bgnbd_same_optimum_as_lifetimes(bg, lifetimes_bgf, cdnow):
    ref = lifetimes_bgf.params_
    ll_ref = BetaGeoModel._log_likelihood(
        (ref["r"], ref["alpha"], ref["a"], ref["b"]),
        cdnow.frequency.to_numpy(float), cdnow.recency.to_numpy(float), cdnow["T"].to_numpy(float),
    ).sum()
    assert bg.log_likelihood_ >= ll_ref - 1e-6 * abs(ll_ref)
    assert bg.log_likelihood_ == pytest.approx(ll_ref, rel=1e-6)
    for name in ("r", "alpha", "a", "b"):
        assert bg.params_[name] == pytest.approx(ref[name], rel=1e-4)


def test_bgnbd_predictions_match_lifetimes(bg, lifetimes_bgf, cdnow):
    f, r, T = cdnow.frequency, cdnow.recency, cdnow["T"]
    ours = BetaGeoModel()
    ours.params_ = dict(lifetimes_bgf.params_)
    np.testing.assert_allclose(
        ours.expected_purchases(39, f, r, T),
        lifetimes_bgf.conditional_expected_number_of_purchases_up_to_time(39, f, r, T), rtol=1e-9)
    np.testing.assert_allclose(
        ours.prob_alive(f, r, T), lifetimes_bgf.conditional_probability_alive(f, r, T), rtol=1e-9)
    np.testing.assert_allclose(
        ours.expected_purchases_new(np.array([1.0, 10.0, 39.0])),
        lifetimes_bgf.expected_number_of_purchases_up_to_time(np.array([1.0, 10.0, 39.0])), rtol=1e-9)


def test_bgnbd_published_conditional_expectation(bg):
    # FHL 2005, p. 281: a customer with x=2, t_x=30.43, T=38.86 is expected to make 1.226 purchases
    # in the next 39 weeks
    assert bg.expected_purchases(39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=2e-3)


def test_prob_alive_is_one_without_repeat_purchase(bg):
    assert bg.prob_alive([0, 0], [0, 0], [5, 50]).tolist() == [1.0, 1.0]


def test_gamma_gamma_matches_published_and_lifetimes(gg, lifetimes_ggf, cdnow_monetary):
    # Fader, Hardie & Lee (2005) "RFM and CLV", JMR 42(4): p=6.25, q=3.74, v=15.44
    assert gg.params_["p"] == pytest.approx(6.25, abs=0.01)
    assert gg.params_["q"] == pytest.approx(3.74, abs=0.01)
    assert gg.params_["v"] == pytest.approx(15.44, abs=0.02)
    ref = lifetimes_ggf.params_
    f = cdnow_monetary.frequency.to_numpy(float)
    m = cdnow_monetary.monetary_value.to_numpy(float)
    ll_ref = GammaGammaModel._log_likelihood((ref["p"], ref["q"], ref["v"]), f, m).sum()
    assert gg.log_likelihood_ == pytest.approx(ll_ref, rel=1e-6)
    np.testing.assert_allclose(
        gg.expected_average_value(f, m),
        lifetimes_ggf.conditional_expected_average_profit(cdnow_monetary.frequency,
                                                          cdnow_monetary.monetary_value), rtol=1e-6)
    assert gg.expected_average_value([0], [0])[0] == pytest.approx(gg.population_mean())


def test_clv_matches_lifetimes(lifetimes_bgf, lifetimes_ggf, cdnow_monetary):
    data = cdnow_monetary.head(200)
    bg = BetaGeoModel()
    bg.params_ = dict(lifetimes_bgf.params_)
    gg = GammaGammaModel()
    gg.params_ = dict(lifetimes_ggf.params_)
    expected = lifetimes_ggf.customer_lifetime_value(
        lifetimes_bgf, data.frequency, data.recency, data["T"], data.monetary_value,
        time=12, discount_rate=0.01, freq="W",
    )
    ours = customer_lifetime_value(
        bg, gg, data.frequency, data.recency, data["T"], data.monetary_value,
        horizon_months=12, period_days=7, monthly_discount_rate=0.01,
    )
    # lifetimes counts a month as 4.345 weeks, 30 / 7 = 4.2857 here: compare with its own step
    assert np.corrcoef(ours, expected.to_numpy())[0, 1] > 0.9999
    month = 30 / 7
    manual = np.zeros(len(data))
    prev = 0
    for k in range(1, 13):
        cur = bg.expected_purchases(k * month, data.frequency, data.recency, data["T"])
        manual += (cur - prev) * gg.expected_average_value(data.frequency, data.monetary_value) / 1.01**k
        prev = cur
    np.testing.assert_allclose(ours, manual, rtol=1e-12)
    half = customer_lifetime_value(bg, gg, data.frequency, data.recency, data["T"], data.monetary_value,
                                   horizon_months=12, period_days=7, monthly_discount_rate=0.01,
                                   margin_rate=0.5)
    np.testing.assert_allclose(half, ours / 2)


def test_clv_with_lifetimes_daily_convention(lifetimes_bgf, lifetimes_ggf, cdnow_monetary):
    """With daily periods both use 30-day months: identical numbers."""
    data = cdnow_monetary.head(100)
    days = data.assign(recency=data.recency * 7, T=data["T"] * 7)
    from lifetimes import BetaGeoFitter

    bgf_days = BetaGeoFitter().fit(days.frequency, days.recency, days["T"])
    expected = lifetimes_ggf.customer_lifetime_value(
        bgf_days, days.frequency, days.recency, days["T"], days.monetary_value,
        time=6, discount_rate=0.01, freq="D")
    bg = BetaGeoModel()
    bg.params_ = dict(bgf_days.params_)
    gg = GammaGammaModel()
    gg.params_ = dict(lifetimes_ggf.params_)
    ours = customer_lifetime_value(bg, gg, days.frequency, days.recency, days["T"], days.monetary_value,
                                   horizon_months=6, period_days=1, monthly_discount_rate=0.01)
    np.testing.assert_allclose(ours, expected.to_numpy(), rtol=1e-8)


def test_fit_recovers_simulated_parameters():
    truth = {"r": 0.8, "alpha": 20.0, "a": 0.9, "b": 3.0}
    f, r, T = simulate_bgnbd(20000, 52.0, **truth, random_state=7)
    model = BetaGeoModel().fit(f, r, T)
    for name, value in truth.items():
        assert model.params_[name] == pytest.approx(value, rel=0.25), name
    # and the fit beats the truth's likelihood on its own sample
    ll_truth = BetaGeoModel._log_likelihood(tuple(truth.values()), f, r, T).sum()
    assert model.log_likelihood_ >= ll_truth


def test_penalizer_shrinks_parameters(cdnow):
    plain = BetaGeoModel().fit(cdnow.frequency, cdnow.recency, cdnow["T"])
    shrunk = BetaGeoModel(penalizer_coef=0.1).fit(cdnow.frequency, cdnow.recency, cdnow["T"])
    assert sum(v * v for v in shrunk.params_.values()) < sum(v * v for v in plain.params_.values())


@pytest.mark.parametrize(
    ("f", "r", "T", "message"),
    [
        ([1, 2], [1], [3, 4], "same length"),
        ([-1], [0], [3], "non-negative whole"),
        ([1], [5], [3], "cannot exceed"),
        ([0], [2], [3], "recency must be 0"),
        ([1], [float("nan")], [3], "NaN"),
    ],
)
def test_bad_inputs(f, r, T, message):
    with pytest.raises(ValueError, match=message):
        BetaGeoModel().fit(f, r, T)


def test_unfittable_data_is_explained():
    with pytest.raises(ValueError, match="no customer made a repeat purchase"):
        BetaGeoModel().fit([0, 0], [0, 0], [5, 6])
    with pytest.raises(ValueError, match="without customers"):
        BetaGeoModel().fit([], [], [])
    with pytest.raises(ValueError, match="fewer than two"):
        GammaGammaModel().fit([0, 1], [0, 10])
    with pytest.raises(ValueError, match="not fitted"):
        BetaGeoModel().prob_alive([1], [1], [2])


def test_gamma_gamma_bad_inputs():
    with pytest.raises(ValueError, match="monetary_value must be non-negative"):
        GammaGammaModel().fit([1, 2, 3], [10.0, -5.0, 3.0])
    with pytest.raises(ValueError, match="same length"):
        GammaGammaModel().fit([1, 2], [10.0])
    with pytest.raises(ValueError, match="whole numbers"):
        GammaGammaModel().fit([1.5, 2], [10.0, 3.0])
    with pytest.raises(ValueError, match="one value per customer"):
        GammaGammaModel().fit([1, 2, 3], [10.0, 5.0, 3.0], weights=[1, 1])
    with pytest.raises(ValueError, match="penalizer_coef"):
        GammaGammaModel(penalizer_coef=-1).fit([1, 2, 3], [10.0, 5.0, 3.0])
    with pytest.raises(ValueError, match="initial_params"):
        BetaGeoModel().fit([1, 2], [1, 2], [3, 4], initial_params=[1, 1, 1])
    with pytest.raises(ValueError, match="weights must be non-negative"):
        BetaGeoModel().fit([1, 2], [1, 2], [3, 4], weights=[1, -1])
    with pytest.raises(ValueError, match="t must be non-negative"):
        BetaGeoModel().fit([1, 2], [1, 2], [3, 4]).expected_purchases(-1, [1], [1], [3])


def test_estimator_conventions():
    model = BetaGeoModel(penalizer_coef=0.01)
    assert not hasattr(model, "params_")
    assert model.get_params() == {"penalizer_coef": 0.01}
    assert model.set_params(penalizer_coef=0.0) is model and model.penalizer_coef == 0.0
    assert repr(model) == "BetaGeoModel(penalizer_coef=0.0)"
    with pytest.raises(ValueError, match="invalid parameter"):
        model.set_params(alpha=3)
    f, r, T = simulate_bgnbd(300, 40.0, 0.5, 5.0, 0.8, 2.5, random_state=1)
    assert model.fit(f, r, T) is model
    assert set(model.params_) == {"r", "alpha", "a", "b"}
    assert model.n_customers_ == 300.0


def test_weights_equal_repeated_rows(cdnow):
    """Grouped rows with weights give the same fit as the raw rows (and lifetimes' weights)."""
    f, r, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    rows = np.stack([f, r, T], axis=1)
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    grouped = BetaGeoModel().fit(*unique.T, weights=counts)
    plain = BetaGeoModel().fit(f, r, T)
    assert grouped.log_likelihood_ == pytest.approx(plain.log_likelihood_, rel=1e-9)
    for name in plain.params_:
        assert grouped.params_[name] == pytest.approx(plain.params_[name], rel=1e-5)
    started = BetaGeoModel().fit(f, r, T, initial_params={"r": 0.3, "alpha": 4.0, "a": 0.8, "b": 2.0})
    assert started.log_likelihood_ == pytest.approx(plain.log_likelihood_, rel=1e-9)


def _fd_check(model, objective, log_params):
    err = check_grad(lambda z: objective(z)[0], lambda z: objective(z)[1], log_params)
    scale = np.linalg.norm(objective(log_params)[1])
    assert err <= 1e-5 * max(scale, 1.0), type(model).__name__


@pytest.mark.parametrize("penalizer", [0.0, 0.05])
def test_analytic_gradients_match_finite_differences(cdnow, cdnow_monetary, penalizer):
    f, r, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    w = np.ones(len(f))
    groups = group_by_value(f, w)
    for cls in (BetaGeoModel, ModifiedBetaGeoModel):
        model = cls(penalizer_coef=penalizer)
        _fd_check(model, lambda z, m=model: m._objective(z, f, r / 4, T / 4, w, groups),
                  np.log([0.4, 3.0, 0.7, 2.0]))
    x = cdnow_monetary.frequency.to_numpy(float)
    m = cdnow_monetary.monetary_value.to_numpy(float)
    wm = np.ones(len(x))
    gg = GammaGammaModel(penalizer_coef=penalizer)
    constants = (np.sum(x * (np.log(m) + np.log(x))), np.sum(np.log(m)))
    _fd_check(gg, lambda z: gg._objective(z, x, m, wm, group_by_value(x, wm), constants),
              np.log([5.0, 3.0, 12.0]))
    lost, censored = np.array([369.0, 163, 86, 56]), np.array([0.0, 0, 0, 0, 326])
    _fd_check(ShiftedBetaGeometricModel(), lambda z: ShiftedBetaGeometricModel._objective(z, lost, censored),
              np.log([0.9, 1.5]))


@pytest.fixture(scope="module")
def lifetimes_mbgf(cdnow):
    from lifetimes import ModifiedBetaGeoFitter

    return ModifiedBetaGeoFitter().fit(cdnow.frequency, cdnow.recency, cdnow["T"])


def test_mbgnbd_same_optimum_as_lifetimes(cdnow, lifetimes_mbgf):
    f, r, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    model = ModifiedBetaGeoModel().fit(f, r, T)
    # the MBG/NBD estimates on CDNOW (as in lifetimes' own test suite): 0.525, 6.183, 0.891, 1.614
    expected = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
    for name, value in expected.items():
        assert model.params_[name] == pytest.approx(value, abs=1e-3)
    ref = lifetimes_mbgf.params_
    ll_ref = ModifiedBetaGeoModel._log_likelihood(tuple(ref[k] for k in model.param_names), f, r, T).sum()
    assert model.log_likelihood_ == pytest.approx(ll_ref, rel=1e-6)
    # lifetimes' own objective (mean negative log-likelihood) at our optimum equals ours
    from lifetimes import ModifiedBetaGeoFitter

    theirs = ModifiedBetaGeoFitter._negative_log_likelihood(
        np.log([model.params_[k] for k in model.param_names]), f, r, T, np.ones(len(f)), 0.0)
    assert -theirs * len(f) == pytest.approx(model.log_likelihood_, rel=1e-12)


def test_mbgnbd_predictions_match_lifetimes(cdnow, lifetimes_mbgf):
    f, r, T = cdnow.frequency, cdnow.recency, cdnow["T"]
    ours = ModifiedBetaGeoModel()
    ours.params_ = dict(lifetimes_mbgf.params_)
    np.testing.assert_allclose(
        ours.expected_purchases(39, f, r, T),
        lifetimes_mbgf.conditional_expected_number_of_purchases_up_to_time(39, f, r, T), rtol=1e-9)
    np.testing.assert_allclose(
        ours.prob_alive(f, r, T), lifetimes_mbgf.conditional_probability_alive(f, r, T), rtol=1e-9)
    t = np.array([1.0, 10.0, 39.0])
    np.testing.assert_allclose(ours.expected_purchases_new(t),
                               lifetimes_mbgf.expected_number_of_purchases_up_to_time(t), rtol=1e-9)
    # unlike BG/NBD, a customer without repeat purchase may have dropped out
    alive = ours.prob_alive([0, 0], [0, 0], [1, 39])
    assert np.all(alive < 1) and alive[1] < alive[0]


def test_penalized_fit_is_at_least_as_good_as_lifetimes(cdnow):
    """With a penalty, both minimise the same objective (lifetimes' own function, evaluated on its
    rescaled time, max T = 10): ours reaches a value at least as low (lifetimes' optimiser stops
    early on CDNOW with penalizer_coef=0.01)."""
    from lifetimes import BetaGeoFitter

    f, r, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    ref = BetaGeoFitter(penalizer_coef=0.01).fit(f, r, T)
    ours = BetaGeoModel(penalizer_coef=0.01).fit(f, r, T)
    scale = 10.0 / T.max()

    def objective(p):
        log_params = np.log([p["r"], p["alpha"] * scale, p["a"], p["b"]])
        return BetaGeoFitter._negative_log_likelihood(
            log_params, f, r * scale, T * scale, np.ones(len(f)), 0.01)

    assert objective(ours.params_) <= objective(ref.params_) + 1e-9


@pytest.fixture(scope="module")
def pareto(cdnow):
    from crm_lifecycle import ParetoNBDModel

    return ParetoNBDModel().fit(cdnow.frequency, cdnow.recency, cdnow["T"])


def test_pareto_nbd_matches_published_cdnow(pareto, cdnow):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), table 1: Pareto/NBD on the same CDNOW
    # sample: r=0.553, alpha=10.578, s=0.606, beta=11.669, LL=-9595.0
    expected = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    for name, value in expected.items():
        assert pareto.params_[name] == pytest.approx(value, rel=1e-3), name
    assert pareto.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)
    assert pareto.converged_
    # the same optimum as lifetimes (its parameters from the same fit, stored to avoid a 7 s refit)
    ref = (0.5532916184333722, 10.577916964597016, 0.6062229425439212, 11.667652658721076)
    f, r, T = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    ll_ref = type(pareto)._log_likelihood(ref, f, r, T).sum()
    assert pareto.log_likelihood_ >= ll_ref - 1e-6 * abs(ll_ref)
    assert pareto.log_likelihood_ == pytest.approx(ll_ref, rel=1e-6)


def test_pareto_nbd_predictions_match_lifetimes(cdnow):
    from lifetimes import ParetoNBDFitter

    from crm_lifecycle import ParetoNBDModel

    f, r, T = cdnow.frequency, cdnow.recency, cdnow["T"]
    params = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    ref = ParetoNBDFitter()
    ref.params_ = pd.Series(params)
    ours = ParetoNBDModel()
    ours.params_ = params
    np.testing.assert_allclose(
        ours.expected_purchases(39, f, r, T),
        ref.conditional_expected_number_of_purchases_up_to_time(39, f, r, T), rtol=1e-9)
    np.testing.assert_allclose(ours.prob_alive(f, r, T), ref.conditional_probability_alive(f, r, T),
                               rtol=1e-9)
    t = np.array([1.0, 10.0, 39.0])
    np.testing.assert_allclose(ours.expected_purchases_new(t), ref.expected_number_of_purchases_up_to_time(t),
                               rtol=1e-9)
