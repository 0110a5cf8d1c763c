from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    crm_lcv_tier_cut_1 = fields.Float(related='company_id.crm_lcv_tier_cut_1', readonly=False)
    crm_lcv_tier_cut_2 = fields.Float(related='company_id.crm_lcv_tier_cut_2', readonly=False)
    crm_lcv_tier_cut_3 = fields.Float(related='company_id.crm_lcv_tier_cut_3', readonly=False)
    crm_lcv_acquisition_days = fields.Integer(related='company_id.crm_lcv_acquisition_days', readonly=False)
    crm_lcv_stability_purchases = fields.Integer(
        related='company_id.crm_lcv_stability_purchases', readonly=False)
    crm_lcv_stability_days = fields.Integer(related='company_id.crm_lcv_stability_days', readonly=False)
    crm_lcv_decline_gap_ratio = fields.Float(related='company_id.crm_lcv_decline_gap_ratio', readonly=False)
    crm_lcv_decline_trend = fields.Float(related='company_id.crm_lcv_decline_trend', readonly=False)
    crm_lcv_churn_p_alive = fields.Float(related='company_id.crm_lcv_churn_p_alive', readonly=False)
    crm_lcv_churn_gap_ratio = fields.Float(related='company_id.crm_lcv_churn_gap_ratio', readonly=False)
    crm_lcv_one_time_churn_days = fields.Integer(
        related='company_id.crm_lcv_one_time_churn_days', readonly=False)
    crm_lcv_retention_rate = fields.Float(related='company_id.crm_lcv_retention_rate', readonly=False)
    crm_lcv_retention_years = fields.Integer(related='company_id.crm_lcv_retention_years', readonly=False)
    crm_lcv_holdout_months = fields.Integer(related='company_id.crm_lcv_holdout_months', readonly=False)
    crm_lcv_activity_enabled = fields.Boolean(related='company_id.crm_lcv_activity_enabled', readonly=False)
    crm_lcv_activity_tiers = fields.Selection(related='company_id.crm_lcv_activity_tiers', readonly=False)
    crm_lcv_activity_type_id = fields.Many2one(
        related='company_id.crm_lcv_activity_type_id', readonly=False)
    crm_lcv_activity_days = fields.Integer(related='company_id.crm_lcv_activity_days', readonly=False)
    crm_lcv_activity_basis = fields.Selection(related='company_id.crm_lcv_activity_basis', readonly=False)
    crm_lcv_activity_user_id = fields.Many2one(related='company_id.crm_lcv_activity_user_id', readonly=False)
    crm_lcv_model = fields.Selection(related='company_id.crm_lcv_model', readonly=False)
    crm_lcv_cohort_period = fields.Selection(related='company_id.crm_lcv_cohort_period', readonly=False)
