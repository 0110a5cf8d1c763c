from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = 'res.company'

    crm_churn_horizon_days = fields.Integer(
        string='Churn Horizon (days)',
        default=90,
        help='A customer churns when they buy nothing in this many days (the label the model learns '
        'and the period its probability is about).',
    )
    crm_churn_training_cutoffs = fields.Integer(
        string='Training Periods',
        default=3,
        help='Earlier periods, one horizon apart, whose outcomes train the churn model.',
    )
    crm_churn_model = fields.Selection(
        [('gradient_boosting', 'Gradient Boosting'), ('logistic', 'Logistic Regression')],
        string='Churn Model',
        default='gradient_boosting',
        required=True,
    )
    crm_churn_calibration = fields.Selection(
        [('sigmoid', 'Sigmoid (Platt)'), ('isotonic', 'Isotonic'), ('none', 'None')],
        string='Probability Calibration',
        default='sigmoid',
        required=True,
    )
    crm_churn_high_risk = fields.Float(
        string='High Risk From (%)',
        default=60.0,
        help='Churn probability from which a customer is in the high risk band.',
    )
    crm_churn_medium_risk = fields.Float(
        string='Medium Risk From (%)',
        default=30.0,
        help='Churn probability from which a customer is in the medium risk band.',
    )
    crm_churn_random_state = fields.Integer(
        string='Churn Random Seed',
        default=0,
        help='Seed of the model and of the permutation importance: the same data and seed give '
        'the same scores.',
    )
    crm_response_window_days = fields.Integer(
        string='Response Window (days)',
        default=30,
        help='A contacted customer responded when they confirmed a sale order within this many '
        'days after the contact.',
    )
    crm_response_min_leaf = fields.Integer(
        string='Smallest Rule (contacts)',
        default=20,
        help='Each rule of the response tree covers at least this many contacts.',
    )
    crm_response_target_lift = fields.Float(
        string='Target Lift',
        default=1.2,
        help='Customers whose predicted response rate is at least this many times the average are '
        'the targets of the next campaign.',
    )
    crm_xsell_basket = fields.Selection(
        [('order', 'Per Sale Order'), ('customer', 'Per Customer History')],
        string='Cross-Sell Baskets',
        default='order',
        required=True,
        help='Mine the products bought together in one confirmed sale order, or over all the '
        'orders of a customer.',
    )
    crm_xsell_min_support = fields.Float(
        string='Minimum Support (%)',
        default=1.0,
        digits=(16, 3),
        help='Share of the baskets holding the products of a rule.',
    )
    crm_xsell_min_confidence = fields.Float(
        string='Minimum Confidence (%)',
        default=20.0,
        help='Share of the baskets holding the antecedent that also hold the consequent.',
    )

    @api.constrains(
        'crm_churn_horizon_days',
        'crm_churn_training_cutoffs',
        'crm_churn_high_risk',
        'crm_churn_medium_risk',
        'crm_response_window_days',
        'crm_response_min_leaf',
        'crm_response_target_lift',
        'crm_xsell_min_support',
        'crm_xsell_min_confidence',
    )
    def _check_crm_prediction_settings(self):
        for company in self:
            if not 7 <= company.crm_churn_horizon_days <= 730:
                raise ValidationError(self.env._('The churn horizon lies between 7 and 730 days.'))
            if not 1 <= company.crm_churn_training_cutoffs <= 12:
                raise ValidationError(self.env._('The churn model trains on 1 to 12 periods.'))
            if not 0 <= company.crm_churn_medium_risk <= company.crm_churn_high_risk <= 100:
                raise ValidationError(
                    self.env._('The risk thresholds are percentages with medium risk at most high risk.')
                )
            if company.crm_response_window_days < 1 or company.crm_response_min_leaf < 1:
                raise ValidationError(self.env._('The response window and the smallest rule are at least 1.'))
            if company.crm_response_target_lift <= 0:
                raise ValidationError(self.env._('The target lift is positive.'))
            if (
                not 0 < company.crm_xsell_min_support <= 100
                or not 0 <= company.crm_xsell_min_confidence <= 100
            ):
                raise ValidationError(
                    self.env._(
                        'The minimum support lies in (0, 100] % and the minimum confidence in [0, 100] %.'
                    )
                )

    def _crm_churn_config(self):
        """The churn engine's configuration from the company settings."""
        from crm_mining import ChurnConfig

        self.ensure_one()
        return ChurnConfig(
            horizon_days=self.crm_churn_horizon_days,
            training_cutoffs=self.crm_churn_training_cutoffs,
            model=self.crm_churn_model,
            calibration=self.crm_churn_calibration,
            high_risk=self.crm_churn_high_risk / 100.0,
            medium_risk=self.crm_churn_medium_risk / 100.0,
            random_state=self.crm_churn_random_state,
        )
