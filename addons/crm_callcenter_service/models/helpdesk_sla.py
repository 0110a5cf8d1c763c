from odoo import fields, models

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
#: what an SLA's target stage means, for the reports (the policy and the service level report)
SLA_TARGETS = [("first_response", "First Response"), ("resolution", "Resolution")]


class HelpdeskSla(models.Model):
    """SLA policies that also match on the case type and the priority (the customer's value tier and
    lifecycle stage come with the lifecycle bridge): a tighter policy for a more urgent or more
    valuable case."""

    _inherit = "helpdesk.sla"

    type_ids = fields.Many2many("helpdesk.ticket.type", string="Case Types", help="Empty: cases of any type.")
    min_priority = fields.Selection(
        PRIORITIES,
        string="From Priority",
        help="Applies to cases of this priority or higher. Empty: any priority.",
    )
    sla_target = fields.Selection(
        SLA_TARGETS,
        string="Target",
        help="What the target stage means, for the reports.",
    )
