"""Shifted-beta-geometric (sBG) model of customer retention for a cohort (contractual setting).

Fader, P. S. & Hardie, B. G. S. (2007). "How to project customer retention". Journal of
Interactive Marketing 21(1), 76-90. Each customer renews every period with a constant churn
probability theta ~ Beta(alpha, beta) across customers, so the retention rate of the cohort rises
over time (heterogeneity, not loyalty growth):

    P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)      (eq. 4, t = 1, 2, ...)
    S(t)     = B(alpha, beta + t) / B(alpha, beta)              (eq. 5)
    r_t      = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)   (eq. 8)

Fitted by maximum likelihood on the survivor counts n_0 >= n_1 >= ... >= n_k of one or several
cohorts: LL = sum_t (n_{t-1} - n_t) ln P(T = t) + n_k ln S(k) (eq. 7); ``betaln`` keeps it in
log-space and the gradient is analytic (digamma functions). The discounted expected residual
lifetime follows Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the
perils of ignoring heterogeneity", Marketing Science 29(1), eq. 6.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betaln, digamma, hyp2f1

from ._fit import Estimator, check_initial_params, minimize_log_params


def _survivor_matrix(survivors):
    """Lost customers per period (summed over cohorts) and right-censored survivors per age."""
    n = np.asarray(survivors, dtype=np.float64)
    if n.ndim == 1:
        n = n[None, :]
    if n.ndim != 2 or n.shape[1] < 2:
        raise ValueError("survivors must hold the cohort size and at least one later count per cohort")
    reached = ~np.isnan(n)
    # counts of a cohort must be a prefix: no observed value after a missing one
    if np.any(~reached[:, 0]) or np.any(reached[:, 1:] & ~reached[:, :-1]):
        raise ValueError("survivors must start with the cohort size; NaN may only pad the end of a row")
    if np.any(np.isinf(n)) or np.any(n[reached] < 0):
        raise ValueError("survivors must be non-negative finite counts")
    filled = np.where(reached, n, 0.0)
    lost = np.where(reached[:, 1:], filled[:, :-1] - filled[:, 1:], 0.0)
    if np.any(lost < 0):
        raise ValueError("survivors cannot increase from one period to the next")
    if np.any(filled[:, 0] <= 0):
        raise ValueError("every cohort must start with a positive number of customers")
    last = reached.sum(axis=1) - 1  # age k at which each cohort is censored
    k_max = n.shape[1] - 1
    censored = np.bincount(last, weights=filled[np.arange(len(n)), last], minlength=k_max + 1)
    return lost.sum(axis=0), censored, last


class ShiftedBetaGeometricModel(Estimator):
    """sBG retention model (Fader & Hardie 2007) with scikit-learn conventions.

    Fitted attributes: ``params_`` (dict alpha, beta), ``log_likelihood_``, ``converged_``,
    ``n_iter_``, ``n_customers_`` (customers at the start, all cohorts).
    """

    param_names = ("alpha", "beta")
    _param_names_init = ()

    @staticmethod
    def _objective(log_params, lost, censored):
        alpha, beta = np.exp(log_params)
        t = np.arange(1, len(lost) + 1, dtype=np.float64)
        k = np.arange(len(censored), dtype=np.float64)
        base = betaln(alpha, beta)
        d_base_a, d_base_b = digamma(alpha) - digamma(alpha + beta), digamma(beta) - digamma(alpha + beta)
        log_p = betaln(alpha + 1, beta + t - 1) - base
        log_s = betaln(alpha, beta + k) - base
        ll = np.sum(lost * log_p) + np.sum(censored * log_s)
        dp_a = digamma(alpha + 1) - digamma(alpha + beta + t) - d_base_a
        dp_b = digamma(beta + t - 1) - digamma(alpha + beta + t) - d_base_b
        ds_a = digamma(alpha) - digamma(alpha + beta + k) - d_base_a
        ds_b = digamma(beta + k) - digamma(alpha + beta + k) - d_base_b
        d_a = np.sum(lost * dp_a) + np.sum(censored * ds_a)
        d_b = np.sum(lost * dp_b) + np.sum(censored * ds_b)
        total = lost.sum() + censored.sum()
        grad = np.array([d_a * alpha, d_b * beta])
        return -ll / total, -grad / total

    def fit(
        self, survivors: ArrayLike, initial_params: ArrayLike | dict | None = None
    ) -> "ShiftedBetaGeometricModel":
        """Fit on survivor counts.

        :param survivors: ``[n_0, n_1, ..., n_k]`` customers of a cohort still active at the start
            of each period (n_0 = cohort size), or a 2-D array with one cohort per row, padded with
            NaN after the periods a cohort has not reached yet.
        """
        lost, censored, _last = _survivor_matrix(survivors)
        if not lost.sum() > 0:
            raise ValueError("cannot fit the sBG model: no customer was lost in the observed periods")
        if not censored[1:].sum() > 0:
            raise ValueError("cannot fit the sBG model: every customer was lost (no survivor observed)")
        start = check_initial_params(initial_params, self.param_names)
        x0 = np.zeros(2) if start is None else np.log(start)
        result = minimize_log_params(lambda lp: self._objective(lp, lost, censored), x0)
        alpha, beta = np.exp(result.x)
        n = lost.sum() + censored.sum()
        return self._store_fit((alpha, beta), result, n, -result.fun * n)

    @staticmethod
    def _periods(t):
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError("periods must be non-negative and finite")
        return t

    def survival(self, t: ArrayLike) -> np.ndarray:
        """S(t): share of the cohort still a customer after ``t`` periods (eq. 5)."""
        alpha, beta = self._params()
        t = self._periods(t)
        return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))

    def churn_probability(self, t: ArrayLike) -> np.ndarray:
        """P(T = t): share of the cohort lost in period ``t`` >= 1 (eq. 4)."""
        alpha, beta = self._params()
        t = self._periods(t)
        if np.any(t < 1):
            raise ValueError("the churn period t starts at 1")
        return np.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))

    def retention_rate(self, t: ArrayLike) -> np.ndarray:
        """r_t = (beta + t - 1) / (alpha + beta + t - 1): share of period t-1's customers renewing
        in period t >= 1 (eq. 8)."""
        alpha, beta = self._params()
        t = self._periods(t)
        if np.any(t < 1):
            raise ValueError("the renewal period t starts at 1")
        return (beta + t - 1) / (alpha + beta + t - 1)

    def expected_residual_lifetime(self, discount_rate: ArrayLike, renewals: ArrayLike = 0) -> np.ndarray:
        """Discounted expected residual lifetime (DERL) of a customer who has made ``renewals``
        renewals and is about to decide on the next one, in periods, the coming one undiscounted
        (Fader & Hardie 2010, eq. 6):

            DERL = (beta + n) / (alpha + beta + n) 2F1(1, beta + n + 1; alpha + beta + n + 1; 1 / (1 + d))

        With a margin m per period, m x DERL is the customer's expected future value.
        """
        alpha, beta = self._params()
        d = np.asarray(discount_rate, dtype=np.float64)
        n = np.asarray(renewals, dtype=np.float64)
        if np.any(d <= 0):
            raise ValueError("the discount rate must be positive (the undiscounted lifetime may be infinite)")
        if np.any(n < 0):
            raise ValueError("renewals must be non-negative")
        hyp = hyp2f1(1.0, beta + n + 1, alpha + beta + n + 1, 1.0 / (1.0 + d))
        return (beta + n) / (alpha + beta + n) * hyp
