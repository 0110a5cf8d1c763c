"""Maximum-likelihood plumbing shared by the BTYD models."""

import numpy as np
from scipy import optimize


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


def minimize_log_params(objective, x0, max_iter=1000):
    """Minimize ``objective(log_params) -> (value, gradient)`` with L-BFGS-B on log-parameters."""
    return optimize.minimize(
        objective,
        x0=np.asarray(x0, dtype=np.float64),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "ftol": 1e-13, "gtol": 1e-9, "maxcor": 20},
    )


def dot(a, b):
    """Sum of products of two 1-D arrays. ``np.sum(a * b)`` rather than ``a @ b``: on machines
    where OpenBLAS runs a generic kernel, its ddot is many times slower than the element-wise
    product for the sizes fitted here."""
    return float(np.sum(np.multiply(a, b)))
