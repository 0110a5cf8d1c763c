from odoo import models
from odoo.tools import SQL

from ..tools.facts import CustomerFacts, facts_lines_from_sql, invoice_lines_filter, line_cost_sql


class CrmSuiteFacts(models.AbstractModel):
    """Customer transaction facts service (see ``tools/facts.py`` for the definitions)."""

    _name = "crm.suite.facts"
    _description = "CRM Intelligence: customer transaction facts"

    def _facts_has_cogs(self):
        return "cogs_origin_id" in self.env["account.move.line"]._fields

    def _facts_window(self, company, date_from, date_to):
        default_from, default_to = company._crm_intel_window()
        return date_from or default_from, date_to or default_to

    def _get_customer_facts(self, company, date_from=None, date_to=None, partner_ids=None):
        """Posted customer invoice / credit note lines of ``company`` between the two invoice dates
        (default: the company's analysis window), aggregated per commercial partner and invoice date,
        in one set-based query. ``partner_ids`` restricts to those commercial partners.

        :rtype: CustomerFacts
        """
        company.ensure_one()
        date_from, date_to = self._facts_window(company, date_from, date_to)
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        with_cogs = self._facts_has_cogs()
        query = SQL(
            """SELECT am.commercial_partner_id, am.invoice_date,
                      SUM(-aml.balance), SUM(%s), COUNT(*)
                 FROM %s
                WHERE %s
             GROUP BY am.commercial_partner_id, am.invoice_date
             ORDER BY am.commercial_partner_id, am.invoice_date""",
            line_cost_sql(with_cogs),
            facts_lines_from_sql(with_cogs, [company.id]),
            invoice_lines_filter([company.id], date_from, date_to, partner_ids),
        )
        self.env.cr.execute(query)
        return CustomerFacts.from_rows(
            self.env.cr.fetchall(), company.id, company.currency_id.id, date_from, date_to
        )

    def _get_customer_partner_ids(self, company, date_from=None, date_to=None):
        """Commercial partners with at least one posted customer invoice line in the window, sorted."""
        company.ensure_one()
        date_from, date_to = self._facts_window(company, date_from, date_to)
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT am.commercial_partner_id
                     FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
                    WHERE %s ORDER BY 1""",
                invoice_lines_filter([company.id], date_from, date_to),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
