"""association_rules and recommend: mlxtend 0.25.0's rules and metrics, hand-computed cases, inputs."""

import dataclasses
import math

import numpy as np
import pytest
import scipy.sparse

pytest.importorskip("mlxtend")
import pandas as pd
from mlxtend.frequent_patterns import association_rules as mlxtend_rules
from mlxtend.frequent_patterns import fpgrowth

from crm_mining import association
from crm_mining.association import AssociationRules, Recommendations, association_rules, recommend

METRICS = (
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "antecedent_support",
    "consequent_support",
)
MLXTEND_COLUMNS = dict(
    zip(
        METRICS,
        (
            "support",
            "confidence",
            "lift",
            "leverage",
            "conviction",
            "antecedent support",
            "consequent support",
        ),
        strict=True,
    )
)

# the textbook example (Tan, Steinbach & Kumar, Introduction to Data Mining, table 6.1)
BREAD, MILK, DIAPERS, BEER, EGGS, COLA = 1, 2, 3, 4, 5, 6
TEXTBOOK = [
    [BREAD, MILK],
    [BREAD, DIAPERS, BEER, EGGS],
    [MILK, DIAPERS, BEER, COLA],
    [BREAD, MILK, DIAPERS, BEER],
    [BREAD, MILK, DIAPERS, COLA],
]


def reference(baskets, min_support, min_confidence, max_len):
    """mlxtend's rules as {(antecedent, consequent): {metric: value}} and its frequent itemsets by size."""
    items = sorted({int(i) for basket in baskets for i in basket})
    present = np.array([[i in set(basket) for i in items] for basket in baskets], dtype=bool)
    df = pd.DataFrame(present.reshape(len(baskets), len(items)), columns=items)
    frequent = fpgrowth(df, min_support=min_support, use_colnames=True, max_len=max_len)
    by_size = tuple(int((frequent["itemsets"].map(len) == k).sum()) for k in range(1, max_len + 1))
    if not len(frequent):  # mlxtend refuses an empty table of itemsets
        return {}, by_size
    with np.errstate(divide="ignore", invalid="ignore"):  # mlxtend's certainty when a support is 1
        rules = mlxtend_rules(
            frequent, num_itemsets=len(df), metric="confidence", min_threshold=min_confidence
        )
    out = {}
    for row in rules.to_dict("records"):
        key = (
            tuple(sorted(int(i) for i in row["antecedents"])),
            tuple(sorted(int(i) for i in row["consequents"])),
        )
        out[key] = {name: row[column] for name, column in MLXTEND_COLUMNS.items()}
    return out, by_size


def as_dict(rules):
    return {
        (a, c): {name: float(getattr(rules, name)[i]) for name in METRICS}
        for i, (a, c) in enumerate(zip(rules.antecedents, rules.consequents, strict=True))
    }


def assert_same_as_mlxtend(baskets, min_support, min_confidence, max_len):
    expected, by_size = reference(baskets, min_support, min_confidence, max_len)
    rules = association_rules(baskets, min_support, min_confidence, max_len=max_len)
    got = as_dict(rules)
    assert set(got) == set(expected)
    assert rules.n_frequent == by_size
    for key, metrics in expected.items():
        for name, value in metrics.items():
            if math.isinf(value):
                assert math.isinf(got[key][name]), (key, name)
            else:
                assert got[key][name] == pytest.approx(value, rel=1e-12, abs=1e-15), (key, name)
    return rules


def random_baskets(seed, n, n_items, mean_size):
    """Baskets of Poisson sizes, items of skewed popularity (duplicates and empty baskets included)."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    popularity /= popularity.sum()
    return [rng.choice(n_items, size=rng.poisson(mean_size), p=popularity).tolist() for _ in range(n)]


def assert_same_rules(left, right):
    assert len(left) == len(right)
    assert left.antecedents.tolist() == right.antecedents.tolist()
    assert left.consequents.tolist() == right.consequents.tolist()
    for name in (*METRICS, "count"):
        np.testing.assert_array_equal(getattr(left, name), getattr(right, name))
    assert left.n_frequent == right.n_frequent and left.n_baskets == right.n_baskets


# ----------------------------------------------------------------------------------------------
# against mlxtend
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("max_len", [2, 3, 4])
@pytest.mark.parametrize(
    ("seed", "n", "n_items", "mean_size", "min_support", "min_confidence"),
    [
        (0, 300, 12, 3.0, 0.05, 0.3),
        (1, 200, 25, 4.0, 0.02, 0.1),
        (2, 400, 8, 2.5, 0.1, 0.5),
        (3, 120, 30, 6.0, 0.03, 0.0),
        (4, 350, 15, 3.5, 0.07, 0.2),
        (5, 60, 10, 5.0, 0.1, 0.8),
        (6, 250, 20, 2.0, 0.01, 0.25),
        (7, 100, 6, 4.0, 0.3, 0.6),
    ],
)
def test_same_rules_as_mlxtend(seed, n, n_items, mean_size, min_support, min_confidence, max_len):
    baskets = random_baskets(seed, n, n_items, mean_size)
    rules = assert_same_as_mlxtend(baskets, min_support, min_confidence, max_len)
    assert set(map(len, rules.antecedents)) | set(map(len, rules.consequents)) <= set(range(1, max_len))


def test_random_cases_have_rules_of_every_size():
    # the comparisons above are not vacuous: many rules, 3- and 4-itemsets, conviction inf
    rules = assert_same_as_mlxtend(random_baskets(3, 120, 30, 6.0), 0.03, 0.0, 4)
    sizes = {len(a) + len(c) for a, c in zip(rules.antecedents, rules.consequents, strict=True)}
    assert len(rules) > 500 and sizes == {2, 3, 4}
    assert np.isinf(rules.conviction).any() and np.isfinite(rules.conviction).any()


def test_confidence_exactly_on_the_threshold():
    # 10 baskets: A=1 in 4, with B=2 in 2 of them: confidence (0.2 * 10) / (0.4 * 10) = 0.5 exactly
    baskets = [[1, 2], [1, 2], [1], [1], [2], [3], [3], [], [], []]
    kept = assert_same_as_mlxtend(baskets, 0.1, 0.5, 2)
    assert ((1,), (2,)) in as_dict(kept)
    assert ((1,), (2,)) not in as_dict(association_rules(baskets, 0.1, 0.5000001))
    # 39 baskets, A in 25, B in 1 of them: 1/25 = 0.04 but mlxtend's (1/39 * 39) / (25/39 * 39) is
    # 0.039999999999999994, below 0.04: the rule is left out, as mlxtend does
    baskets = [[1, 2]] + [[1]] * 24 + [[3]] * 14
    rules = assert_same_as_mlxtend(baskets, 0.02, 0.04, 2)
    assert ((1,), (2,)) not in as_dict(rules) and ((2,), (1,)) in as_dict(rules)
    assert ((1,), (2,)) in as_dict(association_rules(baskets, 0.02, 0.0399))


def test_support_exactly_on_the_threshold():
    # 10 baskets, min_support 0.3: an item and a pair in exactly 3 baskets are frequent
    baskets = [[1, 2], [1, 2], [1, 2], [1], [3], [3], [3], [3], [], []]
    rules = assert_same_as_mlxtend(baskets, 0.3, 0.0, 2)
    assert rules.n_frequent == (3, 1)
    assert as_dict(rules)[(2,), (1,)]["support"] == 0.3
    assert len(association_rules(baskets, 0.30000001, 0.0)) == 0


def test_mlxtend_count_threshold_of_larger_itemsets():
    # 100 baskets, min_support 0.07: 0.07 * 100 = 7.000000000000001, mlxtend's conditional trees
    # need ceil() = 8 baskets: item 1 (7 baskets) is frequent, the pair {0, 1} (7 baskets) is not
    baskets = [[0, 1]] * 7 + [[0, 2]] * 20 + [[2, 3]] * 10 + [[3]] * 20 + [[]] * 43
    rules = assert_same_as_mlxtend(baskets, 0.07, 0.0, 3)
    assert rules.n_frequent == (4, 2, 0)
    # ... unless the frequent items' baskets are nested (mlxtend's FP-tree is one path): then the
    # pair's 7 baskets are enough
    rules = assert_same_as_mlxtend([[0, 1]] * 7 + [[0]] * 20 + [[]] * 73, 0.07, 0.0, 3)
    assert rules.n_frequent == (2, 1, 0) and len(rules) == 2
    # 25 baskets, min_support 0.28: 7 / 25 >= 0.28 but ceil(0.28 * 25) = ceil(7.000000000000001) = 8
    baskets = [[5, 6]] * 7 + [[5, 7]] * 8 + [[6, 7]] * 8 + [[8]] * 2
    rules = assert_same_as_mlxtend(baskets, 0.28, 0.0, 2)
    assert rules.n_frequent == (3, 2)
    assert {a + c for a, c in as_dict(rules)} == {(5, 7), (7, 5), (6, 7), (7, 6)}


# ----------------------------------------------------------------------------------------------
# hand-computed
# ----------------------------------------------------------------------------------------------
def test_textbook_example():
    rules = association_rules(TEXTBOOK, min_support=0.4, min_confidence=0.7, max_len=3)
    # items in 5 baskets: bread 4, milk 4, diapers 4, beer 3, cola 2 (0.4: frequent), eggs 1 (not)
    # pairs in >= 2 baskets: bread-milk 3, bread-diapers 3, bread-beer 2, milk-diapers 3,
    # milk-beer 2, milk-cola 2, diapers-beer 3, diapers-cola 2 (bread-cola, beer-cola: 1)
    # triples: bread-milk-diapers 2, bread-diapers-beer 2, milk-diapers-beer 2, milk-diapers-cola 2
    assert rules.n_frequent == (5, 8, 4)
    # confidence >= 0.7: 10 pair rules (3/4 or 1) and bread,beer->diapers, milk,beer->diapers (2/2),
    # cola->milk,diapers, milk,cola->diapers, diapers,cola->milk (2/2); 2/3 and 1/2 are left out
    assert len(rules) == 15
    got = as_dict(rules)
    assert ((MILK, DIAPERS), (BEER,)) not in got  # 2/3
    # diapers -> beer: support 3/5, confidence 3/4, lift 0.75 / 0.6 = 1.25,
    # leverage 0.6 - 0.8 * 0.6 = 0.12, conviction (1 - 0.6) / (1 - 0.75) = 1.6
    rule = got[(DIAPERS,), (BEER,)]
    assert rule["support"] == pytest.approx(0.6) and rule["confidence"] == pytest.approx(0.75)
    assert rule["lift"] == pytest.approx(1.25) and rule["leverage"] == pytest.approx(0.12)
    assert rule["conviction"] == pytest.approx(1.6)
    assert rule["antecedent_support"] == pytest.approx(0.8) and rule["consequent_support"] == pytest.approx(
        0.6
    )
    # beer -> diapers: 3/3, conviction inf; lift 1 / 0.8 = 1.25
    assert got[(BEER,), (DIAPERS,)]["confidence"] == 1.0
    assert got[(BEER,), (DIAPERS,)]["conviction"] == math.inf
    assert got[(BEER,), (DIAPERS,)]["lift"] == pytest.approx(1.25)
    # cola -> milk, diapers: 2/2; lift 1 / 0.6; leverage 0.4 - 0.4 * 0.6 = 0.16
    rule = got[(COLA,), (MILK, DIAPERS)]
    assert rule["confidence"] == 1.0 and rule["lift"] == pytest.approx(1 / 0.6)
    assert rule["leverage"] == pytest.approx(0.16) and rule["support"] == pytest.approx(0.4)
    index = rules.antecedents.tolist().index((COLA,))
    assert rules.count[index] == 2 and rules.count.dtype == np.int64
    # milk, diapers -> beer at confidence 0.6: support 0.4, confidence 2/3, lift (2/3) / 0.6,
    # leverage 0.4 - 0.6 * 0.6 = 0.04, conviction 0.4 / (1/3) = 1.2
    rule = as_dict(association_rules(TEXTBOOK, 0.4, 0.6))[(MILK, DIAPERS), (BEER,)]
    assert rule["confidence"] == pytest.approx(2 / 3) and rule["lift"] == pytest.approx(10 / 9)
    assert rule["leverage"] == pytest.approx(0.04) and rule["conviction"] == pytest.approx(1.2)
    assert_same_as_mlxtend(TEXTBOOK, 0.4, 0.7, 3)
    assert_same_as_mlxtend(TEXTBOOK, 0.2, 0.0, 4)


def test_result_layout():
    rules = association_rules(TEXTBOOK, 0.4, 0.7)
    assert isinstance(rules, AssociationRules)
    assert rules.antecedents.dtype == object and rules.consequents.dtype == object
    assert all(type(i) is int for a in rules.antecedents for i in a)
    assert all(list(c) == sorted(c) for c in rules.consequents)
    for name in METRICS:
        assert getattr(rules, name).dtype == np.float64 and len(getattr(rules, name)) == len(rules)
    # sorted by antecedent then consequent (as tuples)
    keys = list(zip(rules.antecedents.tolist(), rules.consequents.tolist(), strict=True))
    assert keys == sorted(keys)
    assert (rules.n_baskets, rules.min_support, rules.min_confidence, rules.max_len) == (5, 0.4, 0.7, 3)
    rows = list(rules.as_rows())
    assert len(rows) == len(rules) and rows[0][:2] == keys[0]
    assert dict(zip(association.ROW_FIELDS, rows[0], strict=True))["count"] == rules.count[0]
    assert all(type(value) is float for value in rows[0][2:9]) and type(rows[0][9]) is int
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.max_len = 4


def test_no_rules():
    rules = association_rules(TEXTBOOK, 0.9, 0.5)
    assert len(rules) == 0 and rules.n_frequent == (0, 0, 0)
    assert rules.antecedents.dtype == object and rules.support.dtype == np.float64
    assert rules.count.dtype == np.int64 and list(rules.as_rows()) == []
    assert len(association_rules([[1], [2]], 0.5, 0.0)) == 0  # frequent items, no frequent pair
    nothing = recommend(rules, [BREAD, MILK])
    assert len(nothing) == 0 and nothing.items.dtype == np.int64 and nothing.scores.dtype == np.float64


# ----------------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------------
def test_sparse_input_equals_lists():
    baskets = random_baskets(11, 300, 20, 4.0)
    expected = association_rules(baskets, 0.03, 0.2, max_len=3)
    rows = np.repeat(np.arange(len(baskets)), [len(b) for b in baskets])
    cols = np.concatenate([np.asarray(b, dtype=np.int64) for b in baskets])
    coo = scipy.sparse.coo_array((np.ones(len(rows)), (rows, cols)), shape=(len(baskets), 20))
    for matrix in (coo.tocsr(), coo, scipy.sparse.csr_matrix(coo), coo.tocsc(), (coo > 0).astype(bool)):
        assert_same_rules(association_rules(matrix, 0.03, 0.2, max_len=3), expected)
    # any nonzero is present, explicit zeros are not
    odd = scipy.sparse.csr_array(
        (np.array([2.0, -1.0, 0.0, 5.0]), np.array([0, 1, 2, 1]), np.array([0, 3, 4, 4])), shape=(3, 3)
    )
    assert_same_rules(association_rules(odd, 0.2, 0.0), association_rules([[0, 1], [1], []], 0.2, 0.0))


def test_duplicates_in_a_basket_count_once():
    baskets = random_baskets(12, 200, 10, 5.0)  # Poisson draws with replacement: many duplicates
    assert any(len(set(b)) < len(b) for b in baskets)
    distinct = [sorted(set(b)) for b in baskets]
    assert_same_rules(association_rules(baskets, 0.05, 0.1), association_rules(distinct, 0.05, 0.1))
    rules = association_rules([[1, 1, 2], [2, 1, 2, 2]], 0.5, 0.0)
    assert rules.support.tolist() == [1.0, 1.0] and rules.count.tolist() == [2, 2]


def test_empty_baskets_count():
    rules = association_rules([[1, 2], [1, 2], [], []], 0.5, 0.0)
    # {1, 2} in 2 of 4 baskets: support 0.5, lift 1 / 0.5 = 2, leverage 0.5 - 0.25 = 0.25
    assert rules.n_baskets == 4 and rules.support.tolist() == [0.5, 0.5]
    assert rules.lift.tolist() == [2.0, 2.0] and rules.leverage.tolist() == [0.25, 0.25]
    assert len(association_rules([[1, 2], [1, 2], [], [], []], 0.5, 0.0)) == 0
    assert association_rules([[], [], []], 0.1, 0.0).n_baskets == 3


def test_item_ids_not_contiguous():
    baskets = random_baskets(13, 250, 12, 4.0)
    ids = [5, 1000, 77, 3, 10**12, 42, 999_999, 2**61, 8, 64, 123_456_789, 0]
    relabelled = [[ids[i] for i in b] for b in baskets]
    rules = association_rules(relabelled, 0.04, 0.2, max_len=3)
    plain = association_rules(baskets, 0.04, 0.2, max_len=3)
    expected = {
        (tuple(sorted(ids[i] for i in a)), tuple(sorted(ids[i] for i in c))): metrics
        for (a, c), metrics in as_dict(plain).items()
    }
    assert as_dict(rules) == expected
    keys = list(zip(rules.antecedents.tolist(), rules.consequents.tolist(), strict=True))
    assert keys == sorted(keys)
    assert_same_as_mlxtend([[5, 1000, 77], [1000, 77], [5, 77], [77]], 0.25, 0.0, 3)
    # numpy arrays, tuples and sets as baskets
    mixed = [
        np.array(b, dtype=np.int64) if i % 3 == 0 else (tuple(b) if i % 3 == 1 else set(b))
        for i, b in enumerate(relabelled)
    ]
    assert_same_rules(association_rules(mixed, 0.04, 0.2), rules)
    assert_same_rules(association_rules(iter(relabelled), 0.04, 0.2), rules)


def test_chunked_and_sorted_counting_paths(monkeypatch):
    # tiny chunks and no bincount table: the same rules as the default path
    baskets = random_baskets(14, 300, 25, 5.0)
    expected = association_rules(baskets, 0.02, 0.1, max_len=4)
    monkeypatch.setattr(association, "CHUNK", 5)
    assert_same_rules(association_rules(baskets, 0.02, 0.1, max_len=4), expected)
    monkeypatch.setattr(association, "DENSE_KEYS", 0)
    assert_same_rules(association_rules(baskets, 0.02, 0.1, max_len=4), expected)
    assert sum(expected.n_frequent[2:]) > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baskets": [[1, -2]]}, "non-negative"),
        ({"baskets": [[1, 2.5]]}, "whole numbers"),
        ({"baskets": [[1, float("nan")]]}, "NaN"),
        ({"baskets": [[1, None]]}, "whole numbers"),
        ({"baskets": [["a", "b"]]}, "whole numbers"),
        ({"baskets": [[True, False]]}, "booleans"),
        ({"baskets": [[1, [2, 3]]]}, "item ids"),
        ({"baskets": [1, 2, 3]}, "collection of item ids"),
        ({"baskets": "abc"}, "sequence of item-id collections"),
        ({"baskets": 7}, "sequence of item-id collections"),
        ({"baskets": []}, "no baskets"),
        ({"baskets": scipy.sparse.csr_array((0, 4))}, "no baskets"),
        ({"baskets": scipy.sparse.csr_array(np.array([[1.0, np.nan]]))}, "NaN"),
        ({"baskets": [[1, 5]], "n_items": 5}, "below n_items"),
        ({"baskets": scipy.sparse.csr_array((2, 4)), "n_items": 5}, "n_items"),
        ({"min_support": 0.0}, "min_support must be in \\(0, 1\\]"),
        ({"min_support": 1.5}, "min_support"),
        ({"min_support": float("nan")}, "min_support"),
        ({"min_support": "0.1"}, "min_support must be a number"),
        ({"min_confidence": -0.1}, "min_confidence must be in \\[0, 1\\]"),
        ({"min_confidence": 1.01}, "min_confidence"),
        ({"min_confidence": None}, "min_confidence must be a number"),
        ({"max_len": 1}, "max_len must be a whole number of at least 2"),
        ({"max_len": 2.5}, "max_len"),
        ({"max_len": True}, "max_len"),
        ({"n_items": -1}, "n_items"),
    ],
)
def test_bad_input(kwargs, message):
    arguments = {"baskets": TEXTBOOK, "min_support": 0.4, "min_confidence": 0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        association_rules(**arguments)


def test_whole_floats_and_numpy_scalars_are_ids():
    expected = association_rules(TEXTBOOK, 0.4, 0.7)
    assert_same_rules(association_rules([[float(i) for i in b] for b in TEXTBOOK], 0.4, 0.7), expected)
    assert_same_rules(association_rules([np.array(b, dtype=np.uint16) for b in TEXTBOOK], 0.4, 0.7), expected)
    assert_same_rules(association_rules(TEXTBOOK, np.float64(0.4), np.float64(0.7), np.int64(3)), expected)


# ----------------------------------------------------------------------------------------------
# recommend
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def textbook_rules():
    return association_rules(TEXTBOOK, 0.4, 0.5, max_len=3)


def test_recommend_by_confidence_lift(textbook_rules):
    # owning milk and diapers, the rules of antecedent {milk}, {diapers} or {milk, diapers}:
    # cola: milk, diapers -> cola, confidence 2/3, lift (2/3) / 0.4 = 5/3: score 10/9
    # beer: diapers -> beer, confidence 3/4, lift 0.75 / 0.6 = 1.25: score 0.9375
    # bread: milk -> bread (first) or diapers -> bread, 3/4, lift 0.75 / 0.8: score 0.703125
    # (milk -> diapers and diapers -> milk recommend nothing: their consequent is owned; eggs is
    # in no rule)
    result = recommend(textbook_rules, [MILK, DIAPERS])
    assert isinstance(result, Recommendations) and len(result) == 3
    assert result.items.tolist() == [COLA, BEER, BREAD]
    np.testing.assert_allclose(result.scores, [10 / 9, 0.9375, 0.703125])
    rules = [(textbook_rules.antecedents[i], textbook_rules.consequents[i]) for i in result.rule_index]
    assert rules == [((MILK, DIAPERS), (COLA,)), ((DIAPERS,), (BEER,)), ((MILK,), (BREAD,))]
    assert result.items.dtype == np.int64 and result.rule_index.dtype == np.int64
    assert recommend(textbook_rules, {DIAPERS, MILK}, top_n=1).items.tolist() == [COLA]


def test_recommend_by_confidence_and_lift(textbook_rules):
    # confidence: bread 3/4 and beer 3/4 (tie: smaller id first), cola 2/3
    by_confidence = recommend(textbook_rules, [MILK, DIAPERS], score="confidence")
    assert by_confidence.items.tolist() == [BREAD, BEER, COLA]
    np.testing.assert_allclose(by_confidence.scores, [0.75, 0.75, 2 / 3])
    # lift: cola 5/3; bread 1.25 (diapers -> bread, beer: 0.5 / 0.4) and beer 1.25 (diapers -> beer:
    # 0.75 / 0.6, also exactly 1.25 in floats): tie, smaller id first
    by_lift = recommend(textbook_rules, [MILK, DIAPERS], score="lift")
    assert by_lift.items.tolist() == [COLA, BREAD, BEER]
    assert by_lift.scores.tolist() == [by_lift.scores[0], 1.25, 1.25]
    assert by_lift.scores[0] == pytest.approx(5 / 3)
    assert textbook_rules.consequents[by_lift.rule_index[1]] == (BREAD, BEER)


def test_recommend_needs_the_whole_antecedent(textbook_rules):
    # owning beer only: beer -> diapers (1), beer -> bread / milk / (bread, diapers) /
    # (milk, diapers) (2/3); diapers, beer -> ... rules do not apply
    result = recommend(textbook_rules, [BEER], score="confidence")
    assert result.items.tolist() == [DIAPERS, BREAD, MILK]
    np.testing.assert_allclose(result.scores, [1.0, 2 / 3, 2 / 3])
    for i in result.rule_index:
        assert set(textbook_rules.antecedents[i]) <= {BEER}
    assert len(recommend(textbook_rules, [EGGS])) == 0 and len(recommend(textbook_rules, [])) == 0
    everything = recommend(textbook_rules, [BREAD, MILK, DIAPERS, BEER, COLA], top_n=None)
    assert len(everything) == 0


def test_recommend_matches_a_plain_loop():
    rules = association_rules(random_baskets(21, 300, 15, 4.0), 0.02, 0.1, max_len=4)
    rng = np.random.default_rng(0)
    for _ in range(20):
        owned = set(rng.choice(15, size=rng.integers(0, 6), replace=False).tolist())
        best = {}
        for i, (a, c) in enumerate(zip(rules.antecedents, rules.consequents, strict=True)):
            if set(a) <= owned:
                for item in set(c) - owned:
                    score = rules.confidence[i] * rules.lift[i]
                    if item not in best or score > best[item][0]:
                        best[item] = (score, i)
        expected = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:7]
        result = recommend(rules, owned, top_n=7)
        assert result.items.tolist() == [item for item, _ in expected]
        assert result.scores.tolist() == [score for _, (score, _) in expected]
        assert result.rule_index.tolist() == [i for _, (_, i) in expected]


def test_recommend_bad_input(textbook_rules):
    with pytest.raises(ValueError, match="score must be one of"):
        recommend(textbook_rules, [MILK], score="support")
    with pytest.raises(ValueError, match="top_n"):
        recommend(textbook_rules, [MILK], top_n=0)
    with pytest.raises(ValueError, match="non-negative"):
        recommend(textbook_rules, [-1])
    with pytest.raises(ValueError, match="collection of item ids"):
        recommend(textbook_rules, MILK)
