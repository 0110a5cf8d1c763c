from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmCapabilityBenefitWizard(models.TransientModel):
    """Derive a CRM project benefit from measured KPIs: the margin retained thanks to a higher
    customer retention rate between two evaluated assessments (the retention economics of Reichheld
    & Sasser 1990: retained customers x their yearly margin)."""

    _name = "crm.capability.benefit.wizard"
    _description = "CRM project benefit from measured retention"
    _check_company_auto = True

    project_id = fields.Many2one("crm.capability.project", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="project_id.company_id")
    currency_id = fields.Many2one(related="project_id.currency_id")
    baseline_id = fields.Many2one(
        "crm.capability.assessment",
        string="Baseline Assessment",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id), ('state', 'in', ('evaluated', 'closed')), "
        "('retention_available', '=', True)]",
    )
    achieved_id = fields.Many2one(
        "crm.capability.assessment",
        string="Later Assessment",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id), ('state', 'in', ('evaluated', 'closed')), "
        "('retention_available', '=', True)]",
    )
    year = fields.Integer(required=True, default=1)
    baseline_rate = fields.Float(related="baseline_id.retention_rate", string="Baseline Retention")
    achieved_rate = fields.Float(related="achieved_id.retention_rate", string="Retention Reached")
    customer_count = fields.Integer(related="baseline_id.customer_count", string="Customers")
    margin_per_customer = fields.Monetary(
        related="baseline_id.annual_margin_per_customer", string="Yearly Margin per Customer"
    )
    amount = fields.Monetary(compute="_compute_amount", string="Retained Margin")

    @api.depends("baseline_rate", "achieved_rate", "customer_count", "margin_per_customer")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = (
                (wizard.achieved_rate - wizard.baseline_rate)
                * wizard.customer_count
                * wizard.margin_per_customer
            )

    def action_add_benefit(self):
        self.ensure_one()
        if self.baseline_id == self.achieved_id or self.achieved_id.date_to <= self.baseline_id.date_to:
            raise UserError(self.env._("The later assessment must end after the baseline assessment."))
        if self.amount < 0:
            raise UserError(
                self.env._(
                    "Retention fell from %(before).1f%% to %(after).1f%%: there is no retained margin to "
                    "count "
                    "as a benefit.",
                    before=100 * self.baseline_rate,
                    after=100 * self.achieved_rate,
                )
            )
        self.env["crm.capability.project.benefit"].create(
            {
                "project_id": self.project_id.id,
                "year": self.year,
                "name": self.env._(
                    "Retained margin: retention %(before).1f%% → %(after).1f%% (%(a)s → %(b)s)",
                    before=100 * self.baseline_rate,
                    after=100 * self.achieved_rate,
                    a=self.baseline_id.name,
                    b=self.achieved_id.name,
                ),
                "source": "retention",
                "baseline_rate": self.baseline_rate,
                "achieved_rate": self.achieved_rate,
                "customer_count": self.customer_count,
                "margin_per_customer": self.margin_per_customer,
            }
        )
        return {"type": "ir.actions.act_window_close"}
