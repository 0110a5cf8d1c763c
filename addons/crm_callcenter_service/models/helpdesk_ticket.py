from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_ticket_sla import sla_breached_sql

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
    # read with the case's company whatever the agent may read of accounting and inventory
    allowed_product_ids = fields.Many2many(
        "product.product", compute="_compute_allowed_documents", compute_sudo=True
    )
    allowed_lot_ids = fields.Many2many("stock.lot", compute="_compute_allowed_documents", compute_sudo=True)
    root_cause_id = fields.Many2one("crm.service.root.cause", index="btree_not_null")
    severity = fields.Selection(SEVERITIES)
    resolution_summary = fields.Text(help="How the case was resolved (what was done for the customer).")
    credit_note_ids = fields.One2many("account.move", "crm_service_ticket_id", string="Credit Notes")
    return_picking_ids = fields.One2many("stock.picking", "crm_service_ticket_id", string="Returns")
    credit_note_count = fields.Integer(compute="_compute_recovery_counts", compute_sudo=True)
    return_count = fields.Integer(compute="_compute_recovery_counts", compute_sudo=True)
    recovery_cost = fields.Monetary(
        compute="_compute_recovery",
        store=True,
        currency_field="company_currency_id",
        help="Credit notes issued by the service recovery of the case (untaxed, company currency).",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    crm_escalated_risk = fields.Boolean(readonly=True, copy=False, string="Escalated at Risk")
    crm_escalated_breach = fields.Boolean(readonly=True, copy=False, string="Escalated when Breached")
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
                ("company_id", "=", (ticket.company_id or self.env.company).id),
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

    @api.constrains("partner_id", "company_id", "sale_order_id", "invoice_id", "product_id", "lot_id")
    def _check_customer_documents(self):
        for ticket in self:
            customer = ticket.commercial_partner_id
            company = ticket.company_id
            for document in (ticket.sale_order_id, ticket.invoice_id):
                if document and company and document.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "%(document)s belongs to %(other)s, not to the case's company %(company)s.",
                            document=document.display_name,
                            other=document.company_id.name,
                            company=company.name,
                        )
                    )
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
        if (
            self
            and not self.env.context.get("crm_service_escalating")
            and ({"priority", "type_id", "team_id", "partner_id"} & set(vals))
        ):
            # the policies that apply may have changed (a case typed or raised after its creation)
            for ticket in self.filtered("team_id.use_sla"):
                ticket.refresh_sla()
        if self and {"stage_id", "priority", "type_id", "team_id", "partner_id"} & set(vals):
            self._crm_update_sla_status()
        return result

    def _crm_sla_status_sql(self, now, scope):
        """The SLA status of the cases of ``scope`` (a condition on ``l``, the SLA lines) from their
        lines, as ``(ticket_id, status)`` rows."""
        return SQL(
            """SELECT l.ticket_id,
                      CASE WHEN bool_or(%s)
                                THEN 'breached'
                           WHEN bool_or(l.state = 'in_progress' AND l.at_risk_at <= %s) THEN 'at_risk'
                           WHEN bool_or(l.state IN ('in_progress', 'on_hold')) THEN 'on_track'
                           ELSE 'met' END AS status
                 FROM helpdesk_ticket_sla l
                WHERE %s
             GROUP BY l.ticket_id""",
            sla_breached_sql(now),
            now,
            scope,
        )

    def _crm_write_sla_status(self, rows_sql):
        self.env.cr.execute(
            SQL(
                """UPDATE helpdesk_ticket t SET crm_sla_status = s.status FROM (%s) s
                WHERE s.ticket_id = t.id AND t.crm_sla_status IS DISTINCT FROM s.status
            RETURNING t.id""",
                rows_sql,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _crm_update_sla_status(self, now=None):
        """Set the SLA status of the cases ``self`` from their SLA lines in one statement: breached
        when an SLA expired or is past its deadline, at risk when one is past its at-risk moment, on
        track while one runs, met when all were reached; none without SLA.

        :return: ids of the cases whose status changed
        """
        if not self:
            return []
        self.env["helpdesk.ticket.sla"].flush_model()
        self.flush_model(["crm_sla_status"])
        now = now or fields.Datetime.now()
        changed = self._crm_write_sla_status(
            self._crm_sla_status_sql(now, SQL("l.ticket_id = ANY(%s)", self.ids))
        )
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

    @api.model
    def _crm_update_open_sla_status(self, now=None):
        """:meth:`_crm_update_sla_status` of every open case, in one statement."""
        self.env["helpdesk.ticket.sla"].flush_model()
        self.flush_model(["crm_sla_status", "stage_id"])
        scope = SQL(
            """l.ticket_id IN (SELECT t.id FROM helpdesk_ticket t
                                 JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                                WHERE st.closed IS NOT TRUE)"""
        )
        changed = self._crm_write_sla_status(self._crm_sla_status_sql(now or fields.Datetime.now(), scope))
        self.browse(changed).invalidate_recordset(["crm_sla_status"])
        return changed

    # ------------------------------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------------------------------
    @api.model
    def _cron_crm_escalate(self, batch_size=500):
        """Escalate, once per case and threshold, the open cases that became at risk or breached:
        one step higher priority, reassigned to the team leader, the leader and the previous assignee
        notified. Statuses are updated in bulk first; the escalations go in committed batches."""
        now = fields.Datetime.now()
        self._crm_update_open_sla_status(now)
        Ticket = self.sudo().with_context(crm_service_escalating=True)
        count = 0
        for level, flag in (("breached", "crm_escalated_breach"), ("at_risk", "crm_escalated_risk")):
            domain = [("crm_sla_status", "=", level), ("closed", "=", False), (flag, "=", False)]
            if level == "at_risk":
                domain.append(("crm_escalated_breach", "=", False))
            while True:
                tickets = Ticket.search(domain, limit=batch_size, order="id")
                if not tickets:
                    break
                tickets._crm_escalate(level)
                # a breach also passes the risk threshold: it is not escalated at risk afterwards
                tickets.write({flag: True, **({"crm_escalated_risk": True} if level == "breached" else {})})
                count += len(tickets)
                if self.env.context.get("cron_id"):
                    self.env["ir.cron"]._commit_progress(len(tickets))
        return count

    def _crm_escalate(self, level):
        """One step higher priority, the team leader assigned, a note to the leader and the previous
        assignee (in bulk: one write per priority and per team)."""
        previous = {ticket.id: ticket.user_id for ticket in self}
        by_priority = {p: self.filtered(lambda t, p=p: t.priority == p) for p in ("0", "1", "2")}
        for priority, group in by_priority.items():
            if group:
                group.write({"priority": str(int(priority) + 1)})
        for team in self.team_id:
            leader = team.user_id
            moved = self.filtered(
                lambda t, team=team, leader=leader: t.team_id == team and t.user_id != leader
            )
            if leader and moved:
                moved.write({"user_id": leader.id})
        if level == "breached":
            body = self.env._(
                "Escalated: the service level agreement is breached. Priority raised and the case "
                "given to the team leader."
            )
        else:
            body = self.env._(
                "Escalated: the service level agreement is at risk. Priority raised and the case "
                "given to the team leader."
            )
        for ticket in self:
            recipients = (ticket.team_id.user_id | previous[ticket.id]).partner_id
            ticket.message_post(
                body=Markup("<p>%s</p>") % body, partner_ids=recipients.ids, subtype_xmlid="mail.mt_note"
            )
