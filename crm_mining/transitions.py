"""Segment migration between two labellings of the customers (a transition matrix).

The matrix counts the customers moving from each segment of an earlier run to each segment of the
current one: the empirical transition matrix of customer migration models (Pfeifer & Carraway
2000, "Modeling customer relationships as Markov chains", Journal of Interactive Marketing 14(2))
and of cluster monitoring (Spiliopoulou et al. 2006, MONIC). Customers present only in the new
labelling come *from* ``None`` (they entered); customers present only in the old one go *to*
``None`` (they left). A customer whose label is None in a labelling counts as absent from it.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_1d_float, as_ids, check_same_length, check_unique


@dataclasses.dataclass(frozen=True)
class TransitionMatrix:
    """Counts (and weights) of customers by (from segment, to segment).

    ``from_segments`` and ``to_segments`` are tuples of the sorted labels followed by ``None``
    (always present, last: entered customers in the rows, left customers in the columns).
    ``weights`` sums the ``to_weights`` of the customers of each cell (0 for the left ones).
    """

    from_segments: tuple
    to_segments: tuple
    counts: np.ndarray
    weights: np.ndarray

    def as_rows(self) -> list:
        """``[(from, to, count, weight), ...]`` of the non-empty cells, row by row."""
        i, j = np.nonzero(self.counts)
        return [
            (self.from_segments[a], self.to_segments[b], int(self.counts[a, b]), float(self.weights[a, b]))
            for a, b in zip(i.tolist(), j.tolist(), strict=True)
        ]


def _labelling(name, ids, labels):
    """Ids and labels of the labelled customers (a None label: not labelled)."""
    ids = as_ids(f"{name}_ids", ids)
    labels = np.asarray(labels)
    if labels.ndim != 1:
        labels = labels.reshape(-1)
    check_same_length(**{f"{name}_ids": ids, f"{name}_labels": labels})
    check_unique(f"{name}_ids", ids)
    present = np.not_equal(labels, None) if labels.dtype == object else np.ones(len(labels), dtype=bool)
    return ids, labels, present


def _codes(labels):
    """Sorted distinct labels (Python values) and the index of each label among them.

    Native arrays (ints) go through ``np.unique``; object arrays (strings, few distinct values)
    through a hash map, several times faster than sorting a million Python strings.
    """
    if labels.dtype != object:
        distinct, codes = np.unique(labels, return_inverse=True)
        return tuple(distinct.tolist()), codes.reshape(-1).astype(np.int64)
    values = labels.tolist()
    distinct = sorted(set(values))
    index = {value: i for i, value in enumerate(distinct)}
    return tuple(distinct), np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))


def segment_transitions(
    from_ids: ArrayLike,
    from_labels: ArrayLike,
    to_ids: ArrayLike,
    to_labels: ArrayLike,
    to_weights: ArrayLike | None = None,
) -> TransitionMatrix:
    """Transition matrix from the labelling ``(from_ids, from_labels)`` to ``(to_ids, to_labels)``.

    :param from_ids, from_labels: customers and their segment (int or str) in the earlier run
    :param to_ids, to_labels: the same for the current run
    :param to_weights: a value per customer of the current run (e.g. revenue); default 1
    :rtype: TransitionMatrix
    """
    f_ids, f_labels, f_present = _labelling("from", from_ids, from_labels)
    t_ids, t_labels, t_present = _labelling("to", to_ids, to_labels)
    weights = np.ones(len(t_ids)) if to_weights is None else as_1d_float("to_weights", to_weights)
    check_same_length(to_ids=t_ids, to_weights=weights)
    f_ids, f_labels = f_ids[f_present], f_labels[f_present]
    t_ids, t_labels, weights = t_ids[t_present], t_labels[t_present], weights[t_present]
    from_segments, f_codes = _codes(f_labels)
    to_segments, t_codes = _codes(t_labels)
    n_from, n_to = len(from_segments) + 1, len(to_segments) + 1
    everyone = np.sort(np.concatenate([f_ids, t_ids]))  # their union (np.union1d hashes: slower)
    everyone = everyone[np.r_[True, everyone[1:] != everyone[:-1]][: len(everyone)]]
    row = np.full(len(everyone), n_from - 1, dtype=np.int64)  # None: entered
    col = np.full(len(everyone), n_to - 1, dtype=np.int64)  # None: left
    cell_weight = np.zeros(len(everyone))
    row[np.searchsorted(everyone, f_ids)] = f_codes
    at = np.searchsorted(everyone, t_ids)
    col[at] = t_codes
    cell_weight[at] = weights
    cell = row * n_to + col
    counts = np.bincount(cell, minlength=n_from * n_to).reshape(n_from, n_to).astype(np.int64)
    sums = np.bincount(cell, weights=cell_weight, minlength=n_from * n_to).reshape(n_from, n_to)
    return TransitionMatrix((*from_segments, None), (*to_segments, None), counts, sums)
