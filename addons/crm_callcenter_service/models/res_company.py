from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_service_risk_share = fields.Float(
        string="SLA At Risk From (%)",
        default=75.0,
        help="A case is at risk once this share of the working time allowed by its SLA is consumed.",
    )

    @api.constrains("crm_service_risk_share")
    def _check_crm_service_risk_share(self):
        if any(not 0.0 < company.crm_service_risk_share < 100.0 for company in self):
            raise ValidationError(
                self.env._("The at-risk share of the SLA time lies strictly between 0 and 100%.")
            )
