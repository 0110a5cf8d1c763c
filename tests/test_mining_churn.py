"""Churn scoring: time-split validation, calibration, baselines, reproducibility, bad input."""

import itertools

import numpy as np
import pytest
from mining_synthetic import END, simulate
from sklearn.metrics import brier_score_loss, roc_auc_score

from crm_mining import (
    CHURN_FIGURE_KINDS,
    ChurnConfig,
    Transactions,
    customer_features,
    gains_by_decile,
    purchased_within,
    ranking_metrics,
    score_churn,
)
from crm_mining.churn import labelled_examples

CONFIG = ChurnConfig(horizon_days=90, training_cutoffs=3, max_iter=60, permutation_repeats=2)


@pytest.fixture(scope="module")
def tx():
    return Transactions.from_arrays(*simulate(700, seed=1))


@pytest.fixture(scope="module")
def scores(tx):
    return score_churn(tx, END, CONFIG)


def test_cutoffs_are_one_horizon_apart_and_labels_known_before_the_test(scores):
    cut = scores.cutoffs
    days = [np.datetime64(d) for d in (cut["test"], cut["calibration"], *cut["training"])]
    assert days[0] == END - np.timedelta64(90, "D")
    assert all((a - b).astype(int) == 90 for a, b in itertools.pairwise(days))
    # the latest training label ends at the calibration cut-off, the calibration label at the test
    assert days[2] + np.timedelta64(90, "D") == days[1]


def test_figures_cover_the_current_customers(tx, scores):
    current = customer_features(tx, END)
    np.testing.assert_array_equal(scores.partner_ids, current.partner_ids)
    assert set(scores.figures) == set(CHURN_FIGURE_KINDS)
    p = scores.figures["churn_probability"]
    assert np.all((p >= 0) & (p <= 1))
    band = scores.figures["risk_band"]
    assert set(band[p >= 0.6]) <= {"high"} and set(band[p < 0.3]) <= {"low"}
    assert set(scores.figures["risk_decile"]) == set(range(1, 11))
    # decile 1 holds the highest probabilities
    d = scores.figures["risk_decile"]
    assert p[d == 1].min() >= p[d == 10].max()
    np.testing.assert_allclose(
        scores.figures["value_at_risk"], p * np.maximum(scores.figures["annual_margin"], 0)
    )


def test_model_beats_chance_and_reports_baselines(scores):
    model, logistic, alive = scores.metrics["model"], scores.metrics["logistic"], scores.metrics["p_alive"]
    assert model.auc > 0.7 and logistic.auc > 0.65 and alive.auc > 0.6
    assert 0 <= model.brier <= 0.25
    assert model.gains[-1] == pytest.approx(1.0)
    assert scores.importance and {name for name, _m, _s in scores.importance} == set(scores.feature_names)
    assert scores.train_size > scores.test_size > 0


def test_the_test_metrics_are_those_of_the_test_cutoff(tx):
    """Recompute the validation by hand: train on the training cut-offs, calibrate on the next,
    score the test cut-off; the AUC and Brier equal the reported ones."""
    from crm_mining.churn import CalibratedChurnModel
    from crm_mining.features import top_categories

    test_cut, cal_cut, *train_cuts = CONFIG.cutoffs(END)
    cats = top_categories(tx, train_cuts[-1], CONFIG.n_categories)
    train = [labelled_examples(tx, c, 90, cats, None, CONFIG.features) for c in train_cuts]
    cal_m, y_cal = labelled_examples(tx, cal_cut, 90, cats, None, CONFIG.features)
    test_m, y_test = labelled_examples(tx, test_cut, 90, cats, None, CONFIG.features)
    model = CalibratedChurnModel(CONFIG).fit(
        np.vstack([m.X for m, _ in train]), np.concatenate([y for _, y in train]), cal_m.X, y_cal
    )
    p = model.churn_probability(test_m.X)
    reported = score_churn(tx, END, CONFIG).metrics["model"]
    assert reported.auc == pytest.approx(roc_auc_score(y_test, p))
    assert reported.brier == pytest.approx(brier_score_loss(y_test, p))
    # and the label is "no purchase in the 90 days after the cut-off"
    np.testing.assert_array_equal(y_test, ~purchased_within(tx, test_m.partner_ids, test_cut, 90))


def test_calibration_bounds_and_reliability(tx, scores):
    """Calibrated probabilities stay in [0, 1] and, on the test cut-off, the mean predicted churn
    is close to the observed churn rate (sigmoid calibration on the previous period)."""
    test = scores.metrics["model"]
    assert 0 < test.positives < test.n
    from crm_mining.churn import CalibratedChurnModel
    from crm_mining.features import top_categories

    test_cut, cal_cut, *train_cuts = CONFIG.cutoffs(END)
    cats = top_categories(tx, train_cuts[-1], CONFIG.n_categories)
    train = [labelled_examples(tx, c, 90, cats, None, CONFIG.features) for c in train_cuts]
    cal_m, y_cal = labelled_examples(tx, cal_cut, 90, cats, None, CONFIG.features)
    test_m, y_test = labelled_examples(tx, test_cut, 90, cats, None, CONFIG.features)
    for method in ("sigmoid", "isotonic"):
        config = ChurnConfig(**{**CONFIG.__dict__, "calibration": method})
        model = CalibratedChurnModel(config).fit(
            np.vstack([m.X for m, _ in train]), np.concatenate([y for _, y in train]), cal_m.X, y_cal
        )
        p = model.churn_probability(test_m.X)
        assert model.calibrated_ and np.all((p >= 0) & (p <= 1))
        assert abs(p.mean() - y_test.mean()) < 0.08


def test_same_data_and_seed_give_the_same_scores(tx, scores):
    again = score_churn(tx, END, CONFIG)
    np.testing.assert_array_equal(again.figures["churn_probability"], scores.figures["churn_probability"])
    assert again.importance == scores.importance


def test_importance_on_a_sample_of_the_test_customers(tx, scores):
    """With a sample smaller than the test set, the importance reads a seeded sample: other values,
    the same features, reproducible; the scores do not change."""
    config = ChurnConfig(**{**CONFIG.__dict__, "importance_sample": 100})
    sampled, again = score_churn(tx, END, config), score_churn(tx, END, config)
    assert scores.test_size > 100
    assert {n for n, _m, _s in sampled.importance} == {n for n, _m, _s in scores.importance}
    assert sampled.importance != scores.importance and sampled.importance == again.importance
    np.testing.assert_array_equal(sampled.figures["churn_probability"], scores.figures["churn_probability"])


def test_logistic_as_the_main_model(tx):
    result = score_churn(tx, END, ChurnConfig(**{**CONFIG.__dict__, "model": "logistic"}))
    assert set(result.metrics) == {"model", "gradient_boosting", "p_alive"}


def test_an_event_series_without_values_in_the_training_periods(tx):
    """A mean rating series that starts after the training periods is all NaN there: it is ignored,
    not an error of the histogram binning."""
    from crm_mining import Events

    ids = tx.partner_ids[:50]
    late = Events.from_arrays(
        ids, np.full(len(ids), END - np.timedelta64(10, "D")), np.full(len(ids), 4.0), how="mean"
    )
    result = score_churn(tx, END, CONFIG, events={"satisfaction": late})
    assert "event:satisfaction" in result.feature_names
    assert np.all((result.figures["churn_probability"] >= 0) & (result.figures["churn_probability"] <= 1))


def test_ranking_metrics_hand_computed():
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    s = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    m = ranking_metrics(y, s, top_fraction=0.2)
    assert m.precision_at_k == 0.5  # the top 2: 1, 0
    gains, lift = gains_by_decile(y, s)
    assert gains[0] == pytest.approx(1 / 3) and gains[2] == pytest.approx(2 / 3) and gains[9] == 1.0
    assert lift[0] == pytest.approx(10 / 3)
    assert m.auc == pytest.approx(roc_auc_score(y, s))
    single = ranking_metrics([0, 0], [0.1, 0.2])
    assert np.isnan(single.auc)


def test_bad_input(tx):
    with pytest.raises(ValueError, match="model"):
        ChurnConfig(model="forest")
    with pytest.raises(ValueError, match="risk thresholds"):
        ChurnConfig(high_risk=0.2, medium_risk=0.5)
    with pytest.raises(ValueError, match="horizon_days"):
        ChurnConfig(horizon_days=0)
    with pytest.raises(ValueError, match="threads"):
        ChurnConfig(threads=0)
    with pytest.raises(ValueError, match="n_categories"):
        ChurnConfig(n_categories=-1)
    with pytest.raises(ValueError, match="permutation_repeats"):
        ChurnConfig(permutation_repeats=0)
    with pytest.raises(ValueError, match="importance_sample"):
        ChurnConfig(importance_sample=3)
    few = Transactions.from_arrays([1, 2], ["2026-01-01", "2026-02-01"], [10.0, 20.0])
    with pytest.raises(ValueError, match="too few customers"):
        score_churn(few, END, CONFIG)
    with pytest.raises(ValueError, match="top_fraction"):
        ranking_metrics([1, 0], [0.5, 0.5], top_fraction=0)
