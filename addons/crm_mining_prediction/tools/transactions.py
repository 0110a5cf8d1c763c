"""The rows the predictive models read: revenue and margin per customer, day and product category.

Built on the customer facts' invoice-line query (``crm_suite_base.tools.facts``: the same revenue
and cost definitions), with one difference: a credit note counts on its own date, not on the date
of the invoice it reverses, so that a refund issued after a cut-off never changes the features at
that cut-off (no leakage into the back-test).
"""

import numpy as np

from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.facts import facts_query
from odoo.addons.crm_suite_base.tools.pgcopy import copy_query


def load_transactions(env, company, date_from, date_to):
    """``crm_mining.Transactions`` of ``company`` between the two dates (one set-based query)."""
    from crm_mining import Transactions

    facts = env['crm.suite.facts']
    facts._facts_flush()
    lines = facts_query(
        facts._facts_has_cogs(),
        [company.id],
        date_from,
        date_to,
        report=True,
        report_columns={'own_date': SQL('am.invoice_date'), 'categ': SQL('pt.categ_id')},
    )
    query = SQL(
        """SELECT t.partner_id::int4, (t.own_date - DATE '1970-01-01')::int4,
                  COALESCE(t.categ, -1)::int4, SUM(t.revenue)::float8, SUM(t.margin)::float8
             FROM (%s) t
            WHERE t.partner_id IS NOT NULL AND t.own_date <= %s
         GROUP BY 1, 2, 3""",
        lines,
        date_to,
    )
    partner_ids, days, categories, revenue, margin = copy_query(
        env.cr, query, ['int4', 'int4', 'int4', 'float8', 'float8']
    )
    dates = np.datetime64('1970-01-01', 'D') + days.astype(np.int64)
    return Transactions.from_arrays(partner_ids, dates, revenue, margin, categories)
