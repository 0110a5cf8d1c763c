"""segment_transitions: hand-computed counts and weights, entered and left customers."""

import numpy as np
import pytest

from crm_mining import segment_transitions


def test_hand_computed_matrix():
    # 1: a -> left; 2: a -> a; 3: b -> b; 4: c -> b; 5, 6: entered into a and c
    matrix = segment_transitions([1, 2, 3, 4], ["a", "a", "b", "c"],
                                 [6, 2, 3, 4, 5], ["c", "a", "b", "b", "a"], to_weights=[50, 10, 20, 30, 40])
    assert matrix.from_segments == ("a", "b", "c", None)
    assert matrix.to_segments == ("a", "b", "c", None)
    assert matrix.counts.tolist() == [
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 1, 0, 0],
        [1, 0, 1, 0],
    ]
    assert matrix.weights.tolist() == [
        [10.0, 0.0, 0.0, 0.0],
        [0.0, 20.0, 0.0, 0.0],
        [0.0, 30.0, 0.0, 0.0],
        [40.0, 0.0, 50.0, 0.0],
    ]
    assert matrix.counts.dtype == np.int64 and matrix.weights.dtype == np.float64
    assert matrix.as_rows() == [
        ("a", "a", 1, 10.0), ("a", None, 1, 0.0), ("b", "b", 1, 20.0), ("c", "b", 1, 30.0),
        (None, "a", 1, 40.0), (None, "c", 1, 50.0),
    ]


def test_int_labels_default_weights_and_unlabelled_customers():
    # customer 3 has no cluster in the old run (None): it entered; customer 4 has none in the new one
    matrix = segment_transitions(np.array([1, 2, 3, 4]), np.array([0, 2, None, 2], dtype=object),
                                 np.array([4, 3, 2, 1]), np.array([None, 0, 2, 2], dtype=object))
    assert matrix.from_segments == (0, 2, None)
    assert matrix.to_segments == (0, 2, None)
    assert matrix.as_rows() == [(0, 2, 1, 1.0), (2, 2, 1, 1.0), (2, None, 1, 0.0), (None, 0, 1, 1.0)]
    native = segment_transitions([1, 2], np.array([5, 7]), [1, 2], np.array([7, 7]))
    assert native.from_segments == (5, 7, None) and isinstance(native.from_segments[0], int)
    assert native.to_segments == (7, None)
    assert native.counts.tolist() == [[1, 0], [1, 0], [0, 0]]


def test_empty_sides():
    assert segment_transitions([], [], [], []).counts.tolist() == [[0]]
    left = segment_transitions([1, 2], ["a", "b"], [], [])
    assert left.as_rows() == [("a", None, 1, 0.0), ("b", None, 1, 0.0)]


def test_bad_input():
    with pytest.raises(ValueError, match="duplicates"):
        segment_transitions([1, 1], ["a", "b"], [1], ["a"])
    with pytest.raises(ValueError, match="same length"):
        segment_transitions([1, 2], ["a"], [1], ["a"])
    with pytest.raises(ValueError, match="same length"):
        segment_transitions([1], ["a"], [1], ["a"], to_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        segment_transitions([1], ["a"], [1], ["a"], to_weights=[np.nan])
