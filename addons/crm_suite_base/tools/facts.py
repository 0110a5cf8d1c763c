"""Customer transaction facts: what the engines read from the ERP.

One row per (commercial partner, invoice date) of the posted customer invoices and credit notes of a
company, with revenue, cost and margin in company currency:

* the date is the move's ``invoice_date`` (the date printed on the invoice, the date of the
  purchase for the customer), not the accounting ``date``; a credit note that reverses an invoice
  (``reversed_entry_id``) counts on the date of that invoice, so a refund cancels the purchase it
  refunds instead of making a second, negative transaction later; the window filters on this date;
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

:func:`facts_query` builds the set-based queries of the facts service (``crm.suite.facts``), one
row per partner and day, and of the *Customer Transactions* report (``crm.suite.customer.transaction``,
the customer cube), one row per invoice line with the same revenue, cost, margin and date.
"""

import contextlib
import dataclasses
import datetime

import numpy as np

from odoo.tools import SQL

EPOCH = np.datetime64("1970-01-01", "D")
#: ``work_mem`` of the statements aggregating the invoice lines (see :func:`aggregate_settings`)
FACTS_WORK_MEM = "256MB"


@contextlib.contextmanager
def aggregate_settings(cr, work_mem=FACTS_WORK_MEM):
    """Planner settings for the statements run inside, suited to one large aggregate over the
    invoice lines (the facts service, the customer cube's groups), restored afterwards.

    The aggregate is big but simple: PostgreSQL's JIT compiler (default ``jit_above_cost``) spends
    longer compiling it than running it, and with the default 4 MB ``work_mem`` (PostgreSQL
    estimates a group per line for the dates) it sorts on disk. ``set_config(..., true)`` is local
    to the transaction: on an error, rolling the transaction (or savepoint) back restores them.
    """
    cr.execute(SQL(
        "SELECT current_setting('jit', true), current_setting('work_mem'), "
        "set_config('jit', 'off', true), set_config('work_mem', %s, true)",
        work_mem,
    ))
    jit, previous_work_mem = cr.fetchone()[:2]
    yield
    cr.execute(SQL(
        "SELECT set_config('jit', %s, true), set_config('work_mem', %s, true)",
        jit or "off", previous_work_mem,
    ))


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
    def from_columns(cls, columns, company_id, currency_id, date_from, date_to):
        """Build from the columns of the facts query (``partner_id``, day number since
        1970-01-01, revenue, cost, line_count), in any order: sorted here by partner then date
        (``np.lexsort``, cheaper than an ``ORDER BY`` of the aggregate in PostgreSQL)."""
        partner_ids, days, revenue, cost, line_count = columns
        order = np.lexsort((days, partner_ids))
        partner_ids, days = partner_ids[order], days[order]
        revenue = np.ascontiguousarray(revenue[order], dtype=np.float64)
        cost = np.ascontiguousarray(cost[order], dtype=np.float64)
        line_count = line_count[order]
        if len(partner_ids) > 1:
            # the same (partner, day) from several parts of the query (an invoice and the credit
            # notes reversing it): one row
            first = np.ones(len(partner_ids), dtype=bool)
            first[1:] = (partner_ids[1:] != partner_ids[:-1]) | (days[1:] != days[:-1])
            if not first.all():
                starts = np.flatnonzero(first)
                partner_ids, days = partner_ids[starts], days[starts]
                revenue, cost = np.add.reduceat(revenue, starts), np.add.reduceat(cost, starts)
                line_count = np.add.reduceat(line_count, starts)
        return cls(
            company_id=company_id,
            currency_id=currency_id,
            date_from=date_from,
            date_to=date_to,
            partner_ids=partner_ids.astype(np.int64),
            dates=EPOCH + days.astype(np.int64),
            revenue=revenue,
            cost=cost,
            margin=revenue - cost,
            line_count=line_count.astype(np.int64),
        )

    @classmethod
    def empty_facts(cls, company_id, currency_id, date_from, date_to):
        empty = [np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64),
                 np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)]
        return cls.from_columns(empty, company_id, currency_id, date_from, date_to)


#: output types of the facts service query, in column order (see :func:`facts_query`)
FACTS_COLUMN_KINDS = ("int4", "int4", "float8", "float8", "int8")


#: which lines a facts query reads: ``all`` of them (one query, the report view), or the two parts
#: the facts service reads separately and adds up: the ``direct`` lines (invoices and credit
#: notes reversing no invoice, dated by their own ``invoice_date``, with no extra join) and the
#: ``reversals`` (the few credit notes reversing an invoice, dated by that invoice)
PARTS = ("all", "direct", "reversals")


def _reversal_sql(move):
    return SQL("%s.move_type = 'out_refund' AND %s.reversed_entry_id IS NOT NULL", move, move)


def refund_origin_join_sql(part, move="am", alias="rev"):
    """The join to the invoice a credit note of ``move`` reverses (``<alias>.invoice_date``): a
    LEFT JOIN for ``all``, an inner join for ``reversals`` (credit notes only), none for ``direct``."""
    move, alias = SQL.identifier(move), SQL.identifier(alias)
    if part == "all":
        return SQL(
            "LEFT JOIN account_move %s ON %s.id = %s.reversed_entry_id AND %s.move_type = 'out_refund'",
            alias, alias, move, move)
    if part == "reversals":
        return SQL("JOIN account_move %s ON %s.id = %s.reversed_entry_id", alias, alias, move)
    return SQL("")


def purchase_date_sql(part="all", move="am", alias="rev"):
    """The date a line counts on: the reversed invoice's date for a credit note that reverses one
    (see :func:`refund_origin_join_sql`), else the move's ``invoice_date``."""
    move, alias = SQL.identifier(move), SQL.identifier(alias)
    if part == "direct":
        return SQL("%s.invoice_date", move)
    return SQL("COALESCE(%s.invoice_date, %s.invoice_date)", alias, move)


def invoice_lines_filter(company_ids=None, date_from=None, date_to=None, partner_ids=None,
                         line="aml", move="am", display_type="product", part="all", origin="rev"):
    """WHERE clause over the journal items ``line`` of the customer invoices / credit notes ``move``
    of ``part`` (:data:`PARTS`; ``origin``: the alias of :func:`refund_origin_join_sql`)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    date = purchase_date_sql(part, move, origin)
    line, move = SQL.identifier(line), SQL.identifier(move)
    clauses = [
        SQL("%s.parent_state = 'posted'", line),
        SQL("%s.display_type = %s", line, display_type),
        SQL("%s.move_type IN ('out_invoice', 'out_refund')", move),
    ]
    if part == "direct":
        clauses.append(SQL("NOT (%s)", _reversal_sql(move)))
    elif part == "reversals":
        clauses.append(_reversal_sql(move))
    if company_ids is not None:
        clauses.append(SQL("%s.company_id = ANY(%s)", line, list(company_ids)))
    if date_from:
        clauses.append(SQL("%s >= %s", date, date_from))
    if date_to:
        clauses.append(SQL("%s <= %s", date, date_to))
    if partner_ids is not None:
        clauses.append(SQL("%s.commercial_partner_id = ANY(%s)", move, list(partner_ids)))
    return SQL(" AND ").join(clauses)


REVENUE_SQL = SQL("(-aml.balance)::float8")


def line_cost_sql(with_cogs, margin_fallback=None):
    """Cost of one invoice line ``aml`` (company currency, negative on credit notes), as float8.

    ``margin_fallback``: the fallback margin (%) of the one company read, or None to read each
    line's company's (``rc``). ``with_cogs`` tells whether stock_account's ``cogs_origin_id`` column
    exists; the query then
    joins the aggregated ``cogs`` relation (see :func:`cogs_join_sql`). The product cost comes from
    the small ``unit_cost`` relation (see :func:`unit_cost_join_sql`). The arithmetic is done in
    float8: numeric divisions and sums cost more than the rest of the query at a million lines.
    """
    product_cost = SQL(
        """NULLIF(aml.quantity::float8 * COALESCE(line_uom.factor::float8, 1.0) * unit_cost.cost, 0)
             * CASE WHEN am.move_type = 'out_refund' THEN -1.0 ELSE 1.0 END"""
    )
    if margin_fallback is None:  # per line, from its company (the report over several companies)
        fallback = SQL(
            "%s * (1.0 - COALESCE(rc.crm_intel_margin_fallback, 0.0)::float8 / 100.0)", REVENUE_SQL)
    else:
        fallback = SQL("%s * %s::float8", REVENUE_SQL, 1.0 - float(margin_fallback) / 100.0)
    if with_cogs:
        return SQL("COALESCE(cogs.cost, %s, %s)", product_cost, fallback)
    return SQL("COALESCE(%s, %s)", product_cost, fallback)


def unit_cost_join_sql(company_ids=None):
    """LEFT JOIN of the cost of one reference unit of each product in each company.

    ``standard_price`` is a company-dependent JSONB value per product; reading it (and converting it
    to the product's reference unit) once per product and company in this small relation, instead
    of once per invoice line, keeps the big side of the query narrow.
    """
    companies = SQL("WHERE c.id = ANY(%s)", list(company_ids)) if company_ids is not None else SQL("")
    return SQL(
        """LEFT JOIN (
               SELECT pp.id AS product_id, c.id AS company_id,
                      (pp.standard_price ->> c.id::text)::float8
                      / COALESCE(NULLIF(prod_uom.factor::float8, 0), 1.0) AS cost
                 FROM product_product pp
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN uom_uom prod_uom ON prod_uom.id = pt.uom_id
                 CROSS JOIN res_company c
                %s
           ) unit_cost ON unit_cost.product_id = aml.product_id AND unit_cost.company_id = aml.company_id""",
        companies,
    )


def cogs_join_sql(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None, part="all"):
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
                 %s
                WHERE %s AND c.cogs_origin_id IS NOT NULL AND acc.account_type LIKE 'expense%%'
             GROUP BY c.cogs_origin_id
           ) cogs ON cogs.line_id = aml.id""",
        refund_origin_join_sql(part, "cm", "crev"),
        invoice_lines_filter(company_ids, date_from, date_to, partner_ids,
                             line="c", move="cm", display_type="cogs", part=part, origin="crev"),
    )


def facts_lines_from_sql(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None,
                         part="all", with_company=True):
    """FROM clause shared by the facts service and the transaction report view (``with_company``:
    join ``res_company rc``, which the report needs for its currency and fallback margins; the
    service of one company passes its fallback margin as a value instead)."""
    return SQL(
        """account_move_line aml
           JOIN account_move am ON am.id = aml.move_id
           %s
           LEFT JOIN uom_uom line_uom ON line_uom.id = aml.product_uom_id
           %s
           %s
           %s""",
        SQL("JOIN res_company rc ON rc.id = aml.company_id") if with_company else SQL(""),
        refund_origin_join_sql(part, "am", "rev"),
        unit_cost_join_sql(company_ids),
        cogs_join_sql(with_cogs, company_ids, date_from, date_to, partner_ids, part),
    )


#: joins of the report query under stable aliases, for the columns and joins of its extensions:
#: ``cp`` the commercial partner, ``pp`` / ``pt`` the product and its template (LEFT JOINs on
#: primary keys: at most one row each, and PostgreSQL leaves them out of a query that reads none
#: of their columns)
REPORT_JOINS = SQL(
    """LEFT JOIN res_partner cp ON cp.id = am.commercial_partner_id
       LEFT JOIN product_product pp ON pp.id = aml.product_id
       LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""
)


def report_core_columns(with_cogs):
    """The columns every report row has, ``name -> SQL expression``: the invoice line's ``id``,
    ``company_id``, ``currency_id`` (the company's), ``partner_id`` (commercial partner), ``date``
    (purchase date), ``revenue``, ``cost``, ``margin`` (float8, company currency) and
    ``line_count`` (1), in the definitions of the facts service."""
    cost = line_cost_sql(with_cogs)
    return {
        "id": SQL("aml.id"),
        "company_id": SQL("aml.company_id"),
        "currency_id": SQL("rc.currency_id"),
        "partner_id": SQL("am.commercial_partner_id"),
        "date": purchase_date_sql("all"),
        "revenue": REVENUE_SQL,
        "cost": cost,
        "margin": SQL("%s - %s", REVENUE_SQL, cost),
        "line_count": SQL("1"),
    }


def report_query(with_cogs, columns=None, joins=(), company_ids=None, date_from=None, date_to=None,
                 partner_ids=None):
    """The report query: one row per posted customer invoice / credit note product line, no
    aggregate (the pivot aggregates once, over the lines).

    :param columns: extra columns, ``name -> SQL expression``, after :func:`report_core_columns`
        (a name of a core column is refused)
    :param joins: extra join clauses (``SQL``), after the joins of the facts and :data:`REPORT_JOINS`;
        each must match at most one row per invoice line (a LEFT JOIN on a unique key), or the
        line's figures would count several times
    """
    core = report_core_columns(with_cogs)
    columns = dict(columns or {})
    clash = sorted(set(core).intersection(columns))
    if clash:
        raise ValueError(f"report columns {clash} are core columns of the facts")
    for join in joins:
        if not isinstance(join, SQL):
            raise TypeError(f"report joins must be SQL objects, not {type(join).__name__}")
    select = SQL(",\n                  ").join(
        SQL("%s AS %s", expression, SQL.identifier(name)) for name, expression in {**core, **columns}.items()
    )
    return SQL(
        """SELECT %(select)s
             FROM %(from_sql)s
                  %(report_joins)s
                  %(joins)s
            WHERE %(where)s""",
        select=select,
        from_sql=facts_lines_from_sql(with_cogs, company_ids, date_from, date_to, partner_ids, "all"),
        report_joins=REPORT_JOINS,
        joins=SQL("\n                  ").join(joins),
        where=invoice_lines_filter(company_ids, date_from, date_to, partner_ids),
    )


def facts_query(with_cogs, company_ids=None, date_from=None, date_to=None, partner_ids=None,
                report=False, part="all", margin_fallback=None, report_columns=None, report_joins=()):
    """The customer facts query.

    * ``report=False`` (facts service): rows ``(partner_id int4, day number since 1970-01-01 int4,
      revenue float8, cost float8, line_count int8)``, never NULL, in no particular order
      (:meth:`CustomerFacts.from_columns` sorts them and adds up rows of the same partner and
      day); ``part`` (:data:`PARTS`) selects the lines, the service reads ``direct`` and
      ``reversals`` separately;
    * ``report=True`` (``_table_query`` of ``crm.suite.customer.transaction``): one row per invoice
      line, no aggregate, with the columns of :func:`report_core_columns` (``id`` is the line's)
      and ``report_columns`` / ``report_joins`` (see :func:`report_query`).
    """
    if report:
        return report_query(with_cogs, report_columns, report_joins, company_ids, date_from, date_to,
                            partner_ids)
    cost = line_cost_sql(with_cogs, margin_fallback)
    from_sql = facts_lines_from_sql(with_cogs, company_ids, date_from, date_to, partner_ids, part,
                                    with_company=margin_fallback is None)
    where = invoice_lines_filter(company_ids, date_from, date_to, partner_ids, part=part)
    date = purchase_date_sql(part)
    return SQL(
        """SELECT COALESCE(am.commercial_partner_id, 0)::int4,
                  (%(date)s - DATE '1970-01-01')::int4,
                  COALESCE(SUM(%(revenue)s), 0.0)::float8, COALESCE(SUM(%(cost)s), 0.0)::float8,
                  COUNT(*)::int8
             FROM %(from_sql)s
            WHERE %(where)s
         GROUP BY am.commercial_partner_id, %(date)s""",
        revenue=REVENUE_SQL, cost=cost, from_sql=from_sql, where=where, date=date,
    )


def partners_query(company_ids, date_from=None, date_to=None):
    """Commercial partners with at least one posted customer invoice line in the window, sorted."""
    return SQL(
        """SELECT DISTINCT am.commercial_partner_id
             FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
             %s
            WHERE %s ORDER BY 1""",
        refund_origin_join_sql("all", "am", "rev"),
        invoice_lines_filter(company_ids, date_from, date_to),
    )
