from odoo import fields, models

from odoo.addons.crm_lifecycle_value.models.selections import STAGE_SELECTION, TIER_SELECTION


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    min_value_tier = fields.Selection(
        TIER_SELECTION,
        string="From Value Tier",
        help="Applies to customers of this tier of the customer pyramid or a more valuable one "
        "(platinum first). Empty: any customer.",
    )
    lifecycle_stage = fields.Selection(
        STAGE_SELECTION,
        help="Applies to customers in this lifecycle stage. Empty: any.",
    )
