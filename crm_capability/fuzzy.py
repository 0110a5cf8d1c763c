"""Fuzzy comprehensive evaluation (FCE) of an indicator tree.

Each leaf indicator has a membership vector ``r = (r_1, ..., r_G)`` over ``G`` evaluation grades,
ordered from best to worst (by default five: excellent, good, fair, poor, very poor). It comes from
assessors' ratings (:func:`membership_from_ratings`, the share of assessors choosing each grade) or
from a measured value (:func:`membership_from_value`, triangular / trapezoidal membership functions).
The vectors are synthesised bottom-up, ``B = W o R`` at every internal node with the local weights
``W`` of its children and their membership matrix ``R``, by one of Zadeh's compositional operators
as used in fuzzy comprehensive evaluation (Wang Peizhuang 1983, *Fuzzy Set Theory and its
Applications*, Shanghai Scientific and Technical Press; Zadeh 1965, "Fuzzy sets", Information and
Control 8):

    M(*,+)  b_j = sum_i w_i r_ij                 weighted average (uses every indicator, the default)
    M(^,v)  b_j = max_i min(w_i, r_ij)            main factor decides
    M(^,+)  b_j = min(1, sum_i min(w_i, r_ij))    bounded sum
    M(*,v)  b_j = max_i w_i r_ij                  main factor highlighted

The evaluated vector is read by the maximum membership principle (:func:`grade_index`) or as a score,
the membership-weighted mean of the grade values (:func:`score`).
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, as_2d_float, as_tree, as_whole

#: the value of each default grade on a hundred-mark scale (excellent, good, fair, poor, very poor):
#: a customary convention of grading, not a derived quantity; pass your own ``grade_values``
DEFAULT_GRADE_VALUES = (95.0, 85.0, 75.0, 65.0, 50.0)

#: the compositional operators of :func:`fuzzy_evaluate` (see the module docstring)
OPERATORS = ("M(*,+)", "M(^,v)", "M(^,+)", "M(*,v)")

_MEMBERSHIP_TOL = 1e-9


@dataclasses.dataclass(frozen=True)
class FuzzyResult:
    """The evaluated membership vector of every node of the tree (:func:`fuzzy_evaluate`).

    :ivar memberships: (N, G) membership vectors (NaN rows where not available)
    :ivar available: (N,) bool, the node has a vector (an available leaf, or an internal node with at
        least one available child of positive weight)
    :ivar coverage: (N,) share of the node's weight backed by data: 1 for an available leaf, 0 for a
        missing one, ``sum_c w_c coverage_c / sum_c w_c`` over the children of an internal node
    :ivar operator: the operator used
    """

    memberships: np.ndarray
    available: np.ndarray
    coverage: np.ndarray
    operator: str


def membership_from_ratings(ratings: ArrayLike, n_grades: int = 5) -> np.ndarray:
    """Membership vectors of items rated by assessors: the share of assessors choosing each grade.

    ``r_ig = #{assessors rating item i with grade g} / #{assessors rating item i}``

    :param ratings: (n_assessors, n_items) grade indices 0..n_grades-1 (0 the best grade); -1 (or NaN)
        means no rating
    :param n_grades: number of grades G, at least 2
    :return: (n_items, G) rows summing to 1; all NaN for an item nobody rated
    """
    n_grades = as_whole("n_grades", n_grades, minimum=2)
    raw = np.asarray(ratings, dtype=np.float64)
    if raw.ndim != 2:
        raise ValueError(f"ratings must be two-dimensional (one row per assessor, one column per item), "
                         f"got shape {raw.shape}")
    rated = ~np.isnan(raw) & (raw != -1)
    bad = rated & ((raw != np.round(raw)) | (raw < 0) | (raw >= n_grades))
    if np.any(bad):
        assessor, item = np.argwhere(bad)[0]
        raise ValueError(f"ratings: assessor {assessor + 1} gave item {item + 1} the rating "
                         f"{raw[assessor, item]:g}, not a grade index 0..{n_grades - 1} "
                         f"(or -1 for no rating)")
    grades = np.where(rated, raw, -1).astype(np.int64)
    counts = np.sum(grades[:, :, None] == np.arange(n_grades), axis=0).astype(np.float64)  # (items, G)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        return counts / np.where(total > 0, total, np.nan)


def _plateaus(breakpoints):
    """Breakpoints as (G, 2) plateaus [low, high], checked to be ordered and not to overlap."""
    bp = np.asarray(breakpoints, dtype=np.float64)
    if bp.ndim == 1:
        bp = np.column_stack([bp, bp])
    if bp.ndim != 2 or bp.shape[1] != 2 or bp.shape[0] < 2:
        raise ValueError(f"breakpoints must be (G,) peaks or (G, 2) plateaus [low, high] of G >= 2 grades, "
                         f"got shape {np.asarray(breakpoints).shape}")
    if not np.all(np.isfinite(bp)):
        raise ValueError("breakpoints must be finite")
    inverted = bp[:, 0] > bp[:, 1]
    if np.any(inverted):
        g = int(np.argmax(inverted))
        raise ValueError(f"breakpoints: the plateau of grade {g + 1} [{bp[g, 0]:g}, {bp[g, 1]:g}] has "
                         f"its low end above its high end")
    ascending = bool(np.all(bp[:-1, 1] < bp[1:, 0]))  # lower is better
    descending = bool(np.all(bp[1:, 1] < bp[:-1, 0]))  # higher is better
    if not (ascending or descending):
        raise ValueError("breakpoints must be strictly monotonic in grade order (best grade first): "
                         "every grade's plateau entirely above, or entirely below, the next grade's, "
                         "without overlap")
    return bp


def membership_from_value(values: ArrayLike, breakpoints: ArrayLike) -> np.ndarray:
    """Membership vectors of measured values, by triangular or trapezoidal membership functions.

    Grade ``g`` has membership 1 on its plateau ``[low_g, high_g]`` (a single peak for triangular
    functions); between the plateaus of two neighbouring grades the membership passes linearly from
    one grade to the other, and beyond the first / last plateau the value belongs fully to that grade
    (shoulders). The memberships of a value sum to 1 (a fuzzy partition; e.g. Zimmermann 2001, *Fuzzy
    Set Theory and its Applications*, ch. 2, triangular and trapezoidal fuzzy numbers).

    :param values: (n,) measured values, NaN for not available
    :param breakpoints: (G,) peaks or (G, 2) plateaus in grade order (best grade first), ascending
        (lower values are better) or descending (higher values are better)
    :return: (n, G); NaN rows for NaN values
    """
    bp = _plateaus(breakpoints)
    x = as_1d_float("values", values, allow_nan=True)
    knots = np.unique(bp)  # ascending, each knot on exactly one grade's plateau
    on_plateau = (knots[:, None] >= bp[None, :, 0]) & (knots[:, None] <= bp[None, :, 1])  # (K, G)
    out = np.column_stack([np.interp(x, knots, on_plateau[:, g].astype(np.float64))
                           for g in range(bp.shape[0])])  # a few grades: one interp per grade
    out[np.isnan(x)] = np.nan
    return out


def _check_operator(operator):
    if operator not in OPERATORS:
        raise ValueError(f"operator must be one of {', '.join(OPERATORS)}, got {operator!r}")
    return operator


def _check_tree_inputs(tree, weights, memberships):
    """Checked (parent, depth, weights, memberships, is_parent) of :func:`fuzzy_evaluate`."""
    parent, depth = as_tree(tree)
    n = len(parent)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights must be one weight per node, shape ({n},), got shape {w.shape}")
    w = as_1d_float("weights", np.where(parent < 0, 0.0, w))  # a root's weight is ignored
    if np.any(w < 0):
        raise ValueError(f"weights must not be negative (node index {int(np.argmax(w < 0))})")
    r = as_2d_float("memberships", memberships, allow_nan=True)
    if r.shape[0] != n:
        raise ValueError(f"memberships must hold one row per node ({n}), got {r.shape[0]}")
    is_parent = np.zeros(n, dtype=bool)
    is_parent[parent[parent >= 0]] = True
    leaves = np.flatnonzero(~is_parent)
    leaf_rows = r[leaves]
    partial = np.isnan(leaf_rows).any(axis=1) & ~np.isnan(leaf_rows).all(axis=1)
    if np.any(partial):
        raise ValueError(f"memberships of leaf node index {int(leaves[np.argmax(partial)])} are partly NaN "
                         f"(all NaN means not available)")
    outside = (leaf_rows < -_MEMBERSHIP_TOL) | (leaf_rows > 1 + _MEMBERSHIP_TOL)
    if np.any(outside):
        raise ValueError(f"memberships of leaf node index {int(leaves[np.argwhere(outside)[0, 0]])} must lie "
                         f"in [0, 1]")
    sibling_total = np.bincount(parent[parent >= 0], weights=w[parent >= 0], minlength=n)
    zero = is_parent & (sibling_total <= 0)
    if np.any(zero):
        raise ValueError(f"the children of node index {int(np.argmax(zero))} have weights summing to 0")
    return parent, depth, w, r, is_parent


def fuzzy_evaluate(
    tree: ArrayLike,
    weights: ArrayLike,
    memberships: ArrayLike,
    operator: str = "M(*,+)",
    normalize: bool = True,
) -> FuzzyResult:
    """Bottom-up fuzzy comprehensive evaluation ``B = W o R`` of an indicator tree.

    At every internal node the weights of its available children are renormalised to sum 1 (missing
    children are left out; the share of weight with data is reported in ``coverage``), composed with
    their membership matrix by ``operator`` (:data:`OPERATORS`) and, with ``normalize``, the vector is
    divided by its sum (when positive). An internal node without an available child of positive
    weight is not available.

    :param tree: (N,) parent index of each node, -1 for a root; any order, no cycle
    :param weights: (N,) local weight of each node among its siblings, >= 0 (ignored for roots)
    :param memberships: (N, G) in [0, 1]; the rows of the leaves are used (all NaN: not available),
        those of internal nodes are ignored
    :param operator: one of :data:`OPERATORS`
    :param normalize: divide each synthesised vector by its sum
    :rtype: FuzzyResult
    """
    operator = _check_operator(operator)
    parent, depth, w, r, is_parent = _check_tree_inputs(tree, weights, memberships)
    n = len(parent)
    sibling_total = np.bincount(parent[parent >= 0], weights=w[parent >= 0], minlength=n)
    out = np.where(is_parent[:, None], np.nan, np.clip(r, 0.0, 1.0))
    available = ~is_parent & ~np.isnan(r).any(axis=1)
    coverage = available.astype(np.float64)
    # one vectorised step per level, deepest first: every child of a node at depth d - 1 is at depth d
    for d in range(int(depth.max()), 0, -1):
        child = np.flatnonzero(depth == d)
        up = parent[child]
        usable = available[child] & (w[child] > 0)
        total_usable = np.bincount(up, weights=np.where(usable, w[child], 0.0), minlength=n)
        coverage_up = np.bincount(up, weights=w[child] * coverage[child], minlength=n) / np.where(
            sibling_total > 0, sibling_total, 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(usable, w[child] / total_usable[up], 0.0)[:, None]  # renormalised weights
        rows = np.where(usable[:, None], out[child], 0.0)
        synthesis = np.zeros((n, r.shape[1]))
        if operator == "M(*,+)":
            np.add.at(synthesis, up, share * rows)
        elif operator == "M(^,v)":
            np.maximum.at(synthesis, up, np.minimum(share, rows))
        elif operator == "M(^,+)":
            np.add.at(synthesis, up, np.minimum(share, rows))
            synthesis = np.minimum(synthesis, 1.0)
        else:  # M(*,v)
            np.maximum.at(synthesis, up, share * rows)
        nodes = np.unique(up)
        ok = total_usable[nodes] > 0
        vectors = synthesis[nodes]
        if normalize:
            sums = vectors.sum(axis=1, keepdims=True)
            vectors = np.where(sums > 0, vectors / np.where(sums > 0, sums, 1.0), vectors)
        out[nodes] = np.where(ok[:, None], vectors, np.nan)
        available[nodes] = ok
        coverage[nodes] = coverage_up[nodes]
    return FuzzyResult(memberships=out, available=available, coverage=coverage, operator=operator)


def _as_vectors(vectors):
    v = np.asarray(vectors, dtype=np.float64)
    single = v.ndim == 1
    v = v.reshape(1, -1) if single else v
    if v.ndim != 2:
        raise ValueError(f"membership vectors must be (G,) or (n, G), got shape {np.asarray(vectors).shape}")
    if np.any(np.isinf(v)):
        raise ValueError("membership vectors contain infinite values")
    if np.any(v < 0):
        raise ValueError("membership vectors must not be negative")
    return v, single


def score(vectors: ArrayLike, grade_values: ArrayLike = DEFAULT_GRADE_VALUES):
    """Score of membership vector(s): ``S = sum_g b_g v_g / sum_g b_g`` with the grade values ``v``.

    :param vectors: (G,) or (n, G) non-negative memberships; a row with a NaN, or summing to 0, scores NaN
    :param grade_values: (G,) value of each grade (default :data:`DEFAULT_GRADE_VALUES`)
    :return: a float for one vector, else an (n,) array
    """
    v, single = _as_vectors(vectors)
    values = as_1d_float("grade_values", grade_values)
    if len(values) != v.shape[1]:
        raise ValueError(f"grade_values must hold one value per grade ({v.shape[1]}), got {len(values)}")
    sums = v.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(sums > 0, (v @ values) / sums, np.nan)
    return float(result[0]) if single else result


def grade_index(vectors: ArrayLike):
    """Grade of membership vector(s) by the maximum membership principle (argmax, the better grade on
    ties); -1 for a row with a NaN or summing to 0. An int for one vector, else an (n,) int64 array.
    """
    v, single = _as_vectors(vectors)
    missing = np.isnan(v).any(axis=1) | ~(np.nansum(v, axis=1) > 0)
    result = np.where(missing, -1, np.argmax(np.nan_to_num(v, nan=-1.0), axis=1)).astype(np.int64)
    return int(result[0]) if single else result
