import datetime

import numpy as np

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from crm_callcenter import agents_required, call_kpis, forecast_intervals

from .common_calls import CallCenterTestCommon

MONDAY = datetime.date(2026, 11, 30)


class StaffingCommon(CallCenterTestCommon):
    """Four weeks of calls of the service queue, Monday to Friday from 9:00 to 17:00, busier on Mondays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = np.random.default_rng(3)
        vals = []
        for day in range(28):
            date = MONDAY - datetime.timedelta(days=28 - day)
            if date.weekday() >= 5:
                continue
            volume = 30 if date.weekday() == 0 else 20
            for _k in range(volume):
                offered = datetime.datetime.combine(date, datetime.time(9)) + datetime.timedelta(
                    seconds=int(rng.integers(0, 8 * 3600))
                )
                wait = float(rng.exponential(25))
                abandoned = rng.random() < 0.1
                vals.append(
                    {
                        "pbx_call_id": f"hist-{len(vals)}",
                        "company_id": cls.company.id,
                        "team_id": cls.team.id,
                        "direction": "inbound",
                        "state": "done",
                        "offered_at": offered,
                        "outcome": "abandoned" if abandoned else "answered",
                        "wait_seconds": wait,
                        "talk_seconds": 0.0 if abandoned else float(rng.uniform(120, 360)),
                        "wrapup_seconds": 0.0 if abandoned else 30.0,
                    }
                )
        cls.env["crm.service.call"].create(vals)

    def _plan(self, **vals):
        return self.env["crm.service.staffing.plan"].create(
            {
                "team_id": self.team.id,
                "date_start": MONDAY,
                "interval_minutes": "30",
                "history_weeks": 4,
                "backtest_weeks": 1,
                "target_service_level": 80.0,
                "target_seconds": 20,
                "shrinkage": 30.0,
                "max_occupancy": 85.0,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestStaffingPlan(StaffingCommon):
    def test_plan_equals_the_engine(self):
        plan = self._plan()
        plan.action_compute()
        self.assertEqual(plan.state, "done")
        self.assertEqual(len(plan.line_ids), 7 * 48)
        calls = self.env["crm.service.call"].search([("team_id", "=", self.team.id)], order="offered_at")
        self.assertEqual(plan.history_calls, len(calls))
        kpis = call_kpis(
            np.array(calls.mapped("offered_at"), dtype="datetime64[s]"),
            calls.mapped("wait_seconds"),
            calls.mapped("outcome"),
            calls.mapped("talk_seconds"),
            calls.mapped("hold_seconds"),
            calls.mapped("wrapup_seconds"),
            interval_minutes=30,
            target_seconds=20,
            short_abandon_seconds=5,
        )
        aht = kpis.handle_seconds.sum() / kpis.answered.sum()
        self.assertAlmostEqual(plan.aht_seconds, aht, delta=0.05)  # shown to a tenth of a second
        window = np.array(
            [
                np.datetime64(MONDAY - datetime.timedelta(weeks=4), "m"),
                np.datetime64(MONDAY - datetime.timedelta(days=1), "m"),
            ]
        )
        forecast = forecast_intervals(
            np.concatenate([kpis.interval_start, window]),
            np.concatenate([kpis.offered, [0, 0]]),
            interval_minutes=30,
            horizon_days=7,
            backtest_weeks=1,
        )
        staffing = agents_required(
            forecast.contacts / 1800.0, aht, 0.8, 20.0, shrinkage=0.3, max_occupancy=0.85
        )
        lines = plan.line_ids.sorted("interval_start")
        self.assertEqual(lines[0].interval_start, datetime.datetime.combine(MONDAY, datetime.time()))
        np.testing.assert_allclose(lines.mapped("forecast_calls"), forecast.contacts, atol=0.05)  # 0.1 shown
        self.assertEqual(lines.mapped("agents"), staffing.agents.tolist())
        self.assertEqual(lines.mapped("scheduled"), staffing.scheduled.tolist())
        self.assertAlmostEqual(plan.backtest_wape, 100 * forecast.backtest_wape, delta=0.05)
        self.assertGreater(plan.peak_scheduled, 0)
        self.assertEqual(plan.agent_hours, sum(staffing.scheduled) / 2)
        # the busy Mondays need more agents than the Sundays (closed)
        monday = lines.filtered(lambda line: line.day == MONDAY)
        sunday = lines.filtered(lambda line: line.day.weekday() == 6)
        self.assertGreater(sum(monday.mapped("scheduled")), 0)
        self.assertEqual(sum(sunday.mapped("scheduled")), 0)
        self.assertTrue(plan.chart_data["labels"])
        self.assertEqual(len(plan.chart_data["labels"]), len(plan.chart_data["scheduled"]))

    def test_changed_parameters_make_a_draft(self):
        plan = self._plan()
        plan.action_compute()
        self.assertEqual(plan.state, "done")
        plan.interval_minutes = "15"
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.line_ids)
        self.assertEqual(plan.agent_hours, 0)
        plan.action_compute()
        self.assertEqual((plan.state, len(plan.line_ids)), ("done", 7 * 96))

    def test_erlang_a_needs_fewer_agents(self):
        erlang_c, erlang_a = self._plan(), self._plan(use_patience=True)
        (erlang_c | erlang_a).action_compute()
        self.assertGreater(erlang_a.patience_seconds, 0)
        self.assertLessEqual(sum(erlang_a.line_ids.mapped("agents")), sum(erlang_c.line_ids.mapped("agents")))

    def test_bad_plans(self):
        with self.assertRaises(ValidationError):
            self._plan(history_weeks=2, backtest_weeks=1)
        with self.assertRaises(ValidationError):
            self._plan(target_service_level=100.0)
        with self.assertRaises(ValidationError):
            self._plan(shrinkage=100.0)
        with self.assertRaisesRegex(UserError, "no ended inbound call"):
            self._plan(team_id=self.other_team.id).action_compute()
        self.env["crm.service.call"].search([("outcome", "=", "abandoned")]).unlink()
        with self.assertRaisesRegex(UserError, "patience"):
            self._plan(use_patience=True).action_compute()
