from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_intel_analysis_months = fields.Integer(
        related="company_id.crm_intel_analysis_months", readonly=False
    )
    crm_intel_discount_rate = fields.Float(related="company_id.crm_intel_discount_rate", readonly=False)
    crm_intel_currency_id = fields.Many2one(related="company_id.crm_intel_currency_id", readonly=False)
    crm_intel_horizon_months = fields.Integer(related="company_id.crm_intel_horizon_months", readonly=False)
    crm_intel_alive_threshold = fields.Float(related="company_id.crm_intel_alive_threshold", readonly=False)
    crm_intel_margin_fallback = fields.Float(related="company_id.crm_intel_margin_fallback", readonly=False)
