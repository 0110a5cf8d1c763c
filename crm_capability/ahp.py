"""Analytic Hierarchy Process: priorities, consistency, incomplete judgments, group judgments.

The priorities of ``n`` elements compared pairwise on Saaty's 1-9 scale are the principal right
eigenvector of the positive reciprocal judgment matrix ``A`` (``a_ij`` = how much more important
``i`` is than ``j``, ``a_ji = 1 / a_ij``), normalised to sum 1; its Perron root ``lambda_max >= n``
measures the inconsistency (T. L. Saaty 1980, *The Analytic Hierarchy Process*, McGraw-Hill;
T. L. Saaty 2008, "Decision making with the analytic hierarchy process", International Journal of
Services Sciences 1(1)):

    CI = (lambda_max - n) / (n - 1),   CR = CI / RI(n)

with Saaty's random index :data:`RANDOM_INDEX` (mean CI of random reciprocal matrices). A
CR of at most 0.10 (:data:`CR_THRESHOLD`) is acceptable. Matrices of one or two elements are always
consistent (CR 0).

Missing judgments (NaN) are completed by Harker's method (Harker 1987, "Alternative modes of
questioning in the analytic hierarchy process", Mathematical Modelling 9(3-5)): the
priorities are the principal eigenvector of ``C`` with ``c_ij = a_ij`` for the given judgments, 0 for
the missing ones and ``c_ii = 1 + m_i`` (``m_i`` missing judgments in row ``i``); this is the
eigenvector of the matrix completed with ``a_ij = w_i / w_j``, on which lambda_max, CI and CR are
reported.

The judgment that hurts the consistency most (:attr:`AHPResult.worst_pair`) is found by trying, for
every given judgment ``a_ij``, its replacement by the scale value nearest to ``w_i / w_j`` (what the
other judgments imply, :func:`saaty_round`) and keeping the replacement that lowers the CR the most;
one revision may not be enough for a badly inconsistent matrix (revise, then look again).

Judgments of several assessors are combined by the element-wise weighted geometric mean (Aczél &
Saaty 1983, "Procedures for synthesizing ratio judgements", Journal of Mathematical Psychology 27;
Forman & Peniwati 1998, "Aggregating individual judgments and priorities with the analytic
hierarchy process", European Journal of Operational Research 108), which keeps the matrix
reciprocal.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike
from scipy.sparse.csgraph import connected_components

#: Saaty's fundamental scale and its reciprocals, ascending: 1/9, 1/8, ..., 1/2, 1, 2, ..., 9
SAATY_SCALE = tuple([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])

#: Saaty's random consistency index RI(n), the mean CI of random reciprocal matrices on the 1-9 scale,
#: for n = 1..15 (T. L. Saaty 1980, *The Analytic Hierarchy Process*; n = 1..10 as tabulated in
#: R. W. Saaty 1987, "The analytic hierarchy process - what it is and how it is used", Mathematical
#: Modelling 9(3-5))
RANDOM_INDEX = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
    11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}

#: the largest acceptable consistency ratio (Saaty 1980: a CR of 0.10 or less is acceptable)
CR_THRESHOLD = 0.10

_RECIPROCAL_TOL = 1e-6  # relative tolerance of a_ij * a_ji = 1 and of the diagonal ones
_SCALE_TOL = 1e-9  # relative tolerance on the bounds of the judgment scale
_CONSISTENT_CR = 1e-12  # below this CR a matrix counts as perfectly consistent (no worst pair)
_LOG_SCALE = np.log(np.asarray(SAATY_SCALE))


@dataclasses.dataclass(frozen=True)
class AHPResult:
    """Priorities and consistency of one judgment matrix (:func:`ahp_priorities`).

    :ivar weights: priorities (n,), positive, summing to 1
    :ivar lambda_max: Perron root of the (completed) matrix
    :ivar ci: consistency index (lambda_max - n) / (n - 1), 0 when n <= 2
    :ivar cr: consistency ratio CI / RI(n), 0 when n <= 2
    :ivar n: number of elements
    :ivar consistent: ``cr <= threshold``
    :ivar matrix: the complete reciprocal matrix used (missing judgments completed, a_ij = w_i / w_j)
    :ivar completed: bool mask (n, n) of the entries that were missing and were completed
    :ivar worst_pair: ``(i, j)``, ``i < j``, the given judgment whose revision lowers the CR the most,
        None when n <= 2, when the matrix is perfectly consistent or when no revision lowers the CR
    :ivar worst_value: the current ``a_ij`` of the worst pair (nan without one)
    :ivar suggested_value: the Saaty-scale value for ``a_ij`` that repairs it, ``saaty_round(w_i / w_j)``
        (nan without one)
    """

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    n: int
    consistent: bool
    matrix: np.ndarray
    completed: np.ndarray
    worst_pair: tuple | None
    worst_value: float
    suggested_value: float


def saaty_round(value: float) -> float:
    """The value of :data:`SAATY_SCALE` nearest to ``value`` in log space (1.4 -> 1, 1.5 -> 2, 0.3 -> 1/3).

    Ratios are compared on a log scale, so that rounding commutes with taking the reciprocal
    (except on exact ties, which go to the smaller value); values beyond 1/9 or 9 give 1/9 or 9.
    """
    x = float(value)
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"saaty_round needs a positive finite ratio, got {value!r}")
    return SAATY_SCALE[int(np.argmin(np.abs(_LOG_SCALE - np.log(x))))]


def random_index(n: int) -> float:
    """Saaty's random index RI(n) (:data:`RANDOM_INDEX`); ValueError beyond 15 elements."""
    if n not in RANDOM_INDEX:
        top = max(RANDOM_INDEX)
        raise ValueError(f"a judgment matrix may compare at most {top} elements (Saaty's random index is "
                         f"tabulated up to n = {top}), got n = {n}")
    return RANDOM_INDEX[n]


def _fmt(value):
    """A judgment for a message: 3, 0.5, or 1/7 for reciprocals of whole numbers."""
    if value < 1 and np.isclose(1 / value, round(1 / value), rtol=1e-9):
        return f"1/{round(1 / value)}"
    return f"{value:g}"


def _check_scale_bounds(scale_bounds):
    try:
        low, high = (float(b) for b in scale_bounds)
    except (TypeError, ValueError):
        raise ValueError(f"scale_bounds must be (lowest, highest), got {scale_bounds!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low <= 1 <= high):
        raise ValueError(f"scale_bounds must satisfy 0 < lowest <= 1 <= highest, got {scale_bounds!r}")
    return low, high


def check_judgments(matrix: ArrayLike, scale_bounds=(1 / 9, 9), name: str = "matrix"):
    """Check a pairwise judgment matrix and return ``(a, missing)``.

    ``a`` is the float matrix with every pair of which one judgment is given filled by
    reciprocity (``a_ji = 1 / a_ij``), NaN where the pair is missing; ``missing`` the bool mask
    of those NaN entries. Raises ValueError naming the offending cell (row and column numbered from
    1) for a matrix that is not square, larger than 15 x 15, infinite, not positive, without ones on
    the diagonal (NaN there reads as 1), not reciprocal (relative 1e-6) or outside ``scale_bounds``.
    """
    low, high = _check_scale_bounds(scale_bounds)
    a = np.array(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square (n x n) judgment matrix, got shape {a.shape}")
    n = a.shape[0]
    if n < 1:
        raise ValueError(f"{name} must compare at least one element")
    random_index(n)

    def cell(condition, message):
        if np.any(condition):
            i, j = np.argwhere(condition)[0]
            value = _fmt(a[i, j]) if a[i, j] > 0 else f"{a[i, j]:g}"
            raise ValueError(f"{name}, row {i + 1}, column {j + 1}: {value} {message}")

    given = ~np.isnan(a)
    cell(np.isinf(a), "is infinite (give a judgment, or NaN for a missing one)")
    cell(given & (a <= 0), "is not positive (judgments are ratios > 0)")
    diagonal = np.eye(n, dtype=bool)
    cell(diagonal & given & ~np.isclose(a, 1.0, rtol=0, atol=_RECIPROCAL_TOL),
         "is on the diagonal and must be 1 (an element compared with itself)")
    a[diagonal] = 1.0
    both = given & given.T & ~diagonal
    product = np.where(both, a * a.T, 1.0)
    bad = both & (np.abs(product - 1.0) > _RECIPROCAL_TOL)
    if np.any(bad):
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{name}, row {i + 1}, column {j + 1} ({_fmt(a[i, j])}) and row {j + 1}, "
                         f"column {i + 1} ({_fmt(a[j, i])}) are not reciprocal: row {j + 1}, column {i + 1} "
                         f"must be 1/{_fmt(a[i, j])} = {_fmt(1 / a[i, j])}")
    cell(given & ((a < low * (1 - _SCALE_TOL)) | (a > high * (1 + _SCALE_TOL))),
         f"is outside the judgment scale [{_fmt(low)}, {_fmt(high)}]")
    only_one = given & ~given.T
    a[only_one.T] = 1.0 / a[only_one]
    return a, np.isnan(a)


def _check_connected(missing):
    """ValueError when the given judgments do not link every element to every other one."""
    n_groups, labels = connected_components(~missing, directed=False)
    if n_groups > 1:
        groups = [np.flatnonzero(labels == g) + 1 for g in range(n_groups)]
        described = "; ".join("{" + ", ".join(map(str, g.tolist())) + "}" for g in groups)
        raise ValueError(f"the judgments do not connect all elements: they fall into {n_groups} separate "
                         f"groups ({described}); compare element {groups[1][0]} with the others")


def _perron(matrix):
    """Perron root and its eigenvector (positive, summing to 1) of a non-negative irreducible matrix."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = vectors[:, k].real
    vector = np.abs(vector / vector.sum())  # the Perron vector has one sign: fix it, drop rounding noise
    return float(values[k].real), vector / vector.sum()


def _solve(a, missing):
    """Harker weights, completed matrix and lambda_max of a checked matrix (NaN = missing)."""
    n = a.shape[0]
    harker = np.where(missing, 0.0, a)
    harker[np.diag_indices(n)] = 1.0 + missing.sum(axis=1)
    _, weights = _perron(harker)
    full = np.where(missing, weights[:, None] / weights[None, :], a)
    lambda_max = _perron(full)[0] if n > 2 else float(n)
    return weights, full, lambda_max


def _consistency(lambda_max, n):
    """(CI, CR): 0 for n <= 2; a CI below 0 is rounding noise (lambda_max >= n, Saaty 1980)."""
    if n <= 2:
        return 0.0, 0.0
    ci = max((lambda_max - n) / (n - 1), 0.0)
    return ci, ci / random_index(n)


def _worst_pair(a, missing, weights, cr, scale):
    """The given judgment whose replacement by saaty_round(w_i / w_j) lowers CR the most, or None.

    Each candidate (upper triangle, given) is re-solved with the same method (Harker's completion for
    the missing judgments): n <= 15, at most 105 eigenvalue problems of size n.
    """
    n = a.shape[0]
    log_scale = np.log(scale)
    best = (cr - _CONSISTENT_CR, None, np.nan)
    rows, cols = np.nonzero(np.triu(~missing, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        suggestion = float(scale[np.argmin(np.abs(log_scale - np.log(weights[i] / weights[j])))])
        if np.isclose(suggestion, a[i, j], rtol=_RECIPROCAL_TOL, atol=0):
            continue
        revised = a.copy()
        revised[i, j], revised[j, i] = suggestion, 1.0 / suggestion
        candidate_cr = _consistency(_solve(revised, missing)[2], n)[1]
        if candidate_cr < best[0]:
            best = (candidate_cr, (i, j), suggestion)
    return best[1], best[2]


def ahp_priorities(matrix: ArrayLike, threshold: float = CR_THRESHOLD, scale_bounds=(1 / 9, 9)) -> AHPResult:
    """Priorities (principal eigenvector), lambda_max, CI and CR of a pairwise judgment matrix.

    :param matrix: (n x n) positive reciprocal judgments, n = 1..15, ones on the diagonal; NaN marks a
        missing judgment (a pair of which one judgment is given uses it and its reciprocal; pairs
        missing on both sides are completed by Harker's method, the given judgments must connect
        all elements)
    :param threshold: the largest acceptable consistency ratio (Saaty: 0.10)
    :param scale_bounds: (lowest, highest) judgment allowed, 1/9 and 9 on Saaty's scale
    :rtype: AHPResult
    """
    threshold = float(threshold)
    if not np.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold must be a finite number >= 0, got {threshold!r}")
    a, missing = check_judgments(matrix, scale_bounds)
    n = a.shape[0]
    _check_connected(missing)
    weights, full, lambda_max = _solve(a, missing)
    ci, cr = _consistency(lambda_max, n)
    worst, suggested = None, np.nan
    if n >= 3 and cr > _CONSISTENT_CR:
        low, high = _check_scale_bounds(scale_bounds)
        scale = np.asarray([s for s in SAATY_SCALE if low * (1 - _SCALE_TOL) <= s <= high * (1 + _SCALE_TOL)])
        worst, suggested = _worst_pair(a, missing, weights, cr, scale)
    return AHPResult(
        weights=weights,
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        n=n,
        consistent=bool(cr <= threshold),
        matrix=full,
        completed=missing,
        worst_pair=worst,
        worst_value=float(a[worst]) if worst is not None else np.nan,
        suggested_value=suggested,
    )


def aggregate_judgments(matrices, weights: ArrayLike | None = None) -> np.ndarray:
    """Element-wise weighted geometric mean of the judgment matrices of ``k`` assessors.

    ``a_ij = exp(sum_e v_e ln a_ij^(e) / sum_e v_e)`` over the assessors ``e`` who gave the judgment
    (directly or as the reciprocal ``a_ji``), NaN where none did (Aczél & Saaty 1983; Forman &
    Peniwati 1998, aggregation of individual judgments, AIJ). The result is reciprocal.

    :param matrices: sequence of k (n x n) judgment matrices (or a (k, n, n) array), each checked like
        :func:`ahp_priorities` checks its matrix
    :param weights: (k,) non-negative weights of the assessors, not all 0 (None: equal weights)
    :rtype: numpy.ndarray (n x n), NaN for missing judgments
    """
    try:
        stacked = np.asarray(matrices, dtype=np.float64)
    except (TypeError, ValueError):  # matrices of different shapes: checked below
        stacked = None
    matrices = [stacked] if stacked is not None and stacked.ndim == 2 else list(matrices)
    k = len(matrices)
    if k == 0:
        raise ValueError("aggregate_judgments needs at least one judgment matrix")
    checked = [check_judgments(m, name=f"judgment matrix {e + 1} of {k}")[0] for e, m in enumerate(matrices)]
    shapes = {m.shape for m in checked}
    if len(shapes) > 1:
        raise ValueError(f"the judgment matrices must all have the same shape, got {sorted(shapes)}")
    if weights is None:
        v = np.ones(k)
    else:
        v = np.asarray(weights, dtype=np.float64).reshape(-1)
        if v.shape != (k,):
            raise ValueError(f"weights must hold one weight per matrix ({k}), got {v.size}")
        if not np.all(np.isfinite(v)) or np.any(v < 0) or v.sum() <= 0:
            raise ValueError("weights must be finite, non-negative and not all 0")
    v = v / v.sum()
    logs = np.log(np.stack(checked))  # (k, n, n), NaN where missing
    given = ~np.isnan(logs) & (v[:, None, None] > 0)
    total = np.sum(np.where(given, v[:, None, None], 0.0), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.sum(np.where(given, logs * v[:, None, None], 0.0), axis=0) / total
    upper = np.triu(np.exp(mean), k=1)
    result = np.where(total > 0, 1.0, np.nan)
    iu = np.triu_indices(result.shape[0], k=1)
    result[iu] = np.where(total[iu] > 0, upper[iu], np.nan)
    result.T[iu] = 1.0 / result[iu]
    result[np.diag_indices(result.shape[0])] = 1.0
    return result
