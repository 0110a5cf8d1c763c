"""The campaign-response tree: rules against the tree of scikit-learn, pruning by cross-validation,
contact examples."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from crm_mining import ResponseConfig, Transactions, contact_examples, fit_response_tree


def _contacts(n=2000, seed=0):
    """Responders: recent (recency <= 45) and frequent (frequency >= 3) customers respond 40%,
    the others 5%."""
    rng = np.random.default_rng(seed)
    recency = rng.integers(0, 365, n).astype(float)
    frequency = rng.integers(1, 10, n).astype(float)
    noise = rng.normal(size=n)
    p = np.where((recency <= 45) & (frequency >= 3), 0.4, 0.05)
    y = (rng.random(n) < p).astype(int)
    return np.column_stack([recency, frequency, noise]), y, ("recency_days", "frequency", "noise")


def test_the_planted_rule_is_found():
    X, y, names = _contacts()
    tree = fit_response_tree(X, y, names, ResponseConfig(min_samples_leaf=50, max_depth=3))
    best = tree.rules[0]
    conditions = {(name, op) for name, op, _t in best.conditions}
    assert ("recency_days", "<=") in conditions and ("frequency", ">") in conditions
    upper = {name: t for name, op, t in best.conditions if op == "<="}
    lower = {name: t for name, op, t in best.conditions if op == ">"}
    assert 40 <= upper["recency_days"] <= 50 and 2 <= lower["frequency"] < 4
    assert best.lift > 2.5 and best.rate == pytest.approx(best.responders / best.samples)
    assert "noise" not in {name for rule in tree.rules for name, _op, _t in rule.conditions}
    assert tree.metrics.auc > 0.65  # the best possible is about 0.69 here
    text = best.text()
    assert text.startswith("if ") and "then responds:" in text and f"of {best.samples} customers" in text


def test_targets_reach_the_lift():
    X, y, names = _contacts(seed=5)
    tree = fit_response_tree(X, y, names, ResponseConfig(min_samples_leaf=50, max_depth=3))
    rates, leaves, targets = tree.targets(X, min_lift=2.0)
    np.testing.assert_array_equal(rates, tree.predict_proba(X))
    np.testing.assert_array_equal(leaves, tree.leaves(X))
    np.testing.assert_array_equal(targets, rates >= 2.0 * y.mean())
    assert targets.any() and not targets.all()
    empty = tree.targets(np.empty((0, len(names))))
    assert all(len(part) == 0 for part in empty)


def test_rules_partition_the_contacts_and_match_the_tree():
    """Every contact falls in exactly one rule, the one of its leaf; each rule's counts and rate are
    the leaf's, recomputed from the data; the conditions select exactly that leaf's contacts."""
    X, y, names = _contacts(seed=2)
    tree = fit_response_tree(X, y, names, ResponseConfig(min_samples_leaf=40))
    leaves = tree.leaves(X)
    assert sum(rule.samples for rule in tree.rules) == len(y)
    for rule in tree.rules:
        members = leaves == rule.leaf
        mask = np.ones(len(y), dtype=bool)
        for name, op, threshold in rule.conditions:
            column = X[:, names.index(name)]
            mask &= column <= threshold if op == "<=" else column > threshold
        np.testing.assert_array_equal(mask, members)
        assert rule.samples == members.sum() and rule.responders == y[members].sum()
        assert rule.lift == pytest.approx(y[members].mean() / y.mean())
    assert [r.lift for r in tree.rules] == sorted((r.lift for r in tree.rules), reverse=True)


def test_pruning_chosen_by_cross_validation_is_a_sklearn_tree():
    X, y, names = _contacts(seed=4)
    config = ResponseConfig(min_samples_leaf=30, max_depth=5)
    tree = fit_response_tree(X, y, names, config)
    alphas = [a for a, _auc in tree.cv_auc_by_alpha]
    assert tree.ccp_alpha in alphas
    best_auc = max(auc for _a, auc in tree.cv_auc_by_alpha)
    assert dict(tree.cv_auc_by_alpha)[tree.ccp_alpha] == pytest.approx(best_auc)
    reference = DecisionTreeClassifier(
        min_samples_leaf=30, max_depth=5, ccp_alpha=tree.ccp_alpha, random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(tree.predict_proba(X), reference.predict_proba(X)[:, 1])


def test_groups_keep_a_customer_in_one_fold():
    """Contacts of the same customer (several campaigns) never sit in two folds: with groups the
    out-of-fold predictions of a customer's contacts come from trees that never saw that customer."""
    from crm_mining.response import _out_of_fold

    X, y, names = _contacts(600, seed=6)
    groups = np.arange(len(y)) // 3  # each customer contacted three times
    tree = fit_response_tree(X, y, names, ResponseConfig(min_samples_leaf=20), groups=groups)
    assert tree.n_contacts == len(y)
    folds = sklearn_group_folds(y, groups)
    assert all(len(set(groups[test]) & set(groups[train])) == 0 for train, test in folds)
    assert _out_of_fold(X, y, ResponseConfig(), np.zeros(1), groups).shape == (1, len(y))
    with pytest.raises(ValueError, match="one customer per contact"):
        fit_response_tree(X, y, names, groups=groups[:-1])


def sklearn_group_folds(y, groups):
    from sklearn.model_selection import StratifiedGroupKFold

    return list(
        StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0).split(np.zeros(len(y)), y, groups)
    )


def test_contact_examples_features_on_the_contact_day():
    tx = Transactions.from_arrays([1, 1, 2], ["2026-01-01", "2026-03-10", "2026-01-05"], [100.0, 50.0, 30.0])
    X, y, names = contact_examples(tx, [1, 2, 3], ["2026-03-01", "2026-03-01", "2026-03-01"], 30)
    assert list(y) == [1, 0, 0]  # 1 bought on 03-10
    recency = X[:, names.index("recency_days")]
    assert list(recency[:2]) == [59, 55]  # the March purchase is after the contact: not seen
    assert X[2, names.index("frequency")] == 0 and recency[2] == 730  # never bought: a new customer


def test_bad_input():
    X, y, names = _contacts(200)
    with pytest.raises(ValueError, match="responders"):
        fit_response_tree(X, np.zeros(len(y), dtype=int), names)
    with pytest.raises(ValueError, match="0 \\(no response\\) and 1"):
        fit_response_tree(X, y * 2, names)
    with pytest.raises(ValueError, match="names"):
        fit_response_tree(X, y, names[:2])
    with pytest.raises(ValueError, match="folds"):
        ResponseConfig(folds=1)
    with pytest.raises(ValueError, match="top_fraction"):
        ResponseConfig(top_fraction=0)
