from collections import defaultdict

from odoo import fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.facts import facts_query
from ..tools.xlsx import XlsxReport

MAX_EXPORT_ROWS = 1_000_000


class CrmSuiteCustomerTransaction(models.Model):
    """Read-only report of the customer transaction facts (the same query as the facts service)."""

    _name = "crm.suite.customer.transaction"
    _description = "Customer Transactions"
    _auto = False
    _order = "date desc, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    date = fields.Date(
        string="Purchase Date", readonly=True,
        help="Invoice date; a credit note counts on the date of the invoice it reverses.")
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    line_count = fields.Integer(string="Invoice Lines", readonly=True)

    def init(self):
        with_cogs = "cogs_origin_id" in self.env["account.move.line"]._fields
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)",
            SQL.identifier(self._table),
            facts_query(with_cogs, report=True),
        ))

    def action_export_xlsx(self):
        """Excel workbook of the selected rows (all readable rows when none is selected): summary,
        monthly revenue / margin chart and the rows themselves.

        Amounts are converted from each company's currency into the reporting currency of the
        current company (setting *Reporting currency*, default the company currency) at today's rate.
        """
        env = self.env
        records = self or self.search([], limit=MAX_EXPORT_ROWS + 1)
        if not records:
            raise UserError(env._("There is no customer transaction to export."))
        if len(records) > MAX_EXPORT_ROWS:
            raise UserError(env._(
                "More than %(max)s rows selected: an Excel sheet cannot hold them. Filter the report first.",
                max=MAX_EXPORT_ROWS,
            ))
        target = self.env.company._crm_intel_currency()
        today = fields.Date.context_today(self)
        rates = {
            company: company.currency_id._get_conversion_rate(company.currency_id, target, company, today)
            for company in records.company_id
        }
        rows = []
        months = defaultdict(lambda: [0.0, 0.0, 0.0])
        for rec in records.sorted(lambda r: (r.date, r.partner_id.id)):
            rate = rates[rec.company_id]
            revenue, cost, margin = rec.revenue * rate, rec.cost * rate, rec.margin * rate
            rows.append((rec.date, rec.partner_id.display_name, rec.company_id.name, rec.line_count,
                         revenue, cost, margin, margin / revenue if revenue else None))
            month = months[rec.date.replace(day=1)]
            month[0] += revenue
            month[1] += cost
            month[2] += margin
        total_revenue = sum(r[4] for r in rows)
        total_margin = sum(r[6] for r in rows)
        report = XlsxReport(currency_symbol=target.symbol or target.name, symbol_position=target.position)
        title = env._("Customer Transactions (%(currency)s)", currency=target.name)
        report.add_summary(env._("Summary"), title, [
            (env._("Customers"), len(records.partner_id), "int"),
            (env._("Invoice lines"), sum(records.mapped("line_count")), "int"),
            (env._("First invoice date"), rows[0][0], "date"),
            (env._("Last invoice date"), rows[-1][0], "date"),
            (env._("Revenue"), total_revenue, "money"),
            (env._("Cost"), sum(r[5] for r in rows), "money"),
            (env._("Margin"), total_margin, "money"),
            (env._("Margin rate"), total_margin / total_revenue if total_revenue else None, "percent"),
        ])
        month_columns = [
            (env._("Month"), "date"), (env._("Revenue"), "money"),
            (env._("Cost"), "money"), (env._("Margin"), "money"),
        ]
        by_month = report.add_table(
            env._("By Month"), month_columns, [(month, *values) for month, values in sorted(months.items())],
        )
        report.add_chart(
            by_month.sheet, "column", env._("Revenue and margin per month"), by_month.column(0),
            [(env._("Revenue"), by_month.column(1)), (env._("Margin"), by_month.column(3))], anchor="F2",
        )
        line_columns = [
            (env._("Invoice Date"), "date"), (env._("Customer"), "text"), (env._("Company"), "text"),
            (env._("Invoice Lines"), "int"), (env._("Revenue"), "money"), (env._("Cost"), "money"),
            (env._("Margin"), "money"), (env._("Margin rate"), "percent"),
        ]
        report.add_table(env._("Transactions"), line_columns, rows)
        filename = f"customer_transactions_{today.isoformat()}.xlsx"
        return env["crm.suite.export"].download(filename, report.to_bytes())
