"""Shifted-beta-geometric retention model against Fader & Hardie (2007) and brute-force sums."""

import numpy as np
import pytest

from crm_lifecycle import ShiftedBetaGeometricModel, cohort_table

# Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1),
# table 1: customers of two 1000-customer cohorts still active at the start of years 0 .. 12
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


@pytest.mark.parametrize(
    ("data", "alpha", "beta"),
    # the paper's estimates on years 0 .. 7
    [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)],
)
def test_sbg_matches_published_estimates(data, alpha, beta):
    model = ShiftedBetaGeometricModel().fit(data[:8])
    assert model.converged_
    assert model.params_["alpha"] == pytest.approx(alpha, abs=5e-4)
    assert model.params_["beta"] == pytest.approx(beta, abs=5e-4)
    # log-likelihood by hand: lost customers per year and the survivors of year 7
    a, b = model.params_["alpha"], model.params_["beta"]
    p = [a / (a + b)]
    for t in range(2, 8):
        p.append(p[-1] * (b + t - 2) / (a + b + t - 1))
    lost = -np.diff(data[:8])
    ll = np.sum(lost * np.log(p)) + data[7] * np.log(1 - np.sum(p))
    assert model.log_likelihood_ == pytest.approx(ll, rel=1e-10)
    # the projection keeps the holdout years 8 .. 12 within 5% of the truth (paper, figure 4)
    projected = 1000 * model.survival(np.arange(8, 13))
    np.testing.assert_allclose(projected, data[8:], rtol=0.05)


def test_sbg_quantities_are_consistent():
    model = ShiftedBetaGeometricModel().fit(REGULAR[:8])
    t = np.arange(1, 30)
    s = model.survival(np.r_[0, t])
    assert s[0] == pytest.approx(1.0)
    np.testing.assert_allclose(model.churn_probability(t), s[:-1] - s[1:], rtol=1e-10)
    np.testing.assert_allclose(model.retention_rate(t), s[1:] / s[:-1], rtol=1e-10)
    # retention rises over time (heterogeneity sorts the cohort)
    assert np.all(np.diff(model.retention_rate(t)) > 0)


@pytest.mark.parametrize("renewals", [0, 3])
def test_derl_matches_brute_force_sum(renewals):
    model = ShiftedBetaGeometricModel().fit(HIGH_END[:8])
    t = np.arange(renewals + 1, 20000)
    with np.errstate(over="ignore"):
        discount = 1.1 ** (t - renewals - 1.0)
    brute = np.sum(model.survival(t) / model.survival(renewals) / discount)
    assert model.expected_residual_lifetime(0.1, renewals) == pytest.approx(brute, rel=1e-10)


def test_sbg_several_cohorts_padded_with_nan():
    both = np.array([REGULAR[:8], [*HIGH_END[:6], np.nan, np.nan]], dtype=float)
    joint = ShiftedBetaGeometricModel().fit(both)
    a, b = joint.params_["alpha"], joint.params_["beta"]
    # the joint log-likelihood is the sum of the two cohorts' at the joint optimum
    one = ShiftedBetaGeometricModel().fit(REGULAR[:8])
    two = ShiftedBetaGeometricModel().fit(HIGH_END[:6])
    ll = 0.0
    for part, data in ((one, REGULAR[:8]), (two, HIGH_END[:6])):
        part.params_ = {"alpha": a, "beta": b}
        k = len(data) - 1
        ll += np.sum(-np.diff(data) * np.log(part.churn_probability(np.arange(1, k + 1))))
        ll += data[-1] * np.log(part.survival(k))
    assert joint.log_likelihood_ == pytest.approx(ll, rel=1e-10)
    # and no other parameters do better, e.g. the regular cohort's own estimates
    from crm_lifecycle.sbg import _survivor_matrix

    lost, censored, _last = _survivor_matrix(both)
    other = ShiftedBetaGeometricModel().fit(REGULAR[:8]).params_
    log_params = np.log([other["alpha"], other["beta"]])
    mean_nll = ShiftedBetaGeometricModel._objective(log_params, lost, censored)[0]
    assert joint.log_likelihood_ > -mean_nll * (lost.sum() + censored.sum())


def test_sbg_on_a_cohort_table():
    """The Kaplan-Meier survival of cohort_table, times the cohort size, is a valid sBG input."""
    rng = np.random.default_rng(3)
    n = 400
    ids = np.repeat(np.arange(n), 12)
    start = rng.integers(0, 3, n)  # acquired in month 0, 1 or 2 of 2024
    lifetime = rng.geometric(rng.beta(1.0, 3.0, n))  # months of buying, sBG process
    month = np.tile(np.arange(12), n)
    buying = month < np.minimum(lifetime[ids], 12)
    absolute = start[ids] + month
    dates = np.datetime64("2024-01-01", "M") + absolute.astype("timedelta64[M]")
    dates = dates.astype("datetime64[D]") + 4
    table = cohort_table(ids[buying], dates[buying], np.full(buying.sum(), 10.0),
                         observation_end="2024-12-31", lapse_periods=1)
    survivors = table.survival * table.cohort_size[:, None]
    model = ShiftedBetaGeometricModel().fit(survivors)
    assert model.converged_
    # mean churn probability alpha / (alpha + beta) close to the simulated 1 / 4
    mean = model.params_["alpha"] / (model.params_["alpha"] + model.params_["beta"])
    assert mean == pytest.approx(0.25, abs=0.06)


def test_projected_retention_per_cohort():
    """Each cohort's sBG projection follows its observed survival and fills the periods it has not
    reached; a cohort too small for its own fit gets the pooled one."""
    from crm_lifecycle import project_retention

    rng = np.random.default_rng(4)
    n = 600
    ids = np.repeat(np.arange(n), 12)
    start = np.where(np.arange(n) < 595, rng.integers(0, 3, n), 5)  # 5 customers acquired in June
    lifetime = rng.geometric(rng.beta(1.0, 3.0, n))
    month = np.tile(np.arange(12), n)
    buying = month < np.minimum(lifetime[ids], 12)
    dates = (np.datetime64("2024-01-01", "M") + (start[ids] + month).astype("timedelta64[M]")).astype(
        "datetime64[D]") + 4
    table = cohort_table(ids[buying], dates[buying], np.full(buying.sum(), 10.0),
                         observation_end="2024-12-31", lapse_periods=1)
    projection = project_retention(table, min_customers=10)
    assert projection.shape == table.survival.shape
    assert np.isfinite(projection).all(), "every offset projected, reached or not"
    np.testing.assert_allclose(projection[:, 0], 1.0)
    observed = ~np.isnan(table.survival)
    large = observed & (table.cohort_size[:, None] >= 100)
    assert np.abs(projection[large] - table.survival[large]).max() < 0.06
    june = table.cohorts.astype(str).tolist().index("2024-06")
    assert table.cohort_size[june] == 5
    pooled = ShiftedBetaGeometricModel().fit(
        (table.survival * table.cohort_size[:, None])[np.sum(observed, axis=1) >= 2])
    np.testing.assert_allclose(projection[june], pooled.survival(np.arange(projection.shape[1])))


@pytest.mark.parametrize(
    ("survivors", "message"),
    [
        ([1000], "at least one later count"),
        ([1000, 1100], "cannot increase"),
        ([1000, -1], "non-negative"),
        ([0, 0], "positive number"),
        ([[1000, np.nan, 500]], "pad the end"),
        ([1000, 1000, 1000], "no customer was lost"),
        ([1000, 0], "every customer was lost"),
    ],
)
def test_sbg_bad_input(survivors, message):
    with pytest.raises(ValueError, match=message):
        ShiftedBetaGeometricModel().fit(survivors)


def test_sbg_not_fitted_and_bad_arguments():
    with pytest.raises(ValueError, match="not fitted"):
        ShiftedBetaGeometricModel().survival(3)
    model = ShiftedBetaGeometricModel().fit(REGULAR[:8])
    with pytest.raises(ValueError, match="discount rate"):
        model.expected_residual_lifetime(0.0)
    with pytest.raises(ValueError, match="starts at 1"):
        model.retention_rate(0)
