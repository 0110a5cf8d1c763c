import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COST_CATEGORIES = [
    ("licences", "Licences"),
    ("hardware", "Hardware"),
    ("implementation", "Implementation"),
    ("training", "Training"),
    ("support", "Support and Maintenance"),
    ("internal_staff", "Internal Staff"),
]

#: the project's figures, declared once with their Excel kind (field -> kind): the computed fields and
#: the Excel summary (which takes the fields' labels)
PROJECT_FIGURES = {
    "tco": "money",
    "total_benefit": "money",
    "pv_costs": "money",
    "pv_benefits": "money",
    "npv": "money",
    "irr": "percent",
    "roi": "percent",
    "discounted_roi": "percent",
    "payback_years": "float",
    "discounted_payback_years": "float",
}


def project_figure(result, fname):
    """Figure ``fname`` of :data:`PROJECT_FIGURES` from the engine's ``ProjectEvaluation``."""
    if fname == "total_benefit":
        return float(result.benefits.sum())
    return float(getattr(result, fname))


class CrmCapabilityProject(models.Model):
    """The evaluation of a CRM investment over its years: total cost of ownership by category,
    benefits entered or derived from measured KPIs, NPV at the discount rate, IRR, ROI and payback
    (``crm_capability.evaluate_project``). Year 0 is the initial investment."""

    _name = "crm.capability.project"
    _description = "CRM project evaluation"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today)
    years = fields.Integer(
        string="Years Evaluated",
        required=True,
        default=5,
        help="Years after the initial investment (year 0).",
    )
    discount_rate = fields.Float(
        string="Discount Rate (%)",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.crm_intel_discount_rate,
    )
    note = fields.Html()
    cost_ids = fields.One2many("crm.capability.project.cost", "project_id", string="Costs", copy=True)
    benefit_ids = fields.One2many(
        "crm.capability.project.benefit", "project_id", string="Benefits", copy=True
    )
    tco = fields.Monetary(compute="_compute_figures", string="Total Cost of Ownership")
    total_benefit = fields.Monetary(compute="_compute_figures", string="Total Benefits")
    pv_costs = fields.Monetary(compute="_compute_figures", string="Present Value of Costs")
    pv_benefits = fields.Monetary(compute="_compute_figures", string="Present Value of Benefits")
    npv = fields.Monetary(compute="_compute_figures", string="Net Present Value")
    irr = fields.Float(compute="_compute_figures", string="Internal Rate of Return")
    roi = fields.Float(compute="_compute_figures", string="Return on Investment")
    discounted_roi = fields.Float(compute="_compute_figures", string="Discounted ROI")
    payback_years = fields.Float(compute="_compute_figures", string="Payback (years)")
    discounted_payback_years = fields.Float(compute="_compute_figures", string="Discounted Payback (years)")
    irr_available = fields.Boolean(compute="_compute_figures")
    roi_available = fields.Boolean(compute="_compute_figures")
    payback_reached = fields.Boolean(compute="_compute_figures")
    discounted_payback_reached = fields.Boolean(compute="_compute_figures")

    @api.constrains("years", "discount_rate")
    def _check_years(self):
        for project in self:
            if not 1 <= project.years <= 30:
                raise ValidationError(self.env._("A CRM project is evaluated over 1 to 30 years."))
            if not -99.0 < project.discount_rate <= 100.0:
                raise ValidationError(self.env._("The discount rate must lie between -99% and 100%."))
            beyond = max([*project.cost_ids.mapped("year"), *project.benefit_ids.mapped("year"), 0])
            if beyond > project.years:
                raise ValidationError(
                    self.env._(
                        "Costs or benefits are entered for year %(year)s: evaluate the project over at least "
                        "%(year)s years, or move those lines.",
                        year=beyond,
                    )
                )

    def _evaluation(self):
        """``crm_capability.evaluate_project`` of the cost and benefit lines."""
        import numpy as np

        from crm_capability import COST_CATEGORIES as ENGINE_CATEGORIES
        from crm_capability import evaluate_project

        self.ensure_one()
        n = max(self.years, 0) + 1
        costs = np.zeros((n, len(ENGINE_CATEGORIES)))
        benefits = np.zeros(n)
        for line in self.cost_ids:
            if 0 <= line.year < n:
                costs[line.year, ENGINE_CATEGORIES.index(line.category)] += line.amount
        for line in self.benefit_ids:
            if 0 <= line.year < n:
                benefits[line.year] += line.amount
        return evaluate_project(costs, benefits, self.discount_rate / 100.0)

    @api.depends(
        "years",
        "discount_rate",
        "cost_ids.year",
        "cost_ids.category",
        "cost_ids.amount",
        "benefit_ids.year",
        "benefit_ids.amount",
    )
    def _compute_figures(self):
        for project in self:
            try:
                result = project._evaluation()
            except ValueError:
                result = None
            for fname in PROJECT_FIGURES:
                value = project_figure(result, fname) if result is not None else math.nan
                project[fname] = value if math.isfinite(value) else 0.0
            project.irr_available = result is not None and math.isfinite(result.irr)
            project.roi_available = result is not None and math.isfinite(result.roi)
            project.payback_reached = result is not None and math.isfinite(result.payback_years)
            project.discounted_payback_reached = result is not None and math.isfinite(
                result.discounted_payback_years
            )

    def action_derive_benefit(self):
        """Open the wizard deriving a benefit from the retention measured by two assessments."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Benefit from Measured Retention"),
            "res_model": "crm.capability.benefit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env["crm.suite.export"].download(
            f"crm_project_{self.name}.xlsx".replace(" ", "_"), self._xlsx_report()
        )

    def _xlsx_report(self):
        from odoo.addons.crm_suite_base.tools.xlsx import XlsxReport

        result = self._evaluation()
        currency = self.currency_id
        report = XlsxReport(
            currency_symbol=currency.symbol or currency.name, symbol_position=currency.position
        )
        items = [
            (self.env._("Project"), self.name, "text"),
            (self.env._("Start"), self.date_start, "date"),
            (self.env._("Discount rate"), self.discount_rate / 100.0, "percent"),
        ]
        for fname, kind in PROJECT_FIGURES.items():
            value = project_figure(result, fname)
            items.append(
                (
                    self._fields[fname]._description_string(self.env),
                    value if math.isfinite(value) else None,
                    kind,
                )
            )
        sheet = self.env._("Summary")
        report.add_summary(sheet, self.env._("CRM project evaluation: %(name)s", name=self.name), items)
        categories = dict(
            self.env["crm.capability.project.cost"]._fields["category"]._description_selection(self.env)
        )
        year = self.env._("Year")
        columns = [
            (year, "int"),
            *((categories[key], "money") for key, _label in COST_CATEGORIES),
            (self.env._("Total costs"), "money"),
            (self.env._("Benefits"), "money"),
            (self.env._("Net cash flow"), "money"),
            (self.env._("Cumulative"), "money"),
            (self.env._("Discounted net"), "money"),
        ]
        amounts = {}
        for cost in self.cost_ids:
            amounts[cost.year, cost.category] = amounts.get((cost.year, cost.category), 0.0) + cost.amount
        rows = [
            [
                int(year),
                *(amounts.get((int(year), key), 0.0) for key, _label in COST_CATEGORIES),
                float(result.costs[t]),
                float(result.benefits[t]),
                float(result.net_flows[t]),
                float(result.cumulative[t]),
                float(result.discounted_net[t]),
            ]
            for t, year in enumerate(result.years)
        ]
        cash = self.env._("Cash flows")
        ref = report.add_table(cash, columns, rows, title=self.env._("Cash flows by year"))
        report.add_chart(
            cash,
            "column",
            self.env._("Costs and benefits"),
            ref.column(0),
            [(self.env._("Total costs"), ref.column(7)), (self.env._("Benefits"), ref.column(8))],
            anchor="B" + str(len(rows) + 6),
        )
        return report.to_bytes()


class CrmCapabilityProjectCost(models.Model):
    _name = "crm.capability.project.cost"
    _description = "CRM project cost"
    _order = "project_id, year, category, id"

    project_id = fields.Many2one("crm.capability.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    year = fields.Integer(required=True, default=0, help="0: the initial investment.")
    category = fields.Selection(COST_CATEGORIES, required=True, default="licences")
    name = fields.Char(string="Description")
    amount = fields.Monetary(required=True)

    @api.constrains("year", "amount", "project_id")
    def _check_line(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(self.env._("A cost is a positive amount."))
            if not 0 <= line.year <= line.project_id.years:
                raise ValidationError(
                    self.env._(
                        "The year of a cost lies between 0 and %(years)s.", years=line.project_id.years
                    )
                )


class CrmCapabilityProjectBenefit(models.Model):
    _name = "crm.capability.project.benefit"
    _description = "CRM project benefit"
    _order = "project_id, year, id"

    project_id = fields.Many2one("crm.capability.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    year = fields.Integer(required=True, default=1)
    name = fields.Char(string="Description", required=True)
    source = fields.Selection(
        [("manual", "Entered"), ("retention", "Retention Gain")],
        required=True,
        default="manual",
        help="Retention gain: retained margin = (retention rate reached - baseline rate) x customers x "
        "yearly margin per customer, from two evaluated assessments.",
    )
    baseline_rate = fields.Float(digits=(16, 4), string="Baseline Retention")
    achieved_rate = fields.Float(digits=(16, 4), string="Retention Reached")
    customer_count = fields.Integer(string="Customers")
    margin_per_customer = fields.Monetary(string="Yearly Margin per Customer")
    amount = fields.Monetary(
        compute="_compute_amount", store=True, readonly=False, required=True, precompute=True
    )

    @api.depends("source", "baseline_rate", "achieved_rate", "customer_count", "margin_per_customer")
    def _compute_amount(self):
        for line in self:
            if line.source == "retention":
                line.amount = (
                    (line.achieved_rate - line.baseline_rate) * line.customer_count * line.margin_per_customer
                )
            elif not line.amount:
                line.amount = 0.0

    @api.constrains("year", "project_id", "amount")
    def _check_year(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(
                    self.env._(
                        "The benefit “%(name)s” is negative: a loss is not a benefit (for a retention gain, "
                        "the "
                        "retention rate reached is below the baseline).",
                        name=line.name,
                    )
                )
            if not 0 <= line.year <= line.project_id.years:
                raise ValidationError(
                    self.env._(
                        "The year of a benefit lies between 0 and %(years)s.", years=line.project_id.years
                    )
                )
