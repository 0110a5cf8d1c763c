import datetime

import numpy as np
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from crm_callcenter import agents_required, call_kpis, estimate_patience, forecast_intervals

MIN_HISTORY_WEEKS = 2
#: the parameters of a plan: changing one makes a computed plan a draft again
PLAN_INPUTS = {
    "team_id",
    "date_start",
    "interval_minutes",
    "target_service_level",
    "target_seconds",
    "shrinkage",
    "max_occupancy",
    "use_patience",
    "history_weeks",
    "backtest_weeks",
}


def _next_monday(today):
    return today + datetime.timedelta(days=7 - today.weekday())


class CrmServiceStaffingPlan(models.Model):
    """A week of staffing for a queue: the calls of each 15- or 30-minute interval forecast from the
    queue's own history (``crm_callcenter.forecast_intervals``: Holt-Winters on the days, weekday
    intraday profiles, with a backtest), and the agents each interval needs for the target service
    level, answer time, shrinkage and maximum occupancy (Erlang C, or Erlang A with the callers'
    patience: ``crm_callcenter.agents_required``)."""

    _name = "crm.service.staffing.plan"
    _description = "Call center staffing plan"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Queue", required=True, check_company=True, tracking=True
    )
    date_start = fields.Date(
        string="Week Of",
        required=True,
        default=lambda self: _next_monday(fields.Date.context_today(self)),
        tracking=True,
        help="The first day planned (seven days are planned).",
    )
    interval_minutes = fields.Selection(
        [("15", "15 minutes"), ("30", "30 minutes")], string="Interval", required=True, default="30"
    )
    target_service_level = fields.Float(
        string="Target Service Level (%)",
        required=True,
        default=lambda self: self.env.company.crm_call_target_service_level,
    )
    target_seconds = fields.Integer(
        string="Answer Within (s)",
        required=True,
        default=lambda self: self.env.company.crm_call_target_seconds,
    )
    shrinkage = fields.Float(
        string="Shrinkage (%)",
        default=30.0,
        help="Share of the paid time agents are not on the phones (breaks, training, meetings, absence).",
    )
    max_occupancy = fields.Float(
        string="Maximum Occupancy (%)",
        default=85.0,
        help="Agents are not kept busier than this: more agents where the load would exceed it.",
    )
    use_patience = fields.Boolean(
        string="Count Abandons (Erlang A)",
        help="Staff with Erlang A, using the callers' patience estimated from the queue's abandons, "
        "instead of Erlang C (which assumes nobody hangs up: more agents).",
    )
    history_weeks = fields.Integer(string="History (weeks)", default=8, required=True)
    backtest_weeks = fields.Integer(
        string="Backtest (weeks)",
        default=2,
        required=True,
        help="The last weeks of the history are forecast from the weeks before them to measure the error.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Computed")], default="draft", readonly=True, required=True
    )
    line_ids = fields.One2many("crm.service.staffing.line", "plan_id", string="Intervals", readonly=True)
    computed_on = fields.Datetime(readonly=True)
    history_calls = fields.Integer(string="Calls in the History", readonly=True)
    aht_seconds = fields.Float(string="Average Handle Time (s)", readonly=True, digits=(16, 1))
    patience_seconds = fields.Float(string="Mean Patience (s)", readonly=True, digits=(16, 1))
    backtest_wape = fields.Float(
        string="Backtest WAPE (%)",
        readonly=True,
        digits=(16, 1),
        help="Weighted absolute percentage error of the interval forecasts of the backtest weeks: "
        "sum of |forecast - actual| / sum of actual calls.",
    )
    backtest_mape = fields.Float(
        string="Backtest MAPE (%)",
        readonly=True,
        digits=(16, 1),
        help="Mean absolute percentage error over the backtest's intervals with calls.",
    )
    total_calls = fields.Float(string="Forecast Calls", compute="_compute_totals", digits=(16, 0))
    peak_scheduled = fields.Integer(string="Peak Agents", compute="_compute_totals")
    agent_hours = fields.Float(string="Agent Hours to Schedule", compute="_compute_totals", digits=(16, 1))
    chart_data = fields.Json(compute="_compute_chart_data")

    def write(self, vals):
        """A computed plan whose inputs change is a draft again: its intervals and figures are dropped
        (they would not match the new parameters)."""
        if PLAN_INPUTS & set(vals) and not self.env.context.get("crm_plan_computing"):
            done = self.filtered(lambda plan: plan.state == "done")
            done.line_ids.unlink()
            vals = {**vals, "state": "draft"}
        return super().write(vals)

    @api.depends("team_id", "date_start")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._(
                "%(team)s, week of %(date)s", team=plan.team_id.name or "", date=plan.date_start or ""
            )

    @api.depends("line_ids.forecast_calls", "line_ids.scheduled", "interval_minutes")
    def _compute_totals(self):
        for plan in self:
            plan.total_calls = sum(plan.line_ids.mapped("forecast_calls"))
            plan.peak_scheduled = max(plan.line_ids.mapped("scheduled") or [0])
            plan.agent_hours = sum(plan.line_ids.mapped("scheduled")) * int(plan.interval_minutes) / 60.0

    @api.depends("line_ids.forecast_calls", "line_ids.scheduled")
    def _compute_chart_data(self):
        for plan in self:
            lines = plan.line_ids.filtered(lambda line: line.forecast_calls > 0 or line.scheduled)
            if not lines:
                plan.chart_data = False
                continue
            plan.chart_data = {
                "labels": [f"{fields.Date.to_string(line.day)} {line.time_slot}" for line in lines],
                "calls": [float_round(line.forecast_calls, 1) for line in lines],
                "scheduled": lines.mapped("scheduled"),
                "agents": lines.mapped("agents"),
                "calls_label": self.env._("Forecast calls"),
                "scheduled_label": self.env._("Agents to schedule"),
                "agents_label": self.env._("Agents on the phones"),
            }

    @api.constrains(
        "target_service_level",
        "target_seconds",
        "shrinkage",
        "max_occupancy",
        "history_weeks",
        "backtest_weeks",
    )
    def _check_parameters(self):
        for plan in self:
            if not 0 < plan.target_service_level < 100:
                raise ValidationError(
                    self.env._("The target service level lies strictly between 0 and 100%.")
                )
            if plan.target_seconds <= 0:
                raise ValidationError(self.env._("The answer time target must be positive."))
            if not 0 <= plan.shrinkage < 100:
                raise ValidationError(self.env._("The shrinkage lies between 0 and 100% (excluded)."))
            if not 0 < plan.max_occupancy <= 100:
                raise ValidationError(self.env._("The maximum occupancy lies between 0 (excluded) and 100%."))
            if plan.backtest_weeks < 0 or plan.history_weeks < MIN_HISTORY_WEEKS + plan.backtest_weeks:
                raise ValidationError(
                    self.env._(
                        "The history needs at least %(weeks)s weeks: two to learn the weekly rhythm, plus "
                        "the backtest weeks.",
                        weeks=MIN_HISTORY_WEEKS + max(plan.backtest_weeks, 0),
                    )
                )

    # ------------------------------------------------------------------
    def _history(self, tz):
        """The queue's ended inbound calls of the history window, with their offer time in local time:
        ``(calls, local offered_at as datetime64[s], history start, history end)`` (local days)."""
        self.ensure_one()
        today = datetime.datetime.now(pytz.UTC).astimezone(tz).date()
        end = min(self.date_start, today)
        start = end - datetime.timedelta(weeks=self.history_weeks)

        def utc(day):
            return (
                tz.localize(datetime.datetime.combine(day, datetime.time()))
                .astimezone(pytz.UTC)
                .replace(tzinfo=None)
            )

        calls = self.env["crm.service.call"].search_fetch(
            [
                ("team_id", "=", self.team_id.id),
                ("direction", "=", "inbound"),
                ("state", "=", "done"),
                ("offered_at", ">=", utc(start)),
                ("offered_at", "<", utc(end)),
            ],
            ["offered_at", "wait_seconds", "outcome", "talk_seconds", "hold_seconds", "wrapup_seconds"],
            order="offered_at",
        )
        local = np.array(
            [pytz.UTC.localize(c.offered_at).astimezone(tz).replace(tzinfo=None) for c in calls],
            dtype="datetime64[s]",
        )
        return calls, local, start, end

    def action_compute(self):
        """Forecast the week and staff each interval (a few hundred intervals: well under a second)."""
        for plan in self:
            plan._compute_plan()
        return True

    def _compute_plan(self):
        self.ensure_one()
        tz = self.team_id._crm_call_tz()
        company = self.company_id
        minutes = int(self.interval_minutes)
        calls, local, start, end = self._history(tz)
        if not calls:
            raise UserError(
                self.env._(
                    "The queue %(team)s has no ended inbound call between %(start)s and %(end)s: nothing "
                    "to forecast from.",
                    team=self.team_id.name,
                    start=start,
                    end=end,
                )
            )
        kpis = call_kpis(
            local,
            calls.mapped("wait_seconds"),
            calls.mapped("outcome"),
            calls.mapped("talk_seconds"),
            calls.mapped("hold_seconds"),
            calls.mapped("wrapup_seconds"),
            interval_minutes=minutes,
            target_seconds=company.crm_call_target_seconds,
            short_abandon_seconds=company.crm_call_short_abandon_seconds,
        )
        answered = int(kpis.answered.sum())
        if not answered:
            raise UserError(
                self.env._(
                    "No call of the queue %(team)s was answered in the history: the handle time is unknown.",
                    team=self.team_id.name,
                )
            )
        aht = float(kpis.handle_seconds.sum()) / answered
        # the whole window counts, quiet first and last days included (0 calls)
        window = np.array([np.datetime64(start, "m"), np.datetime64(end - datetime.timedelta(days=1), "m")])
        starts = np.concatenate([kpis.interval_start, window])
        offered = np.concatenate([kpis.offered.astype(np.float64), [0.0, 0.0]])
        horizon = (self.date_start - end).days + 7
        forecast = forecast_intervals(
            starts,
            offered,
            interval_minutes=minutes,
            horizon_days=horizon,
            backtest_weeks=self.backtest_weeks,
        )
        slots = 7 * 1440 // minutes
        interval_starts = forecast.interval_starts[-slots:]
        contacts = forecast.contacts[-slots:]
        patience = None
        if self.use_patience:
            short = company.crm_call_short_abandon_seconds
            waits = np.array(calls.mapped("wait_seconds"))
            outcomes = np.array(calls.mapped("outcome"), dtype=object)
            kept = ~((outcomes == "abandoned") & (waits < short))
            patience = estimate_patience(waits[kept], outcomes[kept] == "abandoned")
            if patience is None:
                raise UserError(
                    self.env._(
                        "Too few abandoned calls in the history to estimate the callers' patience: "
                        "plan with Erlang C (clear 'Count Abandons')."
                    )
                )
        staffing = agents_required(
            contacts / (minutes * 60.0),
            aht,
            self.target_service_level / 100.0,
            float(self.target_seconds),
            shrinkage=self.shrinkage / 100.0,
            max_occupancy=self.max_occupancy / 100.0,
            patience=patience,
        )
        lines = []
        for i, moment in enumerate(interval_starts.astype("datetime64[s]").tolist()):
            utc = tz.localize(moment).astimezone(pytz.UTC).replace(tzinfo=None)
            lines.append(
                {
                    "plan_id": self.id,
                    "interval_start": utc,
                    "day": moment.date(),
                    "time_slot": moment.strftime("%H:%M"),
                    "forecast_calls": float(contacts[i]),
                    "agents": int(staffing.agents[i]),
                    "scheduled": int(staffing.scheduled[i]),
                    "service_level": 100.0 * float(np.nan_to_num(staffing.service_level[i], nan=1.0)),
                    "asa": float(np.nan_to_num(staffing.asa[i])),
                    "occupancy": 100.0 * float(np.nan_to_num(staffing.occupancy[i])),
                    "p_abandon": 100.0 * float(staffing.p_abandon[i])
                    if staffing.p_abandon is not None
                    else 0.0,
                }
            )
        self.line_ids.unlink()
        self.env["crm.service.staffing.line"].create(lines)
        self.with_context(crm_plan_computing=True).write(
            {
                "state": "done",
                "computed_on": fields.Datetime.now(),
                "history_calls": len(calls),
                "aht_seconds": aht,
                "patience_seconds": patience or 0.0,
                "backtest_wape": 100.0 * forecast.backtest_wape
                if np.isfinite(forecast.backtest_wape)
                else 0.0,
                "backtest_mape": 100.0 * forecast.backtest_mape
                if np.isfinite(forecast.backtest_mape)
                else 0.0,
            }
        )

    def action_export_xlsx(self):
        """The plan as an Excel workbook: parameters and backtest, intervals, native charts."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(self.env._("Compute the plan before exporting it."))
        filename = f"staffing_{self.team_id.name}_{self.date_start}.xlsx".replace(" ", "_")
        return self.env["crm.suite.export"].download(filename, self._xlsx_bytes())

    def _xlsx_bytes(self):
        from odoo.addons.crm_suite_base.tools.xlsx import XlsxReport

        report = XlsxReport()
        sheet = self.env._("Staffing")
        report.add_summary(
            sheet,
            self.name,
            [
                (self.env._("Queue"), self.team_id.name, "text"),
                (self.env._("Week of"), self.date_start, "date"),
                (self.env._("Interval (minutes)"), int(self.interval_minutes), "int"),
                (self.env._("Target service level"), self.target_service_level / 100.0, "percent"),
                (self.env._("Answer within (s)"), self.target_seconds, "int"),
                (self.env._("Shrinkage"), self.shrinkage / 100.0, "percent"),
                (self.env._("Maximum occupancy"), self.max_occupancy / 100.0, "percent"),
                (
                    self.env._("Model"),
                    self.env._("Erlang A") if self.use_patience else self.env._("Erlang C"),
                    "text",
                ),
                (self.env._("Average handle time (s)"), self.aht_seconds, "float"),
                (self.env._("Calls in the history"), self.history_calls, "int"),
                (self.env._("Backtest WAPE"), self.backtest_wape / 100.0, "percent"),
                (self.env._("Backtest MAPE"), self.backtest_mape / 100.0, "percent"),
                (self.env._("Forecast calls"), self.total_calls, "float"),
                (self.env._("Peak agents"), self.peak_scheduled, "int"),
                (self.env._("Agent hours to schedule"), self.agent_hours, "float"),
            ],
        )
        lines = self.line_ids.filtered(lambda line: line.forecast_calls > 0 or line.scheduled)
        ref = report.add_table(
            self.env._("Intervals"),
            [
                (self.env._("Interval"), "text"),
                (self.env._("Forecast calls"), "float"),
                (self.env._("Agents on the phones"), "int"),
                (self.env._("Agents to schedule"), "int"),
                (self.env._("Service level"), "percent"),
                (self.env._("ASA (s)"), "float"),
                (self.env._("Occupancy"), "percent"),
            ],
            [
                (
                    f"{line.day} {line.time_slot}",
                    line.forecast_calls,
                    line.agents,
                    line.scheduled,
                    line.service_level / 100.0,
                    line.asa,
                    line.occupancy / 100.0,
                )
                for line in lines
            ],
        )
        report.add_chart(
            sheet,
            "column",
            self.env._("Agents to schedule"),
            ref.column(0),
            [(self.env._("Agents to schedule"), ref.column(3))],
            anchor="D2",
            y_title=self.env._("Agents"),
        )
        report.add_chart(
            sheet,
            "line",
            self.env._("Forecast calls"),
            ref.column(0),
            [(self.env._("Forecast calls"), ref.column(1))],
            anchor="D22",
            y_title=self.env._("Calls"),
        )
        return report.to_bytes()
