"""Input checks shared by the estimators (clear ``ValueError`` messages, never silent nonsense)."""

import numpy as np


def as_1d_float(name, values):
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def check_same_length(**arrays):
    lengths = {name: len(arr) for name, arr in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"arrays must have the same length, got {lengths}")


def check_rfm(frequency, recency, T):
    """Validate BTYD summary arrays (Fader, Hardie & Lee 2005 notation x, t_x, T)."""
    frequency = as_1d_float("frequency", frequency)
    recency = as_1d_float("recency", recency)
    T = as_1d_float("T", T)
    check_same_length(frequency=frequency, recency=recency, T=T)
    if np.any(frequency < 0) or np.any(frequency != np.round(frequency)):
        raise ValueError("frequency must hold non-negative whole numbers of repeat purchases")
    if np.any(recency < 0) or np.any(T < 0):
        raise ValueError("recency and T must be non-negative")
    if np.any(recency > T):
        raise ValueError("recency cannot exceed T (a purchase after the end of observation)")
    if np.any((frequency == 0) & (recency != 0)):
        raise ValueError("recency must be 0 for customers without repeat purchases")
    return frequency, recency, T


def check_fitted(model):
    if getattr(model, "params_", None) is None:
        raise ValueError(f"{type(model).__name__} is not fitted yet: call fit() first")
