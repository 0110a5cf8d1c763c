"""Association rules between the items bought together (market basket analysis).

:func:`association_rules` finds the frequent itemsets of the baskets (support at least
``min_support``, at most ``max_len`` items) and every rule ``A -> C`` between a non-empty proper
subset ``A`` of a frequent itemset and its complement ``C`` whose confidence reaches
``min_confidence``: the support-confidence framework of Agrawal, Imielinski & Swami (1993) and
Agrawal & Srikant (1994), "Fast algorithms for mining association rules", VLDB. With ``n``
baskets and ``n(X)`` the baskets holding every item of ``X``:

    support(X)      = n(X) / n
    confidence(A->C) = (support(A ∪ C) * n) / (support(A) * n)
    lift(A->C)       = confidence / support(C)                  (Brin et al. 1997 "interest")
    leverage(A->C)   = support(A ∪ C) - support(A) * support(C)  (Piatetsky-Shapiro 1991)
    conviction(A->C) = (1 - support(C)) / (1 - confidence), inf when confidence == 1
                       (Brin, Motwani, Ullman & Tsur 1997, "Dynamic itemset counting and
                       implication rules for market basket data", SIGMOD)

The result is the one of mlxtend 0.25.0's ``fpgrowth(df, min_support, use_colnames=True,
max_len=max_len)`` followed by ``association_rules(frequent, num_itemsets=len(df),
metric="confidence", min_threshold=min_confidence)``, threshold quirks and float operations
included (the tests compare both, the metrics to the last bit):

* a single item is frequent when ``n(i) / n >= min_support`` (float division and comparison);
* an itemset of two or more items when, in addition, ``n(X) >= ceil(min_support * n)``: mlxtend's
  conditional FP-trees prune with that count, which can be one more than the float test (e.g.
  ``0.07 * 100 = 7.000000000000001``, so 7 baskets of 100 make a frequent item but not a frequent
  pair) - except when its FP-tree is a single path (the frequent items' baskets nested in one
  another), where mlxtend generates the itemsets without conditional trees and only the float
  test applies; this case is detected (every pair's count equal to the smaller item count) and
  treated alike;
* the confidence is computed as mlxtend does, ``(sAC * n) / (sA * n)`` from the supports, and the
  rule is kept when ``confidence >= min_confidence``, so that ties on the thresholds fall the same
  way.

Algorithm: level-wise (the order of Apriori, Agrawal & Srikant 1994) with exact counting of the
co-occurrences present instead of candidate generation or FP-trees, vectorised (no Python loop
per basket):

1. the baskets become a CSR matrix (baskets x items, one entry per distinct item of a basket),
   restricted to the frequent items;
2. an *occurrence* is (basket, position of its last item, index of a frequent itemset it holds);
   those of size 1 are the matrix entries. Each occurrence extended by every later item of its
   basket gives the integer key ``itemset * n_frequent_items + item`` of a k-itemset, each
   k-itemset of the basket exactly once (items are sorted); counting the keys (``np.bincount``
   when at most :data:`DENSE_KEYS` keys are possible, else ``np.unique``) gives every k-itemset's
   exact count - for pairs the upper triangle of ``X.T @ X``, for larger itemsets ``O.T @ X``
   with ``O`` the baskets x frequent (k-1)-itemsets indicator matrix, without forming either;
3. the occurrences of the frequent k-itemsets (needed below ``max_len`` only) are the extensions
   whose key is frequent, looked up in a table (or with ``np.searchsorted``); extensions are
   generated in chunks of about :data:`CHUNK`, which bounds the temporary memory;
4. the rules: for each size and each bit mask of a proper subset, the supports of the antecedents
   and consequents are found by the same keys (an itemset's key is its prefix's index times the
   number of frequent items plus its last item; keys sort like the itemsets) with
   ``np.searchsorted``.

Why not FP-growth (mlxtend) or Apriori's candidates: both walk Python structures basket by basket
or candidate by candidate; here each size costs a few array passes over the co-occurrences
actually present, which for shop baskets (a few items out of thousands) is small. The memory is
the CSR matrix, the occurrences of the frequent (k-1)-itemsets and one chunk of extensions.

The rules are sorted by antecedent then consequent (tuples of item ids, compared as tuples).

:func:`recommend` ranks the items a customer does not own by the best rule whose antecedent he
owns entirely (score: confidence x lift by default, or confidence, or lift).
"""

import dataclasses
import functools
import itertools
import math
import numbers
from collections.abc import Iterable, Iterator

import numpy as np
import scipy.sparse
from numpy.typing import ArrayLike

#: extensions (occurrence, later item) generated at once when the occurrences are built
CHUNK = 1 << 21
#: largest number of possible (itemset, item) keys counted with ``np.bincount`` (else sorted)
DENSE_KEYS = 1 << 23

#: what :meth:`AssociationRules.as_rows` yields, in this order
ROW_FIELDS = (
    "antecedent",
    "consequent",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "antecedent_support",
    "consequent_support",
    "count",
)

SCORES = ("confidence_lift", "confidence", "lift")


@dataclasses.dataclass(frozen=True)
class AssociationRules:
    """The rules of :func:`association_rules`, aligned arrays, sorted by antecedent then consequent.

    :ivar antecedents, consequents: object arrays of sorted tuples of item ids (Python ints)
    :ivar support: support of antecedent ∪ consequent (float64)
    :ivar confidence, lift, leverage, conviction: float64 (conviction inf when confidence is 1)
    :ivar antecedent_support, consequent_support: float64
    :ivar count: baskets holding antecedent ∪ consequent (int64)
    :ivar n_baskets: baskets counted (empty ones included)
    :ivar min_support, min_confidence, max_len: the thresholds the rules were mined with
    :ivar n_frequent: number of frequent itemsets of each size 1 .. ``max_len`` (as many as
        mlxtend's ``fpgrowth`` returns)
    """

    antecedents: np.ndarray
    consequents: np.ndarray
    support: np.ndarray
    confidence: np.ndarray
    lift: np.ndarray
    leverage: np.ndarray
    conviction: np.ndarray
    antecedent_support: np.ndarray
    consequent_support: np.ndarray
    count: np.ndarray
    n_baskets: int
    min_support: float
    min_confidence: float
    max_len: int
    n_frequent: tuple = ()

    def __len__(self):
        return len(self.support)

    def as_rows(self) -> Iterator[tuple]:
        """Plain tuples ``(antecedent, consequent, support, confidence, lift, leverage, conviction,
        antecedent_support, consequent_support, count)`` (:data:`ROW_FIELDS`), rule by rule."""
        columns = [self.antecedents.tolist(), self.consequents.tolist()]
        columns += [getattr(self, name).tolist() for name in ROW_FIELDS[2:]]
        return zip(*columns, strict=True)

    @functools.cached_property
    def _flat_items(self):
        """(rule of each antecedent item, antecedent items, rule of each consequent item, items)."""
        out = []
        for sets in (self.antecedents, self.consequents):
            sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
            items = np.fromiter(itertools.chain.from_iterable(sets), dtype=np.int64, count=int(sizes.sum()))
            out += [np.repeat(np.arange(len(sets)), sizes), items]
        return tuple(out)


@dataclasses.dataclass(frozen=True)
class Recommendations:
    """What :func:`recommend` returns: items by decreasing score (ties: smaller item id first).

    :ivar items: recommended item ids (int64)
    :ivar scores: the score of each item's best rule (float64)
    :ivar rule_index: that rule's row in the :class:`AssociationRules` (int64)
    """

    items: np.ndarray
    scores: np.ndarray
    rule_index: np.ndarray

    def __len__(self):
        return len(self.items)


# ----------------------------------------------------------------------------------------------
# input checks
# ----------------------------------------------------------------------------------------------
def _check_fraction(name, value, low_open):
    """``value`` as a float in (0, 1] (``low_open``) or [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    inside = 0.0 < value <= 1.0 if low_open else 0.0 <= value <= 1.0
    if not inside:
        raise ValueError(f"{name} must be in {'(0, 1]' if low_open else '[0, 1]'}, got {value!r}")
    return value


def _check_count(name, value, least):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, got {value!r}")
    return int(value)


def _item_ids(name, values) -> np.ndarray:
    """Non-negative whole-number item ids as a one-dimensional int64 array."""
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{name} must be flat collections of non-negative whole numbers (item ids)") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be flat collections of item ids, got nested values")
    if not arr.size:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind == "b":
        raise ValueError(f"{name} must be item ids (whole numbers), got booleans")
    if arr.dtype.kind == "O":
        values = arr.tolist()
        bad = [v for v in values if not isinstance(v, numbers.Integral) or isinstance(v, bool)]
        if bad:
            raise ValueError(f"{name} must be whole numbers (item ids), got {bad[0]!r}")
        arr = np.asarray(values, dtype=object)
    elif arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contain NaN or infinite values")
        fractional = arr[arr != np.round(arr)]
        if len(fractional):
            raise ValueError(f"{name} must be whole numbers (item ids), got {fractional[0]!r}")
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must be whole numbers (item ids), got values of type {arr.dtype}")
    if arr.max() >= 2**63 or arr.min() < -(2**63):
        raise ValueError(f"{name} must be below 2**63, got {int(arr.max())}")
    arr = arr.astype(np.int64)
    if arr.min() < 0:
        raise ValueError(f"{name} must be non-negative, got {int(arr.min())}")
    return arr


def _baskets_csr(baskets, n_items):
    """(indptr, item ids sorted and distinct within each basket, number of baskets, id bound)."""
    if scipy.sparse.issparse(baskets):
        matrix = scipy.sparse.csr_array(baskets, copy=True)
        if matrix.ndim != 2:
            raise ValueError(f"a sparse baskets matrix must be two-dimensional, got shape {matrix.shape}")
        if n_items is not None and n_items != matrix.shape[1]:
            raise ValueError(
                f"n_items ({n_items}) must equal the columns of the baskets matrix ({matrix.shape[1]})"
            )
        data = matrix.data
        if data.dtype.kind not in "biuf":
            raise ValueError(f"a sparse baskets matrix must hold numbers, got {data.dtype}")
        if data.dtype.kind == "f" and not np.all(np.isfinite(data)):
            raise ValueError("the sparse baskets matrix contains NaN or infinite values")
        matrix.data = (data != 0).astype(np.int8)
        matrix.eliminate_zeros()
        matrix.sum_duplicates()  # sorts the indices too
        return (
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int64),
            matrix.shape[0],
            matrix.shape[1],
        )
    if isinstance(baskets, (str, bytes)) or not isinstance(baskets, Iterable):
        raise ValueError(
            f"baskets must be a sequence of item-id collections or a sparse matrix, got {baskets!r}"
        )
    if not hasattr(baskets, "__len__"):
        baskets = list(baskets)
    n = len(baskets)
    try:
        sizes = np.fromiter(map(len, baskets), dtype=np.int64, count=n)
    except TypeError as exc:
        raise ValueError("each basket must be a collection of item ids (list, tuple, set or array)") from exc
    items = _item_ids("basket items", list(itertools.chain.from_iterable(baskets)))
    if len(items) != int(sizes.sum()):
        raise ValueError("each basket must be a flat collection of item ids")
    if n_items is not None and len(items) and items.max() >= n_items:
        raise ValueError(f"item ids must be below n_items ({n_items}), got {int(items.max())}")
    bound = int(items.max()) + 1 if len(items) else 1
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    if n * bound < 2**62:  # one sort of (basket, item) keys drops the duplicates and orders the items
        key = np.sort(rows * bound + items)
        key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
        rows, items = np.divmod(key, bound)
    else:
        order = np.lexsort((items, rows))
        rows, items = rows[order], items[order]
        keep = (
            np.r_[True, (rows[1:] != rows[:-1]) | (items[1:] != items[:-1])]
            if len(rows)
            else rows.astype(bool)
        )
        rows, items = rows[keep], items[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, items, n, bound


# ----------------------------------------------------------------------------------------------
# frequent itemsets
# ----------------------------------------------------------------------------------------------
@dataclasses.dataclass
class _Level:
    """The frequent itemsets of one size: items (rows sorted, frequent-item indices), counts,
    sorted integer keys (prefix index at the level below * number of frequent items + last item)."""

    items: np.ndarray
    counts: np.ndarray
    keys: np.ndarray


def _frequent(counts, n, min_support, min_count, single_path):
    """mlxtend's test of an itemset of two or more items (see the module docstring)."""
    keep = counts / n >= min_support
    return keep if single_path else keep & (counts >= min_count)


def _extensions(occ_end, occ_last, occ_set, indices, n_freq):
    """Every occurrence (end of its basket, position of its last item, itemset index) extended by
    each later item of its basket, in chunks of about :data:`CHUNK`: ``(lo, hi, reps, positions,
    keys)`` for the occurrences ``lo:hi``, ``reps`` extensions each, at ``positions`` of
    ``indices``, with the keys ``itemset * n_freq + item``."""
    reps = occ_end - occ_last - 1
    ends = np.cumsum(reps)
    total = int(ends[-1]) if len(ends) else 0
    cuts = np.searchsorted(ends, np.arange(CHUNK, total, CHUNK), side="right")
    for lo, hi in itertools.pairwise([0, *cuts.tolist(), len(reps)]):
        r = reps[lo:hi]
        size = int(r.sum())
        if size:
            pos = np.arange(size) + np.repeat(occ_last[lo:hi] + 1 - (np.cumsum(r) - r), r)
            yield lo, hi, r, pos, np.repeat(occ_set[lo:hi] * n_freq, r) + indices[pos]


def _count_keys(chunks, key_space):
    """(sorted distinct keys, their counts) of the chunks of :func:`_extensions`: ``np.bincount``
    when there are at most :data:`DENSE_KEYS` possible keys, else sorted (``np.unique``)."""
    if key_space <= DENSE_KEYS:
        counts = np.zeros(key_space, dtype=np.int64)
        for *_, key in chunks:
            counts += np.bincount(key, minlength=key_space)
        keys = np.flatnonzero(counts)
        return keys, counts[keys]
    parts = [np.unique(key, return_counts=True) for *_, key in chunks]
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys, inverse = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
    counts = np.zeros(len(keys), dtype=np.int64)
    np.add.at(counts, inverse, np.concatenate([p[1] for p in parts]))
    return keys, counts


def _occurrences(occ_end, occ_last, occ_set, indices, n_freq, keys, key_space):
    """The occurrences (basket end, last position, itemset index) of the itemsets ``keys`` (sorted),
    one size larger than those of ``occ_set``."""
    table = None
    if key_space <= DENSE_KEYS:
        table = np.full(key_space, -1, dtype=np.int64)
        table[keys] = np.arange(len(keys))
    ends, lasts, sets = (
        [np.zeros(0, dtype=np.int64)],
        [np.zeros(0, dtype=np.int64)],
        [np.zeros(0, dtype=np.int64)],
    )
    for lo, hi, r, pos, key in _extensions(occ_end, occ_last, occ_set, indices, n_freq):
        if table is not None:
            at = table[key]
            found = at >= 0
        else:
            at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            found = keys[at] == key
        ends.append(np.repeat(occ_end[lo:hi], r)[found])
        lasts.append(pos[found])
        sets.append(at[found])
    return np.concatenate(ends), np.concatenate(lasts), np.concatenate(sets)


def _frequent_levels(indptr, items, n, bound, min_support, max_len):
    """(item ids of the frequent items, [_Level of size 1, 2, ...])."""
    dense = bound <= 4 * len(items) + (1 << 20)
    if dense:
        counts = np.bincount(items, minlength=bound)
        ids = np.flatnonzero(counts)
        counts = counts[ids]
    else:
        ids, counts = np.unique(items, return_counts=True)
    keep = counts / n >= min_support  # mlxtend: item_support >= min_support
    freq_ids, freq_counts = ids[keep], counts[keep].astype(np.int64)
    n_freq = len(freq_ids)
    levels = [_Level(np.arange(n_freq).reshape(-1, 1), freq_counts, np.arange(n_freq))]
    if n_freq < 2:
        return freq_ids, levels
    # the baskets restricted to the frequent items (their indices 0 .. n_freq - 1, same order)
    if dense:
        table = np.full(bound, -1, dtype=np.int64)
        table[freq_ids] = np.arange(n_freq)
        at = table[items]
        kept = at >= 0
    else:
        at = np.minimum(np.searchsorted(freq_ids, items), n_freq - 1)
        kept = freq_ids[at] == items
    position = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(kept, out=position[1:])
    indptr, indices = position[indptr], at[kept]
    sizes = np.diff(indptr)
    # size 1 occurrences: every (basket, frequent item)
    occ_end, occ_last, occ_set = np.repeat(indptr[1:], sizes), np.arange(len(indices)), indices
    min_count = math.ceil(min_support * n)  # mlxtend's minsup of the conditional trees
    single_path = False
    for size in range(2, max_len + 1):
        key_space = len(levels[-1].counts) * n_freq
        keys, counts = _count_keys(_extensions(occ_end, occ_last, occ_set, indices, n_freq), key_space)
        parent, last = np.divmod(keys, n_freq)
        if size == 2:
            # mlxtend's FP-tree is a single path when the frequent items' baskets are nested: every
            # pair co-occurs in as many baskets as its rarer item (then no ceil'ed count applies)
            single_path = len(keys) == n_freq * (n_freq - 1) // 2 and bool(
                np.all(counts == np.minimum(freq_counts[parent], freq_counts[last]))
            )
        keep = _frequent(counts, n, min_support, min_count, single_path)
        keys, parent, last = keys[keep], parent[keep], last[keep]
        levels.append(_Level(np.column_stack([levels[-1].items[parent], last]), counts[keep], keys))
        if size == max_len or not len(keys):
            break
        occ_end, occ_last, occ_set = _occurrences(
            occ_end, occ_last, occ_set, indices, n_freq, keys, key_space
        )
    return freq_ids, levels


def _index_of(levels, items):
    """Row indices, in the level of their size, of frequent itemsets given as frequent-item indices."""
    index = items[:, 0]
    n_freq = len(levels[0].counts)
    for j in range(1, items.shape[1]):
        keys = levels[j].keys
        key = index * n_freq + items[:, j]
        index = np.searchsorted(keys, key)
        if np.any(index >= len(keys)) or np.any(keys[np.minimum(index, len(keys) - 1)] != key):
            raise AssertionError("a subset of a frequent itemset is not frequent")  # pragma: no cover
    return index


# ----------------------------------------------------------------------------------------------
# public API
# ----------------------------------------------------------------------------------------------
def association_rules(
    baskets: Iterable | scipy.sparse.sparray | scipy.sparse.spmatrix,
    min_support: float,
    min_confidence: float,
    max_len: int = 3,
    n_items: int | None = None,
) -> AssociationRules:
    """Every rule ``A -> C`` of the frequent itemsets of ``baskets`` with confidence >= ``min_confidence``.

    Frequent itemsets, formulas and thresholds as in the module docstring (equal to mlxtend
    0.25.0's ``fpgrowth`` + ``association_rules(metric="confidence")``).

    :param baskets: a sequence of baskets, each a collection (list, tuple, set, array) of
        non-negative whole-number item ids (an item twice in a basket counts once; empty baskets
        count in ``n``), or a ``scipy.sparse`` matrix baskets x items (any nonzero: present; the
        column index is the item id)
    :param min_support: smallest support of a frequent itemset, in (0, 1]
    :param min_confidence: smallest confidence of a rule, in [0, 1]
    :param max_len: largest itemset (antecedent ∪ consequent), at least 2
    :param n_items: the item ids' bound (ids must be below it; the columns of a sparse matrix);
        only checked, the rules do not depend on it
    :rtype: AssociationRules
    """
    min_support = _check_fraction("min_support", min_support, low_open=True)
    min_confidence = _check_fraction("min_confidence", min_confidence, low_open=False)
    max_len = _check_count("max_len", max_len, 2)
    if n_items is not None:
        n_items = _check_count("n_items", n_items, 0)
    indptr, items, n, bound = _baskets_csr(baskets, n_items)
    if n == 0:
        raise ValueError("no baskets: the supports are undefined")
    freq_ids, levels = _frequent_levels(indptr, items, n, bound, min_support, max_len)
    supports = [level.counts / n for level in levels]  # mlxtend: sup / float(num_itemsets)

    width = max(len(levels) - 1, 1)  # the longest antecedent or consequent
    parts = []  # (antecedent items, consequent items, sAC, sA, sC, confidence, count) per size and mask
    for size in range(2, len(levels) + 1):
        level = levels[size - 1]
        if not len(level.counts):
            continue
        s_ac = supports[size - 1]
        for mask in range(1, 2**size - 1):
            a_cols = [j for j in range(size) if mask >> j & 1]
            c_cols = [j for j in range(size) if not mask >> j & 1]
            a_items, c_items = level.items[:, a_cols], level.items[:, c_cols]
            s_a = supports[len(a_cols) - 1][_index_of(levels, a_items)]
            s_c = supports[len(c_cols) - 1][_index_of(levels, c_items)]
            confidence = (s_ac * n) / (s_a * n)  # mlxtend's (sAC * num_itemsets) / (sA * num_itemsets)
            keep = confidence >= min_confidence
            if np.any(keep):
                parts.append(
                    (
                        a_items[keep],
                        c_items[keep],
                        s_ac[keep],
                        s_a[keep],
                        s_c[keep],
                        confidence[keep],
                        level.counts[keep],
                    )
                )
    n_frequent = tuple(len(level.counts) for level in levels) + (0,) * (max_len - len(levels))
    if not parts:
        no_items, no_values = np.zeros((0, 1), dtype=np.int64), np.zeros(0)
        parts = [
            (no_items, no_items, no_values, no_values, no_values, no_values, np.zeros(0, dtype=np.int64))
        ]

    def padded(matrices):
        out = np.full((sum(len(m) for m in matrices), width), -1, dtype=np.int64)
        start = 0
        for m in matrices:
            out[start : start + len(m), : m.shape[1]] = freq_ids[m]
            start += len(m)
        return out

    antecedent, consequent = padded([p[0] for p in parts]), padded([p[1] for p in parts])
    s_ac, s_a, s_c, confidence, count = (np.concatenate([p[k] for p in parts]) for k in range(2, 7))
    # by antecedent then consequent, as tuples (the -1 padding sorts a tuple before its extensions)
    order = np.lexsort(
        [
            *(consequent[:, j] for j in reversed(range(width))),
            *(antecedent[:, j] for j in reversed(range(width))),
        ]
    )
    antecedent, consequent = antecedent[order], consequent[order]
    s_ac, s_a, s_c, confidence, count = s_ac[order], s_a[order], s_c[order], confidence[order], count[order]
    conviction = np.full(len(confidence), np.inf)
    below = confidence < 1.0
    conviction[below] = (1.0 - s_c[below]) / (1.0 - confidence[below])
    return AssociationRules(
        antecedents=_tuples(antecedent),
        consequents=_tuples(consequent),
        support=s_ac,
        confidence=confidence,
        lift=confidence / s_c,
        leverage=s_ac - s_a * s_c,
        conviction=conviction,
        antecedent_support=s_a,
        consequent_support=s_c,
        count=count.astype(np.int64),
        n_baskets=n,
        min_support=min_support,
        min_confidence=min_confidence,
        max_len=max_len,
        n_frequent=n_frequent,
    )


def _tuples(padded):
    """Object array of the tuples of the non-negative entries of each row."""
    rows = padded.tolist()
    return np.fromiter((tuple(v for v in row if v >= 0) for row in rows), dtype=object, count=len(rows))


def recommend(
    rules: AssociationRules,
    owned_items: ArrayLike,
    top_n: int | None = 10,
    score: str = "confidence_lift",
) -> Recommendations:
    """The items to recommend to a customer owning ``owned_items``, best first.

    A rule applies when its antecedent is a subset of ``owned_items``; it recommends each item of its
    consequent not owned (a rule whose consequent is owned entirely recommends nothing). An item's
    score is the best score of the rules recommending it (``rule_index``: the first such rule in
    ``rules``' order); items are ranked by decreasing score, equal scores by increasing item id.

    :param rules: :func:`association_rules`' result
    :param owned_items: the customer's item ids (non-negative whole numbers)
    :param top_n: how many items at most (None: all)
    :param score: ``"confidence_lift"`` (confidence x lift), ``"confidence"`` or ``"lift"``
    :rtype: Recommendations
    """
    if score not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}, got {score!r}")
    if top_n is not None:
        top_n = _check_count("top_n", top_n, 1)
    if not isinstance(owned_items, np.ndarray):
        if isinstance(owned_items, (str, bytes)) or not isinstance(owned_items, Iterable):
            raise ValueError(f"owned_items must be a collection of item ids, got {owned_items!r}")
        owned_items = list(owned_items)
    owned = _item_ids("owned_items", owned_items)
    rule_score = {
        "confidence_lift": rules.confidence * rules.lift,
        "confidence": rules.confidence,
        "lift": rules.lift,
    }[score]
    a_rule, a_items, c_rule, c_items = rules._flat_items
    missing = np.bincount(a_rule, weights=(~np.isin(a_items, owned)).astype(np.float64), minlength=len(rules))
    applies = missing == 0
    candidate = applies[c_rule] & ~np.isin(c_items, owned)
    items, rule = c_items[candidate], c_rule[candidate]
    scores = rule_score[rule]
    # best rule of each item: by item, decreasing score, first rule
    order = np.lexsort((rule, -scores, items))
    items, rule, scores = items[order], rule[order], scores[order]
    first = np.r_[True, items[1:] != items[:-1]] if len(items) else np.zeros(0, dtype=bool)
    items, rule, scores = items[first], rule[first], scores[first]
    ranked = np.lexsort((items, -scores))[:top_n]
    return Recommendations(
        items=items[ranked], scores=scores[ranked], rule_index=rule[ranked].astype(np.int64)
    )
