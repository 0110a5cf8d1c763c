"""Input checks shared by the capability functions (clear ``ValueError`` messages, never silent nonsense)."""

import numpy as np


def as_1d_float(name, values, allow_nan=False):
    """``values`` as a one-dimensional float64 array of finite numbers (NaN too with ``allow_nan``)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if np.any(bad):
        raise ValueError(f"{name} contains {'infinite' if allow_nan else 'NaN or infinite'} values "
                         f"(first at index {int(np.argmax(bad))})")
    return arr


def as_2d_float(name, values, allow_nan=False):
    """``values`` as a two-dimensional float64 array of finite numbers (NaN too with ``allow_nan``)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got shape {arr.shape}")
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if np.any(bad):
        row, col = np.argwhere(bad)[0]
        raise ValueError(f"{name} contains {'infinite' if allow_nan else 'NaN or infinite'} values "
                         f"(first at row {row + 1}, column {col + 1})")
    return arr


def as_rate(name, rate):
    """A finite interest (discount) rate above -1, as a float."""
    try:
        value = float(rate)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {rate!r}") from None
    if not np.isfinite(value) or value <= -1.0:
        raise ValueError(f"{name} must be a finite number above -1 (-100 %), got {rate!r}")
    return value


def as_whole(name, value, minimum=None):
    """``value`` as an int, refusing booleans, fractions and values below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not float(value).is_integer() or (minimum is not None and value < minimum):
        more = f" of at least {minimum}" if minimum is not None else ""
        raise ValueError(f"{name} must be a whole number{more}, got {value!r}")
    return int(value)


def as_tree(parent):
    """Check a parent-index array and return ``(parent, depth)`` as int64 arrays.

    ``parent[i]`` is the index of the parent of node ``i``, -1 for a root. Parents may come in any
    order; a node may not be its own ancestor. ``depth`` is 0 for the roots. The depth comes from
    pointer jumping over all nodes at once (one numpy step per level, no loop per node).
    """
    raw = np.asarray(parent)
    if raw.ndim == 0:
        raw = raw.reshape(1)
    if raw.ndim != 1:
        raise ValueError(f"tree must be a one-dimensional array of parent indices, got shape {raw.shape}")
    if raw.size == 0:
        raise ValueError("tree must hold at least one node")
    if not np.issubdtype(raw.dtype, np.integer):
        as_float = np.asarray(raw, dtype=np.float64)
        if not np.all(np.isfinite(as_float)) or np.any(as_float != np.round(as_float)):
            raise ValueError("tree must hold whole numbers (parent indices, -1 for a root)")
    tree = raw.astype(np.int64)
    n = len(tree)
    bad = (tree < -1) | (tree >= n)
    if np.any(bad):
        node = int(np.argmax(bad))
        raise ValueError(f"tree: node index {node} has parent {int(tree[node])}, which is not a node index "
                         f"(0..{n - 1}, or -1 for a root)")
    own = tree == np.arange(n)
    if np.any(own):
        raise ValueError(f"tree: node index {int(np.argmax(own))} is its own parent")
    depth = np.zeros(n, dtype=np.int64)
    ancestor = tree.copy()
    for _ in range(n):
        climbing = ancestor >= 0
        if not np.any(climbing):
            break
        depth[climbing] += 1
        ancestor[climbing] = tree[ancestor[climbing]]
    if np.any(ancestor >= 0):
        looped = np.flatnonzero(ancestor >= 0)
        raise ValueError(f"tree has a cycle: node indices {', '.join(map(str, looped[:10].tolist()))} "
                         f"never reach a root (-1)")
    return tree, depth
