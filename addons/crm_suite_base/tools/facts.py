"""Customer transaction facts: what the engines read from the ERP.

One row per (commercial partner, invoice date) of the posted customer invoices and credit notes of a
company, with revenue, cost and margin in company currency:

* the date is the move's ``invoice_date`` (the date printed on the invoice, the date of the
  purchase for the customer), not the accounting ``date``; the window filters on it too;
* the partner is the move's ``commercial_partner_id``: an invoice sent to a contact counts for its
  company;
* revenue is ``-balance`` of the invoice's product lines (``display_type = 'product'``), so it is
  in company currency whatever the invoice currency and credit notes count negative, as in Odoo's
  own ``account/report/account_invoice_report.py``;
* cost is the cost of goods sold that perpetual (real-time) valuation posts on the invoice: the
  ``display_type = 'cogs'`` journal items of the line (``cogs_origin_id``) on the expense account;
  where none were posted (periodic valuation, services, no stock_account), quantity converted to
  the product's unit of measure times the product cost of the company (``standard_price``,
  company-dependent JSONB on ``product_product``); where the product has no cost either, revenue
  times one minus the company's fallback margin rate; credit notes count negative;
* margin is revenue minus cost.

:func:`facts_query` builds the single set-based query used both by the facts service
(``crm.suite.facts``) and by the SQL view of the *Customer Transactions* report.
"""

import dataclasses
import datetime
import itertools

import numpy as np

from odoo.tools import SQL

EPOCH = np.datetime64("1970-01-01", "D")


@dataclasses.dataclass(frozen=True)
class CustomerFacts:
    """Aligned arrays, one row per (commercial partner, invoice date), sorted by partner then date.

    Empty arrays (with the right dtypes) when nothing matches.
    """

    company_id: int
    currency_id: int
    date_from: datetime.date
    date_to: datetime.date
    partner_ids: np.ndarray  # int64
    dates: np.ndarray  # datetime64[D]
    revenue: np.ndarray  # float64, company currency, refunds negative
    cost: np.ndarray  # float64, company currency, refunds negative
    margin: np.ndarray  # float64, revenue - cost
    line_count: np.ndarray  # int64, invoice lines aggregated in the row

    def __len__(self):
        return len(self.partner_ids)

    @property
    def empty(self):
        return len(self) == 0

    @classmethod
    def from_rows(cls, rows, company_id, currency_id, date_from, date_to):
        """Build from ``(partner_id, days since 1970-01-01, revenue, cost, line_count)`` rows.

        All values are plain numbers (the query casts them), so one ``np.fromiter`` pass converts the
        whole result; dates travel as day numbers and become ``datetime64[D]`` without any Python
        date object. Partner ids and counts are exact in float64 (below 2**53).
        """
        n = len(rows)
        table = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=5 * n).reshape(n, 5)
        revenue = np.ascontiguousarray(table[:, 2])
        cost = np.ascontiguousarray(table[:, 3])
        return cls(
            company_id=company_id,
            currency_id=currency_id,
            date_from=date_from,
            date_to=date_to,
            partner_ids=table[:, 0].astype(np.int64),
            dates=EPOCH + table[:, 1].astype(np.int64),
            revenue=revenue,
            cost=cost,
            margin=revenue - cost,
            line_count=table[:, 4].astype(np.int64),
        )


def invoice_lines_filter(company_ids=None, date_from=None, date_to=None, partner_ids=None,
                         line="aml", move="am", display_type="product"):
    """WHERE clause over the journal items ``line`` of the customer invoices / credit notes ``move``."""
    line, move = SQL.identifier(line), SQL.identifier(move)
    clauses = [
        SQL("%s.parent_state = 'posted'", line),
        SQL("%s.display_type = %s", line, display_type),
        SQL("%s.move_type IN ('out_invoice', 'out_refund')", move),
    ]
    if company_ids is not None:
        clauses.append(SQL("%s.company_id = ANY(%s)", line, list(company_ids)))
    if date_from:
        clauses.append(SQL("%s.invoice_date >= %s", move, date_from))
    if date_to:
        clauses.append(SQL("%s.invoice_date <= %s", move, date_to))
    if partner_ids is not None:
        clauses.append(SQL("%s.commercial_partner_id = ANY(%s)", move, list(partner_ids)))
    return SQL(" AND ").join(clauses)


REVENUE_SQL = SQL("(-aml.balance)::float8")


def line_cost_sql(with_cogs):
    """Cost of one invoice line ``aml`` (company currency, negative on credit notes), as float8.

    ``with_cogs`` tells whether stock_account's ``cogs_origin_id`` column exists; the query then
    joins the aggregated ``cogs`` relation (see :func:`cogs_join_sql`). The arithmetic is done in
    float8: numeric divisions and sums cost more than the rest of the query at a million lines.
    """
    product_cost = SQL(
        """NULLIF(aml.quantity::float8 * COALESCE(line_uom.factor::float8, 1.0)
                  / COALESCE(NULLIF(prod_uom.factor::float8, 0), 1.0)
                  * (pp.standard_price ->> aml.company_id::text)::float8, 0)
             * CASE WHEN am.move_type = 'out_refund' THEN -1.0 ELSE 1.0 END"""
    )
    fallback = SQL(
        "%s * (1.0 - COALESCE(rc.crm_intel_margin_fallback, 0.0)::float8 / 100.0)", REVENUE_SQL
    )
    if with_cogs:
        return SQL("COALESCE(cogs.cost, %s, %s)", product_cost, fallback)
    return SQL("COALESCE(%s, %s)", product_cost, fallback)


def cogs_join_sql(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None):
    """LEFT JOIN of the expense-side COGS items aggregated per originating invoice line.

    The COGS items live on the same move as their invoice line, so the subquery applies the same
    company / window / partner filters to its own move: it reads only the COGS items of the lines
    the main query reads (empty SQL without stock_account).
    """
    if not with_cogs:
        return SQL("")
    return SQL(
        """LEFT JOIN (
               SELECT c.cogs_origin_id AS line_id, SUM(c.balance)::float8 AS cost
                 FROM account_move_line c
                 JOIN account_move cm ON cm.id = c.move_id
                 JOIN account_account acc ON acc.id = c.account_id
                WHERE %s AND c.cogs_origin_id IS NOT NULL AND acc.account_type LIKE 'expense%%'
             GROUP BY c.cogs_origin_id
           ) cogs ON cogs.line_id = aml.id""",
        invoice_lines_filter(company_ids, date_from, date_to, partner_ids,
                             line="c", move="cm", display_type="cogs"),
    )


def facts_lines_from_sql(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None):
    """FROM clause shared by the facts service and the transaction report view."""
    return SQL(
        """account_move_line aml
           JOIN account_move am ON am.id = aml.move_id
           JOIN res_company rc ON rc.id = aml.company_id
           LEFT JOIN product_product pp ON pp.id = aml.product_id
           LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
           LEFT JOIN uom_uom line_uom ON line_uom.id = aml.product_uom_id
           LEFT JOIN uom_uom prod_uom ON prod_uom.id = pt.uom_id
           %s""",
        cogs_join_sql(with_cogs, company_ids, date_from, date_to, partner_ids),
    )


def facts_query(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None,
                report=False):
    """The customer facts query.

    * ``report=False`` (facts service): rows ``(partner_id, day number since 1970-01-01, revenue,
      cost, line_count)`` as plain numbers, sorted by partner then date;
    * ``report=True`` (SQL view of ``crm.suite.customer.transaction``): one row per company,
      commercial partner and invoice date with ``id, company_id, currency_id, partner_id, date,
      revenue, cost, margin, line_count``.
    """
    cost = line_cost_sql(with_cogs)
    from_sql = facts_lines_from_sql(with_cogs, company_ids, date_from, date_to, partner_ids)
    where = invoice_lines_filter(company_ids, date_from, date_to, partner_ids)
    if report:
        return SQL(
            """SELECT MIN(aml.id) AS id, aml.company_id, rc.currency_id,
                      am.commercial_partner_id AS partner_id, am.invoice_date AS date,
                      SUM(%(revenue)s) AS revenue, SUM(%(cost)s) AS cost,
                      SUM(%(revenue)s) - SUM(%(cost)s) AS margin, COUNT(*) AS line_count
                 FROM %(from_sql)s
                WHERE %(where)s
             GROUP BY aml.company_id, rc.currency_id, am.commercial_partner_id, am.invoice_date""",
            revenue=REVENUE_SQL, cost=cost, from_sql=from_sql, where=where,
        )
    return SQL(
        """SELECT am.commercial_partner_id, am.invoice_date - DATE '1970-01-01',
                  SUM(%(revenue)s), SUM(%(cost)s), COUNT(*)
             FROM %(from_sql)s
            WHERE %(where)s
         GROUP BY am.commercial_partner_id, am.invoice_date
         ORDER BY am.commercial_partner_id, am.invoice_date""",
        revenue=REVENUE_SQL, cost=cost, from_sql=from_sql, where=where,
    )


def partners_query(company_ids, date_from=None, date_to=None):
    """Commercial partners with at least one posted customer invoice line in the window, sorted."""
    return SQL(
        """SELECT DISTINCT am.commercial_partner_id
             FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
            WHERE %s ORDER BY 1""",
        invoice_lines_filter(company_ids, date_from, date_to),
    )
