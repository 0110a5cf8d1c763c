"""A purchase history whose BG/NBD maximum lies at infinity (nobody seems to drop out): the fit must
stop where the log-likelihood is still exact (crm_lifecycle._fit.LOG_PARAM_BOUNDS)."""

import datetime
import math

import numpy as np

from crm_lifecycle import ScoringConfig, score_customers
from crm_lifecycle._fit import LOG_PARAM_BOUNDS

TODAY = datetime.date(2026, 12, 1)


def _history():
    rows = []

    def buys(pid, days, prices):
        rows.extend(
            (pid, TODAY - datetime.timedelta(days=d), prices[i % len(prices)]) for i, d in enumerate(days)
        )

    buys(1, range(700, 9, -30), [100.0, 110.0, 120.0])
    buys(2, range(720, 419, -30), [80.0])
    buys(3, [30], [500.0])
    buys(4, range(700, 129, -60), [400.0, 350.0])
    for k, (step, first, last, price) in enumerate(
        [
            (45, 600, 5, 60.0),
            (60, 900, 40, 150.0),
            (90, 800, 100, 300.0),
            (20, 300, 200, 40.0),
            (120, 1000, 30, 90.0),
            (75, 500, 300, 220.0),
        ]
    ):
        buys(10 + k, range(first, last - 1, -step), [price, price * 1.3, price * 0.8])
    ids = np.array([r[0] for r in rows])
    dates = np.array([r[1] for r in rows], dtype="datetime64[D]")
    revenue = np.array([r[2] for r in rows])
    return ids, dates, revenue


def test_no_dropout_history_keeps_a_true_log_likelihood():
    ids, dates, revenue = _history()
    config = ScoringConfig(
        observation_end=np.datetime64(TODAY),
        window_start=np.datetime64(TODAY - datetime.timedelta(days=36 * 30)),
    )
    fit = score_customers(ids, dates, revenue, revenue * 0.6, config).fit
    assert math.isfinite(fit.log_likelihood) and fit.log_likelihood < 0
    assert fit.log_likelihood > -500  # about -468.2 whatever SciPy's L-BFGS-B
    upper = math.exp(LOG_PARAM_BOUNDS[1])
    assert all(0 < value <= upper * (1 + 1e-9) for value in fit.params.values())
