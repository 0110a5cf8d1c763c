from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]


class HelpdeskTicket(models.Model):
    """A customer service case: an OCA helpdesk ticket with its kind (through the ticket type), the
    customer's documents it is about, the complaint's root cause and severity, and the status of its
    SLA (on track, at risk, breached, met) kept up to date in bulk by the escalation cron."""

    _inherit = "helpdesk.ticket"

    case_kind = fields.Selection(related="type_id.case_kind", store=True)
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), ('state', '=', 'sale')]",
    )
    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        domain="[('id', 'in', allowed_product_ids)]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot / Serial Number",
        index="btree_not_null",
        domain="[('id', 'in', allowed_lot_ids)]",
    )
    allowed_product_ids = fields.Many2many("product.product", compute="_compute_allowed_documents")
    allowed_lot_ids = fields.Many2many("stock.lot", compute="_compute_allowed_documents")
    root_cause_id = fields.Many2one("crm.service.root.cause", index="btree_not_null")
    severity = fields.Selection(SEVERITIES)
    resolution_summary = fields.Text(help="How the case was resolved (what was done for the customer).")
    credit_note_ids = fields.One2many("account.move", "crm_service_ticket_id", string="Credit Notes")
    return_picking_ids = fields.One2many("stock.picking", "crm_service_ticket_id", string="Returns")
    credit_note_count = fields.Integer(compute="_compute_recovery_counts")
    return_count = fields.Integer(compute="_compute_recovery_counts")
    recovery_cost = fields.Monetary(
        compute="_compute_recovery",
        store=True,
        currency_field="company_currency_id",
        help="Credit notes issued by the service recovery of the case (untaxed, company currency).",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    crm_sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        readonly=True,
        copy=False,
        index=True,
        help="On track; at risk once the configured share of the SLA time is consumed; breached past a "
        "deadline; met when every SLA was reached in time. Updated when the case moves and by the "
        "escalation job.",
    )

    @api.depends("credit_note_ids", "return_picking_ids")
    def _compute_recovery_counts(self):
        for ticket in self:
            ticket.credit_note_count = len(ticket.credit_note_ids)
            ticket.return_count = len(ticket.return_picking_ids)

    @api.depends("credit_note_ids.state", "credit_note_ids.amount_untaxed_signed")
    def _compute_recovery(self):
        for ticket in self:
            ticket.recovery_cost = -sum(
                ticket.credit_note_ids.filtered(lambda m: m.state == "posted").mapped("amount_untaxed_signed")
            )

    def action_open_service_recovery(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Service Recovery"),
            "res_model": "crm.service.recovery.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_credit_notes(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Notes"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.credit_note_ids.ids)],
            "context": {"create": False, "default_move_type": "out_refund"},
        }

    def action_open_returns(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Returns"),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", self.return_picking_ids.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------------------------------
    # the customer's own documents
    # ------------------------------------------------------------------------------------------
    def _customer_documents_domain(self):
        self.ensure_one()
        return [("order_id.partner_id.commercial_partner_id", "=", self.commercial_partner_id.id)]

    @api.depends("commercial_partner_id", "sale_order_id", "invoice_id", "product_id", "company_id")
    def _compute_allowed_documents(self):
        AccountLine = self.env["account.move.line"]
        MoveLine = self.env["stock.move.line"]
        for ticket in self:
            customer = ticket.commercial_partner_id
            if not customer:
                ticket.allowed_product_ids = False
                ticket.allowed_lot_ids = False
                continue
            if ticket.invoice_id or ticket.sale_order_id:
                products = (
                    ticket.invoice_id.invoice_line_ids.product_id | ticket.sale_order_id.order_line.product_id
                )
            else:
                products = AccountLine.search(
                    [
                        ("move_id.commercial_partner_id", "=", customer.id),
                        ("move_id.move_type", "=", "out_invoice"),
                        ("parent_state", "=", "posted"),
                        ("display_type", "=", "product"),
                        ("company_id", "=", (ticket.company_id or self.env.company).id),
                    ]
                ).product_id
            ticket.allowed_product_ids = products
            lot_domain = [
                ("lot_id", "!=", False),
                ("state", "=", "done"),
                ("picking_code", "=", "outgoing"),
                ("picking_partner_id.commercial_partner_id", "=", customer.id),
            ]
            if ticket.product_id:
                lot_domain.append(("product_id", "=", ticket.product_id.id))
            if ticket.sale_order_id:
                lot_domain.append(("move_id.sale_line_id.order_id", "=", ticket.sale_order_id.id))
            ticket.allowed_lot_ids = MoveLine.search(lot_domain).lot_id

    @api.constrains("commercial_partner_id", "sale_order_id", "invoice_id", "product_id", "lot_id")
    def _check_customer_documents(self):
        for ticket in self:
            customer = ticket.commercial_partner_id
            if ticket.sale_order_id and ticket.sale_order_id.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "The sales order %(order)s is not one of %(customer)s's.",
                        order=ticket.sale_order_id.name,
                        customer=customer.display_name or "-",
                    )
                )
            if ticket.invoice_id and (
                ticket.invoice_id.commercial_partner_id != customer
                or ticket.invoice_id.move_type != "out_invoice"
            ):
                raise ValidationError(
                    self.env._(
                        "The invoice %(invoice)s is not one of %(customer)s's.",
                        invoice=ticket.invoice_id.name,
                        customer=customer.display_name or "-",
                    )
                )
            if ticket.product_id and ticket.product_id not in ticket.allowed_product_ids:
                raise ValidationError(
                    self.env._(
                        "%(customer)s did not buy %(product)s (on the chosen documents).",
                        customer=customer.display_name or "-",
                        product=ticket.product_id.display_name,
                    )
                )
            if ticket.lot_id and ticket.lot_id not in ticket.allowed_lot_ids:
                raise ValidationError(
                    self.env._(
                        "The lot / serial number %(lot)s was not delivered to %(customer)s.",
                        lot=ticket.lot_id.name,
                        customer=customer.display_name or "-",
                    )
                )

    # ------------------------------------------------------------------------------------------
    # SLA matching (case type, priority) and status
    # ------------------------------------------------------------------------------------------
    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        domain &= Domain("type_ids", "=", False) | Domain("type_ids", "in", self.type_id.ids)
        domain &= Domain("min_priority", "=", False) | Domain(
            "min_priority",
            "in",
            [p for p, _label in self._fields["priority"].selection if p <= (self.priority or "0")],
        )
        domain &= Domain("company_id", "in", [self.company_id.id, False])
        return domain

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._crm_update_sla_status()
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if {"stage_id", "priority", "type_id", "team_id"} & set(vals):
            self._crm_update_sla_status()
        return result

    def _crm_update_sla_status(self, now=None):
        """Set the SLA status of ``self`` (all open cases when empty) from their SLA lines in one
        statement: breached when an SLA expired or is past its deadline, at risk when one is past its
        at-risk moment, on track while one runs, met when all were reached."""
        self.env["helpdesk.ticket.sla"].flush_model()
        self.flush_model(["crm_sla_status"])
        now = now or fields.Datetime.now()
        if self:
            scope = SQL("t.id = ANY(%s)", self.ids)
        else:
            scope = SQL(
                "NOT EXISTS (SELECT 1 FROM helpdesk_ticket_stage st WHERE st.id = t.stage_id AND st.closed)"
            )
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket t
                  SET crm_sla_status = s.status
                 FROM (SELECT l.ticket_id,
                              CASE WHEN bool_or(l.state = 'expired'
                                                OR (l.state = 'in_progress' AND l.deadline < %s))
                                        THEN 'breached'
                                   WHEN bool_or(l.state = 'in_progress' AND l.at_risk_at <= %s) THEN 'at_risk'
                                   WHEN bool_or(l.state IN ('in_progress', 'on_hold')) THEN 'on_track'
                                   ELSE 'met' END AS status
                         FROM helpdesk_ticket_sla l
                     GROUP BY l.ticket_id) s
                WHERE s.ticket_id = t.id AND %s AND t.crm_sla_status IS DISTINCT FROM s.status
            RETURNING t.id""",
                now,
                now,
                scope,
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        if self:
            # cases whose SLAs were all removed
            self.env.cr.execute(
                SQL(
                    """UPDATE helpdesk_ticket t SET crm_sla_status = NULL
                    WHERE t.id = ANY(%s) AND t.crm_sla_status IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM helpdesk_ticket_sla l WHERE l.ticket_id = t.id)
                RETURNING t.id""",
                    self.ids,
                )
            )
            changed += [row[0] for row in self.env.cr.fetchall()]
        self.browse(changed).invalidate_recordset(["crm_sla_status"])
        return changed

    # ------------------------------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------------------------------
    @api.model
    def _cron_crm_escalate(self):
        """Escalate, once per case and threshold, the open cases that became at risk or breached:
        one step higher priority, reassigned to the team leader, the leader and the assignee
        notified. Statuses are updated in bulk first."""
        now = fields.Datetime.now()
        self.browse()._crm_update_sla_status(now)
        TicketSla = self.env["helpdesk.ticket.sla"].sudo()
        open_lines = [("ticket_id.closed", "=", False), ("state", "=", "in_progress")]
        breached = TicketSla.search([*open_lines, ("deadline", "<", now), ("escalated_breach", "=", False)])
        at_risk = (
            TicketSla.search([*open_lines, ("at_risk_at", "<=", now), ("escalated_risk", "=", False)])
            - breached
        )
        self._crm_escalate(at_risk.ticket_id, "at_risk")
        self._crm_escalate(breached.ticket_id, "breached")
        # a breach also passes the risk threshold: neither is escalated again
        at_risk.write({"escalated_risk": True})
        breached.write({"escalated_risk": True, "escalated_breach": True})
        return len(at_risk.ticket_id | breached.ticket_id)

    def _crm_escalate(self, tickets, level):
        tickets = tickets.sudo()
        # one step higher: the groups are taken before any write (a raised case is not raised again)
        by_priority = {p: tickets.filtered(lambda t, p=p: t.priority == p) for p in ("0", "1", "2")}
        for priority, group in by_priority.items():
            group.write({"priority": str(int(priority) + 1)})
        for team in tickets.team_id:
            leader = team.user_id
            if leader:
                tickets.filtered(
                    lambda t, team=team, leader=leader: t.team_id == team and t.user_id != leader
                ).write({"user_id": leader.id})
        labels = dict(self._fields["crm_sla_status"]._description_selection(self.env))
        for ticket in tickets:
            recipients = (ticket.team_id.user_id | ticket.user_id).partner_id
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Escalated: the service level agreement is %(status)s. Priority raised and the case "
                    "given to the team leader.",
                    status=labels[level].lower(),
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_note",
            )
