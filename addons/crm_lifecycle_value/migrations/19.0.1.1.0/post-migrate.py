"""19.0.1.0.0 -> 19.0.1.1.0: customer values move from their own table into the lines of the
published refresh run (``crm.customer.value`` becomes a view over ``crm_lifecycle_run_line``).

Carries every published value over, unchanged, as the lines of its company's latest completed run
(a run record is created for a company whose runs were deleted), then drops the old table. Runs
interrupted under 1.0 restart from their first batch: their staging rows lack the new columns.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

COLUMNS = (
    'partner_id', 'company_id', 'first_purchase_date', 'last_purchase_date', 'purchase_count',
    'frequency', 'recency_days', 'tenure_days', 'revenue', 'margin', 'average_order_value',
    'historical_clv', 'expected_purchases', 'expected_value', 'p_alive', 'predicted_clv',
    'retention_clv', 'stage', 'at_risk', 'tier', 'value_quadrant', 'previous_stage', 'stage_since',
)


def migrate(cr, version):
    cr.execute(SQL("SELECT 1 FROM pg_class WHERE relname = 'crm_customer_value' AND relkind = 'r'"))
    if not cr.fetchone():
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Run = env['crm.lifecycle.run']
    interrupted = Run.search([('state', '=', 'running')])
    if interrupted:
        cr.execute(SQL('DELETE FROM crm_lifecycle_run_line WHERE run_id = ANY(%s)', interrupted.ids))
        interrupted.write({'batch_done': 0})
    cr.execute(SQL('SELECT company_id, COUNT(*) FROM crm_customer_value GROUP BY company_id ORDER BY 1'))
    columns = SQL(', ').join(SQL.identifier(column) for column in COLUMNS)
    for company_id, count in cr.fetchall():
        run = Run.search([('company_id', '=', company_id), ('state', '=', 'done')], order='id desc', limit=1)
        if not run:
            run = Run.create({
                'company_id': company_id, 'state': 'done',
                'name': 'Customer values carried over from version 19.0.1.0.0',
            })
        cr.execute(SQL('DELETE FROM crm_lifecycle_run_line WHERE run_id = %s', run.id))
        cr.execute(SQL(
            """INSERT INTO crm_lifecycle_run_line (run_id, stage_changed, %(columns)s)
               SELECT %(run)s, FALSE, %(columns)s FROM crm_customer_value WHERE company_id = %(company)s""",
            columns=columns, run=run.id, company=company_id))
        run._publish()
        _logger.info('crm_lifecycle_value: %s customer values of company %s moved to run %s',
                     count, company_id, run.id)
    env.flush_all()
    cr.execute(SQL('DROP TABLE crm_customer_value'))
    cr.execute(SQL('DROP INDEX IF EXISTS crm_lifecycle_run_line_run_partner_uniq'))
