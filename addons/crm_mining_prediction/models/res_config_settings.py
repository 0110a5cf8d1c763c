from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    crm_churn_horizon_days = fields.Integer(related='company_id.crm_churn_horizon_days', readonly=False)
    crm_churn_training_cutoffs = fields.Integer(
        related='company_id.crm_churn_training_cutoffs', readonly=False
    )
    crm_churn_model = fields.Selection(related='company_id.crm_churn_model', readonly=False)
    crm_churn_calibration = fields.Selection(related='company_id.crm_churn_calibration', readonly=False)
    crm_churn_high_risk = fields.Float(related='company_id.crm_churn_high_risk', readonly=False)
    crm_churn_medium_risk = fields.Float(related='company_id.crm_churn_medium_risk', readonly=False)
    crm_churn_random_state = fields.Integer(related='company_id.crm_churn_random_state', readonly=False)
    crm_response_window_days = fields.Integer(related='company_id.crm_response_window_days', readonly=False)
    crm_response_min_leaf = fields.Integer(related='company_id.crm_response_min_leaf', readonly=False)
    crm_response_target_lift = fields.Float(related='company_id.crm_response_target_lift', readonly=False)
    crm_xsell_basket = fields.Selection(related='company_id.crm_xsell_basket', readonly=False)
    crm_xsell_min_support = fields.Float(
        related='company_id.crm_xsell_min_support', readonly=False, digits=(16, 3)
    )
    crm_xsell_min_confidence = fields.Float(related='company_id.crm_xsell_min_confidence', readonly=False)
