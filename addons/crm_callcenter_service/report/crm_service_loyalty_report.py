import datetime
import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_suite_base.tools.ratings import SATISFIED_RATING

from crm_callcenter import GROUPS

GROUP_SELECTION = [
    ("recovered", "Recovered complaint"),
    ("not_recovered", "Complaint not recovered"),
    ("no_complaint", "No complaint"),
]
if tuple(code for code, _label in GROUP_SELECTION) != GROUPS:  # the engine's groups, in its order
    raise ImportError("the loyalty groups differ from the engine's crm_callcenter.GROUPS")


class CrmServiceLoyaltyReport(models.TransientModel):
    """The service recovery paradox check (``crm_callcenter.recovery_loyalty``): do customers whose
    complaint was recovered buy again more than those whose complaint was not, and than customers of
    similar value who never complained? A complaint is recovered when its case issued a credit note
    or a return, or was closed with a satisfied rating (4 or 5 stars)."""

    _name = "crm.service.loyalty.report"
    _description = "Loyalty after complaints"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="Complaints From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(years=2),
    )
    date_to = fields.Date(
        string="Complaints To",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=6),
    )
    horizon_months = fields.Integer(string="Months Observed After", required=True, default=6)
    value_bands = fields.Integer(
        required=True,
        default=3,
        help="Customers are compared within bands of their revenue of the year before.",
    )
    line_ids = fields.One2many("crm.service.loyalty.line", "report_id", string="Results", readonly=True)
    recovered_rate = fields.Float(readonly=True, string="Recovered (standardised)")
    not_recovered_rate = fields.Float(readonly=True, string="Not Recovered (standardised)")
    no_complaint_rate = fields.Float(readonly=True, string="No Complaint (standardised)")
    paradox = fields.Boolean(
        readonly=True,
        string="Recovery Paradox",
        help="Recovered customers repurchase more than similar customers without a complaint.",
    )
    censored = fields.Integer(readonly=True, string="Not Observed Long Enough")
    computed = fields.Boolean(readonly=True)

    @api.constrains("horizon_months", "value_bands", "date_from", "date_to")
    def _check_parameters(self):
        for report in self:
            if report.horizon_months <= 0 or not 1 <= report.value_bands <= 10:
                raise UserError(self.env._("Observe at least one month, with 1 to 10 value bands."))
            if report.date_from > report.date_to:
                raise UserError(self.env._("The complaint period ends before it starts."))

    def _complaints(self):
        """``(customer, date, recovered)`` of the complaint cases of the period."""
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        cases = Ticket.search(
            [
                ("company_id", "=", self.company_id.id),
                ("case_kind", "=", "complaint"),
                ("commercial_partner_id", "!=", False),
                ("create_date", ">=", self.date_from),
                ("create_date", "<", self.date_to + datetime.timedelta(days=1)),
            ]
        )
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", cases.ids),
                    ("consumed", "=", True),
                    ("rating", ">=", SATISFIED_RATING),
                ]
            )
        )
        satisfied = set(ratings.mapped("res_id"))
        return [
            (
                case.commercial_partner_id.id,
                case.create_date.date(),
                bool(
                    case.credit_note_ids or case.return_picking_ids or (case.closed and case.id in satisfied)
                ),
            )
            for case in cases
        ]

    def action_compute(self):
        from crm_callcenter import recovery_loyalty

        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._("You cannot analyse the complaints of %(company)s.", company=self.company_id.name)
            )
        complaints = self._complaints()
        if not complaints:
            raise UserError(
                self.env._(
                    "No complaint was recorded between %(start)s and %(end)s.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        today = fields.Date.context_today(self)
        facts = self.env["crm.suite.facts"]._get_customer_facts(
            self.company_id, self.date_from - relativedelta(years=1), today
        )
        ids, days, recovered = zip(*complaints, strict=True)
        # the comparison group: customers who never complained, in any period
        ever = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id), ("case_kind", "=", "complaint")])
            .commercial_partner_id
        )
        population = sorted(set(facts.partner_ids.tolist()) - set(ever.ids))
        horizon = round(30.44 * self.horizon_months)  # days in that many average months
        result = recovery_loyalty(
            facts.partner_ids,
            facts.dates,
            facts.revenue,
            ids,
            days,
            recovered,
            observation_end=today,
            horizon_days=horizon,
            value_bands=self.value_bands,
            population=population,
        )
        rates = result.standardised_rate
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "group": group,
                            "band": int(band) + 1 if band >= 0 else 0,
                            "customers": int(n),
                            "repurchase_rate": float(rate) if n else 0.0,
                            "revenue_per_customer": float(revenue) if n else 0.0,
                        }
                    )
                    for group, band, n, rate, revenue in zip(
                        result.groups,
                        result.bands,
                        result.customers,
                        result.repurchase_rate,
                        result.revenue_per_customer,
                        strict=True,
                    )
                ],
                "recovered_rate": _finite(rates.get("recovered")),
                "not_recovered_rate": _finite(rates.get("not_recovered")),
                "no_complaint_rate": _finite(rates.get("no_complaint")),
                "paradox": result.paradox,
                "censored": result.censored,
                "computed": True,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }


def _finite(value):
    return float(value) if value is not None and math.isfinite(value) else 0.0


class CrmServiceLoyaltyLine(models.TransientModel):
    _name = "crm.service.loyalty.line"
    _description = "Loyalty after complaints: one group and value band"
    _order = "band, group"

    report_id = fields.Many2one("crm.service.loyalty.report", required=True, ondelete="cascade")
    group = fields.Selection(GROUP_SELECTION, required=True)
    band = fields.Integer(string="Value Band", help="1 = the least valuable customers; 0 = all bands.")
    customers = fields.Integer()
    repurchase_rate = fields.Float()
    revenue_per_customer = fields.Float(string="Revenue per Customer", digits=(16, 2))
