"""Synthetic purchase histories for the predictive mining tests: BG/NBD-like customers (Poisson
buying while alive, a dropout after each purchase), some customers who slow down before they
leave, product categories and refunds."""

import numpy as np

START = np.datetime64("2023-01-01")
END = np.datetime64("2026-06-30")


def simulate(n_customers=600, seed=0, start=START, end=END):
    """Rows (partner_ids, dates, revenue, margin, categories) of ``n_customers`` customers."""
    rng = np.random.default_rng(seed)
    span = int((end - start).astype(int))
    ids, days, revenue, margin, cats = [], [], [], [], []
    for customer in range(1, n_customers + 1):
        rate = rng.gamma(2.0, 1 / 60.0)  # purchases per day while alive
        p_drop = rng.beta(1.0, 6.0)
        day = int(rng.integers(0, span // 2))
        spend = rng.gamma(4.0, 50.0)
        favourite = int(rng.integers(0, 4))
        while day <= span:
            amount = spend * rng.gamma(8.0, 1 / 8.0)
            cat = favourite if rng.random() < 0.7 else int(rng.integers(0, 6))
            ids.append(customer)
            days.append(day)
            revenue.append(amount)
            margin.append(amount * (0.2 + 0.1 * (cat % 3)))
            cats.append(cat)
            if rng.random() < 0.05:  # a credit note some days later
                ids.append(customer)
                days.append(min(day + int(rng.integers(1, 20)), span))
                revenue.append(-0.5 * amount)
                margin.append(-0.5 * amount * 0.2)
                cats.append(cat)
            if rng.random() < p_drop:
                break
            day += max(int(rng.exponential(1 / rate)), 1)
    dates = start + np.asarray(days, dtype="timedelta64[D]")
    return (np.asarray(ids), dates, np.asarray(revenue), np.asarray(margin), np.asarray(cats))
