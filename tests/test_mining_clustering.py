"""segment_customers: agreement with scikit-learn, k selection, stability, identities, profiles."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from crm_mining import mean_silhouette, segment_customers, silhouette_scores

#: well separated centres in log1p space (the engine clusters log1p of the features)
CENTRES = np.array([[2.0, 2.0, 2.0], [6.0, 2.0, 6.0], [2.0, 6.0, 6.0], [6.0, 6.0, 2.0], [4.0, 4.0, 4.0]])


def _blobs(centres=CENTRES[:4], per_blob=150, std=0.3, seed=0):
    """Features in original units (expm1 of Gaussian blobs in log space) and the blob of each row."""
    rng = np.random.default_rng(seed)
    blob = np.repeat(np.arange(len(centres)), per_blob)
    log_features = centres[blob] + rng.normal(0.0, std, (len(blob), centres.shape[1]))
    return np.expm1(np.clip(log_features, 0.0, None)), blob


def _pipeline(k):
    kmeans = KMeans(k, n_init=10, random_state=0)
    return make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), kmeans)


def test_same_clusters_as_a_plain_sklearn_pipeline():
    x, blob = _blobs()
    result = segment_customers(x, k=4)
    reference = _pipeline(4).fit(x)
    assert adjusted_rand_score(reference[-1].labels_, result.labels) == 1.0
    assert adjusted_rand_score(blob, result.labels) == 1.0
    transformed = reference[:-1].transform(x)
    assert result.silhouette == pytest.approx(silhouette_score(transformed, result.labels), rel=1e-9)
    assert np.allclose(result.scaler_mean, np.log1p(x).mean(axis=0))
    assert np.allclose(result.transform(x), transformed)


def test_k_is_chosen_by_silhouette():
    x, blob = _blobs()
    result = segment_customers(x)
    assert result.k == 4
    assert sorted(result.silhouette_by_k) == list(range(2, 9))
    assert max(result.silhouette_by_k, key=result.silhouette_by_k.get) == 4
    assert result.silhouette == result.silhouette_by_k[4] > 0.7
    assert adjusted_rand_score(blob, result.labels) == 1.0
    five = segment_customers(_blobs(CENTRES)[0])
    assert five.k == 5


def test_silhouette_matches_sklearn():
    rng = np.random.default_rng(2)
    points = rng.normal(size=(60, 3))
    labels = rng.integers(0, 4, 60)
    labels[7] = 9  # a singleton cluster scores 0
    other = rng.integers(0, 2, 60)
    expected = [silhouette_score(points, labels), silhouette_score(points, other)]
    for block_rows in (7, 1024):  # blocks of the distance matrix must not change the value
        got = silhouette_scores(points, [labels, other, np.zeros(60, dtype=int)], block_rows=block_rows)
        assert got[:2] == pytest.approx(expected, rel=1e-12)
        assert np.isnan(got[2])
    assert mean_silhouette(points, labels) == pytest.approx(expected[0], rel=1e-12)


def test_identities_ordered_by_the_last_feature_and_profiles():
    x, _ = _blobs()
    result = segment_customers(x, k=4)
    assert result.identities.tolist() == [0, 1, 2, 3]
    assert np.all(np.diff(result.means[:, -1]) <= 0)
    assert result.sizes.tolist() == [150, 150, 150, 150]
    for row, identity in enumerate(result.identities):
        members = x[result.labels == identity]
        assert np.allclose(result.means[row], members.mean(axis=0))
        assert np.allclose(result.medians[row], np.median(members, axis=0))
    # centre levels 2 / 6 on each column, two blobs each: medians at the 25th and 75th percentile
    for row in range(4):
        blob_centre = np.log1p(result.medians[row])
        expected = np.where(blob_centre > 4.0, "high", "low")
        assert result.levels[row].tolist() == expected.tolist()


def test_levels_low_medium_high():
    x = np.array([[1.0], [1.0], [1.0], [10.0], [10.0], [10.0], [100.0], [100.0], [100.0]])
    result = segment_customers(x, k=3)
    assert result.medians[:, 0].tolist() == [100.0, 10.0, 1.0]
    assert result.levels[:, 0].tolist() == ["high", "medium", "low"]
    # many one-time buyers: the terciles collapse on the minimum, which still reads low
    for ones in (6, 7, 20):
        ties = segment_customers(np.array([[1.0]] * ones + [[5.0]] * 3), k=2)
        levels = dict(zip(ties.medians[:, 0].tolist(), ties.levels[:, 0].tolist(), strict=True))
        assert levels == {1.0: "low", 5.0: "high"}
        top_heavy = segment_customers(np.array([[5.0]] * ones + [[1.0]] * 3), k=2)
        levels = dict(zip(top_heavy.medians[:, 0].tolist(), top_heavy.levels[:, 0].tolist(), strict=True))
        assert levels == {1.0: "low", 5.0: "high"}
    constant = segment_customers(np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 9.0]]), k=2)
    assert set(constant.levels[:, 0]) == {"medium"}


def test_stable_under_row_permutation():
    x, _ = _blobs(CENTRES, std=0.6)
    for sample_size in (20000, 200):  # without and with the sampled k selection
        result = segment_customers(x, sample_size=sample_size, silhouette_sample=150)
        perm = np.random.default_rng(9).permutation(len(x))
        again = segment_customers(x[perm], sample_size=sample_size, silhouette_sample=150)
        assert np.array_equal(again.labels, result.labels[perm])
        assert np.array_equal(again.centroids, result.centroids)
        assert again.silhouette_by_k == result.silhouette_by_k


def test_same_seed_same_result_with_sampling():
    x, blob = _blobs(std=0.3)
    first = segment_customers(x, sample_size=100, silhouette_sample=50, random_state=3)
    second = segment_customers(x, sample_size=100, silhouette_sample=50, random_state=3)
    assert np.array_equal(first.labels, second.labels)
    assert first.k == 4 and adjusted_rand_score(blob, first.labels) == 1.0


def test_stable_under_small_noise():
    x, _ = _blobs(CENTRES, std=0.6)
    first = segment_customers(x)
    noisy = x * np.exp(np.random.default_rng(5).normal(0.0, 0.01, x.shape))
    second = segment_customers(noisy, previous_centroids=first.centroids)
    assert second.k == first.k
    assert np.mean(second.labels == first.labels) >= 0.99
    assert len(second.new_identities) == 0 and len(second.vanished_identities) == 0


def test_identities_kept_on_shifted_data():
    x, _ = _blobs()
    first = segment_customers(x)
    shifted = segment_customers(x * 1.3 + 2.0, previous_centroids=first.centroids,
                                previous_identities=first.identities)
    assert np.array_equal(shifted.labels, first.labels)
    assert shifted.identities.tolist() == first.identities.tolist()
    assert np.all(shifted.matched_distance < 0.5)
    # without the previous centroids the order can differ: the matching is what keeps the names
    custom = segment_customers(x, previous_centroids=first.centroids[::-1],
                               previous_identities=[13, 12, 11, 10])
    assert np.array_equal(custom.labels, 10 + first.labels)
    assert custom.identities.tolist() == [10, 11, 12, 13]


def test_one_more_cluster_is_new_and_one_fewer_vanished():
    x4, blob4 = _blobs()
    first = segment_customers(x4, previous_centroids=None)
    x5, blob5 = _blobs(CENTRES, seed=1)
    grown = segment_customers(x5, previous_centroids=first.centroids, previous_identities=first.identities)
    assert grown.k == 5
    assert grown.new_identities.tolist() == [4]
    assert grown.vanished_identities.tolist() == []
    assert np.isnan(grown.matched_distance[grown.identities == 4]).all()
    assert np.all(grown.labels[blob5 == 4] == 4)
    for b in range(4):  # the old blobs keep their identity
        assert np.all(grown.labels[blob5 == b] == first.labels[blob4 == b][0])
    keep = blob4 != 2
    shrunk = segment_customers(x4[keep], previous_centroids=first.centroids)
    assert shrunk.k == 3
    assert shrunk.vanished_identities.tolist() == [int(first.labels[blob4 == 2][0])]
    assert np.array_equal(shrunk.labels, first.labels[keep])


def test_degenerate_inputs():
    for x in ([[3.0, 4.0, 5.0]], [[3.0, 4.0, 5.0], [1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0]] * 10):
        result = segment_customers(x)
        assert result.degenerate and result.k == 1 and isinstance(result.note, str) and result.note
        assert np.isnan(result.silhouette) and result.silhouette_by_k == {}
        assert result.labels.tolist() == [0] * len(x)
        assert result.sizes.tolist() == [len(x)] and result.centroids.shape == (1, 3)
    previous = np.array([[5.0, 5.0, 5.0], [0.0, 0.0, 0.0], [-5.0, 0.0, 0.0]])
    matched = segment_customers([[2.0, 2.0, 2.0]] * 4, previous_centroids=previous,
                                previous_identities=[5, 6, 7])
    assert matched.labels.tolist() == [6] * 4 and matched.identities.tolist() == [6]
    assert matched.vanished_identities.tolist() == [5, 7] and matched.new_identities.tolist() == []
    chosen = segment_customers(_blobs()[0], k=1)
    assert chosen.k == 1 and not chosen.degenerate and chosen.note is None


def test_fixed_k():
    x, _ = _blobs()
    result = segment_customers(x, k=2)
    assert result.k == 2 and list(result.silhouette_by_k) == [2]
    assert segment_customers([[1.0], [2.0], [3.0]], k=3).k == 3


@pytest.mark.parametrize(
    ("features", "kwargs", "message"),
    [
        ([[1.0, -1.0], [2.0, 2.0]], {}, "non-negative"),
        ([[1.0, np.nan], [2.0, 2.0]], {}, "NaN"),
        (np.zeros((2, 2, 2)), {}, "two-dimensional"),
        (np.zeros((0, 3)), {}, "at least one row"),
        ([[1.0], [1.0], [2.0]], {"k": 3}, "distinct rows"),
        ([[1.0], [2.0]], {"k": 0}, "k must be"),
        ([[1.0], [2.0]], {"k_range": (1, 4)}, "k_range"),
        ([[1.0, 2.0], [2.0, 3.0]], {"previous_centroids": np.zeros((2, 3))}, "2 columns"),
        ([[1.0, 2.0], [2.0, 3.0]], {"previous_centroids": np.zeros((2, 2)), "previous_identities": [1]},
         "previous_identities"),
        ([[1.0, 2.0], [2.0, 3.0]], {"previous_centroids": np.zeros((2, 2)), "previous_identities": [1, 1]},
         "duplicates"),
    ],
)
def test_bad_input(features, kwargs, message):
    with pytest.raises(ValueError, match=message):
        segment_customers(features, **kwargs)


def test_vanished_identity_is_never_given_to_another_cluster():
    """Run 1 finds 4 clusters, run 2 only 2 of them (2 vanish), run 3 four again: with
    ``next_identity`` past every identity used, the new clusters get fresh numbers instead of the
    vanished ones'."""
    x4, _ = _blobs(CENTRES[:4])
    first = segment_customers(x4, k=4)
    x2, _ = _blobs(CENTRES[:2])
    second = segment_customers(x2, k=2, previous_centroids=first.centroids,
                               previous_identities=first.identities)
    assert len(second.vanished_identities) == 2
    used = set(first.identities.tolist())
    third = segment_customers(x4, k=4, previous_centroids=second.centroids,
                              previous_identities=second.identities, next_identity=max(used) + 1)
    assert set(third.new_identities.tolist()).isdisjoint(used)
    assert set(second.identities.tolist()) <= set(third.identities.tolist())
    # a first run of a company whose earlier clusters were deleted starts after them too
    fresh = segment_customers(x4, k=4, next_identity=10)
    assert fresh.identities.tolist() == [10, 11, 12, 13]
