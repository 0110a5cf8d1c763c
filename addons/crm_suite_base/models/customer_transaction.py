from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools.facts import facts_lines_from_sql, invoice_lines_filter, line_cost_sql


class CrmSuiteCustomerTransaction(models.Model):
    """Read-only report of the customer transaction facts (same definitions as the facts service)."""

    _name = "crm.suite.customer.transaction"
    _description = "Customer Transactions"
    _auto = False
    _order = "date desc, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    date = fields.Date(string="Invoice Date", readonly=True)
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    line_count = fields.Integer(string="Invoice Lines", readonly=True)

    def init(self):
        with_cogs = "cogs_origin_id" in self.env["account.move.line"]._fields
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (
                   SELECT MIN(aml.id) AS id, aml.company_id, rc.currency_id,
                          am.commercial_partner_id AS partner_id, am.invoice_date AS date,
                          SUM(-aml.balance) AS revenue, SUM(%s) AS cost,
                          SUM(-aml.balance) - SUM(%s) AS margin, COUNT(*) AS line_count
                     FROM %s
                    WHERE %s
                 GROUP BY aml.company_id, rc.currency_id, am.commercial_partner_id, am.invoice_date)""",
                SQL.identifier(self._table),
                line_cost_sql(with_cogs),
                line_cost_sql(with_cogs),
                facts_lines_from_sql(with_cogs),
                invoice_lines_filter(),
            )
        )
