"""Investment appraisal of a CRM project: NPV, IRR, payback, total cost of ownership, ROI.

Cash flows are indexed by year ``t = 0..N``, year 0 being today (not discounted) and the flow of
year ``t`` falling at its end; ``rate`` is the yearly discount rate (the cost of capital). The
formulas are those of capital budgeting textbooks (e.g. Brealey, Myers & Allen, *Principles of
Corporate Finance*, "Net present value and other investment criteria"):

    NPV = sum_t CF_t / (1 + rate)^t                 IRR: the rate where NPV = 0
    payback: the time at which the cumulative (discounted) cash flow turns non-negative
    TCO = sum of every cost over the horizon, undiscounted (total cost of ownership)
    ROI = (total benefits - TCO) / TCO,   discounted ROI = NPV / PV(costs)
"""

import dataclasses

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from ._validation import as_1d_float, as_rate

#: the cost categories of a CRM project (columns of ``costs`` in :func:`evaluate_project`)
COST_CATEGORIES = ("licences", "hardware", "implementation", "training", "support", "internal_staff")

#: the IRR is searched for in (IRR_LOW, IRR_HIGH), on a grid in log(1 + rate) of IRR_GRID points
IRR_LOW, IRR_HIGH, IRR_GRID = -0.9999, 1e6, 4001


def _flows(name, cash_flows):
    flows = as_1d_float(name, cash_flows)
    if flows.size == 0:
        raise ValueError(f"{name} must hold at least one year (year 0)")
    return flows


def _discount(rate, years):
    return np.power(1.0 + rate, -years.astype(np.float64))


def npv(rate: float, cash_flows: ArrayLike) -> float:
    """Net present value ``sum_{t=0..N} CF_t / (1 + rate)^t``.

    The first flow (year 0) is not discounted, like ``numpy_financial.npv``; Excel's NPV function
    discounts its first value by one year (``=NPV(rate, CF_1..CF_N) + CF_0`` gives this NPV).
    """
    rate = as_rate("rate", rate)
    flows = _flows("cash_flows", cash_flows)
    return float(np.sum(flows * _discount(rate, np.arange(flows.size))))


def _scaled_npv(x, flows):
    """NPV at rate = e^x - 1 multiplied by a positive factor keeping every term finite (same sign)."""
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    t = np.arange(flows.size, dtype=np.float64)
    exponent = -np.outer(x, t)
    exponent -= exponent.max(axis=1, keepdims=True)  # divide by the largest discount factor
    return np.exp(exponent) @ flows


def irr(cash_flows: ArrayLike) -> float:
    """Internal rate of return: the rate where the NPV of ``cash_flows`` (year 0 first) is 0.

    nan when the flows do not change sign (no IRR exists) or the NPV has no root in
    (-0.9999, 1e6). The NPV is scanned on a grid of :data:`IRR_GRID` points, evenly spaced in
    ``log(1 + rate)``, every sign change is refined by Brent's method (``scipy.optimize.brentq``)
    and, when there are several (flows changing sign more than once), the root closest to 0 is
    returned, the choice of ``numpy_financial.irr``. A double root where the NPV touches 0 without
    changing sign may be missed.
    """
    flows = _flows("cash_flows", cash_flows)
    signs = np.sign(flows[flows != 0])
    if signs.size < 2 or np.all(signs == signs[0]):
        return np.nan
    grid = np.linspace(np.log1p(IRR_LOW), np.log1p(IRR_HIGH), IRR_GRID)
    values = _scaled_npv(grid, flows)
    roots = list(grid[values == 0])
    for k in np.flatnonzero(values[:-1] * values[1:] < 0).tolist():
        roots.append(brentq(lambda x: _scaled_npv(x, flows)[0], grid[k], grid[k + 1],
                            xtol=1e-15, rtol=4 * np.finfo(float).eps))
    if not roots:
        return np.nan
    rates = np.expm1(np.asarray(roots))
    return float(rates[np.argmin(np.abs(rates))])


def _payback(flows):
    """Years until the cumulative flow turns non-negative for good (linear within the year); nan if never."""
    cumulative = np.cumsum(flows)
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    last = int(negative[-1])
    if last == flows.size - 1:
        return np.nan
    return last + float(-cumulative[last] / flows[last + 1])


def payback_period(cash_flows: ArrayLike) -> float:
    """Payback period in years: the time at which the cumulative cash flow turns non-negative.

    The flow of year ``t`` is spread evenly over ``(t - 1, t]``: with ``C_t`` the cumulative flow and
    ``t`` the year it turns non-negative, payback = ``t - 1 + (-C_{t-1}) / CF_t``. When the cumulative
    flow falls below 0 again later (a reinvestment), the payback is the last such turn (after which it
    stays non-negative). 0 when it is never negative, nan when it ends negative.
    """
    return _payback(_flows("cash_flows", cash_flows))


def discounted_payback_period(rate: float, cash_flows: ArrayLike) -> float:
    """Discounted payback period: :func:`payback_period` of the flows ``CF_t / (1 + rate)^t``."""
    rate = as_rate("rate", rate)
    flows = _flows("cash_flows", cash_flows)
    return _payback(flows * _discount(rate, np.arange(flows.size)))


@dataclasses.dataclass(frozen=True)
class ProjectEvaluation:
    """The appraisal of a project (:func:`evaluate_project`); arrays are indexed by year 0..N.

    :ivar costs: total cost of each year (every category)
    :ivar net_flows: benefits - costs of each year
    :ivar cumulative: cumulative net flow
    :ivar discounted_net: net flow / (1 + rate)^t
    :ivar tco: total cost of ownership, undiscounted sum of every cost
    :ivar tco_by_category: category -> undiscounted total
    :ivar roi: (total benefits - TCO) / TCO, undiscounted (nan when TCO is 0)
    :ivar discounted_roi: NPV / PV(costs) (nan when PV(costs) is 0)
    """

    years: np.ndarray
    costs: np.ndarray
    benefits: np.ndarray
    net_flows: np.ndarray
    cumulative: np.ndarray
    discounted_net: np.ndarray
    tco: float
    tco_by_category: dict
    pv_costs: float
    pv_benefits: float
    npv: float
    irr: float
    roi: float
    discounted_roi: float
    payback_years: float
    discounted_payback_years: float


def _cost_table(costs, n_years):
    """Costs as an (N+1, len(COST_CATEGORIES)) array, from a 2-D array or a dict by category."""
    if isinstance(costs, dict):
        unknown = sorted(set(costs) - set(COST_CATEGORIES), key=str)
        if unknown:
            raise ValueError(f"unknown cost categories {', '.join(map(repr, unknown))} "
                             f"(allowed: {', '.join(COST_CATEGORIES)})")
        table = np.zeros((n_years, len(COST_CATEGORIES)))
        for k, category in enumerate(COST_CATEGORIES):
            if category in costs:
                column = as_1d_float(f"costs[{category!r}]", costs[category])
                if column.size != n_years:
                    raise ValueError(f"costs[{category!r}] covers {column.size} years, benefits {n_years} "
                                     f"(years 0..N, the same for both)")
                table[:, k] = column
    else:
        table = np.asarray(costs, dtype=np.float64)
        if table.ndim != 2 or table.shape[1] != len(COST_CATEGORIES):
            raise ValueError(f"costs must be (years, {len(COST_CATEGORIES)}) with columns "
                             f"{', '.join(COST_CATEGORIES)}, or a dict by category; got shape {table.shape}")
        if table.shape[0] != n_years:
            raise ValueError(f"costs cover {table.shape[0]} years, benefits {n_years} (years 0..N, the same "
                             f"for both)")
        if not np.all(np.isfinite(table)):
            year, k = np.argwhere(~np.isfinite(table))[0]
            raise ValueError(f"costs of {COST_CATEGORIES[k]} in year {year} are NaN or infinite")
    if np.any(table < 0):
        year, k = np.argwhere(table < 0)[0]
        raise ValueError(f"costs of {COST_CATEGORIES[k]} in year {year} are negative ({table[year, k]:g}); "
                         f"costs are amounts spent, >= 0")
    return table


def evaluate_project(costs, benefits: ArrayLike, rate: float) -> ProjectEvaluation:
    """TCO, NPV, IRR, ROI and payback of a project over years 0..N.

    :param costs: (N+1, 6) costs by year and :data:`COST_CATEGORIES`, or a dict category -> (N+1,)
        (missing categories are 0); amounts >= 0
    :param benefits: (N+1,) benefits by year, >= 0
    :param rate: yearly discount rate, finite and above -1
    :rtype: ProjectEvaluation
    """
    rate = as_rate("rate", rate)
    gains = _flows("benefits", benefits)
    if np.any(gains < 0):
        year = int(np.argmax(gains < 0))
        raise ValueError(f"benefits of year {year} are negative ({gains[year]:g}); enter costs as costs")
    table = _cost_table(costs, gains.size)
    years = np.arange(gains.size)
    factor = _discount(rate, years)
    spent = table.sum(axis=1)
    net = gains - spent
    tco = float(spent.sum())
    pv_costs = float(spent @ factor)
    pv_benefits = float(gains @ factor)
    value = pv_benefits - pv_costs
    return ProjectEvaluation(
        years=years,
        costs=spent,
        benefits=gains,
        net_flows=net,
        cumulative=np.cumsum(net),
        discounted_net=net * factor,
        tco=tco,
        tco_by_category={category: float(table[:, k].sum()) for k, category in enumerate(COST_CATEGORIES)},
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        npv=value,
        irr=irr(net),
        roi=(float(gains.sum()) - tco) / tco if tco > 0 else np.nan,
        discounted_roi=value / pv_costs if pv_costs > 0 else np.nan,
        payback_years=_payback(net),
        discounted_payback_years=_payback(net * factor),
    )
