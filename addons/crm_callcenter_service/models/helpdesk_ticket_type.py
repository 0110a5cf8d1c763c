from odoo import api, fields, models

CASE_KINDS = [
    ("inquiry", "Inquiry"),
    ("complaint", "Complaint"),
    ("repair_return", "Repair / Return"),
    ("request", "Request"),
]


class HelpdeskTicketType(models.Model):
    _inherit = "helpdesk.ticket.type"

    case_kind = fields.Selection(
        CASE_KINDS,
        help="What the suite does with the cases of this type "
        "(complaints get a root cause, a severity and service recovery).",
    )

    @api.model
    def _crm_case_types(self):
        """The case types of the service center (those with a case kind)."""
        return self.search([("case_kind", "!=", False)])
