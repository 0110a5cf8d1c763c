"""The whole capability assessment of an indicator tree in one call (what the Odoo addon runs).

:func:`evaluate_capability` takes the indicator tree (parent indices), the membership vectors of the
leaves and, per internal node, the pairwise judgments of its children by one or more assessors. It
derives the local weights (AHP on the geometric mean of the assessors' judgments, else the given
default weights, else equal weights), the global weights (product of the local weights up to the
root), evaluates the tree bottom-up by fuzzy comprehensive evaluation and reads every node's vector
as a score and a grade.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_tree
from .ahp import CR_THRESHOLD, aggregate_judgments, ahp_priorities
from .fuzzy import DEFAULT_GRADE_VALUES, _check_operator, fuzzy_evaluate, grade_index, score

#: how the weights of a node's children were obtained (:attr:`CapabilityEvaluation.weight_source`)
WEIGHT_SOURCES = ("ahp", "given", "equal")


@dataclasses.dataclass(frozen=True)
class CapabilityEvaluation:
    """Weights, consistency and evaluation of every node (arrays of length N, indexed like the tree).

    :ivar local_weights: weight of each node among its siblings (1 for a root)
    :ivar global_weights: product of the local weights from the node up to its root (1 for a root)
    :ivar weight_source: object array, for each internal node how the weights of *its children*
        were obtained: ``"ahp"`` (its judgments), ``"given"`` (``default_weights``) or ``"equal"``;
        None for a leaf
    :ivar cr, lambda_max: consistency ratio and Perron root of the aggregated judgments over the
        node's children (CR 0 for two children); nan for leaves and nodes weighted without judgments
    :ivar consistent: CR <= threshold (True where there are no judgments)
    :ivar worst_pair: per node, None or the pair ``(i, j)`` of *child node indices* whose judgment hurts
        the consistency most (see :class:`~crm_capability.ahp.AHPResult`)
    :ivar worst_value: current aggregated judgment of i over j of that pair (nan without one)
    :ivar suggested_value: the Saaty-scale judgment of i over j that repairs it (nan without one)
    :ivar memberships: (N, G) evaluated membership vectors (NaN rows where not available)
    :ivar available, coverage: see :class:`~crm_capability.fuzzy.FuzzyResult`
    :ivar scores: membership-weighted grade value of each node (nan where not available)
    :ivar grades: grade index by maximum membership (0 the best, -1 not available)
    :ivar ahp: internal node index -> :class:`~crm_capability.ahp.AHPResult` of its aggregated judgments
    """

    local_weights: np.ndarray
    global_weights: np.ndarray
    weight_source: np.ndarray
    cr: np.ndarray
    lambda_max: np.ndarray
    consistent: np.ndarray
    worst_pair: list
    worst_value: np.ndarray
    suggested_value: np.ndarray
    memberships: np.ndarray
    available: np.ndarray
    coverage: np.ndarray
    scores: np.ndarray
    grades: np.ndarray
    operator: str
    grade_values: tuple
    ahp: dict


def _children(parent):
    """Children of every node, ascending node index (one stable sort, no loop over nodes)."""
    order = np.argsort(parent, kind="stable")
    order = order[parent[order] >= 0]
    starts = np.searchsorted(parent[order], np.arange(len(parent) + 1))
    return [order[starts[p]:starts[p + 1]] for p in range(len(parent))]


def _node_index(key, children):
    if isinstance(key, bool) or not isinstance(key, (int, np.integer)):
        raise ValueError(f"judgments must be keyed by node index (int), got {key!r}")
    if not 0 <= key < len(children):
        raise ValueError(f"judgments given for node index {key}, which is not a node of the tree")
    if len(children[key]) == 0:
        raise ValueError(f"judgments given for node index {key}, which has no children")
    return int(key)


@dataclasses.dataclass
class _Weighting:
    """The local weights and the AHP figures of every node, filled by :func:`_weigh`."""

    local: np.ndarray
    source: np.ndarray
    cr: np.ndarray
    lambda_max: np.ndarray
    consistent: np.ndarray
    worst_pair: list
    worst_value: np.ndarray
    suggested: np.ndarray
    results: dict

    @classmethod
    def empty(cls, n):
        nan = np.full(n, np.nan)
        return cls(local=np.ones(n), source=np.full(n, None, dtype=object), cr=nan.copy(),
                   lambda_max=nan.copy(), consistent=np.ones(n, dtype=bool), worst_pair=[None] * n,
                   worst_value=nan.copy(), suggested=nan.copy(), results={})


def _weigh(children, judged, defaults, threshold):
    """Local weights of the children of every internal node: AHP, else default, else equal weights.

    One small AHP problem per internal node: a loop over the internal nodes (trees are small).
    """
    out = _Weighting.empty(len(children))
    for p in np.flatnonzero([len(c) > 0 for c in children]).tolist():
        kids = children[p]
        if p in judged:
            try:
                result = ahp_priorities(aggregate_judgments(judged[p]), threshold=threshold)
            except ValueError as error:
                raise ValueError(f"judgments of node index {p}: {error}") from error
            if result.n != len(kids):
                raise ValueError(f"judgments of node index {p} must be {len(kids)} x {len(kids)} (its "
                                 f"children {', '.join(map(str, kids.tolist()))}, in this order), "
                                 f"got {result.n} x {result.n}")
            out.results[p] = result
            out.local[kids] = result.weights
            out.source[p] = "ahp"
            out.cr[p], out.lambda_max[p], out.consistent[p] = result.cr, result.lambda_max, result.consistent
            if result.worst_pair is not None:
                i, j = result.worst_pair
                out.worst_pair[p] = (int(kids[i]), int(kids[j]))
                out.worst_value[p], out.suggested[p] = result.worst_value, result.suggested_value
        elif defaults is not None and np.all(np.isfinite(defaults[kids])) and defaults[kids].sum() > 0:
            out.local[kids] = defaults[kids] / defaults[kids].sum()
            out.source[p] = "given"
        else:
            out.local[kids] = 1.0 / len(kids)
            out.source[p] = "equal"
    return out


def evaluate_capability(
    tree: ArrayLike,
    leaf_memberships: ArrayLike,
    judgments: dict | None = None,
    default_weights: ArrayLike | None = None,
    operator: str = "M(*,+)",
    grade_values: ArrayLike = DEFAULT_GRADE_VALUES,
    threshold: float = CR_THRESHOLD,
) -> CapabilityEvaluation:
    """Weights, consistency, fuzzy evaluation, score and grade of every node of an indicator tree.

    :param tree: (N,) parent index of each node, -1 for a root (any order, no cycle)
    :param leaf_memberships: (N, G) membership vectors of the leaves (all NaN: no data); the rows of
        internal nodes are ignored
    :param judgments: {internal node index: [matrix, ...]}, one pairwise judgment matrix per assessor
        (or one matrix) over the node's children in ascending node-index order, NaN for a missing
        judgment (an empty list counts as no judgments); combined by
        :func:`~crm_capability.ahp.aggregate_judgments` and weighted by
        :func:`~crm_capability.ahp.ahp_priorities` (the CR reported is the aggregated matrix's)
    :param default_weights: (N,) weights of the nodes among their siblings for the nodes without
        judgments, renormalised per sibling group; a group with a NaN or summing to 0 is weighted
        equally (as is every group when None)
    :param operator: fuzzy compositional operator (:data:`~crm_capability.fuzzy.OPERATORS`)
    :param grade_values: (G,) value of each grade for the scores
    :param threshold: largest acceptable consistency ratio
    :rtype: CapabilityEvaluation
    """
    operator = _check_operator(operator)
    parent, depth = as_tree(tree)
    n = len(parent)
    children = _children(parent)
    values = tuple(float(v) for v in np.asarray(grade_values, dtype=np.float64).reshape(-1))
    defaults = None
    if default_weights is not None:
        defaults = np.asarray(default_weights, dtype=np.float64)
        if defaults.shape != (n,):
            raise ValueError(f"default_weights must be one weight per node, shape ({n},), "
                             f"got {defaults.shape}")
        if np.any(np.isinf(defaults)) or np.any(defaults < 0):
            raise ValueError("default_weights must be finite and non-negative (NaN: not given)")
    judged = {_node_index(key, children): value for key, value in (judgments or {}).items()
              if not (isinstance(value, (list, tuple)) and len(value) == 0)}  # []: none
    weighting = _weigh(children, judged, defaults, threshold)

    global_weights = np.ones(n)
    for d in range(1, int(depth.max()) + 1):  # one vectorised step per level
        level = np.flatnonzero(depth == d)
        global_weights[level] = global_weights[parent[level]] * weighting.local[level]

    fuzzy = fuzzy_evaluate(parent, weighting.local, leaf_memberships, operator=operator, normalize=True)
    if len(values) != fuzzy.memberships.shape[1]:
        raise ValueError(f"grade_values must hold one value per grade ({fuzzy.memberships.shape[1]}), "
                         f"got {len(values)}")
    return CapabilityEvaluation(
        local_weights=weighting.local,
        global_weights=global_weights,
        weight_source=weighting.source,
        cr=weighting.cr,
        lambda_max=weighting.lambda_max,
        consistent=weighting.consistent,
        worst_pair=weighting.worst_pair,
        worst_value=weighting.worst_value,
        suggested_value=weighting.suggested,
        memberships=fuzzy.memberships,
        available=fuzzy.available,
        coverage=fuzzy.coverage,
        scores=score(fuzzy.memberships, values),
        grades=grade_index(fuzzy.memberships),
        operator=operator,
        grade_values=values,
        ahp=weighting.results,
    )
