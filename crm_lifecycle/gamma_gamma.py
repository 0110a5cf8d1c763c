"""Gamma-Gamma model of spend per transaction.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "RFM and CLV: using iso-value curves for
customer base analysis". Journal of Marketing Research 42(4), 415-430; and Fader & Hardie (2013),
"The Gamma-Gamma model of monetary value". A customer's transaction values are Gamma(p, nu) with
nu ~ Gamma(q, v) across customers; with x transactions of mean value m the likelihood is

    L = Gamma(px + q) / (Gamma(px) Gamma(q)) * v^q m^(px-1) x^(px) / (v + x m)^(px + q)

and E[M | p, q, v, x, m] = (q - 1) / (px + q - 1) * p v / (q - 1) + px / (px + q - 1) * m.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from ._fit import (
    Estimator,
    check_initial_params,
    check_penalizer,
    check_weights,
    compress_rows,
    dot,
    group_by_value,
    minimize_log_params,
)
from ._validation import as_1d_float, check_fitted, check_same_length


class GammaGammaModel(Estimator):
    """Gamma-Gamma estimator. Fits on customers with at least one repeat purchase and a positive
    mean value (the model's support); others get the population mean from
    :meth:`expected_average_value`.

    Fitted attributes: ``params_`` (dict p, q, v), ``log_likelihood_``, ``converged_``,
    ``n_customers_`` (customers used in the fit).
    """

    param_names = ("p", "q", "v")
    _param_names_init = ("penalizer_coef",)

    def __init__(self, penalizer_coef=0.0):
        self.penalizer_coef = penalizer_coef

    @staticmethod
    def _log_likelihood(params, x, m):
        p, q, v = params
        px = p * x
        return (
            gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + v)
        )

    def _objective(self, log_params, x, m, w, groups, constants):
        """Mean negative log-likelihood (+ penalty) and gradient in log-parameters; the gamma and
        digamma terms are evaluated once per distinct frequency (``groups``) and the terms free of
        parameters once per fit (``constants`` = sum w x (log m + log x), sum w log m)."""
        params = np.exp(log_params)
        p, q, v = params
        xu, _inv, wu = groups
        c_xm, c_m = constants
        pxu = p * xu
        xm_v = x * m + v
        log_xm_v = np.log(xm_v)
        wpxq = w * (p * x + q)
        total = w.sum()
        ll = (dot(wu, gammaln(pxu + q) - gammaln(pxu) - gammaln(q) + q * np.log(v))
              + p * c_xm - c_m - dot(wpxq, log_xm_v))
        d_p = dot(xu * wu, digamma(pxu + q) - digamma(pxu)) + c_xm - dot(w * x, log_xm_v)
        d_q = dot(wu, digamma(pxu + q) - digamma(q) + np.log(v)) - dot(w, log_xm_v)
        d_v = total * q / v - dot(wpxq, 1.0 / xm_v)
        grad = np.array([d_p, d_q, d_v]) * params
        value = -ll / total + self.penalizer_coef * np.sum(params**2)
        return value, -grad / total + 2.0 * self.penalizer_coef * params**2

    @staticmethod
    def _check(frequency, monetary_value):
        x = as_1d_float("frequency", frequency)
        m = as_1d_float("monetary_value", monetary_value)
        check_same_length(frequency=x, monetary_value=m)
        if np.any(x < 0) or np.any(x != np.round(x)):
            raise ValueError("frequency must hold non-negative whole numbers of repeat purchases")
        if np.any(m < 0):
            raise ValueError("monetary_value must be non-negative (net refunds out of the mean value first)")
        return x, m

    def fit(
        self,
        frequency: ArrayLike,
        monetary_value: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: ArrayLike | dict | None = None,
    ) -> "GammaGammaModel":
        """Maximum-likelihood fit on the customers with frequency > 0 and monetary_value > 0
        (analytic gradient, L-BFGS-B on log-parameters).

        :param weights: optional number of customers each row stands for.
        :param initial_params: optional starting values (p, q, v) or a dict of them.
        """
        check_penalizer(self.penalizer_coef)
        x, m = self._check(frequency, monetary_value)
        start = check_initial_params(initial_params, self.param_names)
        if weights is not None:
            weights = check_weights(weights, len(x))
        use = (x > 0) & (m > 0)
        if weights is not None:
            use &= weights > 0
        if use.sum() < 2:
            raise ValueError(
                "cannot fit the Gamma-Gamma model: fewer than two customers with repeat purchases "
                "of positive value"
            )
        x, m = x[use], m[use]
        if weights is None:
            (x, m), w = compress_rows(x, m)
        else:
            w = weights[use]
        x0 = np.log(start) if start is not None else np.zeros(3)
        groups = group_by_value(x, w)
        constants = (dot(w * x, np.log(m) + np.log(x)), dot(w, np.log(m)))
        result = minimize_log_params(lambda lp: self._objective(lp, x, m, w, groups, constants), x0)
        params = np.exp(result.x)
        return self._store_fit(params, result, w.sum(), dot(w, self._log_likelihood(params, x, m)))

    def population_mean(self) -> float:
        """Mean transaction value of the population, p v / (q - 1) (requires q > 1)."""
        check_fitted(self)
        p, q, v = (self.params_[k] for k in self.param_names)
        if q <= 1:
            raise ValueError("the population mean value is infinite when q <= 1")
        return p * v / (q - 1)

    def expected_average_value(self, frequency: ArrayLike, monetary_value: ArrayLike) -> np.ndarray:
        """E[M | x, m] per customer; the population mean where frequency == 0."""
        x, m = self._check(frequency, monetary_value)
        check_fitted(self)
        p, q = self.params_["p"], self.params_["q"]
        mean = self.population_mean()
        weight = p * x / (p * x + q - 1)
        return (1.0 - weight) * mean + weight * m
