from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_lifecycle_value.models.selections import TIER_SELECTION


class CrmServiceSlaReport(models.Model):
    _inherit = "crm.service.sla.report"

    customer_tier = fields.Selection(TIER_SELECTION, readonly=True)

    def _report_columns(self):
        return {**super()._report_columns(), "customer_tier": SQL("t.customer_tier")}
