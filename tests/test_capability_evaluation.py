"""evaluate_capability: a two-level tree by hand, weight sources, assessors' judgments aggregated."""

import numpy as np
import pytest

from crm_capability import WEIGHT_SOURCES, evaluate_capability

NAN = np.nan

# root 0 -> dimensions 1, 2; 1 -> leaves 3, 4; 2 -> leaves 5, 6 (five grades, best first)
TREE = [-1, 0, 0, 1, 1, 2, 2]
LEAVES = np.full((7, 5), NAN)
LEAVES[3] = [0.5, 0.5, 0, 0, 0]
LEAVES[4] = [0, 0, 1, 0, 0]
LEAVES[5] = [0.2, 0.4, 0.4, 0, 0]
LEAVES[6] = [0, 0, 0.2, 0.4, 0.4]


def test_two_level_tree_by_hand():
    # node 1: one assessor, leaf 3 three times as important as leaf 4 -> 0.75, 0.25 (AHP)
    # root: default weights 2 : 1 -> 2/3, 1/3 (given); node 2: no default weight -> 0.5, 0.5 (equal)
    result = evaluate_capability(
        TREE, LEAVES, judgments={1: [[[1, 3], [1 / 3, 1]]]},
        default_weights=[NAN, 2, 1, 1, 1, NAN, NAN])
    np.testing.assert_allclose(result.local_weights, [1, 2 / 3, 1 / 3, 0.75, 0.25, 0.5, 0.5])
    np.testing.assert_allclose(result.global_weights, [1, 2 / 3, 1 / 3, 0.5, 1 / 6, 1 / 6, 1 / 6])
    assert result.weight_source.tolist() == ["given", "ahp", "equal", None, None, None, None]
    # node 1 = 0.75 x (.5, .5, 0, 0, 0) + 0.25 x (0, 0, 1, 0, 0)
    np.testing.assert_allclose(result.memberships[1], [0.375, 0.375, 0.25, 0, 0])
    # node 2 = 0.5 x (.2, .4, .4, 0, 0) + 0.5 x (0, 0, .2, .4, .4)
    np.testing.assert_allclose(result.memberships[2], [0.1, 0.2, 0.3, 0.2, 0.2])
    # root = 2/3 x node 1 + 1/3 x node 2
    np.testing.assert_allclose(result.memberships[0], [0.25 + 0.1 / 3, 0.25 + 0.2 / 3, 0.5 / 3 + 0.1,
                                                       0.2 / 3, 0.2 / 3])
    # scores with 95, 85, 75, 65, 50: node 1 = 35.625 + 31.875 + 18.75; node 2 = 9.5 + 17 + 22.5 + 13 + 10
    np.testing.assert_allclose(result.scores[:3], [2 / 3 * 86.25 + 1 / 3 * 72, 86.25, 72.0])
    assert result.scores[0] == pytest.approx(81.5)
    np.testing.assert_allclose(result.scores[3:], [90, 75, 83, 61])  # leaf 6: 15 + 26 + 20
    assert result.grades.tolist() == [1, 0, 2, 0, 2, 1, 3]  # ties go to the better grade (node 1, 5)
    assert result.available.all()
    np.testing.assert_allclose(result.coverage, 1.0)
    # consistency of the judged node only; two children: CR 0
    assert result.cr[1] == 0.0 and result.lambda_max[1] == pytest.approx(2.0)
    assert np.isnan(result.cr[[0, 2, 3, 4, 5, 6]]).all() and np.isnan(result.lambda_max[0])
    assert result.consistent.all()
    assert result.worst_pair == [None] * 7
    assert np.isnan(result.suggested_value).all()
    assert result.operator == "M(*,+)" and result.grade_values == (95.0, 85.0, 75.0, 65.0, 50.0)
    assert set(result.ahp) == {1}
    np.testing.assert_allclose(result.ahp[1].weights, [0.75, 0.25])


def test_equal_weights_without_judgments_or_defaults():
    result = evaluate_capability(TREE, LEAVES)
    np.testing.assert_allclose(result.local_weights, [1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    np.testing.assert_allclose(result.global_weights, [1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25])
    assert result.weight_source.tolist() == ["equal", "equal", "equal", None, None, None, None]
    # node 1 = (.25, .25, .5, 0, 0) -> 0.25 x 95 + 0.25 x 85 + 0.5 x 75 = 82.5; root = (82.5 + 72) / 2
    assert result.scores[0] == pytest.approx((82.5 + 72) / 2)


def test_empty_judgment_list_falls_back_to_default_weights():
    result = evaluate_capability(TREE, LEAVES, judgments={1: []}, default_weights=[1, 1, 1, 3, 1, 1, 1])
    assert result.weight_source[1] == "given" and np.isnan(result.cr[1]) and result.ahp == {}
    np.testing.assert_allclose(result.local_weights[[3, 4]], [0.75, 0.25])


def test_default_weights_renormalised_among_siblings():
    result = evaluate_capability(TREE, LEAVES, default_weights=[5, 3, 1, 1, 3, 2, 2])
    np.testing.assert_allclose(result.local_weights, [1, 0.75, 0.25, 0.25, 0.75, 0.5, 0.5])
    assert result.weight_source.tolist()[:3] == ["given", "given", "given"]
    # a sibling group summing to 0 falls back to equal weights
    zero = evaluate_capability(TREE, LEAVES, default_weights=[1, 1, 1, 0, 0, 2, 1])
    assert zero.weight_source.tolist()[:3] == ["given", "equal", "given"]
    np.testing.assert_allclose(zero.local_weights[3:], [0.5, 0.5, 2 / 3, 1 / 3])


def test_judgments_of_two_assessors_are_aggregated():
    # root 0 over leaves 1, 2, 3; assessor A: a12 2, a13 4, a23 2 (w ~ 4, 2, 1);
    # assessor B: a12 8, a13 4, a23 1/2 (w ~ 4, 1/2, 1); geometric mean: a12 4, a13 4, a23 1 -> (4, 1, 1) / 6
    first = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    second = [[1, 8, 4], [1 / 8, 1, 1 / 2], [1 / 4, 2, 1]]
    leaves = np.array([[NAN, NAN], [1, 0], [0, 1], [0.5, 0.5]])
    result = evaluate_capability([-1, 0, 0, 0], leaves, judgments={0: [first, second]}, grade_values=(100, 0))
    np.testing.assert_allclose(result.local_weights, [1, 4 / 6, 1 / 6, 1 / 6], rtol=1e-12)
    assert result.weight_source.tolist() == ["ahp", None, None, None]
    assert result.cr[0] == pytest.approx(0.0, abs=1e-12) and result.consistent[0]
    np.testing.assert_allclose(result.ahp[0].matrix, [[1, 4, 4], [1 / 4, 1, 1], [1 / 4, 1, 1]])
    # root = 4/6 (1, 0) + 1/6 (0, 1) + 1/6 (.5, .5) = (0.75, 0.25) -> score 75
    np.testing.assert_allclose(result.memberships[0], [0.75, 0.25])
    assert result.scores[0] == pytest.approx(75.0)


def test_worst_pair_mapped_to_child_node_indices():
    # root 4 over children 0, 2, 5, 6 (in this order) with w ~ 6, 3, 2, 1 and a_{0,5} reversed
    tree = [4, 4, 1, 1, -1, 4, 4]
    w = np.array([6, 3, 2, 1.0])
    a = w[:, None] / w[None, :]
    a[0, 2], a[2, 0] = 1 / 3, 3
    leaves = np.full((7, 2), NAN)
    leaves[[0, 2, 3, 5, 6]] = [[1, 0], [0, 1], [1, 0], [0.5, 0.5], [0, 1]]
    result = evaluate_capability(tree, leaves, judgments={4: [a]}, grade_values=(1, 0))
    assert result.worst_pair[4] == (0, 5)
    assert result.worst_value[4] == pytest.approx(1 / 3)
    assert result.suggested_value[4] == 1.0
    assert not result.consistent[4] and result.cr[4] > 0.1
    assert result.cr[4] == result.ahp[4].cr
    assert result.weight_source[4] == "ahp" and result.weight_source[1] == "equal"
    assert [result.worst_pair[i] for i in (0, 1, 2, 3, 5, 6)] == [None] * 6
    np.testing.assert_allclose(result.local_weights[[0, 1, 5, 6]], result.ahp[4].weights)
    # node 1 (children 2, 3, no judgments, no default weights): equal weights
    np.testing.assert_allclose(result.local_weights[[2, 3]], [0.5, 0.5])


def test_missing_leaves_lower_the_coverage():
    leaves = LEAVES.copy()
    leaves[4] = NAN
    result = evaluate_capability(TREE, leaves, default_weights=[1, 1, 1, 3, 1, 1, 1])
    np.testing.assert_allclose(result.memberships[1], LEAVES[3])  # leaf 3 alone
    np.testing.assert_allclose(result.coverage, [0.5 * 0.75 + 0.5, 0.75, 1, 1, 0, 1, 1])
    assert not result.available[4] and np.isnan(result.scores[4]) and result.grades[4] == -1


def test_other_operator_and_grade_values():
    result = evaluate_capability(TREE, LEAVES, operator="M(^,v)", grade_values=(5, 4, 3, 2, 1))
    # node 2 = max(min(.5, r5), min(.5, r6)) = (.2, .4, .4, .4, .4) / 1.8
    np.testing.assert_allclose(result.memberships[2], np.array([0.2, 0.4, 0.4, 0.4, 0.4]) / 1.8)
    assert result.operator == "M(^,v)" and result.grade_values == (5.0, 4.0, 3.0, 2.0, 1.0)


def test_weight_sources():
    assert WEIGHT_SOURCES == ("ahp", "given", "equal")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"judgments": {3: [np.eye(2)]}}, "judgments given for node index 3, which has no children"),
    ({"judgments": {9: [np.eye(2)]}}, "node index 9, which is not a node of the tree"),
    ({"judgments": {"1": [np.eye(2)]}}, "keyed by node index"),
    ({"judgments": {1: [np.ones((3, 3))]}}, r"judgments of node index 1 must be 2 x 2 \(its children 3, 4"),
    ({"judgments": {1: [[[1, 2], [1, 1]]]}}, "judgments of node index 1: .* are not reciprocal"),
    ({"judgments": {1: [[[1, np.nan], [np.nan, 1]]]}}, "judgments of node index 1: .* do not connect"),
    ({"default_weights": [1, 1]}, r"default_weights must be one weight per node, shape \(7,\)"),
    ({"default_weights": [1, 1, -1, 1, 1, 1, 1]}, "default_weights must be finite and non-negative"),
    ({"grade_values": (1, 2, 3)}, r"grade_values must hold one value per grade \(5\), got 3"),
    ({"operator": "sum"}, "operator must be one of"),
])
def test_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        evaluate_capability(TREE, LEAVES, **kwargs)
