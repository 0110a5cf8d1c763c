"""AHP: Saaty's published example, ahpy as reference, Harker completion, worst pair, group judgments."""

import itertools
import warnings

import numpy as np
import pytest

from crm_capability import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    SAATY_SCALE,
    aggregate_judgments,
    ahp_priorities,
    saaty_round,
)

NAN = np.nan

# Saaty 2008, "Decision making with the analytic hierarchy process", International Journal of Services
# Sciences 1(1), 83-98: relative consumption of drinks in the United States (coffee, wine, tea, beer,
# soda, milk, water), as reproduced in the ahpy 2.1 README. Published: priorities 0.177, 0.019,
# 0.042, 0.116, 0.190, 0.129, 0.327 and C.R. = 0.022.
DRINKS_UPPER = {
    (0, 1): 9, (0, 2): 5, (0, 3): 2, (0, 4): 1, (0, 5): 1, (0, 6): 1 / 2,
    (1, 2): 1 / 3, (1, 3): 1 / 9, (1, 4): 1 / 9, (1, 5): 1 / 9, (1, 6): 1 / 9,
    (2, 3): 1 / 3, (2, 4): 1 / 4, (2, 5): 1 / 3, (2, 6): 1 / 9,
    (3, 4): 1 / 2, (3, 5): 1, (3, 6): 1 / 3,
    (4, 5): 2, (4, 6): 1 / 2,
    (5, 6): 1 / 3,
}
DRINKS_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]

# ahpy 2.1's 'saaty' random index (Saaty 2005, Theory and Applications of the ANP, p. 31): ahpy's CR
# is CI / this value, so its CI is recovered as CR x this value and compared with ours
AHPY_SAATY_RI = {3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45}


def from_upper(n, upper):
    """A reciprocal matrix from its upper-triangle judgments {(i, j): a_ij} (others NaN)."""
    a = np.full((n, n), NAN)
    np.fill_diagonal(a, 1.0)
    for (i, j), value in upper.items():
        a[i, j], a[j, i] = value, 1.0 / value
    return a


def consistent(weights):
    w = np.asarray(weights, dtype=float)
    return w[:, None] / w[None, :]


def random_reciprocal(rng, n):
    a = np.ones((n, n))
    for i, j in itertools.combinations(range(n), 2):
        a[i, j] = rng.choice(SAATY_SCALE)
        a[j, i] = 1.0 / a[i, j]
    return a


def ahpy_compare(a):
    """ahpy weights (our element order) and its consistency ratio of the given judgments of ``a``."""
    ahpy = pytest.importorskip("ahpy")
    n = len(a)
    comparisons = {(f"e{i}", f"e{j}"): float(a[i, j])
                   for i, j in itertools.combinations(range(n), 2) if not np.isnan(a[i, j])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ahpy.Compare("ref", comparisons, precision=10, random_index="saaty")
    return np.array([ref.local_weights[f"e{i}"] for i in range(n)]), ref.consistency_ratio


# --- published example -----------------------------------------------------------------------


def test_saaty_2008_drinks_example():
    result = ahp_priorities(from_upper(7, DRINKS_UPPER))
    assert np.round(result.weights, 3).tolist() == DRINKS_PRIORITIES
    assert round(result.cr, 3) == 0.022
    assert result.consistent
    assert result.n == 7
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)
    assert result.cr == pytest.approx(result.ci / 1.32)
    assert not result.completed.any()


def test_ahpy_readme_leader_example():
    # ahpy 2.1 README, "Choosing a leader" (inputs from Wikipedia's AHP leader example): the criteria
    # experience, education, charisma, age -> local weights 0.548, 0.127, 0.27, 0.056; experience of
    # Moll, Nell, Sue -> 0.217, 0.717, 0.066
    criteria = from_upper(4, {(0, 1): 4, (0, 2): 3, (0, 3): 7, (1, 2): 1 / 3, (1, 3): 3, (2, 3): 5})
    assert np.round(ahp_priorities(criteria).weights, 3).tolist() == [0.548, 0.127, 0.270, 0.056]
    experience = from_upper(3, {(0, 1): 1 / 4, (0, 2): 4, (1, 2): 9})
    assert np.round(ahp_priorities(experience).weights, 3).tolist() == [0.217, 0.717, 0.066]


def test_random_index_is_saatys_table():
    # Saaty 1980 / R. W. Saaty 1987 (n = 1..10), Saaty 1980 (n = 11..15)
    assert RANDOM_INDEX == {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                            10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
    assert CR_THRESHOLD == 0.10


@pytest.mark.parametrize("n", range(3, 16))
def test_cr_uses_the_random_index_of_n(n):
    rng = np.random.default_rng(200 + n)
    result = ahp_priorities(random_reciprocal(rng, n))
    assert result.cr == pytest.approx(result.ci / RANDOM_INDEX[n], rel=1e-12)
    assert result.ci > 0


# --- against ahpy ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(3, 10))
def test_random_matrices_match_ahpy(n):
    rng = np.random.default_rng(n)
    for _ in range(4):
        a = random_reciprocal(rng, n)
        weights, ahpy_cr = ahpy_compare(a)
        result = ahp_priorities(a)
        np.testing.assert_allclose(result.weights, weights, atol=1e-8)
        # same lambda_max / CI, different random index tables: compare the CI
        assert result.ci == pytest.approx(ahpy_cr * AHPY_SAATY_RI[n], abs=1e-8)
        assert result.cr == pytest.approx(ahpy_cr * AHPY_SAATY_RI[n] / RANDOM_INDEX[n], abs=1e-8)
        assert result.consistent == (result.cr <= 0.10)


@pytest.mark.parametrize("n", range(4, 10))
def test_incomplete_consistent_matrices_match_ahpy(n):
    # ahpy completes missing judgments by Bozoki, Fulop & Ronyai 2010 (the completion minimising
    # lambda_max); for judgments that admit a consistent completion it coincides with Harker's
    rng = np.random.default_rng(20 + n)
    truth = rng.uniform(1, 3, n)
    a = consistent(truth)
    pairs = list(itertools.combinations(range(n), 2))
    for k in rng.choice(len(pairs), size=n - 2, replace=False):
        i, j = pairs[k]
        a[i, j] = a[j, i] = NAN
    weights, _ = ahpy_compare(a)
    result = ahp_priorities(a)
    np.testing.assert_allclose(result.weights, truth / truth.sum(), rtol=1e-9)
    np.testing.assert_allclose(result.weights, weights, atol=1e-4)  # ahpy's tolerance 1e-4


@pytest.mark.parametrize("n", range(4, 10))
def test_incomplete_inconsistent_matrices_close_to_ahpy(n):
    # Harker's completion and the lambda_max-optimal one differ slightly on inconsistent judgments
    rng = np.random.default_rng(40 + n)
    truth = rng.uniform(1, 4, n)
    a = consistent(truth)
    iu = np.triu_indices(n, k=1)
    a[iu] = np.clip(a[iu] * np.exp(rng.normal(0, 0.15, len(iu[0]))), 1 / 9, 9)
    a.T[iu] = 1 / a[iu]
    pairs = list(zip(*iu, strict=True))
    for k in rng.choice(len(pairs), size=n // 2, replace=False):
        i, j = pairs[k]
        a[i, j] = a[j, i] = NAN
    weights, _ = ahpy_compare(a)
    np.testing.assert_allclose(ahp_priorities(a).weights, weights, atol=3e-3)


def test_bozoki_example_from_ahpy_readme_by_harker():
    # ahpy README "Missing pairwise comparisons": (c, d) removed; ahpy (optimal completion) gives
    # b 0.392, a 0.3738, d 0.1357, c 0.0985 and a_cd = 0.7303
    a = np.array([[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, NAN], [1 / 2, 1 / 4, NAN, 1]])
    result = ahp_priorities(a)
    np.testing.assert_allclose(result.weights, [0.3738, 0.392, 0.0985, 0.1357], atol=1e-3)
    assert result.matrix[2, 3] == pytest.approx(0.7303, abs=0.02)
    # Harker: the completed matrix has the Harker weights as its Perron vector, a_cd = w_c / w_d
    assert result.matrix[2, 3] == pytest.approx(result.weights[2] / result.weights[3])
    assert result.matrix[3, 2] == pytest.approx(1 / result.matrix[2, 3])
    np.testing.assert_allclose(result.matrix @ result.weights, result.lambda_max * result.weights, rtol=1e-10)
    assert result.completed.tolist() == [[False] * 4, [False] * 4, [False, False, False, True],
                                         [False, False, True, False]]


def test_harker_matrix_by_hand():
    # 3 elements, a_12 = 2, a_23 = 3, a_13 missing: C = [[2, 2, 0], [1/2, 1, 3], [0, 1/3, 2]]; the
    # judgments form a tree, so Harker's completion is consistent: w = (6, 3, 1) / 10, a_13 = 6
    a = from_upper(3, {(0, 1): 2, (1, 2): 3})
    result = ahp_priorities(a)
    np.testing.assert_allclose(result.weights, [0.6, 0.3, 0.1], rtol=1e-12)
    assert result.matrix[0, 2] == pytest.approx(6.0)
    assert result.lambda_max == pytest.approx(3.0)
    harker = np.array([[2, 2, 0], [1 / 2, 1, 3], [0, 1 / 3, 2]])
    np.testing.assert_allclose(harker @ result.weights, 3.0 * result.weights)


# --- consistency, worst pair -----------------------------------------------------------------


def test_perfectly_consistent_matrix():
    a = consistent([8, 4, 2, 1])
    result = ahp_priorities(a)
    np.testing.assert_allclose(result.weights, [8 / 15, 4 / 15, 2 / 15, 1 / 15], rtol=1e-12)
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.ci == pytest.approx(0.0, abs=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.consistent
    assert result.worst_pair is None
    assert np.isnan(result.worst_value) and np.isnan(result.suggested_value)
    np.testing.assert_array_equal(result.matrix, a)


def test_reversed_judgment_is_the_worst_pair_and_its_suggestion_repairs_it():
    # w = (6, 3, 2, 1): a_13 = 3 entered the wrong way round (1/3)
    a = consistent([6, 3, 2, 1])
    a[0, 2], a[2, 0] = 1 / 3, 3
    result = ahp_priorities(a)
    assert result.cr > 0.10 and not result.consistent
    assert result.worst_pair == (0, 2)
    assert result.worst_value == pytest.approx(1 / 3)
    assert result.suggested_value in SAATY_SCALE
    assert result.suggested_value == 1.0  # saaty_round(w_1 / w_3) of the current weights
    repaired = a.copy()
    repaired[0, 2], repaired[2, 0] = result.suggested_value, 1 / result.suggested_value
    after = ahp_priorities(repaired)
    assert after.cr <= 0.10 and after.consistent
    assert after.cr < result.cr


def test_worst_pair_in_the_lower_triangle_is_reported_upper():
    a = consistent([6, 3, 2, 1])
    a[1, 3], a[3, 1] = 1 / 3, 3  # a_24 = 3 reversed
    result = ahp_priorities(a)
    assert result.worst_pair == (1, 3)
    assert result.worst_value == pytest.approx(1 / 3)


def test_worst_pair_is_the_best_single_revision():
    rng = np.random.default_rng(5)
    a = random_reciprocal(rng, 5)
    result = ahp_priorities(a)
    assert result.cr > 0.10
    crs = {}
    for i, j in itertools.combinations(range(5), 2):
        revised = a.copy()
        revised[i, j] = saaty_round(result.weights[i] / result.weights[j])
        revised[j, i] = 1 / revised[i, j]
        crs[i, j] = ahp_priorities(revised).cr
    assert result.worst_pair == min(crs, key=crs.get)
    assert crs[result.worst_pair] < result.cr


def test_small_matrices_are_consistent():
    one = ahp_priorities([[1.0]])
    assert one.weights.tolist() == [1.0] and one.cr == 0.0 and one.ci == 0.0 and one.worst_pair is None
    two = ahp_priorities([[1, 3], [1 / 3, 1]])
    np.testing.assert_allclose(two.weights, [0.75, 0.25])
    assert two.cr == 0.0 and two.lambda_max == pytest.approx(2.0) and two.worst_pair is None


def test_threshold():
    a = consistent([6, 3, 2, 1])
    a[0, 2], a[2, 0] = 1 / 3, 3
    cr = ahp_priorities(a).cr
    assert ahp_priorities(a, threshold=cr).consistent
    assert not ahp_priorities(a, threshold=cr * 0.99).consistent


# --- incomplete judgments --------------------------------------------------------------------


def test_incomplete_consistent_matrix_completes_to_the_original():
    a = consistent([9, 6, 3, 2, 1])
    b = a.copy()
    for i, j in ((0, 4), (1, 3), (2, 4), (0, 2)):
        b[i, j] = b[j, i] = NAN
    result = ahp_priorities(b)
    np.testing.assert_allclose(result.matrix, a, rtol=1e-10)
    np.testing.assert_allclose(result.weights, np.array([9, 6, 3, 2, 1]) / 21, rtol=1e-10)
    assert result.cr == pytest.approx(0.0, abs=1e-10)
    assert result.completed.sum() == 8
    assert result.completed[0, 4] and result.completed[4, 0] and not result.completed[0, 1]


def test_one_side_of_a_pair_is_enough():
    a = consistent([4, 2, 1])
    b = a.copy()
    b[1, 0] = b[2, 0] = b[2, 1] = NAN  # only the upper triangle given
    result = ahp_priorities(b)
    np.testing.assert_allclose(result.matrix, a)
    assert not result.completed.any()
    c = a.copy()
    c[0, 1] = NAN  # a_21 given, a_12 missing
    np.testing.assert_allclose(ahp_priorities(c).matrix, a)


def test_disconnected_judgments_raise():
    a = from_upper(4, {(0, 1): 2, (2, 3): 3})
    with pytest.raises(ValueError, match=r"judgments do not connect all elements.*\{1, 2\}; \{3, 4\}.*"
                                         r"compare element 3 with the others"):
        ahp_priorities(a)
    with pytest.raises(ValueError, match="compare element 2 with the others"):
        ahp_priorities([[1, NAN], [NAN, 1]])


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1, 2, 3], [1 / 2, 1, 4]], r"must be a square \(n x n\) judgment matrix, got shape \(2, 3\)"),
    ([1, 2, 3], r"must be a square .*got shape \(3,\)"),
    (np.ones((0, 0)), "must compare at least one element"),
    ([[1, -2], [-1 / 2, 1]], r"row 1, column 2: -2 is not positive"),
    ([[1, 0], [NAN, 1]], r"row 1, column 2: 0 is not positive"),
    ([[1, 2], [1 / 2, 2]], r"row 2, column 2: 2 is on the diagonal and must be 1"),
    ([[1, 3, 2], [1 / 3, 1, 2], [1 / 2, 2, 1]],
     r"row 2, column 3 \(2\) and row 3, column 2 \(2\) are not reciprocal: row 3, column 2 must be 1/2"),
    ([[1, 12], [1 / 12, 1]], r"row 1, column 2: 12 is outside the judgment scale \[1/9, 9\]"),
    ([[1, 1 / 10], [10, 1]], r"row 1, column 2: 1/10 is outside the judgment scale"),
    ([[1, np.inf], [0, 1]], r"row 1, column 2: inf is infinite"),
    (np.ones((16, 16)), r"at most 15 elements .*got n = 16"),
])
def test_bad_matrices_raise(matrix, message):
    with pytest.raises(ValueError, match=message):
        ahp_priorities(matrix)


def test_scale_bounds_and_threshold_are_checked():
    wide = ahp_priorities([[1, 12], [1 / 12, 1]], scale_bounds=(1 / 20, 20))
    assert wide.weights[0] == pytest.approx(12 / 13)
    with pytest.raises(ValueError, match=r"outside the judgment scale \[1/5, 5\]"):
        ahp_priorities([[1, 7], [1 / 7, 1]], scale_bounds=(1 / 5, 5))
    with pytest.raises(ValueError, match="scale_bounds must satisfy"):
        ahp_priorities([[1.0]], scale_bounds=(2, 9))
    with pytest.raises(ValueError, match="threshold must be"):
        ahp_priorities([[1.0]], threshold=-0.1)


def test_suggestions_stay_inside_narrow_scale_bounds():
    a = consistent([6, 3, 2, 1])
    a[0, 3], a[3, 0] = 1 / 5, 5
    result = ahp_priorities(a, scale_bounds=(1 / 5, 5))
    assert result.worst_pair == (0, 3)
    assert 1 / 5 <= result.suggested_value <= 5


# --- saaty_round -----------------------------------------------------------------------------


def test_saaty_scale():
    assert len(SAATY_SCALE) == 17
    assert list(SAATY_SCALE) == sorted(SAATY_SCALE)
    assert SAATY_SCALE[0] == pytest.approx(1 / 9) and SAATY_SCALE[8] == 1.0 and SAATY_SCALE[-1] == 9.0
    assert all(isinstance(value, float) for value in SAATY_SCALE)


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, 1.0), (1.4, 1.0), (1.5, 2.0), (2.4, 2.0), (2.5, 3.0), (7.4, 7.0), (8.6, 9.0), (100.0, 9.0),
    (0.3, 1 / 3), (0.72, 1.0), (0.7, 1 / 2), (0.001, 1 / 9), (1 / 7, 1 / 7),
])
def test_saaty_round(value, expected):
    assert saaty_round(value) == pytest.approx(expected)


def test_saaty_round_commutes_with_reciprocals():
    for value in np.geomspace(0.05, 20, 301):
        assert saaty_round(1 / value) == pytest.approx(1 / saaty_round(value))


def test_saaty_round_refuses_non_ratios():
    for bad in (0, -1, np.nan, np.inf):
        with pytest.raises(ValueError, match="positive finite ratio"):
            saaty_round(bad)


# --- aggregate_judgments ---------------------------------------------------------------------


def test_geometric_mean_of_two_assessors_by_hand():
    first = from_upper(3, {(0, 1): 2, (0, 2): 3, (1, 2): 1 / 2})
    second = from_upper(3, {(0, 1): 8, (0, 2): 1 / 3, (1, 2): 2})
    mean = aggregate_judgments([first, second])
    # sqrt(2 x 8) = 4, sqrt(3 x 1/3) = 1, sqrt(1/2 x 2) = 1
    expected = from_upper(3, {(0, 1): 4, (0, 2): 1, (1, 2): 1})
    np.testing.assert_allclose(mean, expected, rtol=1e-12)
    np.testing.assert_allclose(mean * mean.T, np.ones((3, 3)), rtol=1e-12)  # reciprocal


def test_weighted_geometric_mean():
    first, second = from_upper(2, {(0, 1): 2}), from_upper(2, {(0, 1): 8})
    # exp((3 ln 2 + 1 ln 8) / 4) = 2^(6/4)
    mean = aggregate_judgments([first, second], weights=[3, 1])
    assert mean[0, 1] == pytest.approx(2 ** 1.5)
    assert mean[1, 0] == pytest.approx(2 ** -1.5)
    assert aggregate_judgments([first, second], weights=[1, 0])[0, 1] == pytest.approx(2.0)
    assert aggregate_judgments([first, second], weights=[0.5, 0.5])[0, 1] == pytest.approx(4.0)


def test_aggregate_is_nan_aware():
    first = from_upper(3, {(0, 1): 2, (1, 2): 3})  # a_13 missing
    second = from_upper(3, {(0, 1): 8, (0, 2): 5})  # a_23 missing
    third = np.array([[1, NAN, NAN], [NAN, 1, NAN], [1 / 5, NAN, 1]])  # only a_31 = 1/5 given
    mean = aggregate_judgments([first, second, third])
    assert mean[0, 1] == pytest.approx(4.0)  # first and second
    assert mean[0, 2] == pytest.approx(5.0)  # second and third (from a_31)
    assert mean[1, 2] == pytest.approx(3.0)  # first only
    assert mean[2, 1] == pytest.approx(1 / 3)
    nobody = aggregate_judgments([first, from_upper(3, {(0, 1): 2})])
    assert np.isnan(nobody[0, 2]) and np.isnan(nobody[2, 0])
    np.testing.assert_array_equal(np.diag(nobody), [1, 1, 1])


def test_aggregated_consistent_judgments_stay_consistent():
    # the geometric mean of consistent matrices is the consistent matrix of the geometric mean weights
    first, second = consistent([4, 2, 1]), consistent([4, 0.5, 1])
    result = ahp_priorities(aggregate_judgments(np.stack([first, second])))
    np.testing.assert_allclose(result.weights, [4 / 6, 1 / 6, 1 / 6], rtol=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_single_matrix_aggregates_to_itself():
    a = from_upper(3, {(0, 1): 2, (1, 2): 3})
    np.testing.assert_allclose(aggregate_judgments(a), a)
    np.testing.assert_allclose(aggregate_judgments(a.tolist()), a)


@pytest.mark.parametrize(("matrices", "weights", "message"), [
    ([], None, "at least one judgment matrix"),
    ([np.ones((2, 2)), np.ones((3, 3))], None, "same shape"),
    ([np.ones((2, 2)), [[1, 2], [1, 1]]], None,
     r"judgment matrix 2 of 2, row 1, column 2 \(2\) and row 2, column 1 \(1\) are not reciprocal"),
    ([np.ones((2, 2)), [[1, -1], [1, 1]]], None,
     "judgment matrix 2 of 2, row 1, column 2: -1 is not positive"),
    ([np.ones((2, 2)), np.ones((2, 2))], [1], r"one weight per matrix \(2\)"),
    ([np.ones((2, 2)), np.ones((2, 2))], [1, -1], "non-negative"),
    ([np.ones((2, 2)), np.ones((2, 2))], [0, 0], "not all 0"),
])
def test_aggregate_bad_inputs(matrices, weights, message):
    with pytest.raises(ValueError, match=message):
        aggregate_judgments(matrices, weights)
