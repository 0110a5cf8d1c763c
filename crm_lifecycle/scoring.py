"""Every lifecycle and value figure of every customer, in one call.

:func:`score_customers` turns the customer transaction facts of one company (one row per customer
and day: net revenue and margin) and the previously published figures into the figures that the
Odoo addon stores per customer: purchase history, BTYD predictions, CLVs, lifecycle stage with its
date and transition, customer pyramid tier, value-matrix quadrant, at-risk flag and retention
reason. It also returns the fitted model, the holdout comparison of the candidate purchase models
and the stage transition matrix.

Conventions:

* time unit: the day (``period_days = 1``); the customer's clock starts at the **first-ever**
  purchase (``first_purchase``), which may lie before the analysis window. A customer born before
  the window has every purchase of the window counted as a repeat purchase; purchases between the
  birth and the window start are not observed, so frequency is a lower bound for such customers
  (the cost of reading a bounded window instead of the whole history);
* a purchase is a day with a positive net amount: refunds are netted with the invoice they
  reverse on that invoice's day by the facts service, so a fully refunded invoice is no purchase;
* customers in ``lapsed`` bought before the window and never in it: they are churned;
  ``prospects`` never bought.
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike

from ._validation import check_same_length
from .bgnbd import BetaGeoModel, ModifiedBetaGeoModel
from .clv import customer_lifetime_value, expected_retention_clv
from .gamma_gamma import GammaGammaModel
from .metrics import annualized, holdout_errors, mean_purchase_gap
from .pareto_nbd import ParetoNBDModel
from .stages import STAGES, StageThresholds, classify_stages, revenue_trend, stage_transitions
from .summary import calibration_holdout_split, summarize
from .tiers import TIERS, pyramid_tiers, value_matrix

#: purchase models a run may use: code -> estimator class
PURCHASE_MODELS = {
    "bgnbd": BetaGeoModel,
    "mbgnbd": ModifiedBetaGeoModel,
    "pareto": ParetoNBDModel,
}
#: figure names and kinds, in storage order: every per-customer value :func:`score_customers` returns
FIGURE_KINDS = {
    "first_purchase_date": "date",
    "last_purchase_date": "date",
    "purchase_count": "int",
    "frequency": "int",
    "recency_days": "int",
    "tenure_days": "int",
    "revenue": "float",
    "margin": "float",
    "average_order_value": "float",
    "historical_clv": "float",
    "expected_purchases": "float",
    "expected_value": "float",
    "p_alive": "float",
    "predicted_clv": "float",
    "retention_clv": "float",
    "stage": "text",
    "at_risk": "bool",
    "tier": "text",
    "value_quadrant": "text",
    "previous_stage": "text",
    "stage_since": "date",
    "stage_changed": "bool",
    "retention_reason": "text",
}
#: figures that exist only when a purchase model could be fitted (None otherwise)
MODEL_FIGURES = ("expected_purchases", "expected_value", "p_alive", "predicted_clv")
#: largest number of customers of the holdout comparison (a deterministic sample beyond it)
HOLDOUT_SAMPLE = 2_000
DAYS_PER_MONTH = 30.0


@dataclasses.dataclass(frozen=True)
class ScoringConfig:
    """The company settings a scoring run uses.

    :param observation_end: last day observed (the analysis window's end)
    :param window_start: first day of the analysis window
    :param model: purchase model code, a key of :data:`PURCHASE_MODELS`
    :param tier_cuts: cumulative shares of customers ending the platinum, gold and iron tiers
    :param alive_threshold: below this P(alive) a customer (not churned) is at risk
    :param fallback_margin_rate: margin rate of customers without positive revenue
    :param retention_rate: yearly retention of the textbook retention CLV
    :param retention_years: years summed by the retention CLV
    :param activity_tiers: number of top tiers whose customers get retention activities (0: none)
    :param activity_basis: ``historical`` (tiers of historical value) or ``quadrant`` (the
        *harvest* quadrant: high current value, falling potential)
    :param holdout_months: months at the end of the window held out to compare the models (0: none)
    """

    observation_end: object
    window_start: object
    model: str = "mbgnbd"
    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    thresholds: StageThresholds = dataclasses.field(default_factory=StageThresholds)
    alive_threshold: float = 0.5
    tier_cuts: tuple = (0.01, 0.05, 0.20)
    fallback_margin_rate: float = 0.25
    retention_rate: float = 0.80
    retention_years: int = 5
    activity_tiers: int = 2
    activity_basis: str = "historical"
    holdout_months: int = 6

    def __post_init__(self):
        if self.model not in PURCHASE_MODELS:
            raise ValueError(f"unknown purchase model {self.model!r} (one of {', '.join(PURCHASE_MODELS)})")
        if np.datetime64(self.window_start, "D") > np.datetime64(self.observation_end, "D"):
            raise ValueError("the analysis window starts after it ends")
        if self.horizon_months < 1:
            raise ValueError("the prediction horizon needs at least one month")
        if not 0 <= self.alive_threshold <= 1:
            raise ValueError("the at-risk threshold is a probability between 0 and 1")
        if not 0 <= self.retention_rate < 1:
            raise ValueError("the retention rate must lie in [0, 1)")
        if self.retention_years < 1:
            raise ValueError("the retention CLV needs at least one year")
        if self.annual_discount_rate <= -1:
            raise ValueError("the discount rate must be greater than -100%")
        if self.activity_basis not in ("historical", "quadrant"):
            raise ValueError("activity_basis must be 'historical' or 'quadrant'")
        if not 0 <= self.activity_tiers <= len(TIERS):
            raise ValueError(f"activity_tiers must lie between 0 and {len(TIERS)}")
        if self.holdout_months < 0:
            raise ValueError("holdout_months cannot be negative")
        pyramid_tiers(np.zeros(1), cut_points=self.tier_cuts)  # validates the cut points


@dataclasses.dataclass(frozen=True)
class Baseline:
    """The published figures a run compares with (aligned arrays, any order)."""

    partner_ids: np.ndarray
    stage: np.ndarray
    previous_stage: np.ndarray
    stage_since: np.ndarray
    at_risk: np.ndarray

    @classmethod
    def empty(cls):
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=object), np.empty(0, dtype=object),
                   np.empty(0, dtype="datetime64[D]"), np.empty(0, dtype=bool))


@dataclasses.dataclass(frozen=True)
class ModelFit:
    """Outcome of the purchase (and spend) model fits of a run."""

    model: str
    fitted: bool
    params: dict
    log_likelihood: float
    spend_params: dict
    spend_log_likelihood: float
    error: str = ""


@dataclasses.dataclass(frozen=True)
class CustomerScores:
    """What :func:`score_customers` returns.

    ``figures`` maps every name of :data:`FIGURE_KINDS` to an array aligned on ``partner_ids``
    (sorted), or to None for the model figures when no model could be fitted. ``holdout_start``
    is the first day of the validation period (None without validation).
    """

    partner_ids: np.ndarray
    figures: dict
    fit: ModelFit
    holdout: dict
    transitions: np.ndarray
    customer_count: int
    buyer_count: int
    repeat_customer_count: int
    holdout_start: object = None

    def __len__(self):
        return len(self.partner_ids)


def _align(partner_ids, ids, values, fill, dtype):
    out = np.full(len(partner_ids), fill, dtype=dtype)
    if len(ids):
        out[np.searchsorted(partner_ids, ids)] = values
    return out


def _lookup(partner_ids, ids, values, fill, dtype):
    """``values`` of ``ids`` (any order, possibly other customers) aligned on sorted ``partner_ids``."""
    out = np.full(len(partner_ids), fill, dtype=dtype)
    if len(ids) and len(partner_ids):
        pos = np.clip(np.searchsorted(partner_ids, ids), 0, len(partner_ids) - 1)
        found = partner_ids[pos] == ids
        out[pos[found]] = np.asarray(values)[found]
    return out


def _days(a, b):
    """Days from datetime64 ``b`` to ``a`` as float (NaN where either is NaT)."""
    delta = (np.asarray(a, dtype="datetime64[D]") - np.asarray(b, dtype="datetime64[D]")).astype(np.float64)
    nat = np.isnat(np.asarray(a, dtype="datetime64[D]")) | np.isnat(np.asarray(b, dtype="datetime64[D]"))
    return np.where(nat, np.nan, delta)


def fit_purchase_model(code, frequency, recency, T, monetary, params=None):
    """Fit (or restore from ``params``) the purchase model ``code`` and Gamma-Gamma.

    :return: ``(purchase_model, spend_model, ModelFit)``; both models None when the data cannot
        support them (too few repeat buyers, a non-finite expectation), with the reason in
        ``ModelFit.error``
    """
    model, spend = PURCHASE_MODELS[code](), GammaGammaModel()
    if params is not None:
        model.params_ = {name: float(params[name]) for name in model.param_names}
        spend.params_ = {name: float(params[name]) for name in spend.param_names}
        fit = ModelFit(code, True, dict(model.params_), float("nan"), dict(spend.params_), float("nan"))
        return model, spend, fit
    try:
        model.fit(frequency, recency, T)
        spend.fit(frequency, monetary)
        # finite predictions: a > 1 for the (M)BG/NBD closed forms, q > 1 for the mean spend
        model.expected_purchases(1.0, frequency[:1], recency[:1], T[:1])
        spend.population_mean()
    except ValueError as error:
        return None, None, ModelFit(code, False, {}, float("nan"), {}, float("nan"), str(error))
    fit = ModelFit(code, True, dict(model.params_), model.log_likelihood_, dict(spend.params_),
                   spend.log_likelihood_)
    return model, spend, fit


def compare_models(partner_ids, dates, amounts, calibration_end, observation_end, models=None,
                   sample=HOLDOUT_SAMPLE):
    """Holdout comparison of purchase models (Fader, Hardie & Lee 2005, section 4).

    Each model is fitted on the transactions up to ``calibration_end`` and predicts the repeat
    purchases of the same customers in (calibration_end, observation_end]; the errors come from
    :func:`holdout_errors`. Above ``sample`` customers a deterministic sample of them is used.

    :return: ``{code: {"actual", "predicted", "error_pct", "mae", "rmse", "customers"}}``; a model
        that cannot be fitted on the calibration data maps to ``{"error": reason}``
    """
    split = calibration_holdout_split(partner_ids, dates, amounts, calibration_end, observation_end)
    cal = split.calibration
    keep = np.arange(len(cal))
    if len(keep) > sample:
        keep = np.sort(np.random.default_rng(0).choice(len(keep), size=sample, replace=False))
    f, r, T = cal.frequency[keep], cal.recency[keep], cal.T[keep]
    actual = split.holdout_frequency[keep]
    results = {}
    for code in models or PURCHASE_MODELS:
        if not len(keep):
            results[code] = {"error": "no customer in the calibration period"}
            continue
        try:
            with np.errstate(all="ignore"):  # a bad candidate is reported below, not warned about
                model = PURCHASE_MODELS[code]().fit(f, r, T)
                predicted = model.expected_purchases(split.duration_holdout, f, r, T)
            if not np.isfinite(model.log_likelihood_):
                raise ValueError("the fit did not reach a finite likelihood")
            if not np.all(np.isfinite(predicted)):
                raise ValueError("non-finite predictions")
            if actual.sum() > 0 and predicted.sum() < 1e-9 * actual.sum():
                # an optimum at the edge of the parameter space (too few customers): its
                # predictions underflow to nothing, which is no measure of the model
                raise ValueError("degenerate fit: the model predicts no purchase at all")
        except ValueError as error:
            results[code] = {"error": str(error)}
            continue
        results[code] = {**holdout_errors(predicted, actual), "customers": len(keep)}
    return results


def _months_before(day, months):
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    day = np.datetime64(day, "D").astype(object)
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first_next = np.datetime64(f"{year + (month + 1) // 12:04d}-{(month + 1) % 12 + 1:02d}-01", "D")
    last_day = (first_next - np.timedelta64(1, "D")).astype(object).day
    return np.datetime64(f"{year:04d}-{month + 1:02d}-{min(day.day, last_day):02d}", "D")


def _stage_since(stage, published, changed, before_since, first_date, last_date, rhythm, end, th):
    """Date each customer entered its stage.

    A stage that changed since the published run was entered on the observation end (the day
    the change is seen); an unchanged one keeps the published date. At a customer's first
    classification (not published before, or published without a date) the date is estimated
    from the purchase history: acquisition at the first purchase; formation when the acquisition
    period ended; stability when the stability tenure was reached; decline / churned on the day
    the silence since the last purchase passed the rule's limit (never before the last purchase,
    never after the end); prospects have none.
    """
    end = np.datetime64(end, "D")
    nat = np.datetime64("NaT", "D")

    def shift(base, days):
        out = base + np.round(np.nan_to_num(days, nan=0.0)).astype("timedelta64[D]")
        return np.where(np.isnat(base), nat, np.minimum(np.maximum(out, base), end))

    count = len(stage)
    one_time = ~np.isfinite(rhythm)
    rhythm = np.maximum(np.nan_to_num(rhythm, nan=th.min_rhythm_days), th.min_rhythm_days)
    decline_gap = np.where(one_time, th.one_time_churn_days / 2.0, th.decline_gap_factor * rhythm)
    churn_gap = np.where(one_time, th.one_time_churn_days, th.churn_gap_factor * rhythm)
    estimate = np.select(
        [stage == "acquisition", stage == "formation", stage == "stability", stage == "decline",
         stage == "churned"],
        [first_date, shift(first_date, np.full(count, th.acquisition_days)),
         shift(first_date, np.full(count, th.stability_min_tenure_days)),
         shift(last_date, decline_gap), shift(last_date, churn_gap)],
        default=nat,
    ).astype("datetime64[D]")
    kept = published & ~changed & ~np.isnat(before_since)
    return np.where(published & changed, end, np.where(kept, before_since, estimate)).astype("datetime64[D]")


@dataclasses.dataclass
class _History:
    """Purchase history of the population (sorted ids), the first step of :func:`score_customers`."""

    population: np.ndarray
    n_window: np.ndarray
    first_date: np.ndarray
    last_date: np.ndarray
    buyers: np.ndarray
    lapsed: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    frequency: np.ndarray
    age_last: np.ndarray
    tenure: np.ndarray
    since_last: np.ndarray
    monetary: np.ndarray
    born_before: np.ndarray


def _history(ids, days, rev, mar, end, first_purchase, lapsed, prospects):
    """BTYD statistics with the clock started at the first-ever purchase (see the module doc)."""
    nat = np.datetime64("NaT", "D")
    if lapsed is None:
        lapsed = (np.empty(0, np.int64), np.empty(0, "datetime64[D]"))
    lapsed_ids = np.asarray(lapsed[0], dtype=np.int64)
    summary = summarize(ids, days, rev, end)
    population = np.union1d(np.union1d(np.unique(ids), lapsed_ids), np.asarray(prospects, dtype=np.int64))
    n = len(population)

    def aligned(values, fill, dtype=np.float64):
        return _align(population, summary.customer_ids, values, fill, dtype)

    n_window = aligned(summary.n_purchases, 0, np.int64)
    window_first = aligned(summary.first_date, nat, "datetime64[D]")
    last_date = aligned(summary.last_date, nat, "datetime64[D]")
    older_last = _lookup(population, lapsed_ids, np.asarray(lapsed[1], "datetime64[D]"), nat, "datetime64[D]")
    last_date = np.where(np.isnat(last_date), older_last, last_date)
    first_date = window_first.copy()
    if first_purchase is not None:
        ever = _lookup(population, np.asarray(first_purchase[0], np.int64),
                       np.asarray(first_purchase[1], "datetime64[D]"), nat, "datetime64[D]")
        earlier = ~np.isnat(ever) & (np.isnat(first_date) | (ever < first_date))
        first_date = np.where(earlier, ever, first_date)
    buyers = n_window > 0
    born_before = buyers & (first_date < window_first)
    index = np.searchsorted(population, ids)
    total = aligned(summary.total_amount, 0.0)
    repeat_total = aligned(summary.monetary_value * summary.frequency, 0.0)
    frequency = np.where(born_before, n_window, np.maximum(n_window - 1, 0)).astype(np.float64)
    repeat_total = np.where(born_before, total, repeat_total)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
    return _History(
        population=population,
        n_window=n_window,
        first_date=first_date,
        last_date=last_date,
        buyers=buyers,
        lapsed=~buyers & ~np.isnat(last_date),
        revenue=np.bincount(index, weights=rev, minlength=n),
        margin=np.bincount(index, weights=mar, minlength=n),
        frequency=frequency,
        age_last=np.nan_to_num(_days(last_date, first_date), nan=0.0),
        tenure=np.nan_to_num(_days(end, first_date), nan=0.0),
        since_last=np.nan_to_num(_days(end, last_date), nan=0.0),
        monetary=monetary,
        born_before=born_before,
    )


def _predict(h, config, params):
    """P(alive), expected purchases and value, predicted CLV (NaN P(alive) without a model)."""
    n = len(h.population)
    out = {"p_alive": np.full(n, np.nan), "expected_purchases": np.zeros(n),
           "expected_value": np.zeros(n), "predicted_clv": np.zeros(n)}
    fit = ModelFit(config.model, False, {}, float("nan"), {}, float("nan"), "no buying customer")
    b = h.buyers
    if not b.any():
        return out, fit, False
    f, r, T, m = h.frequency[b], h.age_last[b], h.tenure[b], h.monetary[b]
    model, spend, fit = fit_purchase_model(config.model, f, r, T, m, params)
    if model is None:
        return out, fit, False
    with np.errstate(invalid="ignore", divide="ignore"):
        margin_rate = np.where(h.revenue > 0, np.clip(h.margin / h.revenue, 0.0, 1.0),
                               config.fallback_margin_rate)
    out["p_alive"][b] = model.prob_alive(f, r, T)
    out["p_alive"][h.lapsed] = 0.0
    out["expected_purchases"][b] = model.expected_purchases(config.horizon_months * DAYS_PER_MONTH, f, r, T)
    out["expected_value"][b] = out["expected_purchases"][b] * spend.expected_average_value(f, m)
    out["predicted_clv"][b] = customer_lifetime_value(
        model, spend, f, r, T, m, horizon_months=config.horizon_months, period_days=1,
        annual_discount_rate=config.annual_discount_rate, margin_rate=margin_rate[b])
    if not all(np.isfinite(values[b]).all() for values in out.values()):
        # a degenerate optimum (too few customers for four parameters): no predictions at all
        return ({**out, "p_alive": np.full(n, np.nan)},
                dataclasses.replace(fit, fitted=False, error="the fitted model gives non-finite predictions"),
                False)
    return out, fit, True


def _segments(h, predicted, fitted, config):
    """Tiers (by predicted CLV, historical value without a model), quadrants and the customers that
    retention activities target."""
    n = len(h.population)
    tiers = np.full(n, None, dtype=object)
    quadrants = np.full(n, None, dtype=object)
    target = np.zeros(n, dtype=bool)
    valued = h.buyers | h.lapsed
    if not valued.any():
        return tiers, quadrants, target
    ranking = predicted if fitted else h.margin
    tiers[valued] = pyramid_tiers(ranking[valued], cut_points=config.tier_cuts)
    if fitted:
        quadrants[valued] = value_matrix(h.margin[valued], predicted[valued])
    if config.activity_tiers:
        if config.activity_basis == "quadrant" and fitted:
            target[valued] = quadrants[valued] == "harvest"
        else:
            by_history = pyramid_tiers(h.margin[valued], cut_points=config.tier_cuts)
            target[valued] = np.isin(by_history, np.asarray(TIERS[:config.activity_tiers], dtype=object))
    return tiers, quadrants, target


def _published(population, baseline):
    """The baseline's columns aligned on the population (None / NaT / False where unpublished)."""
    base = baseline or Baseline.empty()
    ids = np.asarray(base.partner_ids, dtype=np.int64)
    nat = np.datetime64("NaT", "D")
    return (
        _lookup(population, ids, np.ones(len(ids), dtype=bool), False, bool),
        _lookup(population, ids, np.asarray(base.stage, dtype=object), None, object),
        _lookup(population, ids, np.asarray(base.previous_stage, dtype=object), None, object),
        _lookup(population, ids, np.asarray(base.stage_since, "datetime64[D]"), nat, "datetime64[D]"),
        _lookup(population, ids, np.asarray(base.at_risk, dtype=bool), False, bool),
    )


def score_customers(
    partner_ids: ArrayLike,
    dates: ArrayLike,
    revenue: ArrayLike,
    margin: ArrayLike,
    config: ScoringConfig,
    *,
    first_purchase: tuple[ArrayLike, ArrayLike] | None = None,
    lapsed: tuple[ArrayLike, ArrayLike] | None = None,
    prospects: ArrayLike = (),
    baseline: Baseline | None = None,
    params: dict | None = None,
) -> CustomerScores:
    """Score every customer of a company.

    :param partner_ids, dates, revenue, margin: the facts of the analysis window, one row per
        customer and day (net of refunds; the facts service of ``crm_suite_base``)
    :param first_purchase: ``(ids, dates)``: first-ever purchase of customers (any superset of the
        window's customers); customers missing from it start at their first purchase in the window
    :param lapsed: ``(ids, last purchase dates)`` of customers who bought before the window; those
        without a purchase in the window are churned
    :param prospects: ids of customers who never bought
    :param baseline: the published figures to compare with (stage changes, dates, new risks)
    :param params: fitted parameters to reuse (a resumed run must score with the same model)
    :rtype: CustomerScores
    """
    th = config.thresholds
    ids = np.asarray(partner_ids, dtype=np.int64)
    days = np.asarray(dates, dtype="datetime64[D]")
    rev = np.asarray(revenue, dtype=np.float64)
    mar = np.asarray(margin, dtype=np.float64)
    check_same_length(partner_ids=ids, dates=days, revenue=rev, margin=mar)
    end = np.datetime64(config.observation_end, "D")
    start = np.datetime64(config.window_start, "D")
    inside = (days >= start) & (days <= end)
    ids, days, rev, mar = ids[inside], days[inside], rev[inside], mar[inside]
    h = _history(ids, days, rev, mar, end, first_purchase, lapsed, prospects)
    predicted, fit, fitted = _predict(h, config, params)
    p_alive = predicted["p_alive"]

    trend_ids, trend_values = revenue_trend(ids, days, rev, end)
    trend = _align(h.population, trend_ids, trend_values, 0.0, np.float64)
    rhythm = mean_purchase_gap(h.frequency, h.age_last)
    purchases = np.where(h.born_before, h.n_window + 1, h.n_window)
    stage = classify_stages(purchases, h.tenure, h.since_last, rhythm, p_alive, trend, th)
    stage = np.where(h.lapsed, "churned", stage).astype(object)
    with np.errstate(invalid="ignore"):
        at_risk = h.buyers & (stage != "churned") & (p_alive < config.alive_threshold)

    # the textbook retention CLV of the customer who is still there: nothing once churned
    yearly_margin = np.where(h.buyers, annualized(h.margin, h.tenure), 0.0)
    still_there = np.where(stage == "churned", 0.0, np.where(np.isnan(p_alive), 1.0, p_alive))
    ret_clv = expected_retention_clv(yearly_margin, config.retention_rate, config.annual_discount_rate,
                                     config.retention_years, still_there)

    tiers, quadrants, target = _segments(h, predicted["predicted_clv"], fitted, config)
    published, before_stage, before_previous, before_since, before_risk = _published(h.population, baseline)
    changed, transitions = stage_transitions(np.where(published, before_stage, None), stage)
    reasons = np.full(len(h.population), None, dtype=object)
    reasons[target & at_risk & ~before_risk] = "at_risk"
    reasons[target & changed & (stage == "decline")] = "decline"
    with np.errstate(invalid="ignore", divide="ignore"):
        aov = np.where(h.n_window > 0, h.revenue / np.maximum(h.n_window, 1), 0.0)

    figures = {
        "first_purchase_date": h.first_date,
        "last_purchase_date": h.last_date,
        "purchase_count": h.n_window,
        "frequency": h.frequency.astype(np.int64),
        "recency_days": np.where(np.isnat(h.last_date), 0, h.since_last).astype(np.int64),
        "tenure_days": h.tenure.astype(np.int64),
        "revenue": h.revenue,
        "margin": h.margin,
        "average_order_value": aov,
        "historical_clv": h.margin,
        "retention_clv": np.where(h.buyers, ret_clv, 0.0),
        "stage": stage,
        "at_risk": at_risk,
        "tier": tiers,
        "value_quadrant": quadrants,
        "previous_stage": np.where(changed, before_stage, before_previous),
        "stage_since": _stage_since(stage, published, changed, before_since, h.first_date, h.last_date,
                                    rhythm, end, th),
        "stage_changed": changed,
        "retention_reason": reasons,
    }
    # NaN P(alive) (stored as NULL) for prospects; no model: the model figures are None
    figures.update({name: predicted[name] if fitted else None for name in MODEL_FIGURES})
    holdout, holdout_start = {}, None
    if config.holdout_months and len(ids):
        calibration_end = _months_before(end, config.holdout_months)
        if calibration_end > start:
            holdout = compare_models(ids, days, rev, calibration_end, end)
            holdout_start = calibration_end
    return CustomerScores(
        partner_ids=h.population,
        figures={name: figures[name] for name in FIGURE_KINDS},
        fit=fit,
        holdout=holdout,
        holdout_start=holdout_start,
        transitions=transitions,
        customer_count=len(h.population),
        buyer_count=int(h.buyers.sum()),
        repeat_customer_count=int((h.buyers & (h.frequency > 0)).sum()),
    )


__all__ = [
    "FIGURE_KINDS",
    "MODEL_FIGURES",
    "PURCHASE_MODELS",
    "STAGES",
    "Baseline",
    "CustomerScores",
    "ModelFit",
    "ScoringConfig",
    "compare_models",
    "fit_purchase_model",
    "score_customers",
]
