"""summarize_rfm: purchase days, refunds, exclusions, unsorted input."""

import datetime

import numpy as np
import pytest

from crm_mining import summarize_rfm

END = datetime.date(2026, 6, 30)


def _rows():
    d = np.datetime64
    rows = [
        # partner, day, revenue, margin
        (7, d("2026-06-01"), 100.0, 30.0),
        (7, d("2026-06-05"), -20.0, -6.0),  # refund-only day: no purchase
        (7, d("2026-06-10"), 50.0, 10.0),
        (3, d("2026-05-02"), -40.0, -12.0),  # refunds only: not a buyer
        (5, d("2026-04-02"), 10.0, 3.0),
        (5, d("2026-04-08"), -30.0, -9.0),  # refunds beyond the purchases: money clipped at 0
        (9, d("2026-06-20"), 80.0, 20.0),
        (9, d("2026-06-20"), -80.0, -20.0),  # the same day netted to nothing
        (9, d("2026-03-01"), 15.0, 5.0),
        (9, d("2026-07-02"), 999.0, 99.0),  # after the observation end: ignored
    ]
    ids, days, revenue, margin = zip(*rows, strict=True)
    return np.array(ids), np.array(days, dtype="datetime64[D]"), np.array(revenue), np.array(margin)


def test_hand_made_rows():
    summary = summarize_rfm(*_rows(), END)
    assert summary.partner_ids.tolist() == [5, 7, 9]
    assert summary.frequency.tolist() == [1, 2, 1]
    assert summary.last_purchase.tolist() == [datetime.date(2026, 4, 2), datetime.date(2026, 6, 10),
                                              datetime.date(2026, 3, 1)]
    assert summary.recency_days.tolist() == [89, 20, 121]
    assert summary.monetary.tolist() == [0.0, 130.0, 15.0]
    assert summary.margin.tolist() == [-6.0, 34.0, 5.0]
    assert summary.partner_ids.dtype == np.int64 and summary.recency_days.dtype == np.int64
    assert summary.frequency.dtype == np.int64 and summary.monetary.dtype == np.float64
    assert summary.last_purchase.dtype == np.dtype("datetime64[D]")
    assert len(summary) == 3


def test_unsorted_input_gives_the_same_summary():
    ids, days, revenue, margin = _rows()
    expected = summarize_rfm(ids, days, revenue, margin, END)
    for seed in range(5):
        perm = np.random.default_rng(seed).permutation(len(ids))
        got = summarize_rfm(ids[perm], days[perm], revenue[perm], margin[perm], np.datetime64(END))
        for field in ("partner_ids", "recency_days", "frequency", "monetary", "margin", "last_purchase"):
            assert np.array_equal(getattr(got, field), getattr(expected, field)), field


def test_empty_and_refund_only_input():
    assert len(summarize_rfm([], [], [], [], END)) == 0
    only_refunds = summarize_rfm([1, 2], ["2026-01-01", "2026-01-02"], [-5.0, -1.0], [0.0, 0.0], END)
    assert len(only_refunds) == 0 and only_refunds.last_purchase.dtype == np.dtype("datetime64[D]")


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        summarize_rfm([1, 2], ["2026-01-01"], [1.0, 2.0], [1.0, 2.0], END)
    with pytest.raises(ValueError, match="revenue contains NaN"):
        summarize_rfm([1], ["2026-01-01"], [np.nan], [1.0], END)
    with pytest.raises(ValueError, match="missing dates"):
        summarize_rfm([1], [np.datetime64("NaT")], [1.0], [1.0], END)
