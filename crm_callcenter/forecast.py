"""Forecast of the contacts per interval (15 or 30 minutes) from the history of a queue.

The usual two-level method of workforce management (Gans, Koole & Mandelbaum 2003, section 4.2;
Taylor 2008 compares it with richer models on call-center data):

1. the **daily volume** by Holt-Winters exponential smoothing with an additive damped trend and an
   additive day-of-week season (Holt 1957, Winters 1960; Gardner 1985 for the damping), its three
   smoothing parameters chosen by least squares of the one-step-ahead errors (scipy's L-BFGS-B in
   [0, 1]), started from the first two weeks;
2. the **intraday profile** of each day of the week: each interval's share of its day's contacts,
   averaged over the past weeks with exponentially decaying weights (the last week counts most);
3. forecast of an interval = forecast of its day x its share.

A **backtest** holds out the last ``backtest_weeks`` weeks, forecasts them from the weeks before and
reports the errors per interval: WAPE = sum |error| / sum actual, and MAPE = the mean of
|error| / actual over the intervals with contacts.

Hand-written rather than statsmodels' ``ExponentialSmoothing``: the model is twenty lines of
recursion, the intraday profile is not in statsmodels, and the suite's engines do not carry a
dependency for it.
"""

import dataclasses

import numpy as np
from scipy.optimize import minimize

PERIOD = 7  # days of the weekly season
DAMPING = 0.98


@dataclasses.dataclass(frozen=True)
class IntervalForecast:
    """The forecast of the ``horizon_days`` after the history, and the backtest's errors."""

    interval_starts: np.ndarray  # datetime64[m]
    contacts: np.ndarray  # forecast contacts per interval
    day_starts: np.ndarray  # datetime64[D]
    daily: np.ndarray
    params: dict  # alpha, beta, gamma of the daily model
    backtest_wape: float
    backtest_mape: float
    backtest_weeks: int


def _holt_winters(y, alpha, beta, gamma, horizon=0):
    """One-step-ahead fits of ``y`` and the forecasts of the next ``horizon`` days."""
    season = y[:PERIOD] - y[:PERIOD].mean()
    level = y[:PERIOD].mean()
    trend = (y[PERIOD : 2 * PERIOD].mean() - y[:PERIOD].mean()) / PERIOD if len(y) >= 2 * PERIOD else 0.0
    season = list(season)
    fitted = np.empty(len(y))
    for t, value in enumerate(y):
        s = season[t % PERIOD]
        fitted[t] = level + DAMPING * trend + s
        previous = level
        level = alpha * (value - s) + (1 - alpha) * (level + DAMPING * trend)
        trend = beta * (level - previous) + (1 - beta) * DAMPING * trend
        season[t % PERIOD] = gamma * (value - level) + (1 - gamma) * s
    damp = np.cumsum(DAMPING ** np.arange(1, horizon + 1))
    ahead = np.array([level + damp[h] * trend + season[(len(y) + h) % PERIOD] for h in range(horizon)])
    return fitted, ahead


def _fit_daily(y):
    def sse(params):
        fitted, _ahead = _holt_winters(y, *params)
        return float(np.sum((y[PERIOD:] - fitted[PERIOD:]) ** 2))

    best = minimize(sse, x0=np.array([0.3, 0.05, 0.2]), bounds=[(0.0, 1.0)] * 3, method="L-BFGS-B")
    return tuple(float(v) for v in best.x)


def _profile(matrix, weekdays, decay):
    """Share of each interval in its day, per day of the week (rows 0..6), exponentially weighted."""
    slots = matrix.shape[1]
    profile = np.full((PERIOD, slots), 1.0 / slots)
    totals = matrix.sum(axis=1)
    for weekday in range(PERIOD):
        rows = np.flatnonzero((weekdays == weekday) & (totals > 0))
        if not len(rows):
            continue
        weights = decay ** np.arange(len(rows))[::-1]
        shares = matrix[rows] / totals[rows, None]
        profile[weekday] = weights @ shares / weights.sum()
    return profile


def _forecast(day_starts, matrix, horizon_days, decay):
    totals = matrix.sum(axis=1)
    params = _fit_daily(totals)
    _fitted, daily = _holt_winters(totals, *params, horizon=horizon_days)
    daily = np.maximum(daily, 0.0)
    weekdays = (day_starts.astype(np.int64) + 3) % PERIOD  # 0 = Monday (1970-01-01 was a Thursday)
    future_days = day_starts[-1] + np.arange(1, horizon_days + 1)
    future_weekdays = (future_days.astype(np.int64) + 3) % PERIOD
    profile = _profile(matrix, weekdays, decay)
    return future_days, daily, daily[:, None] * profile[future_weekdays], params


def _errors(actual, predicted):
    actual, predicted = actual.ravel(), predicted.ravel()
    error = np.abs(actual - predicted)
    wape = float(error.sum() / actual.sum()) if actual.sum() > 0 else float("nan")
    busy = actual > 0
    mape = float(np.mean(error[busy] / actual[busy])) if busy.any() else float("nan")
    return wape, mape


def forecast_intervals(
    interval_starts, contacts, interval_minutes=30, horizon_days=7, backtest_weeks=2, profile_decay=0.7
) -> IntervalForecast:
    """Forecast the contacts of each interval of the next ``horizon_days`` days.

    :param interval_starts: start of each observed interval (datetime64; intervals without contacts
        may be left out: they count 0); the history is taken as whole days from the first to the last
    :param contacts: contacts per interval (aligned, non-negative)
    :param backtest_weeks: weeks held out for the backtest (0: none); the history must hold at least
        two weeks more than that
    """
    if interval_minutes not in (15, 30, 60):
        raise ValueError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes!r}")
    starts = np.asarray(interval_starts, dtype="datetime64[m]").reshape(-1)
    counts = np.asarray(contacts, dtype=np.float64).reshape(-1)
    if starts.shape != counts.shape:
        raise ValueError("interval_starts and contacts must have the same length")
    if not len(starts) or np.any(np.isnat(starts)) or not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("the history needs interval starts and non-negative contact counts")
    minute_of_day = (starts - starts.astype("datetime64[D]")).astype(np.int64)
    if np.any(minute_of_day % interval_minutes):
        raise ValueError(f"interval starts must fall on {interval_minutes}-minute boundaries")
    if not 0 < profile_decay <= 1:
        raise ValueError("profile_decay must be in (0, 1]")
    days = starts.astype("datetime64[D]")
    first, last = days.min(), days.max()
    n_days = int((last - first).astype(np.int64)) + 1
    if n_days < PERIOD * (2 + backtest_weeks):
        raise ValueError(
            f"{n_days} days of history: the forecast needs at least {PERIOD * (2 + backtest_weeks)} "
            f"(two weeks, plus {backtest_weeks} held out for the backtest)"
        )
    slots = 1440 // interval_minutes
    matrix = np.zeros((n_days, slots))
    np.add.at(matrix, ((days - first).astype(np.int64), minute_of_day // interval_minutes), counts)
    day_starts = first + np.arange(n_days)
    future_days, daily, predicted, params = _forecast(day_starts, matrix, horizon_days, profile_decay)
    wape = mape = float("nan")
    if backtest_weeks:
        held = PERIOD * backtest_weeks
        _days, _daily, back, _params = _forecast(day_starts[:-held], matrix[:-held], held, profile_decay)
        wape, mape = _errors(matrix[-held:], back)
    offsets = np.arange(slots) * interval_minutes
    interval_grid = (future_days.astype("datetime64[m]")[:, None] + offsets.astype("timedelta64[m]")).ravel()
    return IntervalForecast(
        interval_starts=interval_grid,
        contacts=predicted.ravel(),
        day_starts=future_days,
        daily=daily,
        params=dict(zip(("alpha", "beta", "gamma"), params, strict=True)),
        backtest_wape=wape,
        backtest_mape=mape,
        backtest_weeks=int(backtest_weeks),
    )
