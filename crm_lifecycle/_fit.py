"""Maximum-likelihood plumbing shared by the BTYD models."""

import contextlib

import numpy as np
from scipy import optimize

from ._validation import as_1d_float, check_fitted, check_rfm

try:  # a dependency of scikit-learn, which the engines require
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


def compress_rows(*columns):
    """Unique rows of the given columns and their counts (weights).

    Identical customers are evaluated once, which makes fitting a million customers cheap. Whole
    non-negative numbers (the usual frequency / recency / T in days) are packed into one int64 key
    and deduplicated with a 1-D sort; other data is returned as is, with unit weights.
    """
    n = len(columns[0])
    integral = all(np.all(c == np.floor(c)) and (len(c) == 0 or c.min() >= 0) for c in columns)
    if integral and n:
        spans = [int(c.max()) + 1 for c in columns]
        if float(np.prod([float(s) for s in spans])) < 2**62:
            key = np.zeros(n, dtype=np.int64)
            for c, span in zip(columns, spans, strict=True):
                key = key * span + c.astype(np.int64)
            unique, counts = np.unique(key, return_counts=True)
            out = []
            for span in reversed(spans):
                out.append((unique % span).astype(np.float64))
                unique = unique // span
            return out[::-1], counts.astype(np.float64)
    return [np.asarray(c, dtype=np.float64) for c in columns], np.ones(n)


def group_by_value(x, w):
    """Distinct values of ``x``, the index of each row's value and the weight per value: terms that
    depend on the frequency only are evaluated once per distinct frequency."""
    values, inverse = np.unique(x, return_inverse=True)
    return values, inverse, np.bincount(inverse, weights=w, minlength=len(values))


#: bounds of the (M)BG/NBD's log-parameters: e^-25 .. e^25 (1.4e-11 .. 7.2e10). When the likelihood's
#: maximum lies at infinity (a, b -> inf with a / b fixed: customers who never drop out), SciPy 1.15's
#: L-BFGS-B walks on to 1e20 and more, where the log-likelihood's beta-function terms cancel to
#: garbage (a positive "log-likelihood"); the bound stops it where the terms are still exact.
LOG_PARAM_BOUNDS = (-25.0, 25.0)


def minimize_log_params(objective, x0, max_iter=1000, bounds=None):
    """Minimize ``objective(log_params) -> (value, gradient)`` with L-BFGS-B on log-parameters.

    The BLAS thread pool is limited to one thread meanwhile: the optimiser's own linear algebra
    works on vectors of three or four numbers, and waking a multi-threaded BLAS for each of its
    calls costs more than the likelihood itself (several times the fit time on a busy machine).
    Floating-point warnings are silenced while the line search probes extreme parameters (an
    overflow there is an infinite objective the optimiser steps back from, not an error).
    """
    limits = threadpool_limits(1, user_api="blas") if threadpool_limits else contextlib.nullcontext()
    with limits, np.errstate(all="ignore"):
        return optimize.minimize(
            objective,
            x0=np.asarray(x0, dtype=np.float64),
            jac=True,
            method="L-BFGS-B",
            bounds=None if bounds is None else [bounds] * len(x0),
            options={"maxiter": max_iter, "ftol": 1e-13, "gtol": 1e-9, "maxcor": 20},
        )


def dot(a, b):
    """Sum of products of two 1-D arrays. ``np.sum(a * b)`` rather than ``a @ b``: on machines
    where OpenBLAS runs a generic kernel, its ddot is many times slower than the element-wise
    product for the sizes fitted here."""
    return float(np.sum(np.multiply(a, b)))


class Estimator:
    """The parameter protocol of scikit-learn estimators (``get_params`` / ``set_params`` / repr),
    without depending on scikit-learn: constructor arguments are the parameters, learned values
    are set by ``fit`` only and end in ``_``."""

    _param_names_init = ()

    def get_params(self, deep=True):  # deep: scikit-learn's signature, no nested estimators
        return {name: getattr(self, name) for name in self._param_names_init}

    def _store_fit(self, params, result, n_customers, log_likelihood):
        """Record the outcome of a maximum-likelihood fit (the learned ``*_`` attributes)."""
        self.params_ = dict(zip(self.param_names, (float(v) for v in params), strict=True))
        self.converged_ = bool(result.success)
        self.n_iter_ = int(result.nit)
        self.n_customers_ = float(n_customers)
        self.log_likelihood_ = float(log_likelihood)
        return self

    def _params(self):
        """Fitted parameters as a tuple in ``param_names`` order."""
        check_fitted(self)
        return tuple(self.params_[name] for name in self.param_names)

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._param_names_init:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def check_penalizer(value):
    if not np.isfinite(value) or value < 0:
        raise ValueError("penalizer_coef must be a non-negative number")
    return float(value)


def check_initial_params(initial_params, names):
    """Positive starting values, one per parameter, as an array (or None)."""
    if initial_params is None:
        return None
    if isinstance(initial_params, dict):
        initial_params = [initial_params[name] for name in names]
    values = np.asarray(initial_params, dtype=np.float64)
    if values.shape != (len(names),) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"initial_params must be {len(names)} positive numbers ({', '.join(names)})")
    return values


def check_weights(weights, n):
    """Non-negative customer weights of length ``n``."""
    w = as_1d_float("weights", weights)
    if len(w) != n:
        raise ValueError(f"weights must have one value per customer ({n}), got {len(w)}")
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    return w


def prepare_rfm_fit(model, frequency, recency, T, weights=None, initial_params=None):
    """Checked inputs of a repeat-buying model fit: ``(x, t_x, T, weights, start)``.

    Identical (x, t_x, T) rows are grouped when no weights are given; a clear ``ValueError`` says
    why data that cannot identify the model (no customer, no repeat purchase, T = 0) is refused.
    """
    name = model._model_name
    check_penalizer(model.penalizer_coef)
    x, tx, T = check_rfm(frequency, recency, T)
    start = check_initial_params(initial_params, model.param_names)
    if len(x) == 0:
        raise ValueError(f"cannot fit the {name} model without customers")
    if weights is None:
        (x, tx, T), w = compress_rows(x, tx, T)
    else:
        w = check_weights(weights, len(x))
        if not w.sum() > 0:
            raise ValueError("weights must not all be zero")
    if not np.any((x > 0) & (w > 0)):
        raise ValueError(f"cannot fit the {name} model: no customer made a repeat purchase")
    if not T.max() > 0:
        raise ValueError(f"cannot fit the {name} model: every customer has T = 0")
    return x, tx, T, w, start
