from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .crm_lifecycle_run import MODEL_SELECTION
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
             'the customer\'s own average time between purchases: with 2, a customer who buys '
             'every 30 days declines after 60 days without a purchase.')
    crm_lcv_decline_trend = fields.Float(
        string='Decline Revenue Trend', default=-0.5,
        help='A customer declines when the revenue of the last 12 months, compared with the 12 '
             'months before, falls by more than this: the trend is (recent - before) / (recent + '
             'before), between -1 (stopped buying) and 1 (new customer); -0.5 means the recent '
             'year brought a third of the year before.')
    crm_lcv_churn_p_alive = fields.Float(
        string='Churn P(alive)', default=0.15,
        help='Below this probability of being alive the customer has churned; a repeat customer '
             'silent for longer than the churn gap also needs a P(alive) below the at-risk '
             'threshold to be churned.')
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
        string='Validation Period (months)', default=6,
        help='The purchase models are also fitted without the last months of the window, and their '
             'predictions of those months compared with what customers bought (0 disables the '
             'validation). The three models are compared side by side on each run.')
    crm_lcv_model = fields.Selection(
        MODEL_SELECTION, string='Purchase Model', default='mbgnbd', required=True,
        help='Repeat-purchase model behind P(alive), expected purchases and the predicted CLV. '
             'MBG/NBD (default) also measures the dropout of customers who bought once; BG/NBD '
             'considers them alive for sure; Pareto/NBD lets customers leave at any time. Each '
             'run compares the three on the validation period: pick the one with the lowest '
             'error.')
    crm_lcv_cohort_period = fields.Selection(
        [('month', 'Month'), ('quarter', 'Quarter')], string='Cohort Period', default='month',
        required=True,
        help='Customers are grouped into cohorts by the month or the quarter of their first '
             'purchase; quarters give larger, steadier cohorts to small customer bases.')

    # retention activities
    crm_lcv_activity_enabled = fields.Boolean(
        string='Retention Activities', default=True,
        help='Schedule an activity for the salesperson when a valuable customer declines or its '
             'probability of being alive falls below the threshold.')
    crm_lcv_activity_tiers = fields.Selection(
        ACTIVITY_TIER_SELECTION, string='For Tiers', default='2', required=True,
        help='Which customers are valuable enough for a retention activity, by tier of the '
             'targeting basis.')
    crm_lcv_activity_basis = fields.Selection(
        [('historical', 'Historical value'), ('quadrant', 'Value matrix: harvest quadrant')],
        string='Targeting Basis', default='historical', required=True,
        help='Historical value: the tiers above, ranked by the margin the customer brought so far '
             '(the predicted CLV of a customer at risk is already low). Harvest quadrant: '
             'customers of high current value and low potential in the value matrix.')
    crm_lcv_activity_user_id = fields.Many2one(
        'res.users', string='Fallback Assignee',
        domain=[('share', '=', False)],
        help='Receives the retention activities of customers without a salesperson; without one '
             'such customers get no activity (the run says how many).')
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
                    'crm_intel_alive_threshold',
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
            if company.crm_lcv_churn_p_alive > company.crm_intel_alive_threshold:
                raise ValidationError(self.env._(
                    'The churn P(alive) (%(churn)s) cannot be above the at-risk threshold '
                    '(%(risk)s): a churned customer would not be at risk first.',
                    churn=f'{100 * company.crm_lcv_churn_p_alive:g}%',
                    risk=f'{100 * company.crm_intel_alive_threshold:g}%'))
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

    def _crm_lcv_scoring_config(self, date_from=None, date_to=None):
        """The company's :class:`crm_lifecycle.ScoringConfig` (the settings a run scores with).

        :raises UserError: when the settings are inconsistent (they are also refused when saved)
        """
        self.ensure_one()
        from crm_lifecycle import ScoringConfig

        if not date_from or not date_to:
            date_from, date_to = self._crm_intel_window()
        try:
            return ScoringConfig(
                observation_end=date_to,
                window_start=date_from,
                model=self.crm_lcv_model or 'mbgnbd',
                horizon_months=int(self.crm_intel_horizon_months),
                annual_discount_rate=self.crm_intel_discount_rate / 100.0,
                thresholds=self._crm_lcv_stage_thresholds(),
                alive_threshold=float(self.crm_intel_alive_threshold),
                tier_cuts=(self.crm_lcv_tier_cut_1 / 100.0, self.crm_lcv_tier_cut_2 / 100.0,
                           self.crm_lcv_tier_cut_3 / 100.0),
                fallback_margin_rate=self.crm_intel_margin_fallback / 100.0,
                retention_rate=self.crm_lcv_retention_rate / 100.0,
                retention_years=int(self.crm_lcv_retention_years),
                activity_tiers=int(self.crm_lcv_activity_tiers or 0) if self.crm_lcv_activity_enabled else 0,
                activity_basis=self.crm_lcv_activity_basis or 'historical',
                holdout_months=int(self.crm_lcv_holdout_months),
            )
        except ValueError as error:
            raise UserError(self.env._(
                'The customer lifecycle settings of %(company)s are inconsistent: %(error)s',
                company=self.display_name, error=error)) from error

    @api.constrains('crm_intel_alive_threshold', 'crm_lcv_churn_p_alive', 'crm_lcv_decline_gap_ratio',
                    'crm_lcv_churn_gap_ratio', 'crm_lcv_stability_purchases', 'crm_intel_horizon_months',
                    'crm_intel_discount_rate', 'crm_lcv_retention_rate', 'crm_lcv_model',
                    'crm_lcv_activity_basis')
    def _check_crm_lcv_scoring_config(self):
        """A setting that would make every nightly refresh fail is refused when it is saved."""
        for company in self:
            try:
                company._crm_lcv_scoring_config()
            except UserError as error:
                raise ValidationError(error.args[0]) from error

    def _crm_lcv_activity_tier_codes(self):
        """Tier codes (top first) that trigger retention activities."""
        self.ensure_one()
        return [code for code, _label in TIER_SELECTION][:int(self.crm_lcv_activity_tiers or 0)]
