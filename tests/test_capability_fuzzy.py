"""Fuzzy comprehensive evaluation: the four operators by hand, missing data, memberships, scores."""

import numpy as np
import pytest

from crm_capability import (
    DEFAULT_GRADE_VALUES,
    OPERATORS,
    fuzzy_evaluate,
    grade_index,
    membership_from_ratings,
    membership_from_value,
    score,
)

NAN = np.nan

# one root (node 0) over three leaves with weights 0.5, 0.3, 0.2 and three grades
TREE = [-1, 0, 0, 0]
WEIGHTS = [1.0, 0.5, 0.3, 0.2]
R = np.array([
    [NAN, NAN, NAN],
    [0.6, 0.3, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.4, 0.5],
])


def test_operator_names():
    assert OPERATORS == ("M(*,+)", "M(^,v)", "M(^,+)", "M(*,v)")
    assert DEFAULT_GRADE_VALUES == (95.0, 85.0, 75.0, 65.0, 50.0)


@pytest.mark.parametrize(("operator", "raw"), [
    # b_j = sum_i w_i r_ij: .30 + .06 + .02, .15 + .15 + .08, .05 + .09 + .10
    ("M(*,+)", [0.38, 0.38, 0.24]),
    # b_j = max_i min(w_i, r_ij): max(.5, .2, .1), max(.3, .3, .2), max(.1, .3, .2)
    ("M(^,v)", [0.5, 0.3, 0.3]),
    # b_j = min(1, sum_i min(w_i, r_ij)): .5 + .2 + .1, .3 + .3 + .2, .1 + .3 + .2
    ("M(^,+)", [0.8, 0.8, 0.6]),
    # b_j = max_i w_i r_ij: max(.30, .06, .02), max(.15, .15, .08), max(.05, .09, .10)
    ("M(*,v)", [0.30, 0.15, 0.10]),
])
def test_operators_by_hand(operator, raw):
    plain = fuzzy_evaluate(TREE, WEIGHTS, R, operator=operator, normalize=False)
    np.testing.assert_allclose(plain.memberships[0], raw, rtol=1e-12)
    normalised = fuzzy_evaluate(TREE, WEIGHTS, R, operator=operator)
    np.testing.assert_allclose(normalised.memberships[0], np.array(raw) / sum(raw), rtol=1e-12)
    assert normalised.operator == operator
    np.testing.assert_array_equal(normalised.memberships[1:], R[1:])  # leaves kept
    assert normalised.available.tolist() == [True] * 4
    np.testing.assert_allclose(normalised.coverage, [1, 1, 1, 1])


def test_normalisation_of_m_min_max_by_hand():
    # (.5, .3, .3) / 1.1 = (5, 3, 3) / 11
    result = fuzzy_evaluate(TREE, WEIGHTS, R, operator="M(^,v)")
    np.testing.assert_allclose(result.memberships[0], [5 / 11, 3 / 11, 3 / 11])


def test_weights_are_renormalised_among_siblings():
    # weights 5, 3, 2 (sum 10) give the same as 0.5, 0.3, 0.2
    result = fuzzy_evaluate(TREE, [7.0, 5, 3, 2], R, normalize=False)
    np.testing.assert_allclose(result.memberships[0], [0.38, 0.38, 0.24])


def test_missing_leaf_renormalised_and_coverage():
    r = R.copy()
    r[2] = NAN  # the leaf of weight 0.3 has no data: weights .5 / .7 and .2 / .7
    result = fuzzy_evaluate(TREE, WEIGHTS, r)
    np.testing.assert_allclose(result.memberships[0], np.array([0.30 + 0.02, 0.15 + 0.08, 0.05 + 0.10]) / 0.7)
    assert result.available.tolist() == [True, True, False, True]
    np.testing.assert_allclose(result.coverage, [0.7, 1, 0, 1])
    assert np.isnan(result.memberships[2]).all()


def test_two_levels_coverage_and_unavailable_dimension():
    # 0 -> (1: 0.6, 2: 0.4); 1 -> (3: 0.5, 4: 0.5); 2 -> (5: 1.0); 6 -> (7) with 7 missing
    tree = [-1, 0, 0, 1, 1, 2, 0, 6]
    weights = [1, 0.6, 0.4, 0.5, 0.5, 1.0, 0.0, 1.0]
    weights[6] = 0.0  # node 6 has no weight: it never counts in the root's synthesis
    r = np.full((8, 2), NAN)
    r[3] = [1.0, 0.0]
    r[5] = [0.2, 0.8]
    result = fuzzy_evaluate(tree, weights, r, normalize=False)
    np.testing.assert_allclose(result.memberships[1], [1.0, 0.0])  # leaf 4 missing: leaf 3 alone
    np.testing.assert_allclose(result.memberships[2], [0.2, 0.8])
    # root: 0.6 x (1, 0) + 0.4 x (0.2, 0.8)
    np.testing.assert_allclose(result.memberships[0], [0.68, 0.32])
    # coverage: node 1 = 0.5, node 2 = 1, root = 0.6 x 0.5 + 0.4 x 1 (+ 0 x 0) = 0.7
    np.testing.assert_allclose(result.coverage, [0.7, 0.5, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    assert result.available.tolist() == [True, True, True, True, False, True, False, False]
    assert np.isnan(result.memberships[6]).all()


def test_nothing_available():
    r = np.full((4, 3), NAN)
    result = fuzzy_evaluate(TREE, WEIGHTS, r)
    assert not result.available.any()
    assert np.isnan(result.memberships).all()
    np.testing.assert_array_equal(result.coverage, [0, 0, 0, 0])


def test_node_order_does_not_matter():
    tree = np.array([-1, 0, 0, 1, 1, 2, 2])
    weights = np.array([1, 0.7, 0.3, 0.4, 0.6, 0.5, 0.5])
    rng = np.random.default_rng(1)
    r = rng.dirichlet(np.ones(4), size=7)
    r[4] = NAN
    reference = fuzzy_evaluate(tree, weights, r, operator="M(^,v)")
    perm = np.array([5, 3, 0, 6, 2, 4, 1])  # new node k is old node perm[k]; children before parents
    inverse = np.argsort(perm)
    shuffled_tree = np.where(tree[perm] >= 0, inverse[np.maximum(tree[perm], 0)], -1)
    result = fuzzy_evaluate(shuffled_tree, weights[perm], r[perm], operator="M(^,v)")
    np.testing.assert_allclose(result.memberships, reference.memberships[perm])
    np.testing.assert_allclose(result.coverage, reference.coverage[perm])
    np.testing.assert_array_equal(result.available, reference.available[perm])


def test_several_roots():
    tree = [-1, 0, -1, 2, 2]
    r = np.array([[NAN, NAN], [0.3, 0.7], [NAN, NAN], [1.0, 0.0], [0.0, 1.0]])
    result = fuzzy_evaluate(tree, [NAN, 1.0, NAN, 3.0, 1.0], r)  # root weights ignored (even NaN)
    np.testing.assert_allclose(result.memberships[0], [0.3, 0.7])
    np.testing.assert_allclose(result.memberships[2], [0.75, 0.25])


@pytest.mark.parametrize(("tree", "weights", "memberships", "message"), [
    ([-1, 0, 1, 2], [1, 1, 1, 1], np.ones((4, 2)) / 2, None),
    ([1, 2, 0], [1, 1, 1], np.ones((3, 2)) / 2, "tree has a cycle: node indices 0, 1, 2"),
    ([-1, 0, 3, 2], [1, 1, 1, 1], np.ones((4, 2)) / 2, "tree has a cycle: node indices 2, 3"),
    ([-1, 1], [1, 1], np.ones((2, 2)) / 2, "node index 1 is its own parent"),
    ([-1, 5], [1, 1], np.ones((2, 2)) / 2, "node index 1 has parent 5, which is not a node index"),
    ([-1, 0.5], [1, 1], np.ones((2, 2)) / 2, "whole numbers"),
    ([], [], np.ones((0, 2)), "at least one node"),
    ([-1, 0, 0], [1, 1], np.ones((3, 2)) / 2, r"one weight per node, shape \(3,\)"),
    ([-1, 0, 0], [1, -1, 1], np.ones((3, 2)) / 2, r"must not be negative \(node index 1\)"),
    ([-1, 0, 0], [1, 0, 0], np.ones((3, 2)) / 2, "children of node index 0 have weights summing to 0"),
    ([-1, 0, 0], [1, 1, 1], np.ones((2, 2)) / 2, r"one row per node \(3\)"),
    ([-1, 0, 0], [1, 1, 1], [[NAN, NAN], [0.5, NAN], [0.5, 0.5]], "leaf node index 1 are partly NaN"),
    ([-1, 0, 0], [1, 1, 1], [[NAN, NAN], [0.5, 0.5], [1.5, 0]], r"leaf node index 2 must lie in \[0, 1\]"),
    ([-1, 0], [1, 1], [[0, 0], [np.inf, 0]], "infinite"),
])
def test_bad_trees_and_inputs(tree, weights, memberships, message):
    if message is None:  # a chain is a valid tree
        assert fuzzy_evaluate(tree, weights, memberships).available.all()
        return
    with pytest.raises(ValueError, match=message):
        fuzzy_evaluate(tree, weights, memberships)


def test_unknown_operator():
    with pytest.raises(ValueError, match=r"operator must be one of M\(\*,\+\)"):
        fuzzy_evaluate(TREE, WEIGHTS, R, operator="max")


# --- memberships from ratings ----------------------------------------------------------------


def test_membership_from_ratings_by_hand():
    # 3 assessors x 3 items, 3 grades: item 1 rated 0, 1, 0; item 2 rated 2, -, 2; item 3 not rated
    ratings = [[0, 2, -1],
               [1, -1, -1],
               [0, 2, -1]]
    m = membership_from_ratings(ratings, n_grades=3)
    np.testing.assert_allclose(m[0], [2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(m[1], [0, 0, 1])
    assert np.isnan(m[2]).all()
    assert m.shape == (3, 3)


def test_membership_from_ratings_default_grades_and_nan():
    m = membership_from_ratings(np.array([[4.0, NAN], [3.0, 0.0]]))
    np.testing.assert_allclose(m, [[0, 0, 0, 0.5, 0.5], [1, 0, 0, 0, 0]])


@pytest.mark.parametrize(("ratings", "message"), [
    ([[0, 5]], "assessor 1 gave item 2 the rating 5, not a grade index 0..4"),
    ([[0, 1], [1.5, 0]], "assessor 2 gave item 1 the rating 1.5"),
    ([[0, -2]], "assessor 1 gave item 2 the rating -2"),
    ([0, 1], "two-dimensional"),
])
def test_membership_from_ratings_bad(ratings, message):
    with pytest.raises(ValueError, match=message):
        membership_from_ratings(ratings)


def test_membership_from_ratings_grades_checked():
    with pytest.raises(ValueError, match="n_grades must be a whole number of at least 2"):
        membership_from_ratings([[0]], n_grades=1)


# --- memberships from values -----------------------------------------------------------------


def test_triangular_lower_is_better():
    # hours to answer a ticket: peaks 2 (excellent), 4, 8, 16, 24 (very poor)
    m = membership_from_value([1, 2, 3, 6, 10, 24, 30, NAN], [2, 4, 8, 16, 24])
    np.testing.assert_allclose(m[:7], [
        [1, 0, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0.5, 0.5, 0, 0, 0],  # halfway from 2 to 4
        [0, 0.5, 0.5, 0, 0],  # halfway from 4 to 8
        [0, 0, 0.75, 0.25, 0],  # (16 - 10) / 8 = 0.75 fair
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1],  # beyond the last peak: shoulder
    ])
    assert np.isnan(m[7]).all()


def test_triangular_higher_is_better():
    m = membership_from_value([95, 90, 85, 72, 40], [90, 80, 70, 60, 50])
    np.testing.assert_allclose(m, [
        [1, 0, 0, 0, 0],
        [1, 0, 0, 0, 0],
        [0.5, 0.5, 0, 0, 0],
        [0, 0.2, 0.8, 0, 0],  # 72 = 70 + 0.2 x 10
        [0, 0, 0, 0, 1],
    ])


def test_trapezoidal_higher_is_better():
    plateaus = [[90, 100], [75, 85], [60, 70], [45, 55], [0, 40]]
    m = membership_from_value([87, 80, 72.5, 42, -5, 100], plateaus)
    np.testing.assert_allclose(m, [
        [0.4, 0.6, 0, 0, 0],  # (87 - 85) / 5
        [0, 1, 0, 0, 0],
        [0, 0.5, 0.5, 0, 0],  # halfway from 70 to 75
        [0, 0, 0, 0.4, 0.6],  # (45 - 42) / 5 very poor
        [0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0],
    ])


def test_trapezoidal_lower_is_better():
    m = membership_from_value([0.5, 1.5, 4, 5.5, 9], [[0, 1], [2, 3], [5, 6]])
    np.testing.assert_allclose(m, [[1, 0, 0], [0.5, 0.5, 0], [0, 0.5, 0.5], [0, 0, 1], [0, 0, 1]])


def test_triangular_is_trapezoidal_with_equal_ends():
    values = np.linspace(40, 100, 61)
    peaks = [90, 80, 70, 60, 50]
    np.testing.assert_allclose(membership_from_value(values, peaks),
                               membership_from_value(values, np.column_stack([peaks, peaks])))


def test_memberships_of_values_sum_to_one():
    values = np.linspace(-10, 110, 241)
    for breakpoints in ([90, 80, 70, 60, 50], [[90, 100], [75, 85], [60, 70], [45, 55], [0, 40]], [1, 5]):
        m = membership_from_value(values, breakpoints)
        np.testing.assert_allclose(m.sum(axis=1), 1.0)
        assert (m >= 0).all() and (m <= 1).all()


@pytest.mark.parametrize(("breakpoints", "message"), [
    ([90, 70, 80, 60, 50], "strictly monotonic"),
    ([90, 90, 70], "strictly monotonic"),
    ([[80, 100], [70, 85], [50, 60]], "strictly monotonic"),
    ([[80, 70], [60, 65]], r"plateau of grade 1 \[80, 70\] has its low end above its high end"),
    ([50], "G >= 2 grades"),
    (np.ones((3, 3)), "G >= 2 grades"),
    ([1, NAN, 3], "finite"),
])
def test_bad_breakpoints(breakpoints, message):
    with pytest.raises(ValueError, match=message):
        membership_from_value([1.0], breakpoints)


def test_infinite_values_refused():
    with pytest.raises(ValueError, match="infinite"):
        membership_from_value([np.inf], [1, 2])


# --- score and grade -------------------------------------------------------------------------


def test_score_by_hand():
    # 0.38 x 90 + 0.38 x 70 + 0.24 x 50 = 34.2 + 26.6 + 12
    assert score([0.38, 0.38, 0.24], [90, 70, 50]) == pytest.approx(72.8)
    # normalised first: (0.5, 0.3, 0.3) / 1.1 -> (450 + 210 + 150) / 11
    assert score([0.5, 0.3, 0.3], [90, 70, 50]) == pytest.approx(810 / 11)
    scores = score(np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0.5, 0.5], [NAN] * 5, [0] * 5]))
    np.testing.assert_allclose(scores[:2], [95.0, 57.5])
    assert np.isnan(scores[2]) and np.isnan(scores[3])
    assert isinstance(score([1, 0, 0, 0, 0]), float)


def test_grade_index():
    assert grade_index([0.1, 0.6, 0.3]) == 1
    assert grade_index([0.375, 0.375, 0.25]) == 0  # ties: the better grade
    assert grade_index([NAN, NAN, NAN]) == -1
    result = grade_index(np.array([[0.1, 0.2, 0.7], [NAN, NAN, NAN], [0, 0, 0], [0.5, 0.4, 0.1]]))
    assert result.tolist() == [2, -1, -1, 0]
    assert result.dtype == np.int64


def test_score_bad_inputs():
    with pytest.raises(ValueError, match=r"one value per grade \(3\), got 5"):
        score([0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="must not be negative"):
        score([-0.2, 0.7, 0.5], [3, 2, 1])
    with pytest.raises(ValueError, match="must not be negative"):
        grade_index([-0.2, 0.7, 0.5])
