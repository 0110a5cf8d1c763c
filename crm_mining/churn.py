"""Churn risk: who will not buy in the next ``horizon_days``, validated on a later period.

A customer *churns* at a cut-off day ``c`` when they had a purchase day in the history window
before ``c`` and none in ``(c, c + H]`` (the non-contractual definition of Neslin et al. 2006,
"Defection detection", with a fixed horizon). Features at ``c`` are built from the rows on or
before ``c`` only (:func:`crm_mining.features.customer_features`).

Validation is by time only, never a random split (customers recur at every cut-off and the future
must not leak into the past). With the cut-offs ``t0 = end - H`` (test), ``t1 = t0 - H``
(calibration) and ``t2 .. t(n+1)`` (training), each label known before the next cut-off:

* the validation model is trained on the stacked ``t2 .. t(n+1)`` examples, its probabilities
  calibrated on ``t1`` (Platt 1999 sigmoid or isotonic regression, Zadrozny & Elkan 2002), and
  scored on ``t0``: ROC AUC, Brier score, precision at top k, gains and lift by decile
  (:mod:`crm_mining.evaluation`), and the permutation importance of each feature (Breiman 2001);
* the same metrics for a logistic regression (the baseline model) and for the BG/NBD ranking
  ``1 - P(alive)`` fitted at ``t0`` (Fader, Hardie & Lee 2005, :mod:`crm_lifecycle`), so a user sees
  whether the model beats the simple one;
* the scoring model is the same procedure shifted by one horizon (trained on ``t1 .. tn``,
  calibrated on ``t0``) applied to the features at ``end``.

The default model is scikit-learn's histogram gradient boosting (Friedman 2001; it takes the NaN
of undefined features natively). Without early stopping or subsampling it is deterministic: the
same data and ``random_state`` give the same scores.
"""

import dataclasses

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from crm_lifecycle import BetaGeoModel, summarize

from .evaluation import RankingMetrics, ranking_metrics
from .features import FeatureConfig, Transactions, customer_features, purchased_within, top_categories
from .scoring import library_versions

MODELS = ("gradient_boosting", "logistic")
CALIBRATIONS = ("sigmoid", "isotonic", "none")
RISK_BANDS = ("high", "medium", "low")

#: per-customer figures of :func:`score_churn`, in storage order
CHURN_FIGURE_KINDS = {
    "churn_probability": "float",
    "risk_band": "text",
    "risk_decile": "int",
    "p_alive": "float",
    "recency_days": "int",
    "frequency": "int",
    "monetary": "float",
    "annual_margin": "float",
    "value_at_risk": "float",
}
_DTYPES = {"int": np.int64, "float": np.float64, "text": object}


@dataclasses.dataclass(frozen=True)
class ChurnConfig:
    """Settings of a churn run.

    :ivar horizon_days: H, the days without purchase that make a churner
    :ivar training_cutoffs: cut-offs stacked in the training set (n)
    :ivar high_risk, medium_risk: probability thresholds of the risk bands
    :ivar importance_sample: test customers the permutation importance reads (None: all)
    :ivar threads: threads of the numerical libraries (OpenMP of the gradient boosting, BLAS); 1
        by default: beside other Odoo workers on the same cores, more threads make it slower, not
        faster (bench/mining.py --churn); None: the libraries' default (all cores)
    """

    horizon_days: int = 90
    training_cutoffs: int = 3
    model: str = "gradient_boosting"
    calibration: str = "sigmoid"
    n_categories: int = 5
    features: FeatureConfig = dataclasses.field(default_factory=FeatureConfig)
    top_fraction: float = 0.1
    high_risk: float = 0.6
    medium_risk: float = 0.3
    random_state: int = 0
    permutation_repeats: int = 5
    min_customers: int = 30
    max_iter: int = 200
    learning_rate: float = 0.05
    threads: int | None = 1
    importance_sample: int | None = 10000

    def __post_init__(self):
        if self.importance_sample is not None and (
            isinstance(self.importance_sample, bool)
            or not float(self.importance_sample).is_integer()
            or self.importance_sample < 10
        ):
            raise ValueError(
                f"importance_sample must be a whole number of at least 10 or None, "
                f"got {self.importance_sample!r}"
            )
        for name in ("n_categories",):
            value = getattr(self, name)
            if isinstance(value, bool) or not float(value).is_integer() or value < 0:
                raise ValueError(f"{name} must be a whole number of at least 0, got {value!r}")
        for name in ("horizon_days", "training_cutoffs", "min_customers", "max_iter", "permutation_repeats"):
            value = getattr(self, name)
            if isinstance(value, bool) or not float(value).is_integer() or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")
        if self.calibration not in CALIBRATIONS:
            raise ValueError(f"calibration must be one of {CALIBRATIONS}, got {self.calibration!r}")
        if not 0 <= self.medium_risk <= self.high_risk <= 1:
            raise ValueError("the risk thresholds must satisfy 0 <= medium <= high <= 1")
        if not 0 < self.top_fraction <= 1:
            raise ValueError(f"top_fraction must be in (0, 1], got {self.top_fraction!r}")
        if not 0 < self.learning_rate <= 1:
            raise ValueError(f"learning_rate must be in (0, 1], got {self.learning_rate!r}")
        if self.threads is not None and (
            isinstance(self.threads, bool) or not float(self.threads).is_integer() or self.threads < 1
        ):
            raise ValueError(f"threads must be a whole number of at least 1 or None, got {self.threads!r}")

    def cutoffs(self, observation_end):
        """``(test, calibration, training...)`` cut-off days, latest first."""
        end = np.datetime64(observation_end, "D")
        step = np.timedelta64(int(self.horizon_days), "D")
        return tuple(end - step * (i + 1) for i in range(self.training_cutoffs + 2))


@dataclasses.dataclass(frozen=True)
class ChurnScores:
    """What :func:`score_churn` returns: the figures of every customer (``figures[name]`` aligned on
    ``partner_ids``, see :data:`CHURN_FIGURE_KINDS`) and the validation of the model."""

    partner_ids: np.ndarray
    figures: dict
    cutoffs: dict
    metrics: dict  # {"model" | "logistic" | "p_alive": RankingMetrics or None}
    importance: tuple  # ((feature, mean AUC drop, std), ...), largest first
    feature_names: tuple
    categories: tuple
    params: dict
    versions: dict
    train_size: int
    test_size: int
    notes: tuple

    def __len__(self):
        return len(self.partner_ids)


def _signed_log(x):
    return np.sign(x) * np.log1p(np.abs(x))


def build_model(config: ChurnConfig, kind: str | None = None):
    """An unfitted classifier of ``kind`` (default the configured model)."""
    kind = kind or config.model
    if kind == "logistic":
        return make_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True),
            FunctionTransformer(_signed_log),
            StandardScaler(),
            LogisticRegression(max_iter=2000),
        )
    return HistGradientBoostingClassifier(
        max_iter=config.max_iter,
        learning_rate=config.learning_rate,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=config.random_state,
    )


def _frozen(estimator):
    try:
        from sklearn.frozen import FrozenEstimator  # noqa: PLC0415 (scikit-learn >= 1.6)
    except ImportError:  # pragma: no cover - older scikit-learn
        return estimator, {"cv": "prefit"}
    return FrozenEstimator(estimator), {}


class CalibratedChurnModel:
    """A classifier trained on some cut-offs and calibrated on a later one."""

    def __init__(self, config: ChurnConfig, kind: str | None = None):
        self.config = config
        self.kind = kind or config.model

    def fit(self, X_train, y_train, X_cal, y_cal):
        if len(np.unique(y_train)) < 2:
            raise ValueError(
                "every training customer has the same outcome (all churned or all stayed): "
                "lengthen the history or change the horizon"
            )
        # a feature without any value in the training periods (an event series that starts later)
        # carries no information, and scikit-learn's histogram binning fails on an all-NaN column
        self.empty_columns_ = np.isnan(np.asarray(X_train, dtype=np.float64)).all(axis=0)
        X_train, X_cal = self._prepare(X_train), self._prepare(X_cal)
        self.estimator_ = build_model(self.config, self.kind).fit(X_train, y_train)
        self.calibrated_ = False
        if self.config.calibration != "none" and len(np.unique(y_cal)) == 2:
            frozen, extra = _frozen(self.estimator_)
            self.calibrator_ = CalibratedClassifierCV(frozen, method=self.config.calibration, **extra)
            self.calibrator_.fit(X_cal, y_cal)
            self.calibrated_ = True
        return self

    def _prepare(self, X):
        X = np.array(X, dtype=np.float64)
        X[:, self.empty_columns_] = 0.0
        return X

    @property
    def classes_(self):
        return self.estimator_.classes_

    def predict_proba(self, X):
        model = self.calibrator_ if self.calibrated_ else self.estimator_
        return model.predict_proba(self._prepare(X))

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

    def churn_probability(self, X):
        return np.clip(self.predict_proba(X)[:, 1], 0.0, 1.0)


def labelled_examples(transactions, cutoff, horizon_days, categories, events, features_config):
    """Features at ``cutoff`` and the churn label of each customer (1: no purchase in H days)."""
    matrix = customer_features(transactions, cutoff, categories, events, features_config)
    bought = purchased_within(transactions, matrix.partner_ids, cutoff, horizon_days)
    return matrix, (~bought).astype(np.int64)


def _stack(examples):
    return np.vstack([m.X for m, _y in examples]), np.concatenate([y for _m, y in examples])


def p_alive_at(transactions, cutoff, partner_ids, history_days):
    """BG/NBD P(alive) at ``cutoff`` of ``partner_ids`` (NaN when the model cannot be fitted)."""
    start = np.datetime64(cutoff, "D") - np.timedelta64(history_days, "D")
    keep = (transactions.dates > start) & (transactions.dates <= np.datetime64(cutoff, "D"))
    summary = summarize(
        transactions.partner_ids[keep], transactions.dates[keep], transactions.revenue[keep], cutoff
    )
    out = np.full(len(partner_ids), np.nan)
    if len(summary) < 10 or not np.any(summary.frequency > 0):
        return out
    try:
        model = BetaGeoModel().fit(summary.frequency, summary.recency, summary.T)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError):
        return out
    alive = model.prob_alive(summary.frequency, summary.recency, summary.T)
    pos = np.searchsorted(summary.customer_ids, partner_ids)
    pos = np.minimum(pos, len(summary.customer_ids) - 1)
    found = summary.customer_ids[pos] == partner_ids
    out[found] = alive[pos[found]]
    return out


def _importance_sample(n, config):
    """Rows of the test set the permutation importance reads: all of them, or a seeded random
    sample of ``config.importance_sample`` (the importance costs a prediction of the test set per
    feature and repeat: most of a run's time at 100k customers)."""
    if not config.importance_sample or n <= config.importance_sample:
        return np.arange(n)
    rng = np.random.default_rng(config.random_state)
    return np.sort(rng.choice(n, size=config.importance_sample, replace=False))


def _auc_scorer(model, X, y):
    return roc_auc_score(y, model.churn_probability(X))


def _risk_bands(probability, config):
    return np.where(
        probability >= config.high_risk, "high", np.where(probability >= config.medium_risk, "medium", "low")
    ).astype(object)


def _deciles(probability):
    """1 for the highest tenth of the probabilities, ..., 10 for the lowest (stable on ties)."""
    n = len(probability)
    order = np.argsort(-probability, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    return (ranks * 10 // max(n, 1) + 1).astype(np.int64)


def _annual_margin(transactions, partner_ids, end):
    end = np.datetime64(end, "D")
    keep = (transactions.dates > end - np.timedelta64(365, "D")) & (transactions.dates <= end)
    ids, margin = transactions.partner_ids[keep], transactions.margin[keep]
    pos = np.searchsorted(partner_ids, ids)
    pos = np.minimum(pos, max(len(partner_ids) - 1, 0))
    known = partner_ids[pos] == ids if len(partner_ids) else np.zeros(len(ids), dtype=bool)
    return np.bincount(pos[known], weights=margin[known], minlength=len(partner_ids))


def score_churn(
    transactions: Transactions,
    observation_end,
    config: ChurnConfig = ChurnConfig(),  # frozen, hence safe as a default
    events: dict | None = None,
) -> ChurnScores:
    """Validate the churn model on the last labelled period and score every current customer
    (:func:`_score_churn`), with the numerical libraries limited to ``config.threads``."""
    if config.threads is None:
        return _score_churn(transactions, observation_end, config, events)
    with threadpool_limits(limits=int(config.threads)):
        return _score_churn(transactions, observation_end, config, events)


def _score_churn(transactions, observation_end, config, events) -> ChurnScores:
    """Validate the churn model on the last labelled period and score every current customer.

    :param transactions: the company's rows (:class:`crm_mining.features.Transactions`)
    :param observation_end: the scoring day (today); nothing after it is read
    :param events: optional extra dated series (:class:`crm_mining.features.Events`)
    :rtype: ChurnScores
    """
    end = np.datetime64(observation_end, "D")
    if np.isnat(end):
        raise ValueError("observation_end is missing")
    test_cut, cal_cut, *train_cuts = config.cutoffs(end)
    earliest = train_cuts[-1]
    categories = top_categories(transactions, earliest, config.n_categories)
    fc = config.features
    H = int(config.horizon_days)

    def examples(cut):
        return labelled_examples(transactions, cut, H, categories, events, fc)

    by_cut = {cut: examples(cut) for cut in (test_cut, cal_cut, *train_cuts)}
    train = [by_cut[c] for c in train_cuts]
    X_train, y_train = _stack(train)
    test_matrix, y_test = by_cut[test_cut]
    cal_matrix, y_cal = by_cut[cal_cut]
    if len(y_train) < config.min_customers or len(y_test) < config.min_customers:
        raise ValueError(
            f"too few customers to learn churn: {len(y_train)} training examples and {len(y_test)} "
            f"customers at the test cut-off {test_cut} (at least {config.min_customers} each); "
            f"lengthen the history or shorten the horizon"
        )
    notes = []
    metrics = {}
    model = CalibratedChurnModel(config).fit(X_train, y_train, cal_matrix.X, y_cal)
    if not model.calibrated_ and config.calibration != "none":
        notes.append("calibration_skipped")
    metrics["model"] = ranking_metrics(y_test, model.churn_probability(test_matrix.X), config.top_fraction)
    baseline_kind = "logistic" if config.model != "logistic" else "gradient_boosting"
    baseline = CalibratedChurnModel(config, baseline_kind).fit(X_train, y_train, cal_matrix.X, y_cal)
    metrics[baseline_kind] = ranking_metrics(
        y_test, baseline.churn_probability(test_matrix.X), config.top_fraction
    )
    alive = p_alive_at(transactions, test_cut, test_matrix.partner_ids, fc.history_days)
    metrics["p_alive"] = None
    if np.all(np.isfinite(alive)):
        metrics["p_alive"] = ranking_metrics(y_test, 1.0 - alive, config.top_fraction)
    else:
        notes.append("p_alive_unavailable")
    importance = ()
    sample = _importance_sample(len(y_test), config)
    if 0 < y_test[sample].sum() < len(sample):
        result = permutation_importance(
            model,
            test_matrix.X[sample],
            y_test[sample],
            scoring=_auc_scorer,
            n_repeats=config.permutation_repeats,
            random_state=config.random_state,
        )
        order = np.lexsort((np.arange(len(test_matrix.names)), -result.importances_mean))
        importance = tuple(
            (test_matrix.names[i], float(result.importances_mean[i]), float(result.importances_std[i]))
            for i in order
        )

    # the scoring model: the same procedure one horizon later
    final_train = [by_cut[c] for c in (cal_cut, *train_cuts[:-1])]
    X_final, y_final = _stack(final_train)
    final = CalibratedChurnModel(config).fit(X_final, y_final, test_matrix.X, y_test)
    current = customer_features(transactions, end, categories, events, fc)
    ids = current.partner_ids
    probability = final.churn_probability(current.X) if len(ids) else np.empty(0)
    p_alive = p_alive_at(transactions, end, ids, fc.history_days)
    annual = _annual_margin(transactions, ids, end)
    figures = {
        "churn_probability": probability,
        "risk_band": _risk_bands(probability, config),
        "risk_decile": _deciles(probability),
        "p_alive": p_alive,
        "recency_days": np.rint(current.column("recency_days")) if len(ids) else np.empty(0),
        "frequency": np.rint(current.column("frequency")) if len(ids) else np.empty(0),
        "monetary": current.column("monetary") if len(ids) else np.empty(0),
        "annual_margin": annual,
        "value_at_risk": probability * np.maximum(annual, 0.0),
    }
    figures = {
        name: np.asarray(figures[name], dtype=_DTYPES[kind]) for name, kind in CHURN_FIGURE_KINDS.items()
    }
    params = {
        "model": config.model,
        **{
            k: v
            for k, v in build_model(config).get_params().items()
            if isinstance(v, (int, float, str, bool, type(None)))
        },
    }
    return ChurnScores(
        partner_ids=ids,
        figures=figures,
        cutoffs={
            "test": str(test_cut),
            "calibration": str(cal_cut),
            "training": [str(c) for c in train_cuts],
            "scoring": str(end),
        },
        metrics=metrics,
        importance=importance,
        feature_names=current.names,
        categories=tuple(int(c) for c in categories),
        params=params,
        versions=library_versions(),
        train_size=len(y_train),
        test_size=len(y_test),
        notes=tuple(notes),
    )


__all__ = [
    "CHURN_FIGURE_KINDS",
    "RISK_BANDS",
    "CalibratedChurnModel",
    "ChurnConfig",
    "ChurnScores",
    "RankingMetrics",
    "build_model",
    "labelled_examples",
    "p_alive_at",
    "score_churn",
]
