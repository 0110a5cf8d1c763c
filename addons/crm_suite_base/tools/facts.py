"""Customer transaction facts: what the engines read from the ERP.

One row per (commercial partner, invoice date) of the posted customer invoices and credit notes of a
company, with revenue, cost and margin in company currency:

* revenue is ``-balance`` of the invoice's product lines (credit notes therefore count negative), as in
  Odoo's own ``account/report/account_invoice_report.py``;
* cost is the cost of goods sold that perpetual (real-time) valuation posts on the invoice: the
  ``display_type = 'cogs'`` journal items of the line (``cogs_origin_id``) on the expense account;
  where none were posted, quantity (in the product's unit) times the product cost of the company
  (``standard_price``); where the product has no cost either, revenue times one minus the company's
  fallback margin rate;
* margin is revenue minus cost.
"""

import dataclasses
import datetime

import numpy as np

from odoo.tools import SQL


@dataclasses.dataclass(frozen=True)
class CustomerFacts:
    """Aligned arrays, sorted by partner then date. Empty arrays when nothing matches."""

    company_id: int
    currency_id: int
    date_from: datetime.date
    date_to: datetime.date
    partner_ids: np.ndarray  # int64
    dates: np.ndarray  # datetime64[D]
    revenue: np.ndarray  # float64, company currency, refunds negative
    cost: np.ndarray  # float64, refunds negative
    margin: np.ndarray  # float64
    line_count: np.ndarray  # int64

    def __len__(self):
        return len(self.partner_ids)

    @property
    def empty(self):
        return len(self) == 0

    @classmethod
    def from_rows(cls, rows, company_id, currency_id, date_from, date_to):
        """Build from ``(partner_id, date, revenue, cost, line_count)`` rows."""
        n = len(rows)
        cols = list(zip(*rows, strict=True)) if n else [(), (), (), (), ()]
        partner_ids = np.fromiter(cols[0], dtype=np.int64, count=n)
        dates = np.array(cols[1], dtype="datetime64[D]") if n else np.empty(0, dtype="datetime64[D]")
        revenue = np.fromiter(cols[2], dtype=np.float64, count=n)
        cost = np.fromiter(cols[3], dtype=np.float64, count=n)
        line_count = np.fromiter(cols[4], dtype=np.int64, count=n)
        return cls(
            company_id=company_id,
            currency_id=currency_id,
            date_from=date_from,
            date_to=date_to,
            partner_ids=partner_ids,
            dates=dates,
            revenue=revenue,
            cost=cost,
            margin=revenue - cost,
            line_count=line_count,
        )


def invoice_lines_filter(company_ids=None, date_from=None, date_to=None, partner_ids=None):
    """WHERE clause over ``aml`` (account_move_line) joined to ``am`` (account_move)."""
    clauses = [
        SQL("aml.parent_state = 'posted'"),
        SQL("aml.display_type = 'product'"),
        SQL("am.move_type IN ('out_invoice', 'out_refund')"),
    ]
    if company_ids is not None:
        clauses.append(SQL("aml.company_id = ANY(%s)", list(company_ids)))
    if date_from:
        clauses.append(SQL("am.invoice_date >= %s", date_from))
    if date_to:
        clauses.append(SQL("am.invoice_date <= %s", date_to))
    if partner_ids is not None:
        clauses.append(SQL("am.commercial_partner_id = ANY(%s)", list(partner_ids)))
    return SQL(" AND ").join(clauses)


def line_cost_sql(with_cogs):
    """Cost of one invoice line ``aml`` (company currency, negative on credit notes).

    ``with_cogs`` tells whether stock_account's ``cogs_origin_id`` column exists; the query then
    expects the aggregated ``cogs`` relation (see :func:`cogs_join_sql`).
    """
    product_cost = SQL(
        """NULLIF(aml.quantity * COALESCE(line_uom.factor, 1.0) / COALESCE(NULLIF(prod_uom.factor, 0), 1.0)
                  * (pp.standard_price ->> aml.company_id::text)::numeric, 0)
             * CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END"""
    )
    fallback = SQL("(-aml.balance) * (1 - COALESCE(rc.crm_intel_margin_fallback, 0) / 100.0)")
    if with_cogs:
        return SQL("COALESCE(cogs.cost, %s, %s)", product_cost, fallback)
    return SQL("COALESCE(%s, %s)", product_cost, fallback)


def cogs_join_sql(with_cogs, company_ids=None):
    """LEFT JOIN of the expense-side COGS items per originating invoice line (empty without stock_account)."""
    if not with_cogs:
        return SQL("")
    company_filter = SQL("")
    if company_ids is not None:
        company_filter = SQL("AND c.company_id = ANY(%s)", list(company_ids))
    return SQL(
        """LEFT JOIN (
               SELECT c.cogs_origin_id AS line_id, SUM(c.balance) AS cost
                 FROM account_move_line c
                 JOIN account_account acc ON acc.id = c.account_id
                WHERE c.display_type = 'cogs' AND c.parent_state = 'posted'
                  AND c.cogs_origin_id IS NOT NULL AND acc.account_type LIKE 'expense%%' %s
             GROUP BY c.cogs_origin_id
           ) cogs ON cogs.line_id = aml.id""",
        company_filter,
    )


def facts_lines_from_sql(with_cogs, company_ids=None):
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
        cogs_join_sql(with_cogs, company_ids),
    )
