"""Loyalty after a complaint: the service recovery paradox check.

McCollough, Berry & Yadav (2000, "An empirical investigation of customer satisfaction after service
failure and recovery", J. of Service Research 3(2)) and Zeithaml, Bitner & Gremler (*Services
Marketing*, ch. 15): customers whose complaint was recovered well may become more loyal than
customers who never had a problem. Measured here from invoices:

* each complaining customer is observed from the date of their first complaint in the analysis
  (recovered or not); the customers without a complaint from a common reference date (the median
  complaint date), so that the three groups face the same season;
* "of similar value": customers are put in value bands by their revenue in the ``lookback_days``
  before their reference date (quantiles over all the customers observed, ``value_bands`` bands);
* the outcome over the ``horizon_days`` after the reference date: repurchase (a day with positive
  net revenue) and net revenue; customers whose horizon has not fully elapsed by ``observation_end``
  are left out (censored), never counted as lost.
"""

import dataclasses
import datetime

import numpy as np

GROUPS = ("recovered", "not_recovered", "no_complaint")


@dataclasses.dataclass(frozen=True)
class LoyaltyEffect:
    """What :func:`recovery_loyalty` returns. Table rows are (group, band) with ``band`` -1 for the
    group's total; ``standardised_rate`` reweights each group's band rates to the band mix of the
    recovered customers (direct standardisation), the fair comparison of the three groups."""

    groups: np.ndarray  # str
    bands: np.ndarray  # int, -1 = all bands
    customers: np.ndarray  # int
    repurchase_rate: np.ndarray  # float, nan without customers
    revenue_per_customer: np.ndarray  # float
    band_edges: np.ndarray
    standardised_rate: dict
    reference_date: datetime.date | None
    censored: int

    @property
    def paradox(self):
        """Recovered customers repurchase more than customers without a complaint (standardised)."""
        a, b = self.standardised_rate.get("recovered"), self.standardised_rate.get("no_complaint")
        return bool(a is not None and b is not None and np.isfinite(a) and np.isfinite(b) and a > b)


def _days(values):
    return np.asarray(values, dtype="datetime64[D]")


def _windows(ids, days, rev, subjects, ref_days, lookback_days, horizon_days):
    """Each subject's revenue in the look-back period before its reference date, its revenue and
    whether it bought in the horizon after (vectorised over the facts rows)."""
    sorter = np.argsort(subjects, kind="stable")
    ordered = subjects[sorter]
    at = np.searchsorted(ordered, ids)
    at_clipped = np.minimum(at, max(len(ordered) - 1, 0))
    known = (at < len(ordered)) & (ordered[at_clipped] == ids) if len(ordered) else np.zeros(len(ids), bool)
    rows = sorter[at_clipped[known]]
    r_days, r_rev = days[known], rev[known]
    r_ref = ref_days[rows]
    before = (r_days < r_ref) & (r_days >= r_ref - np.timedelta64(lookback_days, "D"))
    after = (r_days > r_ref) & (r_days <= r_ref + np.timedelta64(horizon_days, "D"))
    pre_value = np.bincount(rows[before], weights=r_rev[before], minlength=len(subjects))
    post_value = np.bincount(rows[after], weights=r_rev[after], minlength=len(subjects))
    post_buy = np.zeros(len(subjects), dtype=bool)
    post_buy[rows[after & (r_rev > 0)]] = True
    return pre_value, post_value, post_buy


def _table(group, band, post_buy, post_value, value_bands):
    """Rows (group, band) and the rates standardised to the band mix of the recovered customers."""
    table = {"group": [], "band": [], "customers": [], "rate": [], "revenue": []}
    band_rates = {}
    for g, name in enumerate(GROUPS):
        in_group = group == g
        for b in [*range(value_bands), -1]:
            mask = in_group & ((band == b) if b >= 0 else True)
            n = int(mask.sum())
            rate = float(post_buy[mask].mean()) if n else float("nan")
            table["group"].append(name)
            table["band"].append(b)
            table["customers"].append(n)
            table["rate"].append(rate)
            table["revenue"].append(float(post_value[mask].mean()) if n else float("nan"))
            if b >= 0:
                band_rates[name, b] = (n, rate)
    mix = np.array([band_rates["recovered", b][0] for b in range(value_bands)], dtype=float)
    standardised = {}
    for name in GROUPS:
        rates = np.array([band_rates[name, b][1] for b in range(value_bands)])
        usable = (mix > 0) & np.isfinite(rates)
        standardised[name] = (
            float((rates[usable] * mix[usable]).sum() / mix[usable].sum()) if usable.any() else float("nan")
        )
    return table, standardised


def recovery_loyalty(
    partner_ids,
    dates,
    revenue,
    complaint_partner_ids,
    complaint_dates,
    recovered,
    observation_end,
    horizon_days=180,
    lookback_days=365,
    value_bands=3,
    population=None,
) -> LoyaltyEffect:
    """Repurchase rate and revenue after a complaint for recovered, not recovered and no-complaint
    customers of similar value (see the module docstring).

    :param partner_ids, dates, revenue: transaction facts (one row per customer and day, refunds negative)
    :param complaint_partner_ids, complaint_dates, recovered: one row per complaint; a customer's first
        complaint counts, recovered if that complaint was
    :param population: ids of the customers without a complaint to compare with (default: every
        customer of the facts who made none)
    :raises ValueError: misaligned inputs, non-positive horizon, fewer than one band
    """
    ids = np.asarray(partner_ids, dtype=np.int64).reshape(-1)
    days = _days(dates).reshape(-1)
    rev = np.asarray(revenue, dtype=np.float64).reshape(-1)
    if not len(ids) == len(days) == len(rev):
        raise ValueError("partner_ids, dates and revenue must have the same length")
    if not np.all(np.isfinite(rev)):
        raise ValueError("revenue contains NaN or infinite values")
    c_ids = np.asarray(complaint_partner_ids, dtype=np.int64).reshape(-1)
    c_days = _days(complaint_dates).reshape(-1)
    c_rec = np.asarray(recovered, dtype=bool).reshape(-1)
    if not len(c_ids) == len(c_days) == len(c_rec):
        raise ValueError("complaint_partner_ids, complaint_dates and recovered must have the same length")
    if horizon_days <= 0 or lookback_days <= 0:
        raise ValueError("the horizon and the look-back period must be positive numbers of days")
    if value_bands < 1:
        raise ValueError("at least one value band is needed")
    end = np.datetime64(observation_end, "D")

    # first complaint of each complaining customer
    order = np.lexsort((c_days, c_ids))
    c_ids, c_days, c_rec = c_ids[order], c_days[order], c_rec[order]
    first = np.ones(len(c_ids), dtype=bool)
    first[1:] = c_ids[1:] != c_ids[:-1]
    c_ids, c_days, c_rec = c_ids[first], c_days[first], c_rec[first]
    reference = c_days[np.argsort(c_days)][len(c_days) // 2] if len(c_days) else None
    controls = np.setdiff1d(
        np.unique(ids) if population is None else np.asarray(population, dtype=np.int64), c_ids
    )
    subjects = np.concatenate([c_ids, controls])
    ref_days = np.concatenate([c_days, np.full(len(controls), reference if reference is not None else end)])
    group = np.concatenate([np.where(c_rec, 0, 1), np.full(len(controls), 2)])

    observed = ref_days + np.timedelta64(horizon_days, "D") <= end
    censored = int((~observed).sum())
    subjects, ref_days, group = subjects[observed], ref_days[observed], group[observed]

    pre_value, post_value, post_buy = _windows(
        ids, days, rev, subjects, ref_days, lookback_days, horizon_days
    )
    # quantile edges, deduplicated: many equal values (customers who bought nothing before) make one
    # band, never an empty "least valuable" band; a value equal to an edge goes to the lower band
    edges = (
        np.unique(np.quantile(pre_value, np.linspace(0, 1, value_bands + 1)[1:-1]))
        if len(subjects)
        else np.empty(0)
    )
    band = np.searchsorted(edges, pre_value, side="left")
    table, standardised = _table(group, band, post_buy, post_value, len(edges) + 1)
    return LoyaltyEffect(
        groups=np.array(table["group"]),
        bands=np.array(table["band"]),
        customers=np.array(table["customers"]),
        repurchase_rate=np.array(table["rate"]),
        revenue_per_customer=np.array(table["revenue"]),
        band_edges=edges,
        standardised_rate=standardised,
        reference_date=reference.astype(datetime.date) if reference is not None else None,
        censored=censored,
    )
