from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_service_risk_share = fields.Float(related="company_id.crm_service_risk_share", readonly=False)
