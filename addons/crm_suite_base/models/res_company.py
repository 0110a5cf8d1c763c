from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_intel_analysis_months = fields.Integer(
        string="Analysis Window (months)",
        default=36,
        help="How many months of posted customer invoices the analyses read, ending today.",
    )
    crm_intel_discount_rate = fields.Float(
        string="Annual Discount Rate (%)",
        default=10.0,
        help="Annual rate used to discount future margins in customer lifetime value.",
    )
    crm_intel_currency_id = fields.Many2one(
        "res.currency",
        string="Reporting Currency",
        help="Currency in which the suite's reports and exports show amounts. "
        "Empty: the company currency.",
    )
    crm_intel_horizon_months = fields.Integer(
        string="Prediction Horizon (months)",
        default=12,
        help="Horizon of predicted purchases and predicted customer lifetime value.",
    )
    crm_intel_alive_threshold = fields.Float(
        string="At-Risk Threshold (P(alive))",
        default=0.5,
        help="A customer whose probability of being alive falls below this value is at risk.",
    )
    crm_intel_margin_fallback = fields.Float(
        string="Fallback Margin (%)",
        default=30.0,
        help="Margin assumed on an invoice line whose product has no cost at all "
        "(no cost of goods sold posted and no product cost).",
    )

    @api.constrains(
        "crm_intel_analysis_months",
        "crm_intel_discount_rate",
        "crm_intel_horizon_months",
        "crm_intel_alive_threshold",
        "crm_intel_margin_fallback",
    )
    def _check_crm_intel_settings(self):
        for company in self:
            if company.crm_intel_analysis_months <= 0:
                raise ValidationError(self.env._("The analysis window must be at least one month."))
            if company.crm_intel_horizon_months <= 0:
                raise ValidationError(self.env._("The prediction horizon must be at least one month."))
            if not 0.0 <= company.crm_intel_discount_rate <= 100.0:
                raise ValidationError(self.env._("The annual discount rate must lie between 0 and 100%."))
            if not 0.0 <= company.crm_intel_alive_threshold <= 1.0:
                raise ValidationError(self.env._("The at-risk threshold is a probability between 0 and 1."))
            if not 0.0 <= company.crm_intel_margin_fallback <= 100.0:
                raise ValidationError(self.env._("The fallback margin must lie between 0 and 100%."))

    def _crm_intel_window(self, today=None):
        """Return ``(date_from, date_to)`` of the analysis window: the last N months up to today."""
        self.ensure_one()
        date_to = today or fields.Date.context_today(self)
        return date_to - relativedelta(months=self.crm_intel_analysis_months), date_to

    def _crm_intel_currency(self):
        """Currency the suite shows amounts in for this company."""
        self.ensure_one()
        return self.crm_intel_currency_id or self.currency_id

    def _crm_intel_display_rate(self, date=None):
        """Factor turning an amount in company currency into the reporting currency (at ``date``)."""
        self.ensure_one()
        target = self._crm_intel_currency()
        if target == self.currency_id:
            return 1.0
        return self.currency_id._get_conversion_rate(
            self.currency_id, target, self, date or fields.Date.context_today(self)
        )
