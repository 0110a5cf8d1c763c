"""Metrics of a ranking of customers by a predicted probability (churn, response).

* ROC AUC (Hanley & McNeil 1982) and the Brier score (Brier 1950), from scikit-learn;
* precision at top k: the share of positives among the ``top_fraction`` highest scores;
* cumulative gains and lift by decile (Berry & Linoff, "Data Mining Techniques", ch. 5): sorted by
  score, the share of all positives found in the first d tenths, and that share divided by d/10.
  Ties in the score are broken by the row order of a stable sort on the negated score, so equal
  scores keep their input order (the result does not depend on a random tie-break).
"""

import dataclasses

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score


@dataclasses.dataclass(frozen=True)
class RankingMetrics:
    """Metrics of one scored test set (``auc`` NaN when it holds a single class)."""

    n: int
    positives: int
    auc: float
    brier: float
    precision_at_k: float
    top_fraction: float
    gains: tuple  # cumulative share of positives in the top 10 %, 20 %, ..., 100 %
    lift: tuple  # gains / decile share

    def as_dict(self):
        return dataclasses.asdict(self)


def gains_by_decile(y_true, scores, bins=10):
    """Cumulative gains and lift per ``bins`` quantile of the population sorted by score."""
    y = np.asarray(y_true, dtype=np.float64)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    found = np.cumsum(y[order])
    total = found[-1] if len(found) else 0.0
    cuts = np.ceil(np.arange(1, bins + 1) * len(y) / bins).astype(int)
    gains = np.array([found[c - 1] / total if total and c else 0.0 for c in cuts])
    lift = gains / (np.arange(1, bins + 1) / bins)
    return tuple(float(g) for g in gains), tuple(float(v) for v in lift)


def ranking_metrics(y_true, scores, top_fraction=0.1) -> RankingMetrics:
    """Metrics of ``scores`` (probabilities in [0, 1]) against the 0/1 outcomes ``y_true``."""
    y = np.asarray(y_true, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if len(y) != len(s):
        raise ValueError("y_true and scores must have the same length")
    if not 0 < top_fraction <= 1:
        raise ValueError(f"top_fraction must be in (0, 1], got {top_fraction!r}")
    if not len(y):
        raise ValueError("no customer to evaluate")
    auc = float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")
    k = max(int(np.ceil(top_fraction * len(y))), 1)
    top = np.argsort(-s, kind="stable")[:k]
    gains, lift = gains_by_decile(y, s)
    return RankingMetrics(
        n=len(y),
        positives=int(y.sum()),
        auc=auc,
        brier=float(brier_score_loss(y, np.clip(s, 0.0, 1.0))),
        precision_at_k=float(y[top].mean()),
        top_fraction=float(top_fraction),
        gains=gains,
        lift=lift,
    )
