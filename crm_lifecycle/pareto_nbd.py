"""Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987).

Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). "Counting your customers: who are they
and what will they do next?" Management Science 33(1), 1-24. Formulas from Fader, P. S. & Hardie,
B. G. S. (2005), "A note on deriving the Pareto/NBD model and related expressions"
(brucehardie.com/notes/009), equation numbers of that note.

While active, a customer buys with Poisson rate lambda ~ Gamma(r, alpha); the lifetime is
exponential with rate mu ~ Gamma(s, beta). Likelihood (eq. 22), for alpha >= beta:

    L = G(r+x) alpha^r beta^s / G(r) [ 1 / ((alpha+T)^(r+x) (beta+T)^s) + s/(r+s+x) A0 ]
    A0 = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t_x)) / (alpha+t_x)^(r+s+x)
       - 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+T)) / (alpha+T)^(r+s+x)

(alpha and beta, r+x and s+1 swap roles when alpha < beta), evaluated in log-space. The Gauss
hypergeometric function has no cheap derivative in its parameters, so the fit uses central
differences of the log-likelihood (in log-parameters) with L-BFGS-B.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln, hyp2f1, logsumexp

from ._fit import (
    Estimator,
    dot,
    minimize_log_params,
    prepare_rfm_fit,
)
from ._validation import check_rfm


def _log_a0(params, x, tx, T):
    """log A0 of eq. (22) (the difference of two hypergeometric terms, in log-space)."""
    r, alpha, s, beta = params
    if alpha >= beta:
        big, small, second = alpha, beta, s + 1.0
    else:
        big, small, second = beta, alpha, r + x
    rsx = r + s + x
    q1, q2 = big + tx, big + T
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p1 = np.log(hyp2f1(rsx, second, rsx + 1.0, (big - small) / q1))
        log_p2 = np.log(hyp2f1(rsx, second, rsx + 1.0, (big - small) / q2))
        terms = np.stack([log_p1 + rsx * np.log(q2), log_p2 + rsx * np.log(q1)])
        signs = np.stack([np.ones_like(log_p1), -np.ones_like(log_p2)])
        diff = logsumexp(terms, axis=0, b=signs)
    return diff - rsx * (np.log(q1) + np.log(q2))


class ParetoNBDModel(Estimator):
    """Pareto/NBD estimator with scikit-learn conventions.

    :param penalizer_coef: L2 penalty on the parameters, as in :class:`BetaGeoModel`.

    Fitted attributes: ``params_`` (dict r, alpha, s, beta), ``log_likelihood_``, ``converged_``,
    ``n_iter_``, ``n_customers_``.
    """

    param_names = ("r", "alpha", "s", "beta")
    _model_name = "Pareto/NBD"
    _param_names_init = ("penalizer_coef",)

    def __init__(self, penalizer_coef=0.0):
        self.penalizer_coef = penalizer_coef

    @staticmethod
    def _log_likelihood(params, x, tx, T):
        """Per-customer log-likelihood, eq. (22)."""
        r, alpha, s, beta = params
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        second = np.log(s) - np.log(r + s + x) + _log_a0(params, x, tx, T)
        return a1 + np.logaddexp(first, second)

    def _value(self, log_params, x, tx, T, w):
        params = np.exp(log_params)
        ll = dot(w, self._log_likelihood(params, x, tx, T))
        value = -ll / w.sum() + self.penalizer_coef * np.sum(params**2)
        return value if np.isfinite(value) else np.inf

    def _objective(self, log_params, x, tx, T, w, step=1e-6):
        """Mean negative log-likelihood (+ penalty) and its central-difference gradient."""
        value = self._value(log_params, x, tx, T, w)
        grad = np.empty(4)
        for i in range(4):  # four parameters, not customers
            e = np.zeros(4)
            e[i] = step
            upper = self._value(log_params + e, x, tx, T, w)
            lower = self._value(log_params - e, x, tx, T, w)
            grad[i] = (upper - lower) / (2 * step)
        return value, grad

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: ArrayLike | dict | None = None,
    ) -> "ParetoNBDModel":
        """Maximum-likelihood fit (L-BFGS-B on log-parameters, time rescaled to max(T) = 10)."""
        x, tx, T, w, start = prepare_rfm_fit(self, frequency, recency, T, weights, initial_params)
        scale = 10.0 / T.max()
        unit = np.array([1.0, scale, 1.0, scale])
        x0 = np.zeros(4) if start is None else np.log(start * unit)
        xs_tx, xs_T = tx * scale, T * scale
        result = minimize_log_params(lambda lp: self._objective(lp, x, xs_tx, xs_T, w), x0)
        params = np.exp(result.x) / unit
        return self._store_fit(params, result, w.sum(), dot(w, self._log_likelihood(params, x, tx, T)))

    def log_likelihood(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters (eq. 22)."""
        x, tx, T = check_rfm(frequency, recency, T)
        return self._log_likelihood(self._params(), x, tx, T)

    def prob_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0) (eq. 18)."""
        x, tx, T = check_rfm(frequency, recency, T)
        params = self._params()
        r, alpha, s, beta = params
        log_odds = (np.log(s) - np.log(r + s + x) + (r + x) * np.log(alpha + T) + s * np.log(beta + T)
                    + _log_a0(params, x, tx, T))
        return 1.0 / (1.0 + np.exp(log_odds))

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]
        P(alive) (eq. 21); the limit (r+x)/(alpha+T) (beta+T) ln((beta+T+t)/(beta+T)) P(alive) at
        s = 1."""
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError("t must be non-negative and finite")
        alive = self.prob_alive(frequency, recency, T)
        x, _tx, T = check_rfm(frequency, recency, T)
        r, alpha, s, beta = self._params()
        rate = (r + x) / (alpha + T)
        if np.isclose(s, 1.0):
            return rate * (beta + T) * np.log1p(t / (beta + T)) * alive
        return rate * (beta + T) / (s - 1) * (1.0 - ((beta + T) / (beta + T + t)) ** (s - 1)) * alive

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray:
        """E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] (eq. 17)."""
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError("t must be non-negative and finite")
        r, alpha, s, beta = self._params()
        if np.isclose(s, 1.0):
            return r * beta / alpha * np.log1p(t / beta)
        return r * beta / (alpha * (s - 1)) * (1.0 - (beta / (beta + t)) ** (s - 1))
