from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount


class CrmServiceRecoveryWizard(models.TransientModel):
    """Service recovery of a case: a credit note for the invoice (all or chosen lines and quantities,
    through Odoo's reversal) and / or a return of the delivery (through Odoo's return wizard), both
    linked to the case; the quantities are bounded by what was invoiced and delivered, less what was
    already credited or returned."""

    _name = "crm.service.recovery.wizard"
    _description = "Service recovery"
    _check_company_auto = True

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id")
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id")
    invoice_id = fields.Many2one(
        "account.move",
        compute="_compute_documents",
        store=True,
        readonly=False,
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('company_id', '=', company_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        compute="_compute_documents",
        store=True,
        readonly=False,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), "
        "('picking_type_code', '=', 'outgoing'), ('state', '=', 'done'), ('company_id', '=', company_id)]",
    )
    issue_credit_note = fields.Boolean(string="Credit Note", default=True)
    return_goods = fields.Boolean(string="Return the Goods")
    reason = fields.Char(required=True, default=lambda self: self.env._("Service recovery"))
    credit_line_ids = fields.One2many(
        "crm.service.recovery.credit.line",
        "wizard_id",
        compute="_compute_credit_lines",
        store=True,
        readonly=False,
        string="Invoice Lines",
    )
    return_line_ids = fields.One2many(
        "crm.service.recovery.return.line",
        "wizard_id",
        compute="_compute_return_lines",
        store=True,
        readonly=False,
        string="Delivered Products",
    )

    @api.depends("ticket_id")
    def _compute_documents(self):
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.invoice_id = (
                ticket.invoice_id
                or ticket.sale_order_id.invoice_ids.filtered(
                    lambda m: m.move_type == "out_invoice" and m.state == "posted"
                )[:1]
            )
            wizard.picking_id = ticket.sale_order_id.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "done"
            )[:1]

    @api.depends("invoice_id")
    def _compute_credit_lines(self):
        for wizard in self:
            available = wizard._creditable_quantities()
            wizard.credit_line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {"invoice_line_id": line.id, "available_qty": available[line.id], "quantity": 0.0}
                )
                for line in wizard._invoice_product_lines()
            ]

    @api.depends("picking_id")
    def _compute_return_lines(self):
        for wizard in self:
            available = wizard._returnable_quantities()
            wizard.return_line_ids = [fields.Command.clear()] + [
                fields.Command.create({"move_id": move_id, "available_qty": qty, "quantity": 0.0})
                for move_id, qty in available.items()
            ]

    def _invoice_product_lines(self):
        return self.invoice_id.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")

    def _creditable_quantities(self):
        """What each product line of the invoice can still be credited: its quantity less the
        quantities of the credit notes reversing the invoice (not cancelled), matched line to line
        (a credit note of the reversal keeps the lines of the invoice, in their order, with the same
        product, price and sales order line)."""
        self.ensure_one()
        lines = self._invoice_product_lines()
        available = {line.id: line.quantity for line in lines}
        if not self.invoice_id:
            return available
        refunds = self.env["account.move"].search(
            [("reversed_entry_id", "=", self.invoice_id.id), ("state", "!=", "cancel")]
        )
        for refund_line in refunds.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"):
            origin = lines.filtered(
                lambda ln, r=refund_line: (
                    ln.product_id == r.product_id
                    and ln.sale_line_ids == r.sale_line_ids
                    and ln.price_unit == r.price_unit
                    and available[ln.id] > 0
                )
            )[:1]
            if origin:
                available[origin.id] -= refund_line.quantity
        return available

    def _returnable_quantities(self):
        """What each done move of the delivery can still be returned: its quantity less the
        returns made of it (not cancelled)."""
        self.ensure_one()
        return {
            move.id: move.quantity
            - sum(move.returned_move_ids.filtered(lambda m: m.state != "cancel").mapped("product_uom_qty"))
            for move in self.picking_id.move_ids.filtered(lambda m: m.state == "done")
        }

    def _check_documents(self):
        """The documents are the case customer's, of the case's company (whatever the client sent)."""
        customer, company = self.ticket_id.commercial_partner_id, self.ticket_id.company_id
        invoice, picking = self.invoice_id, self.picking_id
        if (
            self.issue_credit_note
            and invoice
            and (
                invoice.commercial_partner_id != customer
                or invoice.company_id != company
                or invoice.move_type != "out_invoice"
                or invoice.state != "posted"
            )
        ):
            raise UserError(
                self.env._(
                    "%(invoice)s is not a posted invoice of %(customer)s.",
                    invoice=invoice.display_name,
                    customer=customer.display_name,
                )
            )
        if (
            self.return_goods
            and picking
            and (
                picking.partner_id.commercial_partner_id != customer
                or picking.company_id != company
                or picking.picking_type_code != "outgoing"
                or picking.state != "done"
            )
        ):
            raise UserError(
                self.env._(
                    "%(picking)s is not a delivery done to %(customer)s.",
                    picking=picking.display_name,
                    customer=customer.display_name,
                )
            )
        if self.credit_line_ids.invoice_line_id - self._invoice_product_lines():
            raise UserError(self.env._("The lines to credit must be lines of the invoice."))
        if self.return_line_ids.move_id - self.picking_id.move_ids:
            raise UserError(self.env._("The products to return must be moves of the delivery."))

    # ------------------------------------------------------------------------------------------
    def action_apply(self):
        self.ensure_one()
        if not (self.issue_credit_note or self.return_goods):
            raise UserError(self.env._("Choose a credit note, a return, or both."))
        self._check_quantities()
        messages = []
        if self.issue_credit_note:
            refund = self._create_credit_note()
            messages.append(
                self.env._(
                    "Credit note %(name)s: %(amount)s",
                    name=refund._get_html_link(),
                    amount=format_amount(self.env, refund.amount_total, refund.currency_id),
                )
            )
        if self.return_goods:
            picking = self._create_return()
            messages.append(self.env._("Return %(name)s", name=picking._get_html_link()))
        self.ticket_id.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Service recovery: %(documents)s", documents=Markup(", ").join(Markup(m) for m in messages)
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_quantities(self):
        """Against what is available now, recomputed here (never the figures shown in the form)."""
        self._check_documents()
        creditable = self._creditable_quantities() if self.issue_credit_note else {}
        returnable = self._returnable_quantities() if self.return_goods else {}
        for line in self.credit_line_ids:
            line.available_qty = creditable.get(line.invoice_line_id.id, 0.0)
        for line in self.return_line_ids:
            line.available_qty = returnable.get(line.move_id.id, 0.0)
        if self.issue_credit_note:
            if not self.invoice_id:
                raise UserError(self.env._("Choose the invoice to credit."))
            too_much = self._lines_over_limit(
                self.credit_line_ids, self.env._("Enter the quantities to credit.")
            )
            if too_much:
                raise UserError(
                    self.env._(
                        "%(product)s: at most %(available)s can be credited (invoiced, less what was already "
                        "credited), not %(quantity)s.",
                        product=too_much.product_id.display_name,
                        available=too_much.available_qty,
                        quantity=too_much.quantity,
                    )
                )
        if self.return_goods:
            if not self.picking_id:
                raise UserError(self.env._("Choose the delivery to return."))
            too_much = self._lines_over_limit(
                self.return_line_ids, self.env._("Enter the quantities to return.")
            )
            if too_much:
                raise UserError(
                    self.env._(
                        "%(product)s: at most %(available)s can be returned (delivered, less what was "
                        "already returned), not %(quantity)s.",
                        product=too_much.product_id.display_name,
                        available=too_much.available_qty,
                        quantity=too_much.quantity,
                    )
                )

    @staticmethod
    def _lines_over_limit(lines, none_message):
        """The first line whose quantity is negative or above what is available (``none_message``
        when no quantity was entered at all)."""
        lines = lines.filtered(lambda ln: ln.quantity)
        if not lines:
            raise UserError(none_message)
        return lines.filtered(
            lambda ln: ln.quantity < 0 or float_compare(ln.quantity, ln.available_qty, precision_digits=6) > 0
        )[:1]

    def _create_credit_note(self):
        """Odoo's reversal of the invoice, then only the chosen lines and quantities, posted."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice_id.ids)
            .create(
                {
                    "move_ids": [fields.Command.set(self.invoice_id.ids)],
                    "reason": self.reason,
                    "journal_id": self.invoice_id.journal_id.id,
                }
            )
        )
        reversal.refund_moves()
        refund = reversal.new_move_ids
        wanted = {line.invoice_line_id.id: line.quantity for line in self.credit_line_ids}
        origin_lines = self.invoice_id.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        refund_lines = refund.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        commands = []
        for origin, line in zip(origin_lines, refund_lines, strict=True):
            quantity = wanted.get(origin.id, 0.0)
            commands.append(
                fields.Command.update(line.id, {"quantity": quantity})
                if quantity
                else fields.Command.delete(line.id)
            )
        refund.write({"invoice_line_ids": commands, "crm_service_ticket_id": self.ticket_id.id})
        refund.action_post()
        return refund

    def _create_return(self):
        """Odoo's return wizard on the delivery, with the chosen quantities."""
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_model="stock.picking", active_id=self.picking_id.id)
            .create({"picking_id": self.picking_id.id})
        )
        wanted = {line.move_id.id: line.quantity for line in self.return_line_ids}
        for line in wizard.product_return_moves:
            line.quantity = wanted.get(line.move_id.id, 0.0)
        action = wizard.action_create_returns()
        picking = self.env["stock.picking"].browse(action["res_id"])
        picking.crm_service_ticket_id = self.ticket_id
        return picking


class CrmServiceRecoveryCreditLine(models.TransientModel):
    _name = "crm.service.recovery.credit.line"
    _description = "Service recovery: invoice line to credit"

    wizard_id = fields.Many2one("crm.service.recovery.wizard", required=True, ondelete="cascade")
    invoice_line_id = fields.Many2one("account.move.line", required=True, readonly=True)
    product_id = fields.Many2one(related="invoice_line_id.product_id")
    invoiced_qty = fields.Float(related="invoice_line_id.quantity", string="Invoiced")
    price_unit = fields.Float(related="invoice_line_id.price_unit")
    available_qty = fields.Float(string="Can Be Credited", readonly=True, digits="Product Unit")
    quantity = fields.Float(string="To Credit", digits="Product Unit")


class CrmServiceRecoveryReturnLine(models.TransientModel):
    _name = "crm.service.recovery.return.line"
    _description = "Service recovery: delivered product to return"

    wizard_id = fields.Many2one("crm.service.recovery.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("stock.move", required=True, readonly=True)
    product_id = fields.Many2one(related="move_id.product_id")
    delivered_qty = fields.Float(related="move_id.quantity", string="Delivered")
    available_qty = fields.Float(string="Can Be Returned", readonly=True, digits="Product Unit")
    quantity = fields.Float(string="To Return", digits="Product Unit")
