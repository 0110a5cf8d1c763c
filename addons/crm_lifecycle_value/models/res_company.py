from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .selections import TIER_SELECTION

ACTIVITY_TIER_SELECTION = [
    ('1', 'Top tier only'),
    ('2', 'Top two tiers'),
    ('3', 'Top three tiers'),
    ('4', 'All tiers'),
]


class ResCompany(models.Model):
    _inherit = 'res.company'

    # customer pyramid (cumulative share of customers, in %)
    crm_lcv_tier_cut_1 = fields.Float(
        string='Platinum Tier (% of customers)', default=1.0,
        help='Share of the most valuable customers that form the top tier.')
    crm_lcv_tier_cut_2 = fields.Float(
        string='Gold Tier (cumulative %)', default=5.0,
        help='Cumulative share of customers in the two top tiers.')
    crm_lcv_tier_cut_3 = fields.Float(
        string='Iron Tier (cumulative %)', default=20.0,
        help='Cumulative share of customers in the three top tiers; the rest is the lead tier.')

    # lifecycle stage thresholds (crm_lifecycle.StageThresholds)
    crm_lcv_acquisition_days = fields.Integer(
        string='Acquisition Period (days)', default=90,
        help='A customer whose first purchase is more recent than this is still being acquired.')
    crm_lcv_stability_purchases = fields.Integer(
        string='Purchases for Stability', default=4,
        help='Minimum number of purchases of a stable customer.')
    crm_lcv_stability_days = fields.Integer(
        string='Tenure for Stability (days)', default=365,
        help='Minimum tenure of a stable customer.')
    crm_lcv_decline_gap_ratio = fields.Float(
        string='Decline Gap Factor', default=2.0,
        help='A customer declines when the time since the last purchase exceeds this multiple of '
             'the customer\'s own average time between purchases.')
    crm_lcv_decline_trend = fields.Float(
        string='Decline Revenue Trend', default=-0.5,
        help='A customer declines when the revenue trend of the last year against the year before '
             '(between -1 and 1) falls below this value.')
    crm_lcv_churn_p_alive = fields.Float(
        string='Churn P(alive)', default=0.15,
        help='Below this probability of being alive the customer has churned (the decline '
             'threshold is the company at-risk threshold).')
    crm_lcv_churn_gap_ratio = fields.Float(
        string='Churn Gap Factor', default=4.0,
        help='A repeat customer has churned when the time since the last purchase exceeds this '
             'multiple of the customer\'s own average time between purchases.')
    crm_lcv_one_time_churn_days = fields.Integer(
        string='One-time Buyer Churn (days)', default=365,
        help='A one-time buyer silent for longer than this has churned.')

    # retention CLV assumptions
    crm_lcv_retention_rate = fields.Float(
        string='Retention Rate (%)', default=80.0,
        help='Yearly share of customers retained, used by the textbook retention CLV.')
    crm_lcv_retention_years = fields.Integer(
        string='Retention CLV Years', default=5,
        help='Number of yearly periods summed by the retention CLV.')
    crm_lcv_holdout_months = fields.Integer(
        string='Holdout Period (months)', default=6,
        help='The model is also fitted without the last months of the window to measure its '
             'prediction error on them (0 disables the holdout check).')

    # retention activities
    crm_lcv_activity_enabled = fields.Boolean(
        string='Retention Activities', default=True,
        help='Schedule an activity for the salesperson when a valuable customer declines or its '
             'probability of being alive falls below the threshold.')
    crm_lcv_activity_tiers = fields.Selection(
        ACTIVITY_TIER_SELECTION, string='For Tiers', default='2', required=True)
    crm_lcv_activity_type_id = fields.Many2one(
        'mail.activity.type', string='Activity Type',
        default=lambda self: self.env.ref('mail.mail_activity_data_todo', raise_if_not_found=False))
    crm_lcv_activity_days = fields.Integer(string='Activity Deadline (days)', default=7)

    @api.constrains('crm_lcv_tier_cut_1', 'crm_lcv_tier_cut_2', 'crm_lcv_tier_cut_3')
    def _check_crm_lcv_tier_cuts(self):
        for company in self:
            cuts = (company.crm_lcv_tier_cut_1, company.crm_lcv_tier_cut_2, company.crm_lcv_tier_cut_3)
            if not 0 < cuts[0] < cuts[1] < cuts[2] < 100:
                raise ValidationError(self.env._(
                    'The tier cut points must increase strictly between 0 and 100 '
                    '(got %(cuts)s).', cuts=', '.join(f'{c:g}' for c in cuts)))

    @api.constrains('crm_lcv_retention_rate', 'crm_lcv_retention_years', 'crm_lcv_churn_p_alive',
                    'crm_lcv_decline_gap_ratio', 'crm_lcv_churn_gap_ratio', 'crm_lcv_activity_days',
                    'crm_lcv_holdout_months', 'crm_lcv_stability_purchases', 'crm_lcv_stability_days',
                    'crm_lcv_acquisition_days', 'crm_lcv_one_time_churn_days', 'crm_lcv_decline_trend')
    def _check_crm_lcv_parameters(self):
        for company in self:
            if not 0 <= company.crm_lcv_retention_rate < 100:
                raise ValidationError(self.env._('The retention rate must be between 0 and 100.'))
            if company.crm_lcv_retention_years < 1:
                raise ValidationError(self.env._('The retention CLV needs at least one year.'))
            if not 0 <= company.crm_lcv_churn_p_alive <= 1:
                raise ValidationError(self.env._('The churn P(alive) must be between 0 and 1.'))
            if not 0 < company.crm_lcv_decline_gap_ratio <= company.crm_lcv_churn_gap_ratio:
                raise ValidationError(self.env._(
                    'The decline gap factor must be positive and not above the churn gap factor.'))
            if not -1 <= company.crm_lcv_decline_trend <= 1:
                raise ValidationError(self.env._('The decline revenue trend must be between -1 and 1.'))
            if company.crm_lcv_activity_days < 0 or company.crm_lcv_holdout_months < 0:
                raise ValidationError(self.env._('Days and months cannot be negative.'))
            if company.crm_lcv_stability_purchases < 2:
                raise ValidationError(self.env._('Stability needs at least two purchases.'))
            if min(company.crm_lcv_acquisition_days, company.crm_lcv_stability_days,
                   company.crm_lcv_one_time_churn_days) < 0:
                raise ValidationError(self.env._('Stage durations cannot be negative.'))

    def _crm_lcv_stage_thresholds(self):
        """The company's :class:`crm_lifecycle.StageThresholds`."""
        self.ensure_one()
        from crm_lifecycle import StageThresholds

        try:
            return StageThresholds(
                acquisition_days=float(self.crm_lcv_acquisition_days),
                stability_min_purchases=int(self.crm_lcv_stability_purchases),
                stability_min_tenure_days=float(self.crm_lcv_stability_days),
                decline_alive=float(self.crm_intel_alive_threshold),
                decline_gap_factor=float(self.crm_lcv_decline_gap_ratio),
                decline_trend=float(self.crm_lcv_decline_trend),
                churn_alive=float(self.crm_lcv_churn_p_alive),
                churn_gap_factor=float(self.crm_lcv_churn_gap_ratio),
                one_time_churn_days=float(self.crm_lcv_one_time_churn_days),
            )
        except ValueError as error:
            raise UserError(self.env._(
                'The lifecycle stage thresholds of %(company)s are inconsistent: %(error)s',
                company=self.display_name, error=error)) from error

    def _crm_lcv_activity_tier_codes(self):
        """Tier codes (top first) that trigger retention activities."""
        self.ensure_one()
        return [code for code, _label in TIER_SELECTION][:int(self.crm_lcv_activity_tiers or 0)]
