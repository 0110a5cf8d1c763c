from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_service_risk_share = fields.Float(
        string="SLA At Risk From (%)",
        default=75.0,
        help="A case is at risk once this share of the working time allowed by its SLA is consumed.",
    )
    crm_call_target_seconds = fields.Integer(
        string="Answer Target (s)",
        default=20,
        help="Service level: share of the offered calls answered within this many seconds.",
    )
    crm_call_target_service_level = fields.Float(
        string="Target Service Level (%)",
        default=80.0,
        help="The service level the planning staffs for (80% within 20 seconds is the usual target).",
    )
    crm_call_short_abandon_seconds = fields.Integer(
        string="Short Abandon (s)",
        default=5,
        help="Callers who hang up within this many seconds (misdials, second thoughts) are left out of "
        "the offered calls and of every ratio.",
    )
    crm_call_fcr_days = fields.Integer(
        string="First Contact Resolution (days)",
        default=7,
        help="An answered call is resolved at the first contact when the same customer does not call "
        "again within this many days.",
    )

    @api.constrains("crm_service_risk_share")
    def _check_crm_service_risk_share(self):
        if any(not 0.0 < company.crm_service_risk_share < 100.0 for company in self):
            raise ValidationError(
                self.env._("The at-risk share of the SLA time lies strictly between 0 and 100%.")
            )

    @api.constrains(
        "crm_call_target_seconds",
        "crm_call_target_service_level",
        "crm_call_short_abandon_seconds",
        "crm_call_fcr_days",
    )
    def _check_crm_call_targets(self):
        for company in self:
            if company.crm_call_target_seconds <= 0 or company.crm_call_fcr_days <= 0:
                raise ValidationError(
                    self.env._("The answer target and the first contact resolution days must be positive.")
                )
            if company.crm_call_short_abandon_seconds < 0:
                raise ValidationError(self.env._("The short abandon threshold cannot be negative."))
            if not 0.0 < company.crm_call_target_service_level <= 100.0:
                raise ValidationError(self.env._("The target service level lies between 0 and 100%."))
