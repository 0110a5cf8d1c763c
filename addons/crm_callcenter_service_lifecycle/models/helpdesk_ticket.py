from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.crm_lifecycle_value.models.selections import STAGE_SELECTION, TIER_CODES, TIER_SELECTION


class HelpdeskTicket(models.Model):
    """The customer's value tier and lifecycle stage when the case was opened (the published figures
    of the case's company), which the SLA policies match on."""

    _inherit = "helpdesk.ticket"

    customer_tier = fields.Selection(
        TIER_SELECTION,
        compute="_compute_customer_value",
        store=True,
        readonly=True,
    )
    customer_stage = fields.Selection(
        STAGE_SELECTION,
        compute="_compute_customer_value",
        store=True,
        readonly=True,
        string="Customer Lifecycle Stage",
    )

    @api.depends("commercial_partner_id", "company_id")
    def _compute_customer_value(self):
        """One read of the published customer values for all the cases."""
        Value = self.env["crm.customer.value"].sudo()
        values = (
            Value.search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
            if self.commercial_partner_id
            else Value
        )
        by_key = {(value.partner_id.id, value.company_id.id): value for value in values}
        for ticket in self:
            value = by_key.get((ticket.commercial_partner_id.id, ticket.company_id.id))
            ticket.customer_tier = value.tier if value else False
            ticket.customer_stage = value.stage if value else False

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        # a tier matches the policies of its own tier and of the less valuable ones
        reached = TIER_CODES[TIER_CODES.index(self.customer_tier) :] if self.customer_tier else []
        domain &= Domain("min_value_tier", "=", False) | Domain("min_value_tier", "in", reached)
        domain &= Domain("lifecycle_stage", "=", False) | Domain(
            "lifecycle_stage", "=", self.customer_stage or False
        )
        return domain
