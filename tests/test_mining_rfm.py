"""rfm_scores: quantile scores without split ties, codes, segment grid, validation."""

import numpy as np
import pytest
from scipy.stats import rankdata

from crm_mining import DEFAULT_SEGMENT_GRID, RFM_SEGMENTS, quantile_scores, rfm_scores


def test_no_ties_balanced_bins():
    # 10 customers, 5 bins: two customers per score, the best value gets 5
    recency = np.array([70, 10, 100, 40, 20, 90, 30, 60, 80, 50])
    frequency = np.array([3, 9, 1, 6, 8, 2, 7, 5, 4, 10])
    monetary = np.arange(1.0, 11.0)
    result = rfm_scores(recency, frequency, monetary)
    assert result.r.tolist() == [2, 5, 1, 4, 5, 1, 4, 3, 2, 3]
    assert result.f.tolist() == [2, 5, 1, 3, 4, 1, 4, 3, 2, 5]
    assert result.m.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    for scores in (result.r, result.f, result.m):
        assert np.bincount(scores, minlength=6)[1:].tolist() == [2, 2, 2, 2, 2]
        assert scores.dtype == np.int64


def test_ties_are_never_split():
    # ranks (min) 1,1,1,1,5,5,7,8,9,10 -> 1 + floor(5 * (rank - 1) / 10)
    frequency = np.array([1, 1, 1, 1, 2, 2, 3, 4, 5, 6])
    result = rfm_scores(np.zeros(10), frequency, np.zeros(10))
    assert result.f.tolist() == [1, 1, 1, 1, 3, 3, 4, 4, 5, 5]


def test_equal_inputs_equal_scores_and_reference_formula():
    rng = np.random.default_rng(4)
    values = rng.integers(0, 12, 997).astype(float)  # heavy ties, n not a multiple of bins
    for bins in (2, 3, 5, 9):
        scores = quantile_scores(values, bins)
        expected = 1 + np.floor(bins * (rankdata(values, method="min") - 1) / len(values)).astype(int)
        assert np.array_equal(scores, expected)
        for value in np.unique(values):
            assert len(np.unique(scores[values == value])) == 1
        order = np.argsort(values)
        assert np.all(np.diff(scores[order]) >= 0)  # better value, score at least as high
        assert scores.min() >= 1 and scores.max() <= bins


def test_recency_scores_reward_recent_customers():
    result = rfm_scores([0, 400, 5], [1, 1, 1], [1, 1, 1], bins=3)
    assert result.r.tolist() == [3, 1, 2]


def test_single_customer_gets_middle_scores():
    result = rfm_scores([12], [3], [250.0])
    assert (result.r[0], result.f[0], result.m[0]) == (3, 3, 3)
    assert result.code.tolist() == ["333"]
    assert result.segment.tolist() == ["need_attention"]
    assert rfm_scores([12], [3], [250.0], bins=4).code.tolist() == ["222"]


def test_constant_dimension_gets_middle_score():
    result = rfm_scores([1, 2, 3, 4, 5], [2, 2, 2, 2, 2], [50.0] * 5)
    assert result.f.tolist() == [3] * 5
    assert result.m.tolist() == [3] * 5
    assert result.r.tolist() == [5, 4, 3, 2, 1]


def test_codes_and_segments_from_the_grid():
    recency = np.arange(1, 11) * 10  # r = 5,5,4,4,3,3,2,2,1,1
    frequency = np.array([50, 10, 40, 20, 30, 31, 41, 21, 51, 11])  # f = 5,1,4,2,3,3,4,2,5,1
    monetary = np.arange(1, 11) * 100.0  # m = 1,1,2,2,3,3,4,4,5,5
    result = rfm_scores(recency, frequency, monetary)
    assert result.code.tolist() == ["551", "511", "442", "422", "333", "333", "244", "224", "155", "115"]
    assert result.segment.tolist() == [
        "champions", "new_customers", "loyal_customers", "potential_loyalists", "need_attention",
        "need_attention", "at_risk", "hibernating", "cannot_lose", "lost",
    ]
    assert result.code.dtype == object and result.segment.dtype == object


def test_default_grid_is_the_documented_one():
    grid = np.asarray(DEFAULT_SEGMENT_GRID, dtype=object)
    assert grid.shape == (5, 5)
    expected = {
        1: ["lost", "lost", "at_risk", "at_risk", "cannot_lose"],
        2: ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
        3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
        4: ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
        5: ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    }
    for r, row in expected.items():
        assert grid[r - 1].tolist() == row
    assert set(grid.ravel()) == set(RFM_SEGMENTS)
    assert len(RFM_SEGMENTS) == 11 and RFM_SEGMENTS[0] == "champions" and RFM_SEGMENTS[-1] == "lost"


def test_bins_3_maps_to_the_5_scale_grid():
    # r = 3,2,1 and f = 1,2,3 -> 5-scale ceil(s * 5 / 3) = (5,2), (4,4), (2,5)
    result = rfm_scores([1, 2, 3], [1, 2, 3], [3.0, 2.0, 1.0], bins=3)
    assert result.code.tolist() == ["313", "222", "131"]
    assert result.segment.tolist() == ["potential_loyalists", "loyal_customers", "cannot_lose"]


def test_custom_grid():
    grid = [["lost", "lost", "at_risk"],
            ["hibernating", "need_attention", "loyal_customers"],
            ["new_customers", "promising", "champions"]]
    result = rfm_scores([1, 2, 3], [1, 2, 3], [1.0, 2.0, 3.0], bins=3, segment_grid=grid)
    # (r, f) = (3, 1), (2, 2), (1, 3)
    assert result.segment.tolist() == ["new_customers", "need_attention", "at_risk"]
    with pytest.raises(ValueError, match="3 x 3"):
        rfm_scores([1, 2, 3], [1, 2, 3], [1.0, 2.0, 3.0], bins=3, segment_grid=DEFAULT_SEGMENT_GRID)
    with pytest.raises(ValueError, match=r"unknown segment codes.*vip"):
        rfm_scores([1], [1], [1.0], bins=2, segment_grid=[["lost", "vip"], ["lost", "lost"]])


def test_nine_bins_and_empty_input():
    result = rfm_scores(np.arange(9), np.arange(9), np.arange(9.0), bins=9)
    assert result.code[0] == "911" and result.code[-1] == "199"
    empty = rfm_scores([], [], [])
    assert len(empty) == 0 and empty.r.dtype == np.int64 and empty.segment.shape == (0,)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2], [1], [1.0, 2.0]), {}, "same length"),
        (([1, np.nan], [1, 1], [1.0, 2.0]), {}, "NaN"),
        (([1, 2], [1, 1], [1.0, np.inf]), {}, "NaN or infinite"),
        (([-1, 2], [1, 1], [1.0, 2.0]), {}, "negative recency"),
        (([1, 2], [-1, 1], [1.0, 2.0]), {}, "negative frequency"),
        (([1, 2], [1, 1], [-1.0, 2.0]), {}, "negative money"),
        (([1, 2], [1, 1], [1.0, 2.0]), {"bins": 10}, "bins"),
        (([1, 2], [1, 1], [1.0, 2.0]), {"bins": 1}, "bins"),
        (([1, 2], [1, 1], [1.0, 2.0]), {"bins": 2.5}, "bins"),
    ],
)
def test_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        rfm_scores(*args, **kwargs)
