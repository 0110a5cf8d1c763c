"""score_segments: the whole segmentation of a company in one engine call."""

import numpy as np
import pytest

from crm_mining import (
    FIGURE_KINDS,
    RFM_SEGMENTS,
    PreviousSegmentation,
    SegmentationConfig,
    rfm_scores,
    score_segments,
    segment_customers,
)

DTYPES = {"int": np.int64, "float": np.float64, "text": object}


def _population(n=3000, seed=11):
    """Partner ids (not sorted, with gaps) and RFM inputs of three kinds of customers."""
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 3, n)
    frequency = np.where(kind == 0, 1, np.where(kind == 1, rng.integers(2, 6, n), rng.integers(8, 30, n)))
    recency = np.where(kind == 2, rng.integers(0, 40, n), rng.integers(60, 900, n))
    monetary = frequency * rng.gamma(4.0, 25.0, n)
    ids = rng.permutation(np.arange(1, n + 1) * 7)
    return ids, recency, frequency, monetary, monetary * rng.uniform(-0.1, 0.4, n)


@pytest.fixture(scope="module")
def population():
    return _population()


@pytest.fixture(scope="module")
def scores(population):
    return score_segments(*population)


def test_every_declared_figure_is_returned(population, scores):
    assert list(FIGURE_KINDS) == ["recency_days", "frequency", "monetary", "margin", "r_score", "f_score",
                                  "m_score", "rfm_code", "rfm_segment", "cluster"]
    assert list(scores.figures) == list(FIGURE_KINDS)
    for name, kind in FIGURE_KINDS.items():
        assert scores.figures[name].dtype == DTYPES[kind], name
        assert len(scores.figures[name]) == len(scores) == len(population[0])
    assert np.all(np.diff(scores.partner_ids) > 0)
    assert set(scores.figures["rfm_segment"]) <= set(RFM_SEGMENTS)
    assert set(scores.versions) == {"numpy", "scipy", "scikit-learn"}
    assert scores.rfm_transitions is None and scores.cluster_transitions is None


def test_figures_are_the_engine_functions_on_sorted_customers(population, scores):
    ids, recency, frequency, monetary, margin = population
    order = np.argsort(ids)
    assert np.array_equal(scores.partner_ids, ids[order])
    assert np.array_equal(scores.figures["recency_days"], recency[order])
    assert np.array_equal(scores.figures["margin"], margin[order])
    rfm = rfm_scores(recency[order], frequency[order], monetary[order])
    assert np.array_equal(scores.figures["r_score"], rfm.r)
    assert np.array_equal(scores.figures["rfm_code"], rfm.code)
    assert np.array_equal(scores.figures["rfm_segment"], rfm.segment)
    clusters = segment_customers(np.column_stack([recency, frequency, monetary])[order])
    assert np.array_equal(scores.figures["cluster"], clusters.labels)
    assert scores.clustering.k == clusters.k and set(scores.figures["cluster"]) == set(clusters.identities)


def test_same_data_same_seed_same_labels(population, scores):
    again = score_segments(*population)
    for name in FIGURE_KINDS:
        assert np.array_equal(again.figures[name], scores.figures[name]), name


def test_other_seed_is_valid(population, scores):
    other = score_segments(*population, config=SegmentationConfig(random_state=12345))
    labels = other.figures["cluster"]
    assert 2 <= other.clustering.k <= 8
    assert set(labels) == set(other.clustering.identities.tolist())
    assert other.clustering.sizes.sum() == len(labels)
    assert np.array_equal(other.figures["rfm_code"], scores.figures["rfm_code"])  # RFM has no randomness


def test_permuted_customers_give_the_same_figures(population, scores):
    perm = np.random.default_rng(3).permutation(len(population[0]))
    permuted = score_segments(*(column[perm] for column in population))
    assert np.array_equal(permuted.partner_ids, scores.partner_ids)
    for name in FIGURE_KINDS:
        assert np.array_equal(permuted.figures[name], scores.figures[name]), name


def test_previous_run_keeps_identities_and_gives_transitions(population, scores):
    previous = PreviousSegmentation(
        centroids=scores.clustering.centroids,
        identities=scores.clustering.identities,
        partner_ids=scores.partner_ids,
        clusters=scores.figures["cluster"],
        rfm_segments=scores.figures["rfm_segment"],
    )
    ids, recency, frequency, monetary, margin = population
    nightly = score_segments(ids, recency + 1, frequency, monetary, margin, previous=previous)
    assert np.mean(nightly.figures["cluster"] == scores.figures["cluster"]) >= 0.99
    moves = nightly.cluster_transitions
    stayed = sum(count for before, after, count, _ in moves.as_rows() if before == after)
    assert stayed >= 0.99 * len(ids)
    assert moves.counts.sum() == len(ids)
    assert nightly.rfm_transitions.weights.sum() == pytest.approx(monetary.sum())
    # a customer gone since: counted as left
    gone = score_segments(ids[1:], recency[1:], frequency[1:], monetary[1:], margin[1:], previous=previous)
    assert gone.cluster_transitions.counts[:, -1].sum() == 1


def test_empty_input():
    empty = score_segments([], [], [], [], [])
    assert len(empty) == 0 and empty.clustering is None
    assert list(empty.figures) == list(FIGURE_KINDS)
    for name, kind in FIGURE_KINDS.items():
        assert empty.figures[name].shape == (0,) and empty.figures[name].dtype == DTYPES[kind]
    previous = PreviousSegmentation(partner_ids=[1, 2], clusters=[0, 1], rfm_segments=["lost", "champions"])
    left = score_segments([], [], [], [], [], previous=previous)
    assert left.cluster_transitions.as_rows() == [(0, None, 1, 0.0), (1, None, 1, 0.0)]


def test_tiny_company():
    one = score_segments([42], [10], [1], [99.0], [20.0])
    assert one.clustering.degenerate and one.figures["cluster"].tolist() == [0]
    assert one.figures["rfm_code"].tolist() == ["333"]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (([1, 1], [1, 2], [1, 1], [1.0, 1.0], [0.0, 0.0]), "duplicates"),
        (([1, 2], [1, 2], [1, 1], [1.0, -1.0], [0.0, 0.0]), "negative money"),
        (([1, 2], [1, 2], [1, 1], [1.0, 1.0], [0.0, np.nan]), "NaN"),
        (([1, 2], [1, 2], [1], [1.0, 1.0], [0.0, 0.0]), "same length"),
        (([1, 2], [-1, 2], [1, 1], [1.0, 1.0], [0.0, 0.0]), "negative recency"),
    ],
)
def test_bad_input(columns, message):
    with pytest.raises(ValueError, match=message):
        score_segments(*columns)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"bins": 10}, "bins"), ({"k": 0}, "k must be"), ({"k_range": (1, 3)}, "k_range"),
     ({"bins": 3, "segment_grid": [["lost"] * 5] * 5}, "3 x 3")],
)
def test_bad_config(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SegmentationConfig(**kwargs)


def test_cap_clusters_to_the_distinct_customers():
    from crm_mining import SegmentationConfig, cap_clusters, score_segments

    recency, frequency, monetary = [5, 5, 40], [3, 3, 1], [100.0, 100.0, 20.0]
    config = SegmentationConfig(k=5)
    with pytest.raises(ValueError):
        score_segments([1, 2, 3], recency, frequency, monetary, [0.0] * 3, config)
    capped = cap_clusters(config, recency, frequency, monetary)
    assert capped.k == 2
    assert score_segments([1, 2, 3], recency, frequency, monetary, [0.0] * 3, capped).clustering.k == 2
    assert cap_clusters(SegmentationConfig(), recency, frequency, monetary).k is None
    assert cap_clusters(SegmentationConfig(k=2), recency, frequency, monetary).k == 2
