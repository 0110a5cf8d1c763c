"""Investment appraisal: published NPV / IRR cases, numpy-financial as reference, payback, TCO, ROI."""

import numpy as np
import pytest

from crm_capability import (
    COST_CATEGORIES,
    discounted_payback_period,
    evaluate_project,
    irr,
    npv,
    payback_period,
)

# Microsoft Support, "IRR function" (Excel): initial cost -70,000 and net income 12,000, 15,000,
# 18,000, 21,000, 26,000 -> IRR after four years -2.1 %, after five years 8.7 %, after two years -44.4 %
EXCEL_IRR_FLOWS = [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]


def npf():
    return pytest.importorskip("numpy_financial")


# --- published cases -------------------------------------------------------------------------


def test_numpy_financial_npv_example():
    # numpy-financial docs, npv: 8 %, [-40 000, 5 000, 8 000, 12 000, 30 000] -> 3065.22267
    flows = [-40_000, 5_000, 8_000, 12_000, 30_000]
    assert round(npv(0.08, flows), 5) == 3065.22267
    assert npv(0.08, flows) == pytest.approx(npf().npv(0.08, flows), rel=1e-12)


@pytest.mark.parametrize(("flows", "published"), [
    # numpy-financial docs, irr (the first is Gitman's example in its notes)
    ([-100, 39, 59, 55, 20], 0.28095),
    ([-100, 0, 0, 74], -0.0955),
    ([-100, 100, 0, -7], -0.0833),
    ([-100, 100, 0, 7], 0.06206),
    ([-5, 10.5, 1, -8, 1], 0.0886),  # two sign changes: the root closest to 0
])
def test_numpy_financial_irr_examples(flows, published):
    assert round(irr(flows), 5) == published
    assert irr(flows) == pytest.approx(npf().irr(flows), abs=1e-10)


@pytest.mark.parametrize(("years", "published"), [(4, -0.021), (5, 0.087), (2, -0.444)])
def test_excel_irr_example(years, published):
    flows = EXCEL_IRR_FLOWS[:years + 1]
    assert round(irr(flows), 3) == published
    assert irr(flows) == pytest.approx(npf().irr(flows), abs=1e-10)
    assert npv(irr(flows), flows) == pytest.approx(0.0, abs=1e-6)


def test_excel_npv_convention():
    # Excel's NPV discounts its first value one period: =NPV(r, CF_1..CF_N) + CF_0 is our NPV
    flows = np.array(EXCEL_IRR_FLOWS, dtype=float)
    excel_npv = sum(cf / 1.1 ** (t + 1) for t, cf in enumerate(flows[1:]))
    assert npv(0.1, flows) == pytest.approx(excel_npv + flows[0])


def test_random_flows_match_numpy_financial():
    reference = npf()
    rng = np.random.default_rng(11)
    for _ in range(200):
        years = int(rng.integers(2, 15))
        flows = np.concatenate([[-rng.uniform(100, 10_000)], rng.uniform(0, 3_000, years)])
        rate = float(rng.uniform(-0.5, 0.5))
        assert npv(rate, flows) == pytest.approx(reference.npv(rate, flows), rel=1e-10, abs=1e-8)
        expected = reference.irr(flows)
        if np.isnan(expected):
            assert np.isnan(irr(flows))
        else:
            assert irr(flows) == pytest.approx(expected, abs=1e-9)


# --- irr edge cases --------------------------------------------------------------------------


def test_irr_without_sign_change_is_nan():
    for flows in ([100, 20, 30], [-100, -20], [0, 0, 0], [0, 5], [-7]):
        assert np.isnan(irr(flows))
    assert np.isnan(irr([-1, 3, -3]))  # sign changes but NPV < 0 at every rate


def test_irr_extreme_rates():
    assert irr([-1, 1_000]) == pytest.approx(999.0)
    assert irr([-1_000, 1]) == pytest.approx(-0.999)
    assert irr([-100, 100]) == pytest.approx(0.0, abs=1e-12)
    assert irr([-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200]) == pytest.approx(2 ** 0.1 - 1)


# --- payback ---------------------------------------------------------------------------------


def test_payback_by_hand():
    # cumulative -100, -40, 20: paid back 40 / 60 into year 2
    assert payback_period([-100, 60, 60]) == pytest.approx(1 + 40 / 60)
    # cumulative -100, -50, 0: exactly at the end of year 2
    assert payback_period([-100, 50, 50, 50]) == pytest.approx(2.0)
    assert payback_period([-100, 200]) == pytest.approx(0.5)
    assert payback_period([50, 10]) == 0.0  # never negative
    assert np.isnan(payback_period([-100, 30, 30]))  # never paid back
    # investment in year 1: cumulative 0, -100, 100 -> 1 + 100 / 200
    assert payback_period([0, -100, 200]) == pytest.approx(1.5)
    # a reinvestment in year 3 makes it negative again: paid back for good in year 4
    # cumulative -100, -20, 60, -40, 40 -> 3 + 40 / 80
    assert payback_period([-100, 80, 80, -100, 80]) == pytest.approx(3.5)


def test_discounted_payback_by_hand():
    # 10 %: -100, 60 / 1.1 = 54.545, 60 / 1.21 = 49.587 -> 1 + 45.455 / 49.587
    assert discounted_payback_period(0.1, [-100, 60, 60]) == pytest.approx(1 + (100 - 60 / 1.1) / (60 / 1.21))
    assert discounted_payback_period(0.0, [-100, 60, 60]) == pytest.approx(payback_period([-100, 60, 60]))
    assert np.isnan(discounted_payback_period(0.3, [-100, 60, 60]))  # 46.2 + 35.5 < 100


# --- evaluate_project ------------------------------------------------------------------------


def test_evaluate_project_by_hand():
    # years 0..2: licences 100, 20, 20; training 10, 0, 0; benefits 0, 80, 90; rate 10 %
    result = evaluate_project({"licences": [100, 20, 20], "training": [10, 0, 0]}, [0, 80, 90], 0.1)
    assert result.years.tolist() == [0, 1, 2]
    assert result.costs.tolist() == [110, 20, 20]
    assert result.benefits.tolist() == [0, 80, 90]
    assert result.net_flows.tolist() == [-110, 60, 70]
    assert result.cumulative.tolist() == [-110, -50, 20]
    np.testing.assert_allclose(result.discounted_net, [-110, 60 / 1.1, 70 / 1.21])
    assert result.tco == 150.0
    assert result.tco_by_category == {"licences": 140.0, "hardware": 0.0, "implementation": 0.0,
                                      "training": 10.0, "support": 0.0, "internal_staff": 0.0}
    assert result.pv_costs == pytest.approx(110 + 20 / 1.1 + 20 / 1.21)
    assert result.pv_benefits == pytest.approx(80 / 1.1 + 90 / 1.21)
    assert result.npv == pytest.approx(-110 + 60 / 1.1 + 70 / 1.21)  # 2.3967
    assert result.npv == pytest.approx(2.396694, abs=1e-6)
    assert result.roi == pytest.approx((170 - 150) / 150)
    assert result.discounted_roi == pytest.approx(result.npv / result.pv_costs)
    assert result.payback_years == pytest.approx(1 + 50 / 70)
    assert result.discounted_payback_years == pytest.approx(1 + (110 - 60 / 1.1) / (70 / 1.21))
    assert npv(result.irr, result.net_flows) == pytest.approx(0.0, abs=1e-9)
    assert result.irr > 0.1  # NPV > 0 at 10 %


def test_evaluate_project_array_costs_equal_dict_costs():
    table = np.zeros((3, len(COST_CATEGORIES)))
    table[:, 0] = [100, 20, 20]
    table[:, 3] = [10, 0, 0]
    as_array = evaluate_project(table, [0, 80, 90], 0.1)
    as_dict = evaluate_project({"licences": [100, 20, 20], "training": [10, 0, 0]}, [0, 80, 90], 0.1)
    assert as_array.npv == as_dict.npv and as_array.tco_by_category == as_dict.tco_by_category


def test_evaluate_project_without_costs():
    result = evaluate_project({}, [0, 10], 0.05)
    assert result.tco == 0.0
    assert np.isnan(result.roi) and np.isnan(result.discounted_roi) and np.isnan(result.irr)
    assert result.payback_years == 0.0
    assert result.npv == pytest.approx(10 / 1.05)


def test_cost_categories():
    assert COST_CATEGORIES == ("licences", "hardware", "implementation", "training", "support",
                               "internal_staff")


@pytest.mark.parametrize(("costs", "benefits", "rate", "message"), [
    ({"licences": [10, 0]}, [0, 5, 5], 0.1, r"costs\['licences'\] covers 2 years, benefits 3"),
    (np.zeros((2, 6)), [0, 5, 5], 0.1, "costs cover 2 years, benefits 3"),
    (np.zeros((3, 5)), [0, 5, 5], 0.1, r"costs must be \(years, 6\)"),
    ({"licenses": [1, 1]}, [0, 5], 0.1, "unknown cost categories 'licenses'"),
    ({"training": [1, -1]}, [0, 5], 0.1, r"costs of training in year 1 are negative \(-1\)"),
    (np.array([[0, 0, 0, 0, 0, np.nan]]), [0], 0.1, "costs of internal_staff in year 0 are NaN"),
    ({"training": [1, np.inf]}, [0, 5], 0.1, "NaN or infinite"),
    ({}, [0, -5], 0.1, r"benefits of year 1 are negative \(-5\)"),
    ({}, [0, np.nan], 0.1, "benefits contains NaN"),
    ({}, [], 0.1, "at least one year"),
    ({}, [0, 5], -1.0, "rate must be a finite number above -1"),
    ({}, [0, 5], np.nan, "rate must be a finite number above -1"),
    ({}, [0, 5], "ten", "rate must be a number"),
])
def test_evaluate_project_bad_inputs(costs, benefits, rate, message):
    with pytest.raises(ValueError, match=message):
        evaluate_project(costs, benefits, rate)


def test_npv_irr_bad_inputs():
    with pytest.raises(ValueError, match="rate must be a finite number above -1"):
        npv(-1.5, [1, 2])
    with pytest.raises(ValueError, match="at least one year"):
        npv(0.1, [])
    with pytest.raises(ValueError, match="NaN or infinite"):
        irr([-1, np.nan])
    with pytest.raises(ValueError, match="one-dimensional"):
        payback_period([[1, 2]])
