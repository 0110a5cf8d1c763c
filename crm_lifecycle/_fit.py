"""Maximum-likelihood plumbing shared by the BTYD models."""

import numpy as np
from scipy import optimize


def compress_rows(*columns):
    """Unique rows of the given columns and their counts (weights): identical customers are
    evaluated once, which is what makes fitting a million customers cheap."""
    stacked = np.column_stack(columns)
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype(np.float64)


def minimize_log_params(objective, x0, max_iter=2000):
    """Minimize ``objective(log_params) -> (value, gradient)`` with L-BFGS-B on log-parameters."""
    result = optimize.minimize(
        objective,
        x0=np.asarray(x0, dtype=np.float64),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "ftol": 1e-15, "gtol": 1e-10, "maxcor": 20},
    )
    return result
