"""Campaign response: the direct-marketing decision tree and its rules as text.

The textbook's response model (Berry & Linoff, "Data Mining Techniques", ch. 7): a classification
tree (CART, Breiman et al. 1984) learned on past contacts (features of the customer on the day of
the contact, :mod:`crm_mining.features`; label: the customer ordered within N days), pruned by
minimal cost-complexity with the complexity parameter chosen by stratified k-fold
cross-validation (the ROC AUC of the out-of-fold predictions), each leaf read as a rule::

    if recency_days <= 45 and frequency > 2 then responds: 38% of 412 customers, lift 2.9

The lift of a rule is its response rate divided by the rate of all contacts. The engine returns
the rules as structured conditions (feature, operator, threshold); :meth:`ResponseRule.text` is the
plain English form, the Odoo addon assembles the translated wording.
"""

import dataclasses

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from .evaluation import RankingMetrics, ranking_metrics
from .features import FeatureConfig, customer_features, feature_names, purchased_within
from .scoring import library_versions


@dataclasses.dataclass(frozen=True)
class ResponseConfig:
    """Settings of the response tree.

    :ivar min_samples_leaf: smallest leaf (a rule covers at least that many contacts)
    :ivar max_depth: deepest rule (conditions before simplification)
    :ivar folds: cross-validation folds choosing the pruning
    :ivar max_alphas: pruning levels tried (evenly spaced over the tree's pruning path)
    """

    min_samples_leaf: int = 20
    max_depth: int = 4
    folds: int = 5
    max_alphas: int = 20
    random_state: int = 0
    top_fraction: float = 0.1

    def __post_init__(self):
        for name in ("min_samples_leaf", "max_depth", "max_alphas"):
            value = getattr(self, name)
            if isinstance(value, bool) or not float(value).is_integer() or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
        if isinstance(self.folds, bool) or not float(self.folds).is_integer() or self.folds < 2:
            raise ValueError(f"folds must be a whole number of at least 2, got {self.folds!r}")
        if not 0 < self.top_fraction <= 1:
            raise ValueError(f"top_fraction must be in (0, 1], got {self.top_fraction!r}")


@dataclasses.dataclass(frozen=True)
class ResponseRule:
    """One leaf of the tree: ``conditions`` ((feature, "<=" or ">", threshold), ...), at most one
    upper and one lower bound per feature."""

    leaf: int
    conditions: tuple
    samples: int
    responders: int
    rate: float
    lift: float

    def text(self, percent=True):
        parts = [f"{name} {op} {threshold:g}" for name, op, threshold in self.conditions]
        condition = " and ".join(parts) if parts else "always"
        rate = f"{100 * self.rate:.0f}%" if percent else f"{self.rate:.3f}"
        return f"if {condition} then responds: {rate} of {self.samples} customers, lift {self.lift:.1f}"


@dataclasses.dataclass(frozen=True)
class ResponseTree:
    """The pruned tree fitted on all contacts, its rules (highest lift first) and its validation
    (out-of-fold predictions)."""

    estimator: DecisionTreeClassifier
    feature_names: tuple
    fill_values: np.ndarray
    rules: tuple
    base_rate: float
    ccp_alpha: float
    cv_auc_by_alpha: tuple  # ((alpha, mean out-of-fold AUC), ...)
    metrics: RankingMetrics
    n_contacts: int
    versions: dict

    def predict_proba(self, X):
        """Response probability of each row: its leaf's response rate."""
        return self.estimator.predict_proba(_fill(X, self.fill_values))[:, 1]

    def leaves(self, X):
        return self.estimator.apply(_fill(X, self.fill_values))

    def targets(self, X, min_lift=1.0):
        """Score the customers ``X`` for the next campaign: ``(response rates, leaves, targets)``,
        a target being a customer whose rate reaches ``min_lift`` times the rate of all contacts
        (empty arrays for no customer)."""
        X = np.asarray(X, dtype=np.float64)
        if not len(X):
            return np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
        rates = self.predict_proba(X)
        return rates, self.leaves(X).astype(np.int64), rates >= self.base_rate * min_lift


def _tree(config, alpha=0.0):
    return DecisionTreeClassifier(
        min_samples_leaf=config.min_samples_leaf,
        max_depth=config.max_depth,
        ccp_alpha=alpha,
        random_state=config.random_state,
    )


def fill_values(X):
    """The median of each column (0 for a column without values): what stands for an undefined
    feature (the gaps of a customer with one purchase), so that each rule reads exactly."""
    X = np.asarray(X, dtype=np.float64)
    present = ~np.isnan(X)
    medians = np.zeros(X.shape[1])
    for j in np.flatnonzero(present.any(axis=0)):
        medians[j] = np.median(X[present[:, j], j])
    return medians


def _fill(X, values):
    X = np.asarray(X, dtype=np.float64)
    return np.where(np.isnan(X), values, X)


def _out_of_fold(X, y, config, alphas, groups=None):
    """Out-of-fold response rates for each pruning level (one tree per fold and level); with
    ``groups`` (the customer of each contact), a customer's contacts stay in one fold."""
    if groups is None:
        folds = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.random_state)
    else:
        folds = StratifiedGroupKFold(n_splits=config.folds, shuffle=True, random_state=config.random_state)
    predictions = np.zeros((len(alphas), len(y)))
    for train, test in folds.split(X, y, groups):
        for i, alpha in enumerate(alphas):
            tree = _tree(config, alpha).fit(X[train], y[train])
            predictions[i, test] = tree.predict_proba(X[test])[:, 1]
    return predictions


def _rules(tree, feature_names, base_rate):
    """The leaves of ``tree`` as rules: conditions merged per feature (tightest bounds)."""
    t = tree.tree_
    rules = []

    def walk(node, bounds):
        if t.children_left[node] == -1:
            counts = t.value[node][0]
            samples = int(t.n_node_samples[node])
            # value holds class fractions (scikit-learn >= 1.4) or counts: the rate is the same
            rate = float(counts[1] / counts.sum()) if counts.sum() else 0.0
            conditions = []
            for feature in sorted(bounds):
                low, high = bounds[feature]
                if low is not None:
                    conditions.append((feature_names[feature], ">", float(low)))
                if high is not None:
                    conditions.append((feature_names[feature], "<=", float(high)))
            rules.append(
                ResponseRule(
                    leaf=int(node),
                    conditions=tuple(conditions),
                    samples=samples,
                    responders=round(rate * samples),
                    rate=rate,
                    lift=rate / base_rate if base_rate else 0.0,
                )
            )
            return
        feature, threshold = int(t.feature[node]), float(t.threshold[node])
        low, high = bounds.get(feature, (None, None))
        left = dict(bounds)
        left[feature] = (low, threshold if high is None else min(high, threshold))
        walk(t.children_left[node], left)
        right = dict(bounds)
        right[feature] = (threshold if low is None else max(low, threshold), high)
        walk(t.children_right[node], right)

    walk(0, {})
    rules.sort(key=lambda rule: (-rule.lift, -rule.samples, rule.leaf))
    return tuple(rules)


def fit_response_tree(
    X, y, feature_names, config: ResponseConfig = ResponseConfig(), groups=None
) -> ResponseTree:
    """Learn the pruned response tree of the contacts ``X`` (features) with outcomes ``y`` (1:
    responded).

    :param groups: optional customer of each contact: the cross-validation keeps a customer
        contacted several times in one fold (``StratifiedGroupKFold``), so that the pruning is not
        chosen on customers the trees have already seen

    :raises ValueError: on misaligned or non-binary input, or too few responders / non-responders
        for the cross-validation
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[0] != len(y):
        raise ValueError(f"X must be (contacts x features) aligned with y, got {X.shape} and {len(y)}")
    if X.shape[1] != len(feature_names):
        raise ValueError(f"{X.shape[1]} feature columns but {len(feature_names)} names")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must hold 0 (no response) and 1 (responded) only")
    y = y.astype(np.int64)
    positives = int(y.sum())
    if min(positives, len(y) - positives) < config.folds:
        raise ValueError(
            f"{positives} responders among {len(y)} contacts: at least {config.folds} responders "
            f"and {config.folds} non-responders are needed to validate a response model"
        )
    fill = fill_values(X)
    X = _fill(X, fill)
    path = _tree(config).cost_complexity_pruning_path(X, y)
    alphas = np.unique(path.ccp_alphas[:-1]) if len(path.ccp_alphas) > 1 else np.zeros(1)
    if len(alphas) > config.max_alphas:
        alphas = np.unique(np.quantile(alphas, np.linspace(0, 1, config.max_alphas), method="nearest"))
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != y.shape:
            raise ValueError("groups must hold one customer per contact")
        if len(np.unique(groups)) < config.folds:
            raise ValueError(
                f"{len(np.unique(groups))} customers: at least {config.folds} are needed "
                f"for {config.folds} cross-validation folds"
            )
    predictions = _out_of_fold(X, y, config, alphas, groups)
    aucs = np.array([roc_auc_score(y, p) for p in predictions])
    best = int(np.flatnonzero(aucs >= aucs.max() - 1e-12)[-1])  # the simplest of the best trees
    tree = _tree(config, float(alphas[best])).fit(X, y)
    base_rate = positives / len(y)
    return ResponseTree(
        estimator=tree,
        feature_names=tuple(feature_names),
        fill_values=fill,
        rules=_rules(tree, feature_names, base_rate),
        base_rate=base_rate,
        ccp_alpha=float(alphas[best]),
        cv_auc_by_alpha=tuple((float(a), float(v)) for a, v in zip(alphas, aucs, strict=True)),
        metrics=ranking_metrics(y, predictions[best], config.top_fraction),
        n_contacts=len(y),
        versions=library_versions(),
    )


def contact_examples(
    transactions, partner_ids, contact_dates, window_days, categories=(), events=None, features_config=None
):
    """Features of each contacted customer on its contact day and whether it bought within
    ``window_days`` after it (the training rows of :func:`fit_response_tree`).

    Customers without a purchase in the history window before their contact get the features of a
    new customer (no purchase: recency and tenure the history length, the rest 0 or undefined).

    :return: ``(X, y, feature_names)``
    """
    config = features_config or FeatureConfig()
    ids = np.asarray(partner_ids, dtype=np.int64)
    days = np.asarray(contact_dates, dtype="datetime64[D]")
    if ids.shape != days.shape:
        raise ValueError("partner_ids and contact_dates must have the same length")
    names = feature_names(categories, events)
    X = np.full((len(ids), len(names)), np.nan)
    for day in np.unique(days):
        rows = np.flatnonzero(days == day)
        matrix = customer_features(transactions, day, categories, events, config)
        pos = np.searchsorted(matrix.partner_ids, ids[rows])
        pos = np.minimum(pos, max(len(matrix) - 1, 0))
        found = (matrix.partner_ids[pos] == ids[rows]) if len(matrix) else np.zeros(len(rows), dtype=bool)
        X[rows[found]] = matrix.X[pos[found]]
        new = rows[~found]
        X[np.ix_(new, [names.index("recency_days"), names.index("tenure_days")])] = config.history_days
        zero = [
            i
            for i, name in enumerate(names)
            if name in ("frequency", "monetary", "avg_order_value", "spend_trend", "refund_share")
            or name.startswith(("category:", "event:"))
        ]
        X[np.ix_(new, zero)] = 0.0
    y = purchased_within(transactions, ids, days, window_days).astype(np.int64)
    return X, y, names
