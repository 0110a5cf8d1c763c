import datetime

import numpy as np
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from crm_callcenter import call_kpis

#: a call still ringing or in progress after this long lost its hangup event: not live any more
LIVE_HOURS = 4


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    crm_cti_queue = fields.Char(
        string="PBX Queue",
        help="The queue name or number the PBX reports for this team (else the team's name is used).",
    )
    crm_call_ids = fields.One2many("crm.service.call", "team_id", string="Calls")
    # today's live counters of the queue (local day of the team's calendar)
    crm_calls_waiting = fields.Integer(string="Waiting", compute="_compute_crm_call_counters")
    crm_calls_talking = fields.Integer(string="In Progress", compute="_compute_crm_call_counters")
    crm_calls_offered_today = fields.Integer(string="Offered Today", compute="_compute_crm_call_counters")
    crm_calls_answered_today = fields.Integer(string="Answered Today", compute="_compute_crm_call_counters")
    crm_calls_abandoned_today = fields.Integer(string="Abandoned Today", compute="_compute_crm_call_counters")
    crm_service_level_today = fields.Float(
        string="Service Level Today (%)", compute="_compute_crm_call_counters", digits=(16, 1)
    )
    crm_asa_today = fields.Float(string="ASA Today (s)", compute="_compute_crm_call_counters", digits=(16, 1))
    crm_aht_today = fields.Float(string="AHT Today (s)", compute="_compute_crm_call_counters", digits=(16, 1))
    crm_occupancy_today = fields.Float(
        string="Occupancy Today (%)",
        compute="_compute_crm_call_counters",
        digits=(16, 1),
        help="The time the queue's agents handled calls today over the time they were available (logged in "
        "to the PBX and not on a pause).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A new team accepts the case types of the service center (helpdesk_type empties the team of a
        case whose type its team does not list)."""
        kinds = self.env["helpdesk.ticket.type"]._crm_case_types()
        for vals in vals_list:
            vals.setdefault("type_ids", [(6, 0, kinds.ids)])
        self.env["crm.service.cti"]._clear_directory()
        return super().create(vals_list)

    def write(self, vals):
        if {"name", "crm_cti_queue", "company_id", "active", "user_ids", "user_id"} & set(vals):
            self.env["crm.service.cti"]._clear_directory()
        return super().write(vals)

    def unlink(self):
        self.env["crm.service.cti"]._clear_directory()
        return super().unlink()

    @api.constrains("use_sla", "resource_calendar_id")
    def _check_sla_calendar(self):
        for team in self:
            if team.use_sla and not team.resource_calendar_id:
                raise ValidationError(
                    self.env._(
                        "The team %(team)s uses SLAs: choose the working calendar its deadlines are "
                        "counted on.",
                        team=team.name,
                    )
                )

    def _crm_call_tz(self):
        """The time zone of the queue's day: its calendar's, else the company's, else UTC (as in the KPI
        report), whoever computes it."""
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.company_id.partner_id.tz or "UTC")

    def _crm_today_start(self):
        tz = self._crm_call_tz()
        local = datetime.datetime.now(pytz.UTC).astimezone(tz)
        start = tz.localize(datetime.datetime.combine(local.date(), datetime.time()))
        return start.astimezone(pytz.UTC).replace(tzinfo=None)

    def _compute_crm_call_counters(self):
        Call = self.env["crm.service.call"]
        live = {
            (team, state): count
            for team, state, count in Call._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("direction", "=", "inbound"),
                    ("state", "in", ("ringing", "in_progress")),
                    ("offered_at", ">=", fields.Datetime.now() - datetime.timedelta(hours=LIVE_HOURS)),
                ],
                ["team_id", "state"],
                ["__count"],
            )
        }
        for team in self:
            team.crm_calls_waiting = live.get((team, "ringing"), 0)
            team.crm_calls_talking = live.get((team, "in_progress"), 0)
            figures = team._crm_call_figures(team._crm_today_start(), fields.Datetime.now())
            team.crm_calls_offered_today = figures["offered"]
            team.crm_calls_answered_today = figures["answered"]
            team.crm_calls_abandoned_today = figures["abandoned"]
            team.crm_service_level_today = figures["service_level"]
            team.crm_asa_today = figures["asa"]
            team.crm_aht_today = figures["aht"]
            team.crm_occupancy_today = team._crm_occupancy(team._crm_today_start())

    def _crm_occupancy(self, start):
        """The occupancy (%) of the queue's agents since ``start`` (0 without available time)."""
        self.ensure_one()
        agents = self.user_ids | self.user_id
        if not agents:
            return 0.0
        [(occupancy,)] = self.env["crm.service.occupancy.report"]._read_group(
            [
                ("user_id", "in", agents.ids),
                ("company_id", "=", (self.company_id or self.env.company).id),
                ("interval_start", ">=", start),
            ],
            aggregates=["occupancy:avg"],
        )
        return occupancy or 0.0

    def _crm_call_figures(self, start, stop):
        """The KPIs of the queue's ended inbound calls offered in ``[start, stop)`` (the engine's
        definitions, ``crm_callcenter.call_kpis``); ratios in %, 0 when nothing was offered."""
        self.ensure_one()
        calls = self.env["crm.service.call"].search_fetch(
            [
                ("team_id", "=", self.id),
                ("direction", "=", "inbound"),
                ("state", "=", "done"),
                ("offered_at", ">=", start),
                ("offered_at", "<", stop),
            ],
            ["offered_at", "wait_seconds", "outcome", "talk_seconds", "hold_seconds", "wrapup_seconds"],
        )
        empty = {"offered": 0, "answered": 0, "abandoned": 0, "service_level": 0.0, "asa": 0.0, "aht": 0.0}
        if not calls:
            return empty
        company = self.company_id or self.env.company
        kpis = call_kpis(
            np.array([c.offered_at for c in calls], dtype="datetime64[s]"),
            [c.wait_seconds for c in calls],
            [c.outcome for c in calls],
            [c.talk_seconds for c in calls],
            [c.hold_seconds for c in calls],
            [c.wrapup_seconds for c in calls],
            interval_minutes=60,
            target_seconds=company.crm_call_target_seconds,
            short_abandon_seconds=company.crm_call_short_abandon_seconds,
        )
        offered, answered = int(kpis.offered.sum()), int(kpis.answered.sum())
        waited = float(np.nansum(kpis.asa * kpis.answered))
        return {
            "offered": offered,
            "answered": answered,
            "abandoned": int(kpis.abandoned.sum()),
            "service_level": 100.0 * kpis.answered_in_target.sum() / offered if offered else 0.0,
            "asa": waited / answered if answered else 0.0,
            "aht": float(kpis.handle_seconds.sum()) / answered if answered else 0.0,
        }

    def action_crm_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_callcenter_service.crm_service_call_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_today": 1}
        return action
