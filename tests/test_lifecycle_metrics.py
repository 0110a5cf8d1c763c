"""Purchase rhythm, annualisation and holdout error measures."""

import numpy as np
import pytest

from crm_lifecycle import BetaGeoModel, annualized, holdout_errors, mean_purchase_gap


def test_mean_purchase_gap():
    gap = mean_purchase_gap([0, 2, 4], [0, 30, 100], period_days=7)
    assert np.isnan(gap[0])
    np.testing.assert_allclose(gap[1:], [105.0, 175.0])
    with pytest.raises(ValueError, match="same length"):
        mean_purchase_gap([1], [1, 2])


def test_annualized_does_not_extrapolate_short_spans():
    np.testing.assert_allclose(annualized([100.0, 100.0, 300.0], [30, 365, 730]), [100.0, 100.0, 150.0])
    with pytest.raises(ValueError, match="min_days"):
        annualized([1.0], [1.0], min_days=0)


def test_holdout_errors():
    errors = holdout_errors([1.0, 2.0, 0.5], [0.0, 3.0, 1.0])
    assert errors["actual"] == 4.0 and errors["predicted"] == 3.5
    assert errors["error_pct"] == pytest.approx(-12.5)
    assert errors["mae"] == pytest.approx((1 + 1 + 0.5) / 3)
    assert errors["rmse"] == pytest.approx(np.sqrt((1 + 1 + 0.25) / 3))
    assert holdout_errors([], [])["rmse"] == 0.0
    assert holdout_errors([0.3], [0.0])["error_pct"] == 0.0


def test_fit_emits_no_floating_point_warnings(recwarn):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 40, 5000).astype(float)
    T = rng.integers(1, 1000, 5000).astype(float)
    tx = np.where(x > 0, np.floor(T * rng.random(5000)), 0.0)
    with np.errstate(divide="raise", over="raise", invalid="raise"):  # underflow is harmless
        BetaGeoModel().fit(x, tx, T)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
