"""Input checks shared by the mining functions (clear ``ValueError`` messages, never silent nonsense)."""

import numpy as np


def as_1d_float(name, values):
    """``values`` as a one-dimensional float64 array of finite numbers."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def as_non_negative(name, values, what=None):
    """Like :func:`as_1d_float`, and every value at least 0 (``what`` names the offence)."""
    arr = as_1d_float(name, values)
    if np.any(arr < 0):
        raise ValueError(f"{name} contains {what or 'negative values'}")
    return arr


def as_ids(name, values):
    """Whole-number identifiers as a one-dimensional int64 array."""
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        as_float = np.asarray(arr, dtype=np.float64)
        if not np.all(np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
            raise ValueError(f"{name} must hold whole numbers")
    return arr.astype(np.int64)


def check_unique(name, ids):
    """Raise when a sorted copy of ``ids`` holds a value twice."""
    ordered = np.sort(ids)
    duplicated = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(duplicated):
        raise ValueError(f"{name} holds duplicates, e.g. {int(duplicated[0])}")


def check_same_length(**arrays):
    lengths = {name: len(arr) for name, arr in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"arrays must have the same length, got {lengths}")
