from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date, format_datetime

from crm_callcenter import OUTCOMES

OUTCOME_LABELS = {
    "answered": "Answered",
    "abandoned": "Abandoned",
    "missed": "Missed",
    "voicemail": "Voicemail",
    "transferred": "Transferred",
}
OUTCOME_SELECTION = [(key, OUTCOME_LABELS[key]) for key in OUTCOMES]
SCREEN_POP_LINES = 3  # open cases and orders shown on the card
#: what an agent may change on a call: the rest comes from the PBX (their KPIs) or is the manager's
AGENT_WRITABLE = {"ticket_id"}


class CrmServiceCall(models.Model):
    """A phone call of the service center, written by the CTI webhook from the PBX's events (or
    logged by hand). Its state, times and durations are folded from the events whatever their
    arrival order (``crm_callcenter.fold_events``)."""

    _name = "crm.service.call"
    _description = "Call"
    _order = "offered_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    pbx_call_id = fields.Char(string="PBX Call ID", required=True, readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="inbound", readonly=True
    )
    state = fields.Selection(
        [("ringing", "Ringing"), ("in_progress", "In Progress"), ("done", "Ended")],
        required=True,
        default="ringing",
        readonly=True,
    )
    outcome = fields.Selection(OUTCOME_SELECTION, readonly=True)
    caller_number = fields.Char(string="From", readonly=True)
    callee_number = fields.Char(string="To", readonly=True)
    customer_number = fields.Char(
        readonly=True,
        help="The customer's side of the call (the caller of an inbound call) in E.164, as matched "
        "against the contacts' phone numbers.",
    )
    partner_id = fields.Many2one("res.partner", string="Contact", check_company=True, index="btree_not_null")
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True, index="btree_not_null"
    )
    team_id = fields.Many2one("helpdesk.ticket.team", string="Queue", check_company=True, index=True)
    user_id = fields.Many2one("res.users", string="Agent", index=True)
    pbx_queue = fields.Char(string="PBX Queue", readonly=True)
    pbx_agent = fields.Char(string="PBX Agent", readonly=True)
    offered_at = fields.Datetime(string="Offered", readonly=True, index=True)
    answered_at = fields.Datetime(string="Answered", readonly=True)
    ended_at = fields.Datetime(string="Ended", readonly=True)
    wait_seconds = fields.Float(string="Wait (s)", readonly=True, aggregator="avg")
    talk_seconds = fields.Float(string="Talk (s)", readonly=True, aggregator="avg")
    hold_seconds = fields.Float(string="Hold (s)", readonly=True, aggregator="avg")
    wrapup_seconds = fields.Float(string="Wrap-up (s)", readonly=True, aggregator="avg")
    handle_seconds = fields.Float(
        string="Handle Time (s)",
        compute="_compute_handle_seconds",
        store=True,
        aggregator="avg",
        help="Talk + hold + wrap-up.",
    )
    transferred = fields.Boolean(readonly=True)
    recording_url = fields.Char(string="Recording", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Case", check_company=True, index="btree_not_null")
    event_ids = fields.One2many("crm.service.call.event", "call_id", string="PBX Events", readonly=True)

    _pbx_call_uniq = models.UniqueIndex(
        "(company_id, pbx_call_id)", "The PBX call id is already recorded for this company."
    )

    def write(self, vals):
        if (
            not self.env.su
            and set(vals) - AGENT_WRITABLE
            and not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only helpdesk managers can change a call: its times, durations and outcome come from "
                    "the PBX. Link it to a case instead."
                )
            )
        return super().write(vals)

    @api.depends("partner_id", "customer_number", "caller_number", "direction")
    def _compute_name(self):
        for call in self:
            number = call.customer_number or call.caller_number or ""
            call.name = call.partner_id.display_name or number or self.env._("Unknown caller")

    @api.depends("talk_seconds", "hold_seconds", "wrapup_seconds")
    def _compute_handle_seconds(self):
        for call in self:
            call.handle_seconds = call.talk_seconds + call.hold_seconds + call.wrapup_seconds

    # ------------------------------------------------------------------
    # Cases from a call (the screen pop's buttons, the form's buttons)
    # ------------------------------------------------------------------
    def _open_cases(self):
        self.ensure_one()
        if not self.commercial_partner_id:
            return self.env["helpdesk.ticket"]
        return self.env["helpdesk.ticket"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("closed", "=", False),
                ("company_id", "=", self.company_id.id),
            ],
            order="create_date desc, id desc",
        )

    def action_new_case(self):
        """A new case form, prefilled from the call: customer, queue, phone channel, the call linked."""
        self.ensure_one()
        self.check_access("write")
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone", raise_if_not_found=False)
        when = format_datetime(self.env, self.offered_at, dt_format="short") if self.offered_at else ""
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_team_id": self.team_id.id,
                "default_user_id": self.env.user.id,
                "default_company_id": self.company_id.id,
                "default_channel_id": channel.id if channel else False,
                "default_name": self.env._("Call from %(number)s", number=self.customer_number or self.name),
                "default_description": self.env._(
                    "Phone call of %(when)s from %(number)s.", when=when, number=self.customer_number or "?"
                ),
                "default_crm_call_ids": [(4, self.id)],
            },
        }

    def action_open_case(self):
        """The case of the call, else the customer's latest open case (the call is then linked to it)."""
        self.ensure_one()
        ticket = self.ticket_id or self._open_cases()[:1]
        if not ticket:
            raise UserError(self.env._("%(name)s has no open case.", name=self.name))
        if not self.ticket_id:
            self.ticket_id = ticket
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_events(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("PBX Events"),
            "res_model": "crm.service.call.event",
            "view_mode": "list,form",
            "domain": [("call_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Screen pop
    # ------------------------------------------------------------------
    def get_screen_pop_card(self):
        """The caller's card of the screen pop, for a user who can read the call: who calls, what
        the customer is worth, open cases, unpaid invoices and last orders of the call's company."""
        self.ensure_one()
        self.check_access("read")
        partner = self.commercial_partner_id
        card = {
            "call": {
                "id": self.id,
                "number": self.customer_number or self.caller_number or "",
                "queue": self.team_id.display_name or self.pbx_queue or "",
                "state": self.state,
                "offered_at": format_datetime(self.env, self.offered_at, dt_format="short")
                if self.offered_at
                else "",
            },
            "partner": False,
            "facts": [],
            "open_cases": [],
            "open_case_count": 0,
            "unpaid": False,
            "orders": [],
        }
        if not partner:
            return card
        card["partner"] = {
            "id": partner.id,
            "name": partner.display_name,
            "contact": self.partner_id.name if self.partner_id != partner else "",
            "email": partner.email or "",
        }
        card["facts"] = self._screen_pop_facts(partner)
        cases = self._open_cases()
        card["open_case_count"] = len(cases)
        card["open_cases"] = [
            {"id": case.id, "name": case.display_name, "stage": case.stage_id.name or ""}
            for case in cases[:SCREEN_POP_LINES]
        ]
        card.update(self._screen_pop_documents(partner))
        return card

    def _screen_pop_facts(self, partner):
        """``[{label, value}]`` about the customer (value tier, CLV, stage, segment...): extended by
        the bridge modules of the suite's other addons."""
        return []

    def _screen_pop_documents(self, partner):
        """Unpaid invoices and last orders of the customer in the call's company. Read as superuser:
        an agent sees the totals the card shows without access to accounting or sales."""
        company = self.company_id
        Move = self.env["account.move"].sudo().with_company(company)
        unpaid = Move._read_group(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            aggregates=["__count", "amount_residual_signed:sum"],
        )
        count, residual = unpaid[0]
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                ],
                order="date_order desc, id desc",
                limit=SCREEN_POP_LINES,
            )
        )
        return {
            "unpaid": {
                "count": count,
                "amount": format_amount(self.env, residual or 0.0, company.currency_id),
            }
            if count
            else False,
            "orders": [
                {
                    "name": order.name,
                    "date": format_date(self.env, order.date_order),
                    "amount": format_amount(self.env, order.amount_total, order.currency_id),
                }
                for order in orders
            ],
        }
