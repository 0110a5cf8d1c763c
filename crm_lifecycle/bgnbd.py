"""BG/NBD model of repeat buying (Fader, Hardie & Lee 2005).

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers the easy way: an
alternative to the Pareto/NBD model". Marketing Science 24(2), 275-284. Equation numbers below refer
to that paper; the log-space form of the likelihood follows the authors' note "Implementing the
BG/NBD model for customer base analysis in Excel" (2005) and the ``lifetimes`` package.

While active, a customer buys with Poisson rate lambda ~ Gamma(r, alpha); after any repeat purchase
the customer becomes inactive with probability p ~ Beta(a, b).
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln, hyp2f1

from ._fit import (
    LOG_PARAM_BOUNDS,
    Estimator,
    dot,
    group_by_value,
    minimize_log_params,
    prepare_rfm_fit,
)
from ._validation import check_rfm


class BetaGeoModel(Estimator):
    """BG/NBD estimator with scikit-learn conventions.

    :param penalizer_coef: L2 penalty on the parameters (as in ``lifetimes``: ``penalizer_coef *
        sum(params ** 2)`` added to the mean negative log-likelihood), 0 for plain MLE.

    Fitted attributes: ``params_`` (dict r, alpha, a, b), ``log_likelihood_`` (total, at the
    optimum, without the penalty), ``converged_``, ``n_iter_``, ``n_customers_``.
    """

    param_names = ("r", "alpha", "a", "b")
    _param_names_init = ("penalizer_coef",)
    _model_name = "BG/NBD"
    #: MBG/NBD (1) counts the dropout chance at the first purchase too; BG/NBD (0) does not
    _shift = 0

    def __init__(self, penalizer_coef=0.0):
        self.penalizer_coef = penalizer_coef

    # -- likelihood ------------------------------------------------------------------------
    @classmethod
    def _drop_log_odds(cls, a, b, x):
        """log of the dropout odds term a / (b + x - 1) (BG/NBD, x > 0; -inf at x = 0) or
        a / (b + x) (MBG/NBD, every x)."""
        if cls._shift:
            return np.log(a) - np.log(b + x)
        return np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1), -np.inf)

    @classmethod
    def _log_likelihood(cls, params, x, tx, T):
        """Per-customer log-likelihood, eq. (6): A1 + A2 + log(exp(A3) + exp(A4)) with
        A1 = ln G(r+x) - ln G(r) + r ln alpha, A2 = ln B(a, b+x) - ln B(a, b),
        A3 = -(r+x) ln(alpha+T), A4 = ln(a / (b+x-1)) - (r+x) ln(alpha+t_x) [x > 0]."""
        r, alpha, a, b = params
        s = cls._shift
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x + s) - gammaln(b) - gammaln(a + b + x + s)
        a3 = -(r + x) * np.log(alpha + T)
        a4 = cls._drop_log_odds(a, b, x) - (r + x) * np.log(alpha + tx)
        return a1 + a2 + np.logaddexp(a3, a4)

    def _objective(self, log_params, x, tx, T, w, groups):
        """Mean negative log-likelihood (+ penalty) and its analytic gradient in log-parameters.

        The terms that depend on the frequency only (gamma and digamma functions) are evaluated
        once per distinct frequency (``groups``); the rest is vectorised over (unique) customers.
        With w4 = exp(A4 - logaddexp(A3, A4)) the share of the "dropped out after the last
        purchase" branch: d/dr = psi(r+x) - psi(r) + ln alpha - (1-w4) ln(alpha+T) - w4
        ln(alpha+t_x); d/dalpha = r/alpha - (r+x) ((1-w4)/(alpha+T) + w4/(alpha+t_x));
        d/da = psi(a+b) - psi(a+b+x) + w4/a; d/db = psi(a+b) + psi(b+x) - psi(b) - psi(a+b+x) -
        w4/(b+x-1).
        """
        params = np.exp(log_params)
        r, alpha, a, b = params
        s = self._shift
        xu, inv, wu = groups
        bxu = b + xu + s - 1 if s else b + np.maximum(xu, 1) - 1
        # A1 + A2 (eq. 6) and their derivatives, per distinct frequency
        a12 = (gammaln(r + xu) - gammaln(r) + r * np.log(alpha)
               + gammaln(a + b) + gammaln(b + xu + s) - gammaln(b) - gammaln(a + b + xu + s))
        d_r_u = digamma(r + xu) - digamma(r) + np.log(alpha)
        d_a_u = digamma(a + b) - digamma(a + b + xu + s)
        d_b_u = digamma(a + b) + digamma(b + xu + s) - digamma(b) - digamma(a + b + xu + s)
        # A3, A4 per customer
        log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
        rx = r + x
        a3 = -rx * log_at
        a4_u = np.log(a) - np.log(bxu)
        if s:
            a4 = a4_u[inv] - rx * log_atx
            top = np.logaddexp(a3, a4)
            w4 = np.exp(a4 - top)
        else:
            repeat = x > 0
            a4 = np.where(repeat, a4_u[inv] - rx * log_atx, -np.inf)
            top = np.logaddexp(a3, a4)
            w4 = np.where(repeat, np.exp(a4 - top), 0.0)
        ww4 = w * w4
        ww3 = w - ww4
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

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: ArrayLike | dict | None = None,
    ) -> "BetaGeoModel":
        """Maximum-likelihood fit (analytic gradient, L-BFGS-B on log-parameters).

        :param weights: optional number of customers each row stands for (rows already grouped);
            without it, identical (frequency, recency, T) rows are grouped here.
        :param initial_params: optional starting values (r, alpha, a, b) or a dict of them.

        Time is rescaled internally so that max(T) = 10 (as ``lifetimes`` does) for conditioning;
        alpha is reported in the caller's periods.
        """
        x, tx, T, w, start = prepare_rfm_fit(self, frequency, recency, T, weights, initial_params)
        scale = 10.0 / T.max()
        if start is None:
            x0 = np.log(np.full(4, 0.1))
        else:
            x0 = np.log(start * np.array([1.0, scale, 1.0, 1.0]))
        groups = group_by_value(x, w)
        xs_tx, xs_T = tx * scale, T * scale
        result = minimize_log_params(
            lambda lp: self._objective(lp, x, xs_tx, xs_T, w, groups), x0, bounds=LOG_PARAM_BOUNDS
        )
        params = np.exp(result.x)
        params[1] /= scale
        return self._store_fit(params, result, w.sum(), dot(w, self._log_likelihood(params, x, tx, T)))

    def log_likelihood(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters (eq. 6)."""
        x, tx, T = check_rfm(frequency, recency, T)
        return self._log_likelihood(self._params(), x, tx, T)

    # -- predictions ---------------------------------------------------------------------------
    def _log_odds_term(self, x, tx, T):
        """log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x) for x > 0, -inf otherwise."""
        r, alpha, a, b = self._params()
        return self._drop_log_odds(a, b, x) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))

    def prob_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
        """P(active | x, t_x, T) = 1 / (1 + delta(x>0) a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
        (Fader, Hardie & Lee 2008 note "Computing P(alive) using the BG/NBD model", eq. 3)."""
        x, tx, T = check_rfm(frequency, recency, T)
        return 1.0 / (1.0 + np.exp(self._log_odds_term(x, tx, T)))

    @staticmethod
    def _check_t(t):
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError("t must be non-negative and finite")
        return t

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """Conditional expected repeat purchases in the next ``t`` periods, E[Y(t) | x, t_x, T]
        (eq. 10):

            (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
            / (1 + delta(x>0) a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))

        (The factor 1/(a-1) belongs to the closed form only: for a finite t the expectation is
        finite for any a != 1; CDNOW's a is 0.793.)
        """
        x, tx, T = check_rfm(frequency, recency, T)
        t = self._check_t(t)
        r, alpha, a, b = self._params()
        s = self._shift
        z = t / (alpha + T + t)
        hyp = hyp2f1(r + x, b + x + s, a + b + x - 1 + s, z)
        first = (a + b + x - 1 + s) / (a - 1)
        second = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        denominator = 1.0 + np.exp(self._log_odds_term(x, tx, T))
        return first * second / denominator

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray:
        """Unconditional expected repeat purchases of a new customer in (0, t], E[X(t)] (eq. 9):
        (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]."""
        t = self._check_t(t)
        r, alpha, a, b = self._params()
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp)


class ModifiedBetaGeoModel(BetaGeoModel):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of
    models for customer base analysis", IJRM 24(3); Wagner & Hoppe 2008 erratum): as BG/NBD, but a
    customer may also drop out right after the first purchase, so customers without repeat
    purchases are not certainly alive.

    Likelihood: B(a, b+x+1)/B(a, b) G(r+x) alpha^r / G(r) [(alpha+T)^-(r+x) + a/(b+x)
    (alpha+t_x)^-(r+x)]; P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)); E[Y(t) | x,
    t_x, T] = (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x;
    t/(alpha+T+t))] P(alive); E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b;
    t/(alpha+t))]. Same fitted attributes as :class:`BetaGeoModel`.
    """

    _model_name = "MBG/NBD"
    _shift = 1

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray:
        """Unconditional expected repeat purchases of a new customer in (0, t]."""
        t = self._check_t(t)
        r, alpha, a, b = self._params()
        hyp = hyp2f1(r, b + 1, a + b, t / (alpha + t))
        return b / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp)


def simulate_bgnbd(
    n_customers: int,
    T: ArrayLike,
    r: float,
    alpha: float,
    a: float,
    b: float,
    random_state: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
