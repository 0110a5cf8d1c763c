"""BG/NBD model of repeat buying (Fader, Hardie & Lee 2005).

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers the easy way: an
alternative to the Pareto/NBD model". Marketing Science 24(2), 275-284. Equation numbers below refer
to that paper; the log-space form of the likelihood follows the authors' note "Implementing the
BG/NBD model for customer base analysis in Excel" (2005) and the ``lifetimes`` package.

While active, a customer buys with Poisson rate lambda ~ Gamma(r, alpha); after any repeat purchase
the customer becomes inactive with probability p ~ Beta(a, b).
"""

import numpy as np
from scipy.special import digamma, gammaln, hyp2f1

from ._fit import compress_rows, dot, group_by_value, minimize_log_params
from ._validation import as_1d_float, check_fitted, check_rfm


class BetaGeoModel:
    """BG/NBD estimator with scikit-learn conventions.

    :param penalizer_coef: L2 penalty on the parameters (as in ``lifetimes``), 0 for plain MLE.

    Fitted attributes: ``params_`` (dict r, alpha, a, b), ``log_likelihood_`` (total, at the
    optimum, without the penalty), ``converged_``, ``n_iter_``, ``n_customers_``.
    """

    param_names = ("r", "alpha", "a", "b")

    def __init__(self, penalizer_coef=0.0):
        self.penalizer_coef = penalizer_coef
        self.params_ = None

    # -- likelihood ------------------------------------------------------------------------
    @staticmethod
    def _terms(params, x, tx, T):
        r, alpha, a, b = params
        log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        a3 = -(r + x) * log_at
        a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * log_atx, -np.inf)
        top = np.logaddexp(a3, a4)
        return a1, a2, a3, a4, top, log_at, log_atx

    @classmethod
    def _log_likelihood(cls, params, x, tx, T):
        a1, a2, _a3, _a4, top, _lat, _latx = cls._terms(params, x, tx, T)
        return a1 + a2 + top

    def _objective(self, log_params, x, tx, T, w, groups):
        """Mean negative log-likelihood (+ penalty) and its gradient in log-parameters.

        The terms that depend on the frequency only (gamma and digamma functions) are evaluated
        once per distinct frequency (``groups``); the rest is vectorised over customers.
        """
        params = np.exp(log_params)
        r, alpha, a, b = params
        xu, inv, wu = groups
        bxu = b + np.maximum(xu, 1) - 1
        # A1 + A2 (eq. 6) and their derivatives, per distinct frequency
        a12 = (gammaln(r + xu) - gammaln(r) + r * np.log(alpha)
               + gammaln(a + b) + gammaln(b + xu) - gammaln(b) - gammaln(a + b + xu))
        d_r_u = digamma(r + xu) - digamma(r) + np.log(alpha)
        d_a_u = digamma(a + b) - digamma(a + b + xu)
        d_b_u = digamma(a + b) + digamma(b + xu) - digamma(b) - digamma(a + b + xu)
        # A3, A4 per customer
        log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
        rx = r + x
        a3 = -rx * log_at
        repeat = x > 0
        a4 = np.where(repeat, (np.log(a) - np.log(bxu))[inv] - rx * log_atx, -np.inf)
        top = np.logaddexp(a3, a4)
        w4 = np.where(repeat, np.exp(a4 - top), 0.0)
        w3 = 1.0 - w4
        ww3, ww4 = w * w3, w * w4
        total = w.sum()
        ll = dot(wu, a12) + dot(w, top)
        d_r = dot(wu, d_r_u) - dot(ww3, log_at) - dot(ww4, log_atx)
        d_alpha = total * r / alpha - dot(ww3, rx / (alpha + T)) - dot(ww4, rx / (alpha + tx))
        w4u = np.bincount(inv, weights=ww4, minlength=len(xu))
        d_a = dot(wu, d_a_u) + w4u.sum() / a
        d_b = dot(wu, d_b_u) - dot(w4u, 1.0 / bxu)
        grad = np.array([d_r, d_alpha, d_a, d_b]) * params
        value = -ll / total + self.penalizer_coef * np.sum(params**2)
        return value, -grad / total + 2.0 * self.penalizer_coef * params**2

    def fit(self, frequency, recency, T, weights=None, initial_params=None):
        """Maximum-likelihood fit (analytic gradient, L-BFGS-B on log-parameters).

        Time is rescaled internally so that max(T) = 10 (as ``lifetimes`` does) for conditioning;
        alpha is reported in the caller's periods.
        """
        x, tx, T = check_rfm(frequency, recency, T)
        if len(x) == 0:
            raise ValueError("cannot fit the BG/NBD model without customers")
        if weights is None:
            (x, tx, T), w = compress_rows(x, tx, T)
        else:
            w = as_1d_float("weights", weights)
        if not np.any(x > 0):
            raise ValueError("cannot fit the BG/NBD model: no customer made a repeat purchase")
        scale = 10.0 / max(T.max(), 1e-12)
        xs_tx, xs_T = tx * scale, T * scale
        x0 = np.log(initial_params) if initial_params is not None else np.log(np.full(4, 0.1))
        if initial_params is not None:
            x0[1] = np.log(initial_params[1] * scale)
        groups = group_by_value(x, w)
        result = minimize_log_params(lambda lp: self._objective(lp, x, xs_tx, xs_T, w, groups), x0)
        params = np.exp(result.x)
        self.converged_ = bool(result.success)
        self.n_iter_ = int(result.nit)
        params[1] /= scale
        self.params_ = dict(zip(self.param_names, (float(v) for v in params), strict=True))
        self.n_customers_ = float(w.sum())
        self.log_likelihood_ = dot(w, self._log_likelihood(params, x, tx, T))
        return self

    def _params(self):
        check_fitted(self)
        return tuple(self.params_[name] for name in self.param_names)

    def log_likelihood(self, frequency, recency, T):
        """Per-customer log-likelihood at the fitted parameters (eq. 6)."""
        x, tx, T = check_rfm(frequency, recency, T)
        return self._log_likelihood(self._params(), x, tx, T)

    # -- predictions ---------------------------------------------------------------------------
    def _log_odds_term(self, x, tx, T):
        """log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x) for x > 0, -inf otherwise."""
        r, alpha, a, b = self._params()
        return np.where(
            x > 0,
            np.log(a) - np.log(b + np.maximum(x, 1) - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)),
            -np.inf,
        )

    def prob_alive(self, frequency, recency, T):
        """P(active | x, t_x, T) = 1 / (1 + delta(x>0) a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
        (Fader, Hardie & Lee 2008 note "Computing P(alive) using the BG/NBD model", eq. 3)."""
        x, tx, T = check_rfm(frequency, recency, T)
        return 1.0 / (1.0 + np.exp(self._log_odds_term(x, tx, T)))

    def expected_purchases(self, t, frequency, recency, T):
        """Conditional expected repeat purchases in the next ``t`` periods, E[Y(t) | x, t_x, T]
        (eq. 10)."""
        x, tx, T = check_rfm(frequency, recency, T)
        t = np.asarray(t, dtype=np.float64)
        if np.any(t < 0):
            raise ValueError("t must be non-negative")
        r, alpha, a, b = self._params()
        z = t / (alpha + T + t)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
        first = (a + b + x - 1) / (a - 1)
        second = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        denominator = 1.0 + np.exp(self._log_odds_term(x, tx, T))
        return first * second / denominator

    def expected_purchases_new(self, t):
        """Unconditional expected repeat purchases of a new customer in (0, t], E[X(t)] (eq. 9)."""
        t = np.asarray(t, dtype=np.float64)
        r, alpha, a, b = self._params()
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp)


def simulate_bgnbd(n_customers, T, r, alpha, a, b, random_state=None):
    """Draw (frequency, recency, T) from the BG/NBD process, vectorised.

    Each customer: lambda ~ Gamma(r, scale 1/alpha), p ~ Beta(a, b); the number of repeat purchases
    made while alive is J ~ Geometric(p) (dropout after each repeat purchase); the Poisson count of
    purchase opportunities in (0, T] is N ~ Poisson(lambda T); x = min(N, J) and, given N, the x-th
    of N uniform arrival times has a Beta(x, N - x + 1) distribution, so t_x = T Beta(x, N - x + 1).
    """
    rng = np.random.default_rng(random_state)
    T = np.broadcast_to(np.asarray(T, dtype=np.float64), (n_customers,)).copy()
    lam = rng.gamma(r, 1.0 / alpha, n_customers)
    p = rng.beta(a, b, n_customers)
    opportunities = rng.poisson(lam * T)
    alive_purchases = rng.geometric(np.clip(p, 1e-12, 1.0))
    x = np.minimum(opportunities, alive_purchases)
    tx = np.zeros(n_customers)
    pos = x > 0
    tx[pos] = T[pos] * rng.beta(x[pos], opportunities[pos] - x[pos] + 1)
    return x.astype(np.float64), tx, T
